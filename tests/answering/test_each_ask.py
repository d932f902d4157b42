"""Several questions in one, refused as a whole, are answered one by one (answerer._answer_each)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from assistant.answering.answerer import ExtractiveAnswerer, Outcome
from assistant.answering.question import each_ask
from assistant.models import Answer, Citation


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the opening clause that asks nothing (the place) goes before the later question, not the case
        (
            "在青岛，立案受理以后，多少天内要把副本发给对方？对方收到后多少天内要交答辩书？",
            ["在青岛，立案受理以后，多少天内要把副本发给对方？", "在青岛，对方收到后多少天内要交答辩书？"],
        ),
        # an opening clause that asks is no setting
        ("罚款多少？情节严重的呢？", ["罚款多少？", "情节严重的呢？"]),
        # a later question already opening with it is left as it is
        ("在青岛，要交几份？在青岛，交给谁？", ["在青岛，要交几份？", "在青岛，交给谁？"]),
        ("多少天内答辩？", ["多少天内答辩？"]),
    ],
)
def test_each_ask_stands_alone(question: str, expected: list[str]) -> None:
    assert each_ask(question) == expected


def _cited(doc_id: str, text: str) -> Answer:
    citation = Citation(1, doc_id, "某条例", None, None, "第一条", text, 0, len(text), 1.0)
    return Answer(f"{text}[1]", False, [citation], question_used=text)


FIRST = "在青岛，多少天内要发送请求书副本？"
SECOND = "在青岛，被请求人多少天内要提交答辩书？"
REFUSED = Answer(
    "未找到", True, [], question_used="在青岛，多少天内要发送请求书副本？被请求人多少天内要提交答辩书？"
)


class _Parts:
    """An answerer whose single questions are answered from a table (the policy under test is how the
    answers of the parts are put together, not how each is found)."""

    answer = ExtractiveAnswerer.answer
    _answer_each = ExtractiveAnswerer._answer_each

    def __init__(self, table: dict[str, Answer]) -> None:
        self.table = table

    def _answer_one(self, state: Any, question: str, history: Any, doc_ids: Any) -> Outcome:
        answer = self.table.get(question, Answer("未找到", True, [], question_used=question))
        return Outcome(answer, [], None, "" if not answer.abstained else "unstated")


def _each(table: dict[str, Answer], reason: str = "unstated") -> Outcome | None:
    return ExtractiveAnswerer._answer_each(_Parts(table), None, Outcome(REFUSED, [], None, reason), None)  # type: ignore[arg-type]


def test_parts_answered_from_one_document_are_merged_in_order() -> None:
    outcome = _each(
        {
            FIRST: _cited("qd", "五日内发送副本"),
            SECOND: _cited("qd", "十五日内答辩"),
        }
    )
    assert outcome is not None and not outcome.answer.abstained
    assert outcome.answer.answer.splitlines() == ["五日内发送副本[1]", "十五日内答辩[2]"]
    assert outcome.answer.question_used == REFUSED.question_used


def test_a_part_unstated_leaves_the_whole_refused() -> None:
    assert _each({FIRST: _cited("qd", "五日内发送副本")}) is None


def test_parts_answered_from_different_documents_are_not_put_together() -> None:
    table = {
        FIRST: _cited("qd", "五日内发送副本"),
        SECOND: _cited("sd", "十五日内答辩"),
    }
    assert _each(table) is None


def test_a_refusal_for_another_reason_is_kept() -> None:
    table = {
        FIRST: _cited("qd", "五日内发送副本"),
        SECOND: _cited("qd", "十五日内答辩"),
    }
    assert _each(table, reason="region") is None


def test_a_later_question_leaning_on_the_one_before_is_not_asked_alone() -> None:
    leaning = Answer("未找到", True, [], question_used="宁波条例里密级分几级？分别叫什么？")
    table = {
        "宁波条例里密级分几级？": _cited("nb", "分为三级"),
        "分别叫什么？": _cited("nb", "绝密、机密、秘密"),
    }
    whole = Outcome(leaning, [], None, "unstated")
    assert ExtractiveAnswerer._answer_each(_Parts(table), None, whole, None) is None  # type: ignore[arg-type]


def test_a_part_that_also_cites_another_document_is_not_put_together() -> None:
    also = _cited("qd", "十五日内答辩")
    other = Citation(2, "sd", "另一条例", None, None, "第二条", "三十日内答辩", 0, 6, 0.5)
    table = {FIRST: _cited("qd", "五日内发送副本"), SECOND: replace(also, citations=[*also.citations, other])}
    assert _each(table) is None


def test_an_earlier_question_the_documents_do_not_state_refuses_the_whole() -> None:
    whole = "审批机关委托测试机构做测试，测试周期一般多长？要种几季？"
    table = {whole: replace(_cited("pv", "自收到通知之日起3个月内请求复审"), question_used=whole)}
    outcome = _Parts(table).answer(None, whole)  # type: ignore[arg-type]
    assert outcome.answer.abstained and outcome.reason == "unstated"
    assert outcome.answer.question_used == whole


def test_an_earlier_question_answered_comes_first() -> None:
    whole = "在青岛，多少天内要发送请求书副本？被请求人多少天内要提交答辩书？"
    table = {
        whole: replace(_cited("qd", "十五日内答辩"), question_used=whole),
        FIRST: _cited("qd", "五日内发送副本"),
    }
    outcome = _Parts(table).answer(None, whole)  # type: ignore[arg-type]
    assert outcome.answer.answer.splitlines() == ["五日内发送副本[1]", "十五日内答辩[2]"]
