"""Whether a document states what is asked (assistant/answering/support.py), on synthetic texts."""

from __future__ import annotations

import pytest

from assistant.answering.support import (
    absent_domain_terms,
    article_chunks,
    asked_anchor,
    asked_articles,
    asked_post,
    asking_clause,
    char_pairs,
    missing_in,
    phrases,
    says,
)
from assistant.models import Chunk
from assistant.retrieval.keyword import tag


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
    words = ["植物新品种", "集成电路布图设计", "知识产权贯标"]
    corpus = char_pairs("集成电路布图设计的登记。企业贯标认证，保护知识产权。")
    assert absent_domain_terms("植物新品种权的保护期是多少年？", words, corpus) == ["植物新品种"]
    assert absent_domain_terms("集成电路布图设计保护期多久？", words, corpus) == []
    # written a little differently in the documents: used
    assert absent_domain_terms("知识产权贯标培育多少家企业？", words, corpus) == []


def test_the_anchor_is_the_rarest_noun_of_the_asking_clause() -> None:
    clause = "设立专利代理机构的注册资本最低是多少"
    tagged = [("设立", "v"), ("专利", "n"), ("代理", "vn"), ("机构", "n"), ("的", "uj"), ("注册资本", "n"),
              ("最低", "a"), ("是", "v"), ("多少", "m")]  # fmt: skip
    shares = {"专利": 0.6, "代理": 0.2, "注册资本": 0.01, "专利代理": 0.15}
    assert asked_anchor(tagged, clause, set(), lambda w: shares.get(w, 0.0)) == "注册资本"
    # a word no document uses (colloquial) cannot be checked; a common one tells nothing
    assert asked_anchor(tagged, clause, set(), lambda w: {"注册资本": 0.0}.get(w, 0.6)) is None
    # skipped words (names of documents, document types) are never the anchor
    assert asked_anchor(tagged, clause, {"注册资本"}, lambda w: shares.get(w, 0.0)) == "专利代理"
    # 「A和B分别是多少」: the counted thing is elsewhere
    assert asked_anchor(tagged, "专利代理机构分别是多少", set(), lambda w: shares.get(w, 0.0)) is None


def test_the_asking_clause_is_the_last_clause_with_a_question_word() -> None:
    assert (
        asking_clause("浙江高校转让专利，净收入中至少提取多少比例奖励发明人？")
        == "净收入中至少提取多少比例奖励发明人"
    )
    assert asking_clause("吉林省的目标") == "吉林省的目标"


def test_says_tolerates_a_share_of_pairs_written_differently() -> None:
    assert says("每万人发明专利拥有量力争达到1.17件", "每万人口发明专利拥有量")
    assert not says("专利代理机构应当具备下列条件", "注册资本")
    assert says("对获得当年国内发明授权的专利", "发明专利", share=0.6)
    assert not says("对获得当年国内发明授权的专利", "发明专利")


@pytest.mark.parametrize(
    ("question", "post"),
    [
        ("领导小组的组长由谁担任？", "组长"),
        ("办公室主任由谁来兼任", "主任"),
        ("召集人是谁担任的", "召集人"),
        # no post asked: who is responsible is asked of a task, not a post
        ("由谁负责组织实施？", None),
        ("哪个部门担任牵头单位？", None),
    ],
)
def test_asked_post(question: str, post: str | None) -> None:
    assert asked_post(tag(question)) == post


def test_a_frame_noun_modifying_a_noun_is_part_of_the_anchor() -> None:
    """「较低数额罚款」 is a kind of fine (the figure of any other fine does not answer); in 「罚款数额」 the
    frame noun is the frame."""
    tagged = [("较", "d"), ("低", "a"), ("数额", "n"), ("罚款", "n"), ("的", "uj"), ("标准", "n"),
              ("是", "v"), ("多少", "m")]  # fmt: skip
    shares = {"数额罚款": 0.01, "罚款": 0.02, "数额": 0.03}
    assert asked_anchor(tagged, "较低数额罚款的标准是多少", set(), lambda w: shares.get(w, 0.0)) == "数额罚款"
    framed = [("罚款", "n"), ("数额", "n"), ("是", "v"), ("多少", "m")]
    assert (
        asked_anchor(framed, "罚款数额是多少", set(), lambda w: {"罚款数额": 0.01, "罚款": 0.02}.get(w, 0.0))
        == "罚款"
    )


def test_the_kind_of_a_frame_noun_is_kept_when_the_documents_write_it() -> None:
    from assistant.answering.support import framed_thing

    tagged = [("技术秘密", "n"), ("的", "uj"), ("保密", "n"), ("期限", "n"), ("最长", "a"), ("是", "v"),
              ("几年", "m")]  # fmt: skip
    assert framed_thing(tagged, set(), lambda w: {"保密期限": 0.01}.get(w, 0.0)) == "保密期限"
    assert framed_thing(tagged, set(), lambda w: 0.0) is None  # a phrase no document writes cannot be checked
    assert framed_thing(tagged, {"保密"}, lambda w: 0.01) is None


def test_a_thing_counted_only_as_a_batch_has_no_figure() -> None:
    from assistant.answering.support import counted_vaguely

    sentence = "新建30家技术与创新支持中心（TISC）和一批高校国家知识产权信息服务中心。"
    assert counted_vaguely(sentence, "信息服务中心")  # 30家 counts the other centres
    assert not counted_vaguely(sentence, "支持中心")
    assert not counted_vaguely("新建30家高校国家知识产权信息服务中心。", "信息服务中心")
    assert not counted_vaguely("新建30家支持中心。", "信息服务中心")  # not mentioned: other checks
