from __future__ import annotations

import math
from pathlib import Path

import pytest

from assistant.evaluation.questions import Question, load_questions
from assistant.evaluation.runner import METRIC_KEYS, is_relevant, run_eval, score_item
from assistant.models import Answer, Hit

from .fakes import GOALS_SECTION, JILIN_PATENTS, FakeEngine, chunk, scripted_engine

FIXTURE = Path(__file__).parent / "data" / "questions_small.jsonl"


@pytest.fixture
def questions() -> list[Question]:
    return load_questions(FIXTURE)


def run(questions: list[Question]) -> tuple[FakeEngine, dict[str, float | None]]:
    engine = scripted_engine()
    report = run_eval(engine, questions, clock=engine.clock)
    return engine, report.overall


def test_overall_metrics_hand_computed(questions: list[Question]) -> None:
    _, overall = run(questions)
    assert list(overall) == list(METRIC_KEYS)
    # retrieval over the answerable q1 (gold at rank 1), q2 (rank 2), q3 (missed)
    assert overall["hit@5"] == pytest.approx(2 / 3)
    assert overall["mrr@10"] == pytest.approx(0.5)
    assert overall["ndcg@10"] == pytest.approx((1 + 1 / math.log2(3)) / 3)
    # q1 has its fact, q2 one of two, q3 refused
    assert overall["key_fact_recall"] == pytest.approx(0.5)
    # citations over answered answerable items: q1 perfect, q2 one of two sentences unsupported
    assert overall["citation_recall"] == pytest.approx(0.75)
    assert overall["citation_precision"] == pytest.approx(0.75)
    assert overall["grounded_rate"] == pytest.approx(0.75)
    assert overall["refusal_recall"] == pytest.approx(0.5)
    assert overall["false_refusal_rate"] == pytest.approx(1 / 3)
    assert overall["latency_p50_ms"] == pytest.approx(300)
    assert overall["latency_p95_ms"] == pytest.approx(480)


def test_engine_called_with_history_and_searched_with_question_used(questions: list[Question]) -> None:
    engine, _ = run(questions)
    assert engine.asked[2] == (questions[2].question, questions[2].history)
    assert [q for q, _ in engine.searched] == [q.question for q in questions]
    assert {k for _, k in engine.searched} == {10}


def test_failure_reasons(questions: list[Question]) -> None:
    engine = scripted_engine()
    report = run_eval(engine, questions, clock=engine.clock)
    failures = {it.question.id: it.project.failures for it in report.items}
    assert failures["q1"] == []
    assert failures["q2"] == [
        "missing key fact: 行政管理体系",
        "unsupported sentence: 到2020年建成10个试点省。",
    ]
    assert failures["q3"] == ["false refusal"]
    assert failures["q4"] == []
    assert failures["q5"] == ["answered an unanswerable question"]


def test_by_category(questions: list[Question]) -> None:
    engine = scripted_engine()
    report = run_eval(engine, questions, clock=engine.clock)
    assert set(report.by_category) == {"numeric", "list", "followup", "unanswerable"}
    assert report.by_category["numeric"]["n"] == 1
    assert report.by_category["numeric"]["key_fact_recall"] == 1.0
    assert report.by_category["followup"]["false_refusal_rate"] == 1.0
    assert report.by_category["unanswerable"]["refusal_recall"] == 0.5
    assert report.by_category["unanswerable"]["hit@5"] is None
    assert report.baseline is None


def test_relevance_rules(questions: list[Question]) -> None:
    q1 = questions[0]
    right = chunk("003", GOALS_SECTION, JILIN_PATENTS)
    wrong_doc = chunk("000", GOALS_SECTION, JILIN_PATENTS)
    no_heading = chunk("003", (), "一、目标任务\n" + JILIN_PATENTS)
    assert is_relevant(Hit(right, 1), q1)
    assert not is_relevant(Hit(wrong_doc, 1), q1)
    assert not is_relevant(Hit(no_heading, 1), q1)
    assert is_relevant(Hit(no_heading, 1), q1, match_text=True)  # the baseline's fallback
    doc_only = Question("d", "问", True, ("003",), (), (), "c")
    assert is_relevant(Hit(chunk("003", (), "任意段落"), 1), doc_only)
    assert not is_relevant(Hit(wrong_doc, 1), doc_only)


def test_score_item_for_an_uncited_answer(questions: list[Question]) -> None:
    answer = Answer("每万人口发明专利拥有量力争达到4.2件。", False, [])
    result = score_item(questions[0], answer, [], latency_ms=12.0)
    assert result.metrics["key_fact_recall"] == 1.0
    assert result.metrics["citation_recall"] == 0.0
    assert result.metrics["hit@5"] == 0.0
    assert "gold section not in top 5" in result.failures
