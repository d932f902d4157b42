"""`make bench`: index build and embedding throughput, per-stage query timings, answer latency in process
and over HTTP against the one-question encode floor, server memory, encoder variants and index scale.

Writes bench/results/latest.json and bench/results/latest.md. Numbers, not assertions: targets are
compared in the Markdown table, never in tests.

Stages are timed by running the real answerer with thin timing wrappers around its searcher, vector
index, keyword index and tokeniser (built here, not in the serving code), so the stage times add up to
the answer time: encode + dense + keyword + fusion + composition = answer (the question is encoded
before the search, which gets the vector; fusion is the search's time outside the two indexes).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np

import assistant.retrieval.searcher as searcher_module
from assistant.answering.answerer import ExtractiveAnswerer
from assistant.config import Settings
from assistant.engine import Engine
from assistant.evaluation.questions import load_questions
from assistant.retrieval.build import build_index, embedding_text
from assistant.retrieval.embedder import SentenceTransformerEmbedder
from assistant.retrieval.fusion import RankedHit
from assistant.retrieval.keyword import KeywordIndex
from assistant.retrieval.searcher import HybridSearcher, IndexState, Query
from assistant.retrieval.store import VectorIndex
from bench import encoders, load, scale

RESULTS = Path(__file__).with_name("results")
REPO = Path(__file__).resolve().parents[1]
STAGES = ("encode", "dense", "keyword", "fusion", "composition")
# make bench runs the sizes that finish in a few minutes; 1M comes from the last `make bench-scale`.
BENCH_SCALE_SIZES = (10_000, 100_000)
E2E_SECONDS = 30.0


def _ms(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return {
        "p50": round(statistics.median(ordered) * 1000, 2),
        "p95": round(p95 * 1000, 2),
        "n": len(ordered),
    }


def make_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    return encoders.make_embedder(settings)


# --- build ---------------------------------------------------------------------------------------------


def bench_build(embedder: SentenceTransformerEmbedder, corpus: Path, index_dir: Path) -> dict[str, Any]:
    stored, report = build_index(corpus, index_dir, embedder, rebuild=True)
    texts = [embedding_text(c, stored.docs[c.doc_id].meta.title) for c in stored.chunks]
    _, again = build_index(corpus, index_dir, embedder)
    return {
        "documents": report.documents,
        "chunks": report.chunks,
        "build_seconds": round(report.seconds, 2),
        "embedding_chunks_per_s": encoders.chunks_per_second(embedder, texts),
        "build_chunks_per_s": round(report.chunks / report.seconds, 1),
        "incremental_rebuild_seconds": round(again.seconds, 2),
        "incremental_embedded_chunks": again.embedded_chunks,
        "dense_index": stored.manifest.dense_params or {"kind": stored.manifest.dense_kind},
    }


# --- per-stage timing ------------------------------------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.spent: defaultdict[str, float] = defaultdict(float)

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.spent[name] += time.perf_counter() - started


class _TimedIndex:
    """A VectorIndex that books its searches as the dense stage."""

    def __init__(self, inner: VectorIndex, clock: _Clock) -> None:
        self._inner, self._clock = inner, clock

    @property
    def size(self) -> int:
        return self._inner.size

    @property
    def dimension(self) -> int:
        return self._inner.dimension

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        with self._clock.stage("dense"):
            return self._inner.search(query, k)

    def save(self, path: Path) -> None:
        self._inner.save(path)


class _TimedKeyword(KeywordIndex):
    """Books BM25 scoring as the keyword stage (tokenising is booked by the patched tokeniser)."""

    def __init__(self, inner: KeywordIndex, clock: _Clock) -> None:  # no super(): wraps, never rebuilds
        self._inner, self._clock = inner, clock

    def search(self, query_tokens: Sequence[str], k: int) -> list[tuple[int, float]]:
        with self._clock.stage("keyword"):
            return self._inner.search(query_tokens, k)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _TimedSearcher(HybridSearcher):
    def __init__(self, inner: HybridSearcher, clock: _Clock) -> None:
        super().__init__(inner.embedder, inner.weights)
        self._clock = clock

    def encode(self, text: str) -> np.ndarray:
        with self._clock.stage("encode"):
            return super().encode(text)

    def search(self, state: IndexState, query: Query, vector: np.ndarray | None = None) -> list[RankedHit]:
        # the answerer usually encodes before searching and hands the vector over; a search that encodes
        # itself books that encode inside the search, where the fusion stage must not count it
        encoded = self._clock.spent["encode"]
        with self._clock.stage("search"):
            found = super().search(state, query, vector)
        self._clock.spent["encode in search"] += self._clock.spent["encode"] - encoded
        return found


@contextlib.contextmanager
def _timed_tokenizer(clock: _Clock) -> Iterator[None]:
    """The searcher's own tokenising of the query belongs to keyword search (the answerer's does not)."""
    names = vars(searcher_module)
    original: Callable[[str], list[str]] = names["tokenize"]

    def timed(text: str) -> list[str]:
        with clock.stage("keyword"):
            return original(text)

    names["tokenize"] = timed
    try:
        yield
    finally:
        names["tokenize"] = original


def bench_stages(engine: Engine, questions: list[str]) -> dict[str, dict[str, float]]:
    clock = _Clock()
    state = engine.state
    timed_state = replace(
        state, dense=_TimedIndex(state.dense, clock), keyword=_TimedKeyword(state.keyword, clock)
    )
    answerer = ExtractiveAnswerer(
        _TimedSearcher(engine.searcher, clock),
        engine.answerer.thresholds,
        k=engine.answerer.k,
        profile=engine.answerer.profile,
    )
    samples: dict[str, list[float]] = {k: [] for k in (*STAGES, "answer")}
    with _timed_tokenizer(clock):
        for q in questions:
            clock.spent.clear()
            started = time.perf_counter()
            answerer.answer(timed_state, q)
            total = time.perf_counter() - started
            spent = dict(clock.spent)
            search = spent.get("search", 0.0)
            inner = spent.get("encode in search", 0.0) + spent.get("dense", 0.0) + spent.get("keyword", 0.0)
            for name in ("encode", "dense", "keyword"):
                samples[name].append(spent.get(name, 0.0))
            samples["fusion"].append(max(search - inner, 0.0))
            # composition: everything outside search and encoding (the closeness step's own encodes go
            # through the embedder directly and stay in composition)
            outside = search + spent.get("encode", 0.0) - spent.get("encode in search", 0.0)
            samples["composition"].append(max(total - outside, 0.0))
            samples["answer"].append(total)
    return {k: _ms(v) for k, v in samples.items()}


def bench_queries(engine: Engine, questions: list[str]) -> dict[str, Any]:
    stages = bench_stages(engine, questions)
    timing = encoders.floor_and_answers({"configured": engine}, questions)["configured"]
    floor_ms = timing["encode_floor_ms"]
    answer_ms = {"p50": timing["answer_p50_ms"], "p95": timing["answer_p95_ms"], "n": timing["n"]}
    return {
        "encode_floor_ms": floor_ms,
        "answer_ms": answer_ms,
        "answer_p50_over_floor": timing["answer_p50_over_floor"],
        "stages_ms": {k: v for k, v in stages.items() if k in STAGES},
        "instrumented_answer_ms": stages["answer"],
    }


# --- end to end over HTTP ---------------------------------------------------------------------------------


@contextlib.contextmanager
def serve(settings: Settings, workdir: Path) -> Iterator[tuple[str, int]]:
    """`policyqa serve` (one worker, a real socket) over the index this bench built."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYQA_RATE", "POLICYQA_REQUIRE"))}
    env.update(
        POLICYQA_CORPUS_DIR=str(settings.corpus_dir),
        POLICYQA_INDEX_DIR=str(settings.index_dir),
        POLICYQA_EMBEDDING_MODEL=settings.embedding_model,
        POLICYQA_EMBEDDING_BACKEND=settings.embedding_backend,
        POLICYQA_EMBEDDING_CACHE_DIR=str(settings.embedder_options()["cache_dir"].absolute()),
    )
    if settings.max_seq_length:
        env["POLICYQA_MAX_SEQ_LENGTH"] = str(settings.max_seq_length)
    with load.launch(env, workdir, workers=1, ready_timeout=300.0) as server:
        yield server


