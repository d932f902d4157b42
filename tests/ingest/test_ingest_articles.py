"""Regulations (条例/办法/规定): 编/章/节/条 structure, articles as citable chunks, items with their lead-in.
All texts are written for the test."""

from __future__ import annotations

from assistant.ingest.chunking import chunk_document
from assistant.ingest.pipeline import parse_text
from assistant.ingest.structure import Node, parse_structure, walk
from assistant.models import Chunk

REGULATION = """某省专利促进条例

第一章 总则

第一条 为了促进专利运用，制定本条例。

第二条 本条例适用于本省行政区域内的专利活动。

第二章 促进与保护

第一节 专利促进

第三条【资金支持】 县级以上人民政府应当设立专利专项资金。

第四条 有下列情形之一的，由专利管理部门责令改正，可以处一万元以上十万元以下罚款：

（一）假冒专利的；

（二）拒绝提供有关资料的；

（三）其他违反本条例第三条第（一）项规定的行为。

有前款第一项行为，情节严重的，依法追究责任。

第二节 专利保护

第五条 专利权人可以请求处理下列纠纷：

（一）侵权纠纷；

（二）权属纠纷。

当事人也可以请求调解下列事项：

（一）赔偿数额；

（二）奖励报酬。

第三章 附则

第六条 本条例自2020年1月1日起施行。
"""


def nodes(text: str) -> list[Node]:
    return walk(parse_structure(text))


def chunks(text: str, max_chars: int = 400) -> list[Chunk]:
    return chunk_document("d", text, parse_structure(text), max_chars=max_chars)


def by_article(found: list[Chunk], designator: str) -> list[Chunk]:
    return [c for c in found if c.section and c.section[-1].startswith(designator)]


def test_chapters_sections_and_articles_nest() -> None:
    tree = {n.heading: n for n in nodes(REGULATION)}
    assert [n.heading for n in parse_structure(REGULATION)] == [
        "第一章 总则",
        "第二章 促进与保护",
        "第三章 附则",
    ]
    chapter = tree["第二章 促进与保护"]
    assert [c.heading for c in chapter.children] == ["第一节 专利促进", "第二节 专利保护"]
    assert [c.heading for c in chapter.children[0].children] == ["第三条【资金支持】", "第四条"]


def test_article_heading_is_its_designator_only() -> None:
    articles = [n for n in nodes(REGULATION) if n.kind == "article"]
    assert [a.heading for a in articles] == [
        "第一条",
        "第二条",
        "第三条【资金支持】",
        "第四条",
        "第五条",
        "第六条",
    ]


def test_article_section_path_and_one_sentence_article_is_its_own_chunk() -> None:
    last = by_article(chunks(REGULATION), "第六条")
    assert len(last) == 1
    assert last[0].section == ("第三章 附则", "第六条")
    assert last[0].text == "第六条 本条例自2020年1月1日起施行。"
    assert last[0].item_no == "第六条" and last[0].lead == ""
    fourth = by_article(chunks(REGULATION), "第四条")[0]
    assert fourth.section == ("第二章 促进与保护", "第一节 专利促进", "第四条")


def test_short_article_is_one_chunk_with_lead_in_items_and_following_paragraph() -> None:
    (fourth,) = by_article(chunks(REGULATION), "第四条")
    assert fourth.text.startswith("第四条 有下列情形之一的")
    assert "（三）其他违反" in fourth.text and fourth.text.endswith("依法追究责任。")


def test_reference_to_an_item_is_not_an_item() -> None:
    fourth = next(n for n in nodes(REGULATION) if n.heading == "第四条")
    assert [c.heading for c in fourth.children] == ["（一）", "（二）", "（三）"]


def test_paragraph_after_the_last_item_belongs_to_the_article_not_the_item() -> None:
    fourth = next(n for n in nodes(REGULATION) if n.heading == "第四条")
    last_item = REGULATION[fourth.children[-1].start : fourth.children[-1].end]
    assert last_item == "（三）其他违反本条例第三条第（一）项规定的行为。"


def test_item_numbering_restarts_after_a_new_lead_in() -> None:
    fifth = next(n for n in nodes(REGULATION) if n.heading == "第五条")
    assert [c.heading for c in fifth.children] == ["（一）", "（二）", "（一）", "（二）"]


def test_long_article_parts_carry_the_lead_in_they_belong_to() -> None:
    found = by_article(chunks(REGULATION, max_chars=20), "第五条")
    parts = [c for c in found if c.kind == "item"]
    assert len(parts) >= 3
    assert all(len(p.text) <= 20 and p.text == REGULATION[p.start : p.end] for p in parts)
    leads = {p.text: p.lead for p in parts}
    assert (
        leads[next(t for t in leads if t.startswith("（一）侵权"))] == "第五条 专利权人可以请求处理下列纠纷："
    )
    assert leads[next(t for t in leads if t.startswith("（一）赔偿"))] == "当事人也可以请求调解下列事项："
    assert all(p.lead == "" for p in parts if p.text.startswith(("第五条", "当事人")))
    whole = [c for c in found if c.kind == "section"]
    assert whole and whole[0].text == REGULATION[whole[0].start : whole[0].end]


def test_article_title_alone_on_its_line() -> None:
    text = "第一条 立法目的\n为了规范管理，制定本办法。\n第二条 适用范围\n本办法适用于全市。"
    assert [n.heading for n in nodes(text)] == ["第一条 立法目的", "第二条 适用范围"]


def test_notice_paragraphs_before_the_articles_do_not_hide_them() -> None:
    text = (
        "一、请认真执行。\n二、执行中的问题请及时反映。\n某某管理办法\n"
        "第一条 为了管理，制定本办法。\n第二条 本办法自发布之日起施行。"
    )
    assert [n.heading for n in parse_structure(text)] == [
        "一、请认真执行",
        "二、执行中的问题请及时反映",
        "第一条",
        "第二条",
    ]


def test_part_of_a_code_and_a_lost_article_keep_the_numbering() -> None:
    text = "第二百零五条 甲。\n第二百零六条 乙。\n第二百零八条 丙。\n第二百零九条 丁。"
    assert [n.number for n in nodes(text)] == ["二百零五", "二百零六", "二百零八", "二百零九"]


def test_outline_lists_articles_but_not_their_items() -> None:
    doc = parse_text("d", "d.txt", REGULATION)
    chapter = doc.outline[1]
    assert [c.heading for c in chapter.children] == ["第一节 专利促进", "第二节 专利保护"]
    assert [a.heading for a in chapter.children[0].children] == ["第三条【资金支持】", "第四条"]
    assert chapter.children[0].children[1].children == []


def test_every_article_is_the_last_element_of_a_chunk_path() -> None:
    doc = parse_text("d", "d.txt", REGULATION)
    lasts = {c.section[-1] for c in doc.chunks if c.section}
    assert {"第一条", "第二条", "第三条【资金支持】", "第四条", "第五条", "第六条"} <= lasts
    for chunk in doc.chunks:
        if chunk.kind != "section":
            assert chunk.text == doc.text[chunk.start : chunk.end]
