"""Rendering a draft (assistant/answering/draft.py): numbering in order of first use, citation fields."""

from __future__ import annotations

from assistant.answering.draft import Draft, Evidence, render
from assistant.models import Answer, Chunk, Citation, DocumentMeta

SHANWEI = DocumentMeta(
    doc_id="002",
    title="汕尾市建设引领型知识产权强市实施方案",
    source="002.txt",
    doc_number="汕府〔2016〕69号",
    date="2016-09-19",
)
TARGETS = Chunk(
    chunk_id="002-a",
    doc_id="002",
    section=("一、总体要求", "(二) 主要目标"),
    text="到2020年，全市每万人发明专利拥有量力争达到1.17件。",
    start=120,
    end=148,
    kind="item",
    item_no="(二)",
)
MEASURES = Chunk(
    chunk_id="002-b",
    doc_id="002",
    section=("三、保障措施",),
    text="加强组织领导。",
    start=900,
    end=907,
    kind="section",
)
# a document with no metadata in the mapping
UNKNOWN = Chunk(chunk_id="009-a", doc_id="009", section=(), text="其他文件的段落。", start=0, end=8)


def test_passages_are_numbered_in_order_of_first_use_and_reused() -> None:
    draft = Draft()
    draft.add("加强组织领导。", Evidence(MEASURES, 0.5))
    draft.add("每万人发明专利拥有量力争达到1.17件。", Evidence(TARGETS, 0.9), Evidence(MEASURES, 0.4))
    draft.add("另见其他文件。", Evidence(UNKNOWN, 0.1), Evidence(TARGETS, 0.8))

    answer = render(draft, {"002": SHANWEI}, "汕尾的目标？")

    assert answer.answer == (
        "加强组织领导。[1]\n每万人发明专利拥有量力争达到1.17件。[2][1]\n另见其他文件。[3][2]"
    )
    assert [(c.n, c.doc_id, c.text) for c in answer.citations] == [
        (1, "002", MEASURES.text),
        (2, "002", TARGETS.text),
        (3, "009", UNKNOWN.text),
    ]


def test_the_same_passage_twice_in_one_line_gets_one_marker() -> None:
    draft = Draft()
    draft.add("甲。", Evidence(TARGETS, 0.9), Evidence(TARGETS, 0.9, quote="另一句"))

    answer = render(draft, {}, "q")

    assert answer.answer == "甲。[1]"
    assert len(answer.citations) == 1


def test_citation_fields_come_from_the_first_use_and_the_document_metadata() -> None:
    draft = Draft()
    draft.add("甲。", Evidence(TARGETS, 0.123456789, quote="力争达到1.17件"))
    draft.add("乙。", Evidence(TARGETS, 0.5, quote="不会被采用"))

    answer = render(draft, {"002": SHANWEI}, "汕尾的目标？")

    assert answer.citations == [
        Citation(
            n=1,
            doc_id="002",
            title="汕尾市建设引领型知识产权强市实施方案",
            doc_number="汕府〔2016〕69号",
            date="2016-09-19",
            section="一、总体要求 › (二) 主要目标",
            text="到2020年，全市每万人发明专利拥有量力争达到1.17件。",
            start=120,
            end=148,
            score=0.123457,
            quote="力争达到1.17件",
        )
    ]
    assert answer.answer == "甲。[1]\n乙。[1]"


def test_missing_metadata_falls_back_to_the_doc_id() -> None:
    draft = Draft()
    draft.add("丙。", Evidence(UNKNOWN, 1.0))

    (citation,) = render(draft, {"002": SHANWEI}, "q").citations

    assert (citation.title, citation.doc_number, citation.date, citation.section) == ("009", None, None, "")


def test_a_line_without_evidence_has_no_marker() -> None:
    draft = Draft()
    draft.add("总的来看如下：")
    draft.add("加强组织领导。", Evidence(MEASURES, 0.5))

    answer = render(draft, {}, "q")

    assert answer.answer == "总的来看如下：\n加强组织领导。[1]"
    assert [c.n for c in answer.citations] == [1]


def test_render_answer_envelope() -> None:
    answer = render(Draft(), {}, "用过的问题")

    assert answer == Answer(
        answer="", abstained=False, citations=[], mode="extractive", question_used="用过的问题"
    )