def bench_http(settings: Settings, questions: list[str], workdir: Path) -> dict[str, Any]:
    """One client, back to back: the latency a single user sees (bench/load.py measures concurrency)."""
    with serve(settings, workdir) as (url, pid):
        idle = load.process_memory(pid)
        load.run_load(url, questions, 1, 3.0)  # warm-up
        lean = load.run_lean(url, questions, E2E_SECONDS)  # validates every answer body
        result = load.run_load(url, questions, 1, E2E_SECONDS)  # the same through httpx
        httpx_e2e = {f"httpx_{k}": result[k] for k in ("requests", "errors", "p50_ms", "p95_ms")}
        return {**lean, **httpx_e2e, "server_idle": idle, "server_after": load.process_memory(pid)}


# --- report ------------------------------------------------------------------------------------------------


def main() -> None:
    started = time.time()
    load_start = os.getloadavg()[0]
    base = Settings()
    questions = [q.question for q in load_questions(REPO / "eval" / "questions.jsonl") if not q.history]
    with tempfile.TemporaryDirectory(prefix="policyqa-bench-") as tmp:
        work = Path(tmp)
        shutil.copytree(base.corpus_dir, work / "corpus")
        settings = base.model_copy(
            update={
                "corpus_dir": work / "corpus",
                "index_dir": work / "index",
                "embedding_cache_dir": base.embedder_options()["cache_dir"].absolute(),
            }
        )
        embedder = make_embedder(settings)
        build = bench_build(embedder, settings.corpus_dir, settings.index_dir)
        engine = Engine.open(settings, embedder=embedder)
        queries = bench_queries(engine, questions)
        del engine, embedder
        http = bench_http(settings, questions, work)
        variants = encoders.speed(settings, settings.corpus_dir, questions)
    floor = queries["encode_floor_ms"]
    http["p50_over_floor"] = round(http["p50_ms"] / floor, 2) if floor else None
    quality = encoders.load_quality()
    for name, row in variants.items():
        if name in quality:
            row["quality"] = quality[name]
    scale_results = scale.save(scale.run_scale(BENCH_SCALE_SIZES, base))
    results = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "model": base.embedding_model,
        "embedding_backend": base.embedding_backend,
        "max_seq_length": base.max_seq_length,
        "cpu_count": os.cpu_count(),
        "load_average_1min": {"start": round(load_start, 2), "end": round(os.getloadavg()[0], 2)},
        "build": build,
        "queries": queries,
        "http": http,
        "encoders": variants,
        "scale": scale_results,
        "bench_seconds": round(time.time() - started, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (RESULTS / "latest.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(str(c) for c in row) + " |" for row in rows),
    ]


def _params(p: dict[str, Any]) -> str:
    rest = ", ".join(f"{k}={v}" for k, v in p.items() if k != "kind")
    return f"{p.get('kind', '?')}" + (f" ({rest})" if rest else "")


def markdown(r: dict[str, Any]) -> str:
    b, q, h = r["build"], r["queries"], r["http"]
    backend = r["embedding_backend"] + (f", max {r['max_seq_length']} tokens" if r["max_seq_length"] else "")
    lines = [
        f"# policyqa benchmark ({r['when']}, {r['model']} via {backend}, {r['cpu_count']} cores)",
        "",
        f"1-minute load average {r['load_average_1min']['start']} at start, "
        f"{r['load_average_1min']['end']} at end (other work on the machine slows every number).",
        "",
    ]
    lines += _table(
        ("measure", "value", "target"),
        [
            ("embedding throughput (chunks/s)", b["embedding_chunks_per_s"], "≥ 40"),
            ("index build, full (s)", f"{b['build_seconds']} ({b['build_chunks_per_s']} chunks/s)", ""),
            ("index build, unchanged corpus (s)", b["incremental_rebuild_seconds"], ""),
            ("encode floor p50 (ms)", q["encode_floor_ms"], ""),
            ("answer in process p50 / p95 (ms)", f"{q['answer_ms']['p50']} / {q['answer_ms']['p95']}", ""),
            ("answer in process p50 ÷ encode floor", q["answer_p50_over_floor"], "≤ 2.5"),
            ("POST /v1/ask p50 / p95 (ms, one keep-alive http.client)", f"{h['p50_ms']} / {h['p95_ms']}", ""),
            ("POST /v1/ask p50 ÷ encode floor", h["p50_over_floor"], "≤ 2.5"),
            (
                "POST /v1/ask p50 / p95 through httpx (ms; the client's own cost included)",
                f"{h.get('httpx_p50_ms')} / {h.get('httpx_p95_ms')}",
                "",
            ),
            (
                "server RSS idle / after requests (MB)",
                f"{h['server_idle']['rss_mb']} / {h['server_after']['rss_mb']}",
                "",
            ),
            ("bench process peak RSS (MB)", r["max_rss_mb"], ""),
        ],
    )
    lines += ["", f"Per question, the stages of one answer (n = {q['stages_ms']['encode']['n']}):", ""]
    lines += _table(
        ("stage", "p50 ms", "p95 ms"), [(k, v["p50"], v["p95"]) for k, v in q["stages_ms"].items()]
    )
    lines += [
        "",
        "Encoder variants, each with its own index over the same corpus (speed measured in this run; "
        "eval scores from the last `make bench-quality`):",
        "",
    ]
    rows = []
    for name, v in r["encoders"].items():
        if "error" in v:
            rows.append((name, v["error"], *["–"] * 9))
            continue
        qual = v.get("quality", {})
        rows.append(
            (
                name if v["backend_used"] in name else f"{name} (fell back to {v['backend_used']})",
                v["index_name"],
                v["encode_floor_ms"],
                f"{v['answer_p50_ms']} / {v['answer_p95_ms']}",
                v["answer_p50_over_floor"],
                v["embedding_chunks_per_s"],
                v["build_chunks_per_s"],
                *(f"{qual[k]:.3f}" if isinstance(qual.get(k), float) else "–" for k in encoders.QUALITY_KEYS),
                qual.get("when", "not measured")[:10],
            )
        )
    header = (
        "variant",
        "index name",
        "floor p50 ms",
        "answer p50 / p95 ms",
        "p50 ÷ floor",
        "embedding chunks/s",
        "build chunks/s",
        "hit@5",
        "MRR@10",
        "key-fact recall",
        "eval run",
    )
    lines += _table(header, rows)
    s = r["scale"]
    real = s["real_recall"]
    lines += [
        "",
        f"Dense index by size (`IndexParams.for_size`; k = {CANDIDATES_NOTE}; 10k rows are real m3e vectors of "
        "corpus windows, larger sets are generated from them, see bench/scale.py; sizes not run by this "
        "`make bench` come from the last `make bench-scale`):",
        "",
    ]
    srows = [
        (
            f"{int(n):,}",
            row["source"],
            _params(row["params"]),
            row["build_s"],
            f"{row['rss_growth_mb']} / {row['index_file_mb']}",
            f"{row['query_ms']['p50']} / {row['query_ms']['p95']}",
            row["recall_at_10"],
            row["question_best_cosine"],
            row["when"][:16],
        )
        for n, row in s["sizes"].items()
    ]
    lines += _table(
        (
            "vectors",
            "source",
            "index",
            "build s",
            "memory MB (RSS growth / file)",
            "query p50 / p95 ms",
            "recall@10",
            "mean best cosine",
            "measured",
        ),
        srows,
    )
    lines += [
        "",
        f"Recall@10 against exact search on {real['vectors']:,} real embeddings ({real['queries']} eval "
        f"questions, ANN kinds forced): "
        + "; ".join(f"{_params(real[k]['params'])}: {real[k]['recall_at_10']}" for k in ("hnsw", "ivf"))
        + f". Mean best cosine of the questions on the real pool: {s.get('question_best_cosine_real_pool')}.",
        "",
    ]
    return "\n".join(lines)


CANDIDATES_NOTE = f"{searcher_module.CANDIDATES} candidates per query as the searcher asks"


if __name__ == "__main__":
    main()
