"""One suite for every VectorIndex backend: FAISS must agree with exact NumPy search."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval.store import ExactIndex, FaissIndex, IndexParams, VectorIndex


def _vectors(n: int, dim: int = 16, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


BACKENDS = {
    "faiss-flat": lambda v: FaissIndex.build(v, v.shape[1], IndexParams("flat")),
    "faiss-hnsw": lambda v: FaissIndex.build(v, v.shape[1], IndexParams("hnsw")),
    "exact": lambda v: ExactIndex(v, v.shape[1]),
}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest) -> object:
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


def test_hnsw_recall_against_exact() -> None:
    vectors, queries = _vectors(3000, 32), _vectors(50, 32, seed=3)
    exact = ExactIndex(vectors, 32)
    approx = FaissIndex.build(vectors, 32, IndexParams("hnsw"))
    recall = np.mean(
        [
            len({r for r, _ in approx.search(q, 10)} & {r for r, _ in exact.search(q, 10)}) / 10
            for q in queries
        ]
    )
    assert recall >= 0.95


def test_faiss_round_trip(tmp_path: Path) -> None:
    vectors = _vectors(20)
    index = FaissIndex.build(vectors, 16)
    index.save(tmp_path / "dense.faiss")
    loaded = FaissIndex.load(tmp_path / "dense.faiss")
    assert loaded.search(vectors[3], 1)[0][0] == 3
