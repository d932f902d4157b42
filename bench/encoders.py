"""Encoder variants side by side: the one-question encode floor, embedding throughput, and eval quality.

Speed is cheap and measured by every `make bench`. Quality needs a full eval per variant (an index
rebuilt with that encoder in a temporary folder, then every eval question), a few minutes each, so
`python -m bench.encoders --quality` (`make bench-quality`) records it in bench/results/encoders.json
and `make bench` reports the last recorded values with their date.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.config import Settings
from assistant.retrieval.embedder import Embedder, EmbeddingModelError, SentenceTransformerEmbedder

if TYPE_CHECKING:
    from assistant.engine import Engine

RESULTS = Path(__file__).with_name("results")
QUALITY_FILE = RESULTS / "encoders.json"
REPO = Path(__file__).resolve().parents[1]
# name -> settings that select it (POLICYQA_EMBEDDING_BACKEND / POLICYQA_MAX_SEQ_LENGTH)
VARIANTS: dict[str, dict[str, Any]] = {
    "torch": {"embedding_backend": "torch"},
    "torch-max384": {"embedding_backend": "torch", "max_seq_length": 384},
    "onnx": {"embedding_backend": "onnx"},
    "onnx-int8": {"embedding_backend": "onnx-int8"},
}
QUALITY_KEYS = ("hit@5", "mrr@10", "key_fact_recall")
FLOOR_REPEAT = 50
THROUGHPUT_ROUNDS = 2


def variant_settings(base: Settings, name: str) -> Settings:
    return base.model_copy(update=VARIANTS[name])


def make_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(
        settings.embedding_model,
        settings.embedding_device,
        settings.embedding_batch_size,
        **settings.embedder_options(),
    )


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def encode_floor_ms(embedder: Embedder, question: str, repeat: int = FLOOR_REPEAT) -> float:
    """Median time to encode one question: the least any answer can take."""
    embedder.encode([question])
    return round(
        statistics.median(_timed(lambda: embedder.encode([question])) for _ in range(repeat)) * 1000, 2
    )


def chunks_per_second(embedder: Embedder, texts: Sequence[str]) -> float:
    """Best of a few rounds: on a shared machine the slowest round measures the neighbours."""
    best = min(_timed(lambda: embedder.encode(list(texts))) for _ in range(THROUGHPUT_ROUNDS))
    return round(len(texts) / best, 1)


def floor_and_answers(engines: dict[str, Engine], questions: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Encode floor and answer latency of several engines, measured interleaved: for every question each
    engine encodes the floor question once and answers once, in rotating order, so that load from other
    processes falls on all of them alike instead of on whichever happened to run at a busy moment."""
    names = list(engines)
    floors: dict[str, list[float]] = {n: [] for n in names}
    answers: dict[str, list[float]] = {n: [] for n in names}
    for engine in engines.values():
        engine.ask(questions[0])  # warm-up: first calls pay lazy initialisation
    for i, q in enumerate(questions):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            engine = engines[name]
            # Untimed: the first call after another engine's library ran wakes this one's thread pool,
            # a cost a server running one backend never pays.
            engine.embedder.encode([questions[0]])
            floors[name].append(_timed(lambda e=engine: e.embedder.encode([questions[0]])))  # type: ignore[misc]
            answers[name].append(_timed(lambda e=engine, q=q: e.ask(q)))  # type: ignore[misc]
    out = {}
    for name in names:
        floor = round(statistics.median(floors[name]) * 1000, 2)
        ordered = sorted(answers[name])
        p50 = round(statistics.median(ordered) * 1000, 2)
        out[name] = {
            "encode_floor_ms": floor,
            "answer_p50_ms": p50,
            "answer_p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 2),
            "answer_p50_over_floor": round(p50 / floor, 2) if floor else None,
            "n": len(ordered),
        }
    return out


def speed(base: Settings, corpus_dir: Path, questions: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per variant, each with its own index: build and embedding throughput, encode floor and in-process
    answer latency (the last two interleaved across variants, see floor_and_answers)."""
    from assistant.engine import Engine
    from assistant.retrieval.build import build_index, embedding_text

    out: dict[str, dict[str, Any]] = {}
    engines: dict[str, Engine] = {}
    texts: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in VARIANTS:
            index_dir = Path(tmp) / name / "index"
            settings = variant_settings(base, name).model_copy(update={"index_dir": index_dir})
            try:
                embedder = make_embedder(settings)
            except EmbeddingModelError as exc:
                out[name] = {"error": str(exc)}
                continue
            stored, report = build_index(corpus_dir, index_dir, embedder, rebuild=True)
            texts = [embedding_text(c, stored.docs[c.doc_id].meta.title) for c in stored.chunks]
            engines[name] = Engine.open(settings, build_if_missing=False, embedder=embedder)
            out[name] = {
                "index_name": embedder.name,
                "backend_used": embedder.backend,
                "build_chunks_per_s": round(report.chunks / report.seconds, 1),
            }
        best = {name: float("inf") for name in engines}
        for _ in range(THROUGHPUT_ROUNDS):  # rounds interleaved across variants, best of each kept
            for name, engine in engines.items():
                best[name] = min(best[name], _timed(lambda e=engine: e.embedder.encode(texts)))  # type: ignore[misc]
        for name in engines:
            out[name]["embedding_chunks_per_s"] = round(len(texts) / best[name], 1)
        for name, timing in floor_and_answers(engines, questions).items():
            out[name] |= timing
        engines.clear()
        gc.collect()
    return out


def quality(base: Settings, name: str) -> dict[str, Any]:
    """The eval's retrieval and answer scores with the index built by this variant (no baseline)."""
    from assistant.engine import Engine
    from assistant.evaluation.questions import load_questions
    from assistant.evaluation.runner import run_eval

    questions = load_questions(REPO / "eval" / "questions.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        settings = variant_settings(base, name).model_copy(
            update={"index_dir": Path(tmp) / "index", "data_dir": Path(tmp) / "var"}
        )
        if base.embedding_cache_dir is None:  # reuse the exports of the real data folder
            settings = settings.model_copy(update={"embedding_cache_dir": base.data_dir / "models"})
        engine = Engine.open(settings, embedder=make_embedder(settings))
        report = run_eval(engine, questions, None)
    return {k: report.overall.get(k) for k in QUALITY_KEYS} | {"when": time.strftime("%Y-%m-%dT%H:%M:%S")}


def load_quality(path: Path = QUALITY_FILE) -> dict[str, Any]:
    if not path.is_file():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", action="store_true", help="run the eval per variant (minutes each)")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated variant names")
    args = parser.parse_args(argv)
    base = Settings()
    names = [n for n in args.variants.split(",") if n]
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        parser.error(f"unknown variants: {unknown}; known: {list(VARIANTS)}")
    if not args.quality:
        parser.error("nothing to do: speed is measured by `python -m bench.run`; pass --quality")
    saved = load_quality()
    for name in names:
        saved[name] = quality(base, name)
        print(name, json.dumps(saved[name]))
        RESULTS.mkdir(exist_ok=True)
        QUALITY_FILE.write_text(json.dumps(saved, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
