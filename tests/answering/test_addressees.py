"""Whom a document is sent to, from its own preamble (pure)."""

from __future__ import annotations

import pytest

from assistant.answering.addressees import addressee_line, addressees, asks_addressees
from assistant.models import Chunk

NOTICE = (
    "云岭省人民政府关于印发某某方案的通知\n云政发〔2020〕1号\n\n"
    "各州、市人民政府，省直各委、办、厅、局：\n\n现将《某某方案》印发给你们，请认真贯彻执行。"
)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("这个通知是发给哪些单位的？", True),
        ("实施意见的主送单位有哪些？", True),
        ("方案印发给了哪些部门？", True),
        ("方案是哪天印发的？", False),
        ("由哪个部门负责？", False),
        # a step of a procedure (send the copy to the other party), not a document's addressees
        ("立案以后多少天内要把请求书副本发给对方？", False),
    ],
)
def test_asks_addressees(question: str, asks: bool) -> None:
    assert asks_addressees(question) is asks


def test_the_line_of_bodies_before_the_body_is_the_addressee_line() -> None:
    assert addressee_line(NOTICE) == "各州、市人民政府，省直各委、办、厅、局"


@pytest.mark.parametrize(
    "text",
    [
        # a lead-in sentence ending with a colon is no addressee line
        "第五条 申请人应当提交下列材料：\n（一）申请书；",
        "主要目标：\n到2025年，……。",
        # a long sentence with a full stop
        "为贯彻落实有关部署，现提出如下意见。各有关单位：",
    ],
)
def test_lines_that_are_not_bodies_are_not_addressees(text: str) -> None:
    assert addressee_line(text) is None


def test_only_a_preamble_holds_addressees() -> None:
    body = Chunk("d#1", "d", ("一、总体要求",), "各市人民政府：", 0, 7, kind="section")
    preamble = Chunk("d#0", "d", (), NOTICE, 0, len(NOTICE), kind="preamble")
    assert addressees([body]) is None
    found = addressees([body, preamble])
    assert found is not None and found[0] is preamble and found[1].startswith("各州、市人民政府")
