"""Dense vector search behind a small Protocol, so FAISS and another backend share one test suite.

Rows are addressed by position (0..n-1), matching the order of the snapshot's chunk list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

# Below this many vectors exact search is both fastest to build and exact; above it, HNSW.
EXACT_LIMIT = 50_000


@runtime_checkable
class VectorIndex(Protocol):
    @property
    def size(self) -> int: ...

    @property
    def dimension(self) -> int: ...

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Top-k (row, inner-product score) for one normalised query vector, best first."""
        ...

    def save(self, path: Path) -> None: ...


@dataclass(frozen=True)
class IndexParams:
    kind: str  # "flat" or "hnsw"
    hnsw_m: int = 32
    ef_construction: int = 80
    ef_search: int = 128

    @classmethod
    def for_size(cls, n: int) -> IndexParams:
        return cls(kind="flat") if n < EXACT_LIMIT else cls(kind="hnsw")


def _as_matrix(vectors: np.ndarray, dimension: int) -> np.ndarray:
    matrix = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dimension)
    return matrix


class FaissIndex:
    """FAISS inner-product index over normalised vectors (cosine similarity)."""

    def __init__(self, index: Any, params: IndexParams) -> None:
        self._index = index
        self.params = params

    @classmethod
    def build(cls, vectors: np.ndarray, dimension: int, params: IndexParams | None = None) -> FaissIndex:
        import faiss

        matrix = _as_matrix(vectors, dimension)
        chosen = params or IndexParams.for_size(len(matrix))
        index: Any
        if chosen.kind == "hnsw":
            index = faiss.IndexHNSWFlat(dimension, chosen.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = chosen.ef_construction
            index.hnsw.efSearch = chosen.ef_search
        else:
            index = faiss.IndexFlatIP(dimension)
        if len(matrix):
            index.add(matrix)
        return cls(index, chosen)

    @classmethod
    def load(cls, path: Path) -> FaissIndex:
        import faiss

        index = faiss.read_index(str(path))
        kind = "hnsw" if isinstance(index, faiss.IndexHNSWFlat) else "flat"
        return cls(index, IndexParams(kind=kind))

    @property
    def size(self) -> int:
        return int(self._index.ntotal)  # type: ignore[attr-defined]

    @property
    def dimension(self) -> int:
        return int(self._index.d)  # type: ignore[attr-defined]

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        if self.size == 0 or k <= 0:
            return []
        scores, rows = self._index.search(_as_matrix(query, self.dimension)[:1], min(k, self.size))  # type: ignore[attr-defined]
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(path))


class ExactIndex:
    """Brute-force NumPy backend: the reference the FAISS backend is tested against."""

    def __init__(self, vectors: np.ndarray, dimension: int) -> None:
        self._vectors = _as_matrix(vectors, dimension)
        self._dimension = dimension

    @property
    def size(self) -> int:
        return len(self._vectors)

    @property
    def dimension(self) -> int:
        return self._dimension

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        if self.size == 0 or k <= 0:
            return []
        scores = self._vectors @ _as_matrix(query, self._dimension)[0]
        k = min(k, self.size)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(r), float(scores[r])) for r in top]

    def save(self, path: Path) -> None:
        np.save(path, self._vectors)
