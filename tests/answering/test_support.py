"""Whether a document states what is asked (assistant/answering/support.py), on synthetic texts."""

from __future__ import annotations

from assistant.answering.support import (
    absent_domain_terms,
    amount_focus,
    article_chunks,
    asked_articles,
    char_pairs,
    missing_in,
    phrases,
    says,
)
from assistant.models import Chunk


def test_phrases_are_noun_phrases_of_adjacent_content_words() -> None:
    tagged = [
        ("宁波", "ns"),
        ("条例", "n"),
        ("处理", "v"),
        ("专利", "n"),
        ("侵权", "v"),
        ("纠纷", "n"),
        ("的", "uj"),
        ("期限", "n"),
    ]
    found = phrases(tagged, "宁波条例处理专利侵权纠纷的期限")
    assert "专利侵权纠纷" in found and "处理专利" in found
    assert all(len(p) >= 4 for p in found)
    assert not any("的" in p for p in found)
    # a run ending in a verb or a locative is not a noun phrase
    assert phrases([("管理", "vn"), ("部门", "n"), ("查处", "v")], "管理部门查处") == ["管理部门"]
    assert phrases([("国外市场", "n"), ("前", "f")], "国外市场前") == ["国外市场"]


def test_a_phrase_other_documents_use_but_the_named_one_does_not_is_missing() -> None:
    named = char_pairs("第一条 为了保护企业技术秘密，制定本条例。第九条 侵犯技术秘密的，依法承担责任。")
    elsewhere = "第二十六条 处理专利侵权纠纷，应当自立案之日起四个月内结案。"
    assert missing_in(named, elsewhere, ["专利侵权纠纷", "技术秘密"]) == ["专利侵权纠纷"]


def test_a_phrase_written_slightly_differently_is_not_missing() -> None:
    named = char_pairs("到2020年，每万人发明专利拥有量力争达到1.17件。")
    assert missing_in(named, "每万人口发明专利拥有量达到4.2件", ["每万人口发明专利拥有量"]) == []


def test_articles_asked_and_found() -> None:
    assert asked_articles("第二十条和第3条讲了什么？") == [20, 3]
    chunks = [
        Chunk("d:1", "d", ("第一章 总则", "第二条"), "第二条 …", 10, 20, "item"),
        Chunk("d:2", "d", ("第一章 总则", "第二十条"), "第二十条 …", 30, 40, "item"),
        Chunk("d:3", "d", ("第二章 罚则",), "第二章 罚则", 50, 60, "section"),
    ]
    assert [c.chunk_id for c in article_chunks(chunks, 20)] == ["d:2"]
    assert article_chunks(chunks, 21) == []


def test_domain_terms_no_document_uses() -> None:
    assert absent_domain_terms(
        "植物新品种权的保护期是多少年？", ["植物新品种", "集成电路布图设计"], "集成电路布图设计"
    ) == ["植物新品种"]
    assert absent_domain_terms("集成电路布图设计保护期多久？", ["集成电路布图设计"], "集成电路布图设计") == []


def test_amount_focus_is_the_noun_before_the_closing_question_word() -> None:
    tagged = [
        ("设立", "v"),
        ("机构", "n"),
        ("的", "uj"),
        ("注册资本", "n"),
        ("最低", "a"),
        ("是", "v"),
        ("多少", "m"),
    ]
    assert amount_focus(tagged, "设立机构的注册资本最低是多少？") == "注册资本"
    framed = [("比重", "n"), ("目标", "n"), ("是", "v"), ("多少", "m")]
    assert amount_focus(framed, "比重目标是多少？") == "比重"
    verb = [("最多", "d"), ("罚", "v"), ("多少", "m"), ("钱", "n")]
    assert amount_focus(verb, "最多罚多少钱？") is None  # the amount belongs to an act
    assert amount_focus(tagged, "设立机构的注册资本有哪些要求？") is None


def test_says_tolerates_one_pair_in_five() -> None:
    assert says("每万人发明专利拥有量力争达到1.17件", "每万人口发明专利拥有量")
    assert not says("专利代理机构应当具备下列条件", "注册资本")
