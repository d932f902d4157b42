"""The sentence that defines a term, found by its form (pure)."""

from __future__ import annotations

import pytest

from assistant.answering.definitions import asked_term, defining_sentence
from assistant.models import Chunk


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("某某条例里的“专利代理”具体指什么？", "专利代理"),
        ("宁波条例里的「企业技术秘密」是怎么定义的？", "企业技术秘密"),
        ("什么是布图设计？", "布图设计"),
        ("什么叫做软件", "软件"),
        ("重复侵权是什么意思？", "重复侵权"),
        ("条例中保密措施指什么", "保密措施"),
        ("办法里说的消费者个人信息，具体包括哪些信息？", "消费者个人信息"),  # a term covering a list
        ("《某规定》所称的明码标价，是指什么行为？", "明码标价"),  # a comma before the frame
        ("法院判断“商标近似”到底看哪些方面？", "商标近似"),  # how a marked term is judged
        ("法院判断商标近似到底看哪些方面？", None),  # unmarked: the asker names no term of the text
        ("保障措施包括哪些？", None),  # a list, not a definition
        # not a definition question
        ("主要任务是什么？", None),
        ("罚款是多少？", None),
    ],
)
def test_asked_term(question: str, term: str | None) -> None:
    assert asked_term(question) == term


def chunk(text: str, n: int = 0) -> Chunk:
    return Chunk(f"d#{n}", "d", (f"第{n}条",), text, 0, len(text), kind="section")


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("专利代理", "第二条 本条例所称专利代理，是指机构接受委托办理专利事务的行为。", "本条例所称专利代理"),
        ("软件", "第二条 本条例所称计算机软件（以下简称软件），是指计算机程序及其有关文档。", "以下简称软件"),
        (
            "商标近似",
            "第九条 商标法第五十七条第（二）项规定的商标近似，是指二者的字形、读音相似。",
            "规定的商标近似",
        ),
        ("文档", "本条例下列用语的含义：\n（二）文档，是指用来描述程序的文字资料。", "（二）文档，是指"),
        ("竞业限制", "竞业限制，是指员工离职后一定期限内不得任职于竞争企业。", "竞业限制，是指"),
        ("保密措施", "第四条 本条例所称保密措施是：\n（一）划定密级；", "所称保密措施是："),
        ("个人信息", "前款中的个人信息是指姓名、住址等信息。", "前款中的个人信息是指"),
    ],
)
def test_defining_sentences_of_every_form(term: str, text: str, expected: str) -> None:
    found = defining_sentence(term, [chunk(text)])
    assert found is not None and expected in found[1].text


def test_a_sentence_using_the_term_does_not_define_it() -> None:
    uses = chunk("第十条 申请布图设计登记，应当提交申请表。布图设计是否受保护，依照本条例确定。", 10)
    defines = chunk("（二）集成电路布图设计（以下简称布图设计），是指元件的三维配置。", 2)
    assert defining_sentence("布图设计", [uses]) is None
    found = defining_sentence("布图设计", [uses, defines])
    assert found is not None and found[0] is defines