def test_the_answer_to_an_earlier_question_comes_first_with_citations_numbered_on() -> None:
    from assistant.answering.draft import merge_answers
    from assistant.models import Answer, Citation

    def cite(n: int, doc: str, start: int) -> Citation:
        return Citation(n, doc, doc, None, None, "", "text", start, start + 4, 0.5)

    first = Answer("费用由双方协商承担。[1]", False, [cite(1, "a", 10)])
    then = Answer(
        "根据“第二十条”，费用由双方协商承担。[1]\n检测时间不计算在调解期限内。[2]",
        False,
        [cite(1, "a", 10), cite(2, "a", 30)],
    )
    merged = merge_answers(first, then)
    # the line first already says is not repeated; the new passage is [2], the shared one keeps [1]
    assert merged.answer.splitlines() == ["费用由双方协商承担。[1]", "检测时间不计算在调解期限内。[2]"]
    assert [(c.n, c.start) for c in merged.citations] == [(1, 10), (2, 30)]
    # a comparison's line names who says it: the same sentence is still not repeated
    named = Answer(
        "《甲条例》规定，费用由双方协商承担。[1]\n乙市提出，检测免费。[2]", False, [cite(1, "a", 10)]
    )
    again = merge_answers(first, named)
    assert again.answer.splitlines() == ["费用由双方协商承担。[1]", "乙市提出，检测免费。[2]"]
    # a figure's clause cut from a sentence first gives whole, and that sentence quoted (原文为：), say nothing new
    whole = Answer("部门应当在十日内推送，由其在十日内公示。[1]", False, [cite(1, "a", 10)])
    cut = Answer(
        "部门应当在十日内推送。[1]\n原文为：部门应当在十日内推送，由其在十日内公示。[1]\n检测免费。[2]",
        False,
        [cite(1, "a", 10), cite(2, "a", 30)],
    )
    assert merge_answers(whole, cut).answer.splitlines() == [
        "部门应当在十日内推送，由其在十日内公示。[1]",
        "检测免费。[2]",
    ]


def test_the_earlier_questions_asked_on_their_own() -> None:
    from assistant.answering.answerer import _earlier_asks

    assert _earlier_asks("投诉时要做检测鉴定，钱谁出？检测的时间算不算在调解期限里？") == [
        "投诉时要做检测鉴定，钱谁出？"
    ]
    assert _earlier_asks("多久答复？涉外的呢？") == []  # too short to be asked on its own
    assert _earlier_asks("那理发店这种提供服务的呢？要标哪些？") == []  # leans on the previous turn
    assert _earlier_asks("补贴多少？") == []


def test_the_checked_draft_leaves_out_the_further_points() -> None:
    from assistant.answering.draft import Draft, Evidence
    from assistant.models import Chunk

    part = Chunk("c", "d", ("第一条",), "甲。乙。", 0, 4, "item")
    draft = Draft(about="")
    draft.add("甲。", Evidence(part, 0.1, "甲。"))
    draft.add("乙。", Evidence(part, 0.1, "乙。"), extra=True)
    assert [line.text for line in draft.checked().lines] == ["甲。"]
    assert [line.text for line in draft.lines] == ["甲。", "乙。"]  # the answer keeps both
    plain = Draft()
    plain.add("甲。", Evidence(part, 0.1, "甲。"))
    assert plain.checked() is plain


def test_a_sentence_reached_again_through_another_passage_of_its_document_is_said_once() -> None:
    from dataclasses import replace

    sentence = "到2020年，全市每万人发明专利拥有量力争达到1.17件。"
    chapter = replace(TARGETS, chunk_id="002-ch", section=("一、总体要求",))
    draft = Draft()
    draft.add(f"根据“一、总体要求”，{sentence}", Evidence(chapter, 1.0, sentence))
    draft.add(sentence, Evidence(TARGETS, 1.0, sentence))  # its article: the same words
    assert len(draft.lines) == 1
    # another document saying the same words is its own point (a comparison names both)
    draft.add(f"《其他方案》规定，{sentence}", Evidence(UNKNOWN, 1.0, sentence))
    assert len(draft.lines) == 2
