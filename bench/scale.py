"""The dense index at 10k, 100k and 1M vectors: build time, memory, query latency, recall@10 vs exact.

`python -m bench.scale [--sizes 10000,100000,1000000]` (`make bench-scale`) writes
bench/results/scale.json, one entry per size, merged with the sizes measured before; `make bench` runs
the small sizes itself and reads the rest from that file.

Vectors. Real m3e embeddings of corpus text come first: overlapping windows of every cleaned document
(prefixed with its title, as chunks are), a pool of about ten thousand vectors, cached under
<data_dir>/bench. Queries are the eval questions, encoded the same way. Recall on real embeddings is
measured on that pool with both ANN kinds forced. Larger sets are generated from the pool: each vector is a
pool vector plus the scaled difference of two other pool vectors, renormalised (a Gaussian kernel density
estimate of the real embeddings), so they keep the real anisotropy and topic clusters instead of being
uniform noise, on which no ANN index is meaningful. The mean best cosine of the questions is reported for
both, as a check that the generated neighbourhoods look like the real ones.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np

from assistant.config import Settings
from assistant.evaluation.questions import load_questions
from assistant.ingest.pipeline import discover, ingest_file
from assistant.retrieval.embedder import Embedder, EmbeddingModelError, SentenceTransformerEmbedder
from assistant.retrieval.searcher import CANDIDATES
from assistant.retrieval.store import ExactIndex, FaissIndex, IndexParams

RESULTS = Path(__file__).with_name("results")
SCALE_FILE = RESULTS / "scale.json"
REPO = Path(__file__).resolve().parents[1]
FULL_SIZES = (10_000, 100_000, 1_000_000)
# Window lengths (characters) and stride over each cleaned document for the real pool.
WINDOWS = (40, 80, 160, 320)
STRIDE = 10
# Kernel width of the generated vectors, relative to the spread of the real pool.
BANDWIDTH = 0.5
SEED = 20261121
LATENCY_SAMPLES = 400


def rss_mb() -> float:
    """Current (not peak) resident memory of this process."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _pct(samples: Sequence[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


# --- vectors -------------------------------------------------------------------------------------------


def corpus_windows(corpus_dir: Path) -> list[str]:
    texts: list[str] = []
    for path in discover(corpus_dir):
        parsed = ingest_file(path)
        body = parsed.text.replace("\n", "")
        for width in WINDOWS:
            for start in range(0, max(1, len(body) - width + STRIDE), STRIDE):
                window = body[start : start + width].strip()
                if len(window) >= width // 2:
                    texts.append(f"{parsed.meta.title} {window}")
    return list(dict.fromkeys(texts))


def pool_embedder(settings: Settings) -> Embedder:
    """ONNX fp32 when available: the same vectors as torch (see onnx_backend) in less time."""
    options = {**settings.embedder_options(), "backend": "onnx", "max_seq_length": None}
    try:
        return SentenceTransformerEmbedder(settings.embedding_model, batch_size=64, **options)
    except EmbeddingModelError:
        return SentenceTransformerEmbedder(settings.embedding_model, batch_size=64)


def real_pool(settings: Settings, embedder: Embedder) -> np.ndarray:
    texts = corpus_windows(settings.corpus_dir)
    key = hashlib.sha256(
        json.dumps([embedder.name, WINDOWS, STRIDE, texts], ensure_ascii=False).encode()
    ).hexdigest()[:12]
    cache = settings.data_dir / "bench" / f"real-pool-{key}.npy"
    if cache.is_file():
        return np.asarray(np.load(cache), dtype=np.float32)
    print(f"encoding {len(texts)} corpus windows for the real-embedding pool (cached in {cache})")
    vectors = embedder.encode(texts)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, vectors)
    return vectors


def question_vectors(embedder: Embedder) -> np.ndarray:
    questions = [q.question for q in load_questions(REPO / "eval" / "questions.jsonl") if not q.history]
    return embedder.encode(questions)


