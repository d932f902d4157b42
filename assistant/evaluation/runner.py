"""Run the question set through the engine (and the naive baseline), then score it.

`run_eval` is the only part that calls the systems; `score_item` and `aggregate` are pure.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from assistant.engine_api import QAEngine
from assistant.evaluation import metrics as m
from assistant.evaluation.questions import Question
from assistant.models import Answer, Hit
from assistant.textnorm import match_key

log = logging.getLogger(__name__)

METRIC_KEYS = (
    "hit@5",
    "mrr@10",
    "ndcg@10",
    "key_fact_recall",
    "citation_precision",
    "citation_recall",
    "grounded_rate",
    "refusal_recall",
    "false_refusal_rate",
    "latency_p50_ms",
    "latency_p95_ms",
)
RETRIEVAL_KEYS = ("hit@5", "mrr@10", "ndcg@10")
CITATION_KEYS = ("citation_precision", "citation_recall", "grounded_rate")
SEARCH_K = 10
_QUOTE_CHARS = 50

Metrics = dict[str, float | None]
Judge = Callable[[Question, Answer], float | None]


class Baseline(Protocol):
    def answer(self, question: str) -> tuple[Answer, list[Hit]]: ...

    def search(self, question: str, k: int = 5) -> list[Hit]: ...


@dataclass(frozen=True)
class SystemResult:
    """One system's outcome on one question."""

    answer: Answer
    latency_ms: float
    metrics: Metrics
    failures: list[str]
    top_sections: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.answer.answer,
            "abstained": self.answer.abstained,
            "question_used": self.answer.question_used,
            "citations": [
                {"n": c.n, "doc_id": c.doc_id, "section": c.section} for c in self.answer.citations
            ],
            "latency_ms": round(self.latency_ms, 1),
            "metrics": self.metrics,
            "failures": self.failures,
            "top_sections": self.top_sections,
        }


@dataclass(frozen=True)
class ItemResult:
    question: Question
    project: SystemResult
    baseline: SystemResult | None = None

    def to_dict(self) -> dict[str, Any]:
        q = self.question
        return {
            "id": q.id,
            "question": q.question,
            "category": q.category,
            "answerable": q.answerable,
            "project": self.project.to_dict(),
            "baseline": self.baseline.to_dict() if self.baseline else None,
        }


@dataclass(frozen=True)
class EvalReport:
    overall: Metrics
    baseline: Metrics | None
    by_category: dict[str, Metrics]
    baseline_by_category: dict[str, Metrics] | None
    items: list[ItemResult]
    judge_faithfulness: float | None = None


# ---------------------------------------------------------------- scoring (pure)


def is_relevant(hit: Hit, question: Question, match_text: bool = False) -> bool:
    """Right document and, when gold sections are given, a section path (or, for the baseline's
    heading-less chunks, the chunk text) containing a gold heading."""
    if question.doc and hit.chunk.doc_id not in question.doc:
        return False
    if not question.gold_sections:
        return True
    if m.section_matches(hit.chunk.section_path, question.gold_sections):
        return True
    text = match_key(hit.chunk.text)
    return match_text and any(match_key(g) in text for g in question.gold_sections)


def _retrieval(hits: Sequence[Hit], question: Question, match_text: bool) -> Metrics:
    if not question.answerable:
        return dict.fromkeys(RETRIEVAL_KEYS)
    relevant = [is_relevant(h, question, match_text) for h in hits]
    return {
        "hit@5": m.hit_at_k(relevant, 5),
        "mrr@10": m.mrr_at_k(relevant, 10),
        "ndcg@10": m.ndcg_at_k(relevant, 10),
    }


def _citations(answer: Answer) -> tuple[Metrics, list[str]]:
    texts = {c.n: c.text for c in answer.citations}
    sentences = m.cited_sentences(answer.answer, texts)
    scores: Metrics = {
        "citation_precision": m.citation_precision(sentences),
        "citation_recall": m.citation_recall(sentences),
        "grounded_rate": m.grounded_rate(sentences, list(texts.values())),
    }
    return scores, m.unsupported_sentences(sentences)


