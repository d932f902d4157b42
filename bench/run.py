"""`make bench`: index build throughput, per-stage query timings, answer latency against the encode floor.

Writes bench/results/latest.json and bench/results/latest.md. Numbers, not assertions: targets are
compared in the Markdown table, never in tests.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.config import Settings
from assistant.engine import Engine
from assistant.evaluation.questions import load_questions
from assistant.retrieval.build import build_index
from assistant.retrieval.embedder import SentenceTransformerEmbedder
from assistant.retrieval.keyword import tokenize

RESULTS = Path(__file__).with_name("results")
REPO = Path(__file__).resolve().parents[1]


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda p: ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]  # noqa: E731
    return {
        "p50": round(statistics.median(ordered) * 1000, 2),
        "p95": round(pick(95) * 1000, 2),
        "n": len(ordered),
    }


def _time(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def bench_build(embedder: SentenceTransformerEmbedder) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(REPO / "corpus", corpus)
        stored, report = build_index(corpus, Path(tmp) / "index", embedder, rebuild=True)
        texts = [c.text for c in stored.chunks]
        encode_s = sum(_time(lambda: embedder.encode(texts), 1))
        _, again = build_index(corpus, Path(tmp) / "index", embedder)
    return {
        "documents": report.documents,
        "chunks": report.chunks,
        "build_seconds": round(report.seconds, 2),
        "embedding_chunks_per_s": round(len(texts) / encode_s, 1),
        "build_chunks_per_s": round(report.chunks / report.seconds, 1),
        "incremental_rebuild_seconds": round(again.seconds, 2),
        "incremental_embedded_chunks": again.embedded_chunks,
    }


def bench_queries(engine: Engine, questions: list[str]) -> dict[str, Any]:
    state = engine.state
    floor = _time(lambda: engine.embedder.encode([questions[0]]), 50)
    stages: dict[str, list[float]] = {k: [] for k in ("encode", "dense", "keyword", "fusion+compose")}
    for q in questions:
        stages["encode"] += _time(lambda q=q: engine.embedder.encode([q]), 1)  # type: ignore[misc]
        vec = engine.embedder.encode([q])[0]
        stages["dense"] += _time(lambda v=vec: state.dense.search(v, 60), 1)  # type: ignore[misc]
        stages["keyword"] += _time(lambda q=q: state.keyword.search(tokenize(q), 60), 1)  # type: ignore[misc]
    answer_times = [t for q in questions for t in _time(lambda q=q: engine.ask(q), 1)]  # type: ignore[misc]
    stages["fusion+compose"] = [max(a - e, 0.0) for a, e in zip(answer_times, stages["encode"], strict=True)]
    floor_ms = _ms(floor)["p50"]
    answer_ms = _ms(answer_times)
    return {
        "encode_floor_ms": floor_ms,
        "answer_ms": answer_ms,
        "answer_p50_over_floor": round(answer_ms["p50"] / floor_ms, 2) if floor_ms else None,
        "stages_ms": {k: _ms(v) for k, v in stages.items()},
    }


def main() -> None:
    settings = Settings()
    embedder = SentenceTransformerEmbedder(settings.embedding_model)
    build = bench_build(embedder)
    engine = Engine.open(settings, embedder=embedder)
    questions = [q.question for q in load_questions(REPO / "eval" / "questions.jsonl") if not q.history]
    queries = bench_queries(engine, questions)
    results = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "model": embedder.name,
        "cpu_count": os.cpu_count(),
        "build": build,
        "queries": queries,
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (RESULTS / "latest.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))


def markdown(r: dict[str, Any]) -> str:
    b, q = r["build"], r["queries"]
    rows = [
        ("embedding throughput (chunks/s)", b["embedding_chunks_per_s"], "≥ 40"),
        ("index build, full (s)", b["build_seconds"], ""),
        ("index build, unchanged corpus (s)", b["incremental_rebuild_seconds"], ""),
        ("encode floor p50 (ms)", q["encode_floor_ms"], ""),
        ("answer p50 / p95 (ms)", f"{q['answer_ms']['p50']} / {q['answer_ms']['p95']}", ""),
        ("answer p50 ÷ encode floor", q["answer_p50_over_floor"], "≤ 2.5"),
        ("max RSS (MB)", r["max_rss_mb"], ""),
    ]
    lines = ["| measure | value | target |", "|---|---|---|", *(f"| {a} | {v} | {t} |" for a, v, t in rows)]
    lines += ["", "| stage | p50 ms | p95 ms |", "|---|---|---|"]
    lines += [f"| {k} | {v['p50']} | {v['p95']} |" for k, v in q["stages_ms"].items()]
    return (
        f"# policyqa benchmark ({r['when']}, {r['model']}, {r['cpu_count']} cores)\n\n"
        + "\n".join(lines)
        + "\n"
    )


if __name__ == "__main__":
    main()
