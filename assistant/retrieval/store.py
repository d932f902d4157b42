"""Dense vector search behind a small Protocol, so FAISS and another backend share one test suite.

Rows are addressed by position (0..n-1), matching the order of the snapshot's chunk list.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

# Below this many vectors exact search is both fastest to build and exact; from here on IVF-Flat.
# bench/scale.py measured the choice (2 cores, m3e-small vectors): at 1M, HNSW (M=32, efConstruction=80)
# took 6 min to build and reached recall@10 0.83 at efSearch=256, IVF 3 min and 0.997; at 100k both
# were fine. HNSW stays available by explicit IndexParams and loads from older indexes.
EXACT_LIMIT = 50_000
# k-means wants a few dozen points per cell (FAISS warns below 39); more only slows training.
IVF_TRAIN_PER_LIST = 64
IVF_TRAIN_SEED = 1234
# Cells scanned per query: at least this many, and at least 1/IVF_PROBE_SHARE of them. Recall@10 on
# real m3e vectors was 0.952 scanning 1/32 of 512 cells and 0.987 scanning 1/16; on 1M generated ones
# 0.997 at 1/32 of 4096 (bench/scale.py).
IVF_MIN_PROBE = 64
IVF_PROBE_SHARE = 32


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
    """How the dense index is built; recorded in the index manifest."""

    kind: str  # "flat", "hnsw" or "ivf"
    hnsw_m: int = 32
    ef_construction: int = 80
    ef_search: int = 128
    nlist: int = 0  # ivf: number of k-means cells
    nprobe: int = 0  # ivf: cells scanned per query

    @classmethod
    def for_size(cls, n: int) -> IndexParams:
        return cls(kind="flat") if n < EXACT_LIMIT else cls.ivf_for_size(n)

    @classmethod
    def ivf_for_size(cls, n: int) -> IndexParams:
        # About 4·sqrt(n) cells (a power of two): 1024 at 50k–100k, 4096 at 1M.
        nlist = max(1, 1 << round(math.log2(max(1.0, 4 * math.sqrt(n)))))
        nprobe = min(nlist, max(IVF_MIN_PROBE, nlist // IVF_PROBE_SHARE))
        return cls(kind="ivf", nlist=nlist, nprobe=nprobe)

    def to_dict(self) -> dict[str, Any]:
        """The parameters that apply to this kind (for the manifest and the bench)."""
        keys: tuple[str, ...]
        if self.kind == "hnsw":
            keys = ("kind", "hnsw_m", "ef_construction", "ef_search")
        elif self.kind == "ivf":
            keys = ("kind", "nlist", "nprobe")
        else:
            keys = ("kind",)
        return {k: getattr(self, k) for k in keys}


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
        elif chosen.kind == "ivf":
            if not chosen.nlist:
                chosen = IndexParams.ivf_for_size(len(matrix))
            if 0 < len(matrix) < chosen.nlist:  # k-means cannot make more cells than points
                chosen = replace(chosen, nlist=len(matrix), nprobe=min(chosen.nprobe, len(matrix)))
            index = _build_ivf(matrix, dimension, chosen)
        elif chosen.kind == "flat":
            index = faiss.IndexFlatIP(dimension)
        else:
            raise ValueError(f"unknown dense index kind {chosen.kind!r}")
        if len(matrix):
            index.add(matrix)
        return cls(index, chosen)

    @classmethod
    def load(cls, path: Path) -> FaissIndex:
        import faiss

        index = faiss.read_index(str(path))
        # FAISS stores efSearch and nprobe with the index, so the loaded one searches as it was built.
        if isinstance(index, faiss.IndexHNSWFlat):
            params = IndexParams(
                kind="hnsw",
                hnsw_m=int(index.hnsw.nb_neighbors(1)),  # type: ignore[attr-defined]
                ef_construction=int(index.hnsw.efConstruction),
                ef_search=int(index.hnsw.efSearch),
            )
        elif isinstance(index, faiss.IndexIVFFlat):
            params = IndexParams(kind="ivf", nlist=int(index.nlist), nprobe=int(index.nprobe))
        else:
            params = IndexParams(kind="flat")
        return cls(index, params)

    @property
    def size(self) -> int:
        return int(self._index.ntotal)  # type: ignore[attr-defined]

    @property
    def dimension(self) -> int:
        return int(self._index.d)  # type: ignore[attr-defined]

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        if self.size == 0 or k <= 0:
            return []
        k = min(k, self.size)
        matrix = _as_matrix(query, self.dimension)[:1]
        with _one_thread():
            if self.params.kind == "ivf":
                scores, rows = self._search_ivf(matrix, k)
            elif self.params.kind == "hnsw" and k > self.params.ef_search:
                # A deep search (a document filter asks for every row) would stop at the graph's reach;
                # the HNSW index keeps the vectors, so scan them exactly.
                scores, rows = self._index.storage.search(matrix, k)
            else:
                scores, rows = self._index.search(matrix, k)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]

    def _search_ivf(self, matrix: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """A deep search (a document filter asks for every row) scans enough cells to fill k: the
        default nprobe cells hold only about nprobe·n/nlist vectors."""
        import faiss

        nlist = int(self._index.nlist)
        per_cell = max(1.0, self.size / nlist)
        nprobe = min(nlist, max(int(self._index.nprobe), math.ceil(2 * k / per_cell)))
        result: tuple[np.ndarray, np.ndarray] = self._index.search(
            matrix,
            k,
            params=faiss.SearchParametersIVF(nprobe=nprobe),  # type: ignore[call-arg]
        )
        return result

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(path))


@contextlib.contextmanager
def _one_thread() -> Iterator[None]:
    """Search one query on the calling thread only. Splitting so little work across OpenMP threads
    costs more than it saves, and on a busy machine far more: a 10k-vector flat search took 24 ms with
    two threads on two loaded cores, 0.4 ms with one. The setting is per thread (an OpenMP ICV), so
    concurrent requests and index builds keep their own; it is restored for the caller."""
    import faiss

    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)


def _build_ivf(matrix: np.ndarray, dimension: int, params: IndexParams) -> Any:
    """IVF-Flat over inner product, its k-means trained on a seeded sample (not every vector)."""
    import faiss

    quantizer = faiss.IndexFlatIP(dimension)
    index = faiss.IndexIVFFlat(quantizer, dimension, params.nlist, faiss.METRIC_INNER_PRODUCT)
    index.nprobe = params.nprobe
    index.cp.seed = IVF_TRAIN_SEED
    if not len(matrix):
        return index  # nothing to train on; an empty index answers nothing anyway
    sample = min(len(matrix), params.nlist * IVF_TRAIN_PER_LIST)
    rows = np.random.default_rng(IVF_TRAIN_SEED).choice(len(matrix), size=sample, replace=False)
    index.train(matrix[np.sort(rows)])
    return index


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