def _failures(question: Question, answer: Answer, scores: Metrics, unsupported: list[str]) -> list[str]:
    if not question.answerable:
        return [] if answer.abstained else ["answered an unanswerable question"]
    if answer.abstained:
        return ["false refusal"]
    found: list[str] = []
    if scores["hit@5"] == 0.0:
        found.append("gold section not in top 5" if question.gold_sections else "gold document not in top 5")
    found += [f"missing key fact: {fact}" for fact in m.missing_facts(answer.answer, question.key_facts)]
    found += [f"unsupported sentence: {s[:_QUOTE_CHARS]}" for s in unsupported]
    return found


def score_item(
    question: Question, answer: Answer, hits: Sequence[Hit], latency_ms: float, match_text: bool = False
) -> SystemResult:
    scores = _retrieval(hits, question, match_text)
    scores["key_fact_recall"] = (
        m.key_fact_recall(answer.answer, question.key_facts) if question.answerable else None
    )
    citation_scores, unsupported = _citations(answer)
    scores.update(citation_scores)
    return SystemResult(
        answer=answer,
        latency_ms=latency_ms,
        metrics=scores,
        failures=_failures(question, answer, scores, unsupported),
        top_sections=[f"{h.chunk.doc_id} {h.chunk.section_path}".strip() for h in hits[:5]],
    )


def aggregate(results: Sequence[tuple[Question, SystemResult]]) -> Metrics:
    """Retrieval and key facts over answerable items; citation metrics over answerable items that were
    answered (a refusal is counted by false_refusal_rate, not twice); refusals over their subsets."""
    answerable = [r for q, r in results if q.answerable]
    answered = [r for r in answerable if not r.answer.abstained]
    out: Metrics = {
        k: m.mean([r.metrics[k] for r in answerable]) for k in (*RETRIEVAL_KEYS, "key_fact_recall")
    }
    out.update({k: m.mean([r.metrics[k] for r in answered]) for k in CITATION_KEYS})
    out["refusal_recall"] = m.refusal_recall([r.answer.abstained for q, r in results if not q.answerable])
    out["false_refusal_rate"] = m.false_refusal_rate([r.answer.abstained for r in answerable])
    latencies = [r.latency_ms for _, r in results]
    out["latency_p50_ms"] = m.percentile(latencies, 50)
    out["latency_p95_ms"] = m.percentile(latencies, 95)
    return {k: out[k] for k in METRIC_KEYS}


def by_category(results: Sequence[tuple[Question, SystemResult]]) -> dict[str, Metrics]:
    """`aggregate` per category, plus "n": the number of questions in it."""
    out: dict[str, Metrics] = {}
    for category in sorted({q.category for q, _ in results}):
        subset = [(q, r) for q, r in results if q.category == category]
        out[category] = {"n": float(len(subset)), **aggregate(subset)}
    return out


# ---------------------------------------------------------------- running (calls the systems)


def _run_project(engine: QAEngine, question: Question, clock: Callable[[], float]) -> SystemResult:
    started = clock()
    answer = engine.ask(question.question, question.history)
    latency_ms = (clock() - started) * 1000
    hits = engine.search(answer.question_used or question.question, k=SEARCH_K)
    return score_item(question, answer, hits, latency_ms)


def _run_baseline(baseline: Baseline, question: Question, clock: Callable[[], float]) -> SystemResult:
    started = clock()
    answer, _ = baseline.answer(question.question)
    latency_ms = (clock() - started) * 1000
    hits = baseline.search(question.question, k=SEARCH_K)
    return score_item(question, answer, hits, latency_ms, match_text=True)


def run_eval(
    engine: QAEngine,
    questions: Sequence[Question],
    baseline: Baseline | None = None,
    judge: Judge | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> EvalReport:
    items: list[ItemResult] = []
    for i, question in enumerate(questions, start=1):
        log.info("eval %d/%d %s", i, len(questions), question.id)
        project = _run_project(engine, question, clock)
        if judge is not None:
            project.metrics["judge_faithfulness"] = judge(question, project.answer)
        base = _run_baseline(baseline, question, clock) if baseline is not None else None
        items.append(ItemResult(question, project, base))
    project_results = [(it.question, it.project) for it in items]
    base_results = [(it.question, it.baseline) for it in items if it.baseline is not None]
    return EvalReport(
        overall=aggregate(project_results),
        baseline=aggregate(base_results) if baseline is not None else None,
        by_category=by_category(project_results),
        baseline_by_category=by_category(base_results) if baseline is not None else None,
        items=items,
        judge_faithfulness=m.mean([it.project.metrics.get("judge_faithfulness") for it in items])
        if judge
        else None,
    )
