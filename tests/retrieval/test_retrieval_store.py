"""One suite for every VectorIndex backend: FAISS must agree with exact NumPy search."""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import pytest

from assistant.models import Chunk, DocumentMeta
from assistant.retrieval.persistence import FORMAT_VERSION, DocRecord, Manifest, StoredIndex
from assistant.retrieval.store import (
    EXACT_LIMIT,
    ExactIndex,
    FaissIndex,
    IndexParams,
    VectorIndex,
)


def _vectors(n: int, dim: int = 16, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _clustered(n: int, dim: int = 32, clusters: int = 40, seed: int = 0) -> np.ndarray:
    """Points around a few centres: embeddings of a corpus cluster by topic; uniform noise does not."""
    centres = np.random.default_rng(12345).normal(size=(clusters, dim))  # shared by data and queries
    rng = np.random.default_rng(seed)
    v = (centres[rng.integers(0, clusters, n)] + 0.6 * rng.normal(size=(n, dim))).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


BACKENDS = {
    "faiss-flat": lambda v: FaissIndex.build(v, v.shape[1], IndexParams("flat")),
    "faiss-hnsw": lambda v: FaissIndex.build(v, v.shape[1], IndexParams("hnsw")),
    "faiss-ivf": lambda v: FaissIndex.build(v, v.shape[1], IndexParams("ivf", nlist=16, nprobe=4)),
    "exact": lambda v: ExactIndex(v, v.shape[1]),
}


def milvus_index(uri: str, vectors: np.ndarray) -> VectorIndex:
    """The vectors published as one version through the real Milvus write path, then loaded back."""
    from assistant.retrieval.milvus_store import MilvusBackend

    docs = {"d": DocRecord(DocumentMeta("d", "contract", "d.txt"), "", [], "h")}
    chunks = [Chunk(f"c{i}", "d", ("s",), f"passage {i}", 0, 1) for i in range(len(vectors))]
    manifest = Manifest(FORMAT_VERSION, "contract", vectors.shape[1], 0.0, {"d": "h"}, len(chunks))
    stored = StoredIndex(manifest, docs, chunks, vectors, [["passage"] for _ in chunks])
    backend = MilvusBackend(uri, prefix=f"contract_{uuid.uuid4().hex[:8]}")
    backend.publish(stored)
    return backend.load("contract").dense


@pytest.fixture(params=[*sorted(BACKENDS), pytest.param("milvus", marks=pytest.mark.slow)])
def backend(request: pytest.FixtureRequest) -> object:
    if request.param == "milvus":
        uri = request.getfixturevalue("milvus_uri")
        return lambda v: milvus_index(uri, v)
    return BACKENDS[request.param]


def test_backend_satisfies_protocol(backend: object) -> None:
    index = backend(_vectors(10))  # type: ignore[operator]
    assert isinstance(index, VectorIndex)
    assert index.size == 10 and index.dimension == 16


def test_top_hit_is_the_query_itself(backend: object) -> None:
    vectors = _vectors(200)
    index = backend(vectors)  # type: ignore[operator]
    for row in (0, 57, 199):
        top_row, score = index.search(vectors[row], 3)[0]
        assert top_row == row
        assert score == pytest.approx(1.0, abs=1e-4)


def test_results_sorted_and_bounded(backend: object) -> None:
    index = backend(_vectors(5))  # type: ignore[operator]
    hits = index.search(_vectors(1, seed=9)[0], 50)
    assert len(hits) == 5
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True)


def test_empty_index_returns_nothing(backend: object) -> None:
    index = backend(np.zeros((0, 16), dtype=np.float32))  # type: ignore[operator]
    assert index.search(_vectors(1)[0], 5) == []


def test_deep_search_returns_every_row(backend: object) -> None:
    """A document filter asks for every row; an ANN index must not stop at its usual candidates."""
    vectors = _clustered(500)
    index = backend(vectors)  # type: ignore[operator]
    hits = index.search(vectors[0], 500)
    assert sorted(r for r, _ in hits) == list(range(500))


def _recall_at_10(approx: VectorIndex, exact: VectorIndex, queries: np.ndarray) -> float:
    return float(
        np.mean(
            [
                len({r for r, _ in approx.search(q, 10)} & {r for r, _ in exact.search(q, 10)}) / 10
                for q in queries
            ]
        )
    )


def test_hnsw_recall_against_exact() -> None:
    vectors, queries = _vectors(3000, 32), _vectors(50, 32, seed=3)
    approx = FaissIndex.build(vectors, 32, IndexParams("hnsw"))
    assert _recall_at_10(approx, ExactIndex(vectors, 32), queries) >= 0.95


def test_ivf_recall_against_exact() -> None:
    vectors, queries = _clustered(6000), _clustered(60, seed=7)
    approx = FaissIndex.build(vectors, 32, IndexParams("ivf", nlist=64, nprobe=8))
    assert _recall_at_10(approx, ExactIndex(vectors, 32), queries) >= 0.95


def test_index_kind_follows_size() -> None:
    assert IndexParams.for_size(EXACT_LIMIT - 1).kind == "flat"
    small, big = IndexParams.for_size(EXACT_LIMIT), IndexParams.for_size(1_000_000)
    assert small.kind == big.kind == "ivf"
    assert small.nlist >= small.nprobe >= 1 and big.nlist > small.nlist
    assert IndexParams.ivf_for_size(100).nprobe <= IndexParams.ivf_for_size(100).nlist


def test_ivf_never_has_more_cells_than_vectors() -> None:
    index = FaissIndex.build(_vectors(10), 16, IndexParams("ivf", nlist=64, nprobe=8))
    assert index.params.nlist == 10 and index.size == 10


@pytest.mark.parametrize(
    "params",
    [
        IndexParams("flat"),
        IndexParams("hnsw", hnsw_m=16, ef_search=96),
        IndexParams("ivf", nlist=8, nprobe=3),
    ],
    ids=lambda p: p.kind,
)
def test_faiss_round_trip(tmp_path: Path, params: IndexParams) -> None:
    vectors = _clustered(300, 16)
    index = FaissIndex.build(vectors, 16, params)
    index.save(tmp_path / "dense.faiss")
    loaded = FaissIndex.load(tmp_path / "dense.faiss")
    assert loaded.params.to_dict() == index.params.to_dict()
    assert loaded.search(vectors[3], 1)[0][0] == 3