def generated(pool: np.ndarray, n: int, seed: int = SEED) -> np.ndarray:
    """n vectors drawn from a kernel density estimate of the pool (see the module docstring)."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, pool.shape[1]), dtype=np.float32)
    step = 100_000
    for start in range(0, n, step):
        m = min(step, n - start)
        a, b, c = (rng.integers(0, len(pool), m) for _ in range(3))
        block = pool[a] + (BANDWIDTH / math.sqrt(2)) * (pool[b] - pool[c])
        out[start : start + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def vectors_for(pool: np.ndarray, n: int) -> tuple[np.ndarray, str]:
    if n <= len(pool):
        rows = np.random.default_rng(SEED).choice(len(pool), size=n, replace=False)
        return pool[np.sort(rows)], "real"
    return generated(pool, n), "generated"


# --- measurements ---------------------------------------------------------------------------------------


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int = 10) -> list[set[int]]:
    """Ground truth in blocks, so 1M vectors never need a queries×n score matrix at once."""
    best_scores = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_rows = np.zeros((len(queries), 0), dtype=np.int64)
    for start in range(0, len(vectors), 200_000):
        scores = queries @ vectors[start : start + 200_000].T
        top = np.argpartition(-scores, min(k, scores.shape[1] - 1), axis=1)[:, :k]
        best_scores = np.hstack([best_scores, np.take_along_axis(scores, top, axis=1)])
        best_rows = np.hstack([best_rows, top + start])
        keep = np.argsort(-best_scores, axis=1)[:, :k]
        best_scores = np.take_along_axis(best_scores, keep, axis=1)
        best_rows = np.take_along_axis(best_rows, keep, axis=1)
    return [set(map(int, row)) for row in best_rows]


def recall_at_10(index: FaissIndex, queries: np.ndarray, truth: list[set[int]]) -> float:
    found = [len({r for r, _ in index.search(q, 10)} & t) / 10 for q, t in zip(queries, truth, strict=True)]
    return round(float(np.mean(found)), 4)


def measure(vectors: np.ndarray, queries: np.ndarray, params: IndexParams) -> dict[str, Any]:
    before = rss_mb()
    started = time.perf_counter()
    index = FaissIndex.build(vectors, vectors.shape[1], params)
    build_s = time.perf_counter() - started
    grown = rss_mb() - before
    with tempfile.TemporaryDirectory() as tmp:
        index.save(Path(tmp) / "dense.faiss")
        file_mb = (Path(tmp) / "dense.faiss").stat().st_size / 2**20
    for q in queries[:20]:  # warm-up: first searches fault pages in
        index.search(q, CANDIDATES)
    times: list[float] = []
    while len(times) < LATENCY_SAMPLES:
        for q in queries:
            t0 = time.perf_counter()
            index.search(q, CANDIDATES)
            times.append(time.perf_counter() - t0)
    truth = exact_top(vectors, queries)
    return {
        "kind": index.params.kind,
        "params": index.params.to_dict(),
        "build_s": round(build_s, 2),
        "rss_growth_mb": round(grown, 1),
        "index_file_mb": round(file_mb, 1),
        "vectors_mb": round(vectors.nbytes / 2**20, 1),
        "query_ms": {
            "p50": round(statistics.median(times) * 1000, 3),
            "p95": round(_pct(times, 95) * 1000, 3),
            "k": CANDIDATES,
        },
        "recall_at_10": 1.0 if index.params.kind == "flat" else recall_at_10(index, queries, truth),
    }


def best_cosine(vectors: np.ndarray, queries: np.ndarray) -> float:
    exact = ExactIndex(vectors, vectors.shape[1])
    return round(float(np.mean([exact.search(q, 1)[0][1] for q in queries])), 3)


def real_recall(pool: np.ndarray, queries: np.ndarray) -> dict[str, Any]:
    """Both ANN kinds, forced, on real embeddings only; their parameters follow the production rules."""
    truth = exact_top(pool, queries)
    out: dict[str, Any] = {"vectors": len(pool), "queries": len(queries)}
    for params in (IndexParams("hnsw"), IndexParams.ivf_for_size(len(pool))):
        index = FaissIndex.build(pool, pool.shape[1], params)
        out[params.kind] = {
            "params": index.params.to_dict(),
            "recall_at_10": recall_at_10(index, queries, truth),
        }
    return out


def run_scale(sizes: Sequence[int], settings: Settings | None = None) -> dict[str, Any]:
    settings = settings or Settings()
    embedder = pool_embedder(settings)
    pool = real_pool(settings, embedder)
    queries = question_vectors(embedder)
    del embedder
    results: dict[str, Any] = {
        "model": settings.embedding_model,
        "pool": {"vectors": len(pool), "windows": list(WINDOWS), "stride": STRIDE, "bandwidth": BANDWIDTH},
        "real_recall": real_recall(pool, queries),
        "sizes": {},
    }
    for n in sizes:
        vectors, source = vectors_for(pool, n)
        row = {"n": n, "source": source, "when": time.strftime("%Y-%m-%dT%H:%M:%S")}
        row |= measure(vectors, queries, IndexParams.for_size(n))
        row["question_best_cosine"] = best_cosine(vectors, queries)
        print(json.dumps(row, ensure_ascii=False))
        results["sizes"][str(n)] = row
        del vectors
    results["question_best_cosine_real_pool"] = best_cosine(pool, queries)
    return results


def merge_saved(results: dict[str, Any], path: Path = SCALE_FILE) -> dict[str, Any]:
    """Sizes measured in this run replace saved ones; sizes not run keep their last measurement."""
    saved: dict[str, Any] = {}
    if path.is_file():
        saved = json.loads(path.read_text(encoding="utf-8"))
    merged = {**saved, **{k: v for k, v in results.items() if k != "sizes"}}
    merged["sizes"] = {**saved.get("sizes", {}), **results["sizes"]}
    merged["sizes"] = dict(sorted(merged["sizes"].items(), key=lambda kv: int(kv[0])))
    return merged


def save(results: dict[str, Any], path: Path = SCALE_FILE) -> dict[str, Any]:
    merged = merge_saved(results, path)
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(merged, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return merged


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, FULL_SIZES)), help="comma-separated")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    merged = save(run_scale(sizes))
    print(json.dumps({k: v for k, v in merged.items() if k != "sizes"}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
