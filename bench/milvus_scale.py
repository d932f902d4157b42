"""`python -m bench.milvus_scale [--sizes 100000] [--uri URI]`: the dense path in Milvus at scale.

The vectors of bench/scale.py (real m3e-small windows, and generated ones beyond them) go into one
collection with the index IndexParams.for_size chooses (IVF_FLAT from 50k), searched as the Milvus
backend searches (k=60). Reports build time (insert + index + load), query p50/p95 and recall@10 against
exact search. Without --uri it starts a `milvus-lite server`; a Milvus server (e.g. PyPI `milvus`'s
`default_server`, a real Milvus 2.3) is given by its URI. Writes bench/results/milvus-scale.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.config import Settings
from assistant.retrieval.milvus_search import MilvusDense, search_params
from assistant.retrieval.store import IndexParams
from bench.scale import CANDIDATES, _pct, exact_top, pool_embedder, question_vectors, real_pool, vectors_for

RESULTS = Path(__file__).with_name("results") / "milvus-scale.json"
BATCH = 5_000


def build(client: Any, name: str, vectors: np.ndarray, params: IndexParams) -> float:
    from pymilvus import DataType

    started = time.perf_counter()
    schema = client.create_schema(auto_id=False)
    schema.add_field("row", DataType.INT64, is_primary=True)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=vectors.shape[1])
    index = client.prepare_index_params()
    kind, extra = search_params(params, build=True)
    index.add_index("vector", index_type=kind, metric_type="IP", params=extra)
    client.create_collection(name, schema=schema, index_params=index)
    for start in range(0, len(vectors), BATCH):
        rows = [
            {"row": start + i, "vector": v.tolist()} for i, v in enumerate(vectors[start : start + BATCH])
        ]
        client.insert(name, rows)
    client.flush(name)
    client.load_collection(name)
    return time.perf_counter() - started


def measure(client: Any, n: int, pool: np.ndarray, queries: np.ndarray) -> dict[str, Any]:
    vectors, source = vectors_for(pool, n)
    params = IndexParams.for_size(n)
    name = f"scale_{n}_{int(time.time())}"
    build_s = build(client, name, vectors, params)
    dense = MilvusDense(client, name, n, vectors.shape[1], params)
    for q in queries[:10]:
        dense.search(q, CANDIDATES)
    times = []
    found = []
    truth = exact_top(vectors, queries)
    for q, t in zip(queries, truth, strict=True):
        t0 = time.perf_counter()
        hits = dense.search(q, CANDIDATES)
        times.append(time.perf_counter() - t0)
        found.append(len({r for r, _ in hits[:10]} & t) / 10)
    client.drop_collection(name)
    return {
        "vectors": n,
        "source": source,
        "params": params.to_dict(),
        "build_s": round(build_s, 1),
        "query_ms": {
            "p50": round(statistics.median(times) * 1000, 2),
            "p95": round(_pct(times, 95) * 1000, 2),
        },
        "recall_at_10": round(float(np.mean(found)), 4),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.milvus_scale", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--uri", help="a running Milvus (default: start a milvus-lite server)")
    parser.add_argument("--label", default="milvus-lite 3.2.2")
    args = parser.parse_args(argv)
    from pymilvus import MilvusClient

    settings = Settings()
    embedder = pool_embedder(settings)
    pool, queries = real_pool(settings, embedder), question_vectors(embedder)
    with contextlib.ExitStack() as stack:
        uri = args.uri
        if uri is None:
            from tests.milvus_server import milvus_lite_server

            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="policyqa-milvus-")))
            uri = stack.enter_context(milvus_lite_server(tmp / "data"))
        client = MilvusClient(uri=uri)
        rows = [measure(client, int(n), pool, queries) for n in args.sizes.split(",")]
    results: dict[str, Any] = {}
    with contextlib.suppress(FileNotFoundError, ValueError):
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
    results[args.label] = {"when": time.strftime("%Y-%m-%d"), "rows": rows}
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results[args.label], ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
