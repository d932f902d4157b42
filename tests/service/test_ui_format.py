from __future__ import annotations

from assistant.engine_api import DocumentInfo, OutlineNode
from assistant.models import Citation, DocumentMeta
from assistant.service.ui_format import (
    answer_html,
    citation_card,
    citations_html,
    document_choices,
    documents_markdown,
    highlight,
    history_messages,
    message_text,
    outline_markdown,
)

from .fakes import seed_documents


def cite(
    n: int = 1, text: str = "支撑型试点省要着力提升知识产权创造质量。加强保护。", quote: str = "加强保护。"
) -> Citation:
    return Citation(
        n,
        "000",
        "加快推进知识产权强省建设工作方案（试行）",
        "国知发管字〔2015〕59号",
        "2015-10-10",
        "三、主要任务 › （二）支撑型",
        text,
        0,
        len(text),
        0.9,
        quote,
    )


def test_answer_markers_become_superscripts_and_text_is_escaped() -> None:
    out = answer_html("目标是4.5件[1]；<script>alert(1)</script>[12]")
    assert '<sup class="pq-ref">[1]</sup>' in out and '<sup class="pq-ref">[12]</sup>' in out
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_highlight_marks_each_quoted_sentence_and_escapes() -> None:
    text = "第一句<b>。第二句很重要。第三句也重要。"
    out = highlight(text, "第二句很重要。第三句也重要。")
    assert out == "第一句&lt;b&gt;。<mark>第二句很重要。第三句也重要。</mark>"
    assert highlight(text, "不在原文中。") == "第一句&lt;b&gt;。第二句很重要。第三句也重要。"
    assert highlight(text, "") == highlight(text, "   ") == "第一句&lt;b&gt;。第二句很重要。第三句也重要。"


def test_highlight_ignores_markers_in_quote() -> None:
    assert "<mark>加强保护。</mark>" in highlight("提升质量。加强保护。", "加强保护。[2]")


def test_citation_card_shows_title_number_date_section_and_quote() -> None:
    card = citation_card(cite(3))
    for piece in (
        "[3]",
        "加快推进知识产权强省建设工作方案（试行）",
        "国知发管字〔2015〕59号",
        "2015-10-10",
        "三、主要任务 › （二）支撑型",
        "<mark>加强保护。</mark>",
    ):
        assert piece in card


def test_citation_card_never_renders_document_html() -> None:
    evil = Citation(
        1, "x", '<img src=x onerror="alert(1)">', None, None, "<i>s</i>", "<script>x()</script>。", 0, 1, 0.1
    )
    card = citation_card(evil)
    assert "<img" not in card and "<script>" not in card and "<i>" not in card
    assert "&lt;img" in card and "&lt;script&gt;" in card


def test_citations_panel_states() -> None:
    assert "提问后" in citations_html([])
    assert "没有找到" in citations_html([], abstained=True)
    both = citations_html([cite(1), cite(2)])
    assert both.count('class="pq-card"') == 2 and "引用来源" in both
    assert "未直接引用" in citations_html([cite(1)], abstained=True)


def test_message_text_handles_gradio6_content_shapes() -> None:
    assert message_text('答案<sup class="pq-ref">[1]</sup> &lt;x&gt;') == "答案[1] <x>"
    assert (
        message_text(
            [{"type": "text", "text": "甲"}, {"type": "file", "file": {}}, {"type": "text", "text": "乙"}]
        )
        == "甲乙"
    )
    assert message_text({"type": "text", "text": "丙"}) == "丙"
    assert message_text(None) == ""


def test_history_messages_keeps_user_and_assistant_turns() -> None:
    chat = [
        {"role": "user", "content": [{"type": "text", "text": "问"}]},
        {"role": "assistant", "content": answer_html("答[1]")},
        {"role": "system", "content": "ignored"},
        {"role": "assistant", "content": ""},
    ]
    assert [(m.role, m.content) for m in history_messages(chat)] == [("user", "问"), ("assistant", "答[1]")]


def test_documents_table_and_outline() -> None:
    infos = [d.info() for d in seed_documents()]
    table = documents_markdown(infos)
    assert table.count("\n") == len(infos) + 1 and "吉政发〔2016〕27号" in table
    odd = DocumentInfo(DocumentMeta("z", "a|b<c>", "z.txt"), 0, [])
    assert "a\\|b&lt;c&gt;" in documents_markdown([odd]) and "—" in documents_markdown([odd])
    assert documents_markdown([]) == "索引中还没有文件。"
    outline = outline_markdown(infos[0])
    assert "文号：国知发管字〔2015〕59号" in outline
    assert "- 三、主要任务\n  - （一）引领型" in outline
    assert "没有识别出章节结构" in outline_markdown(odd)
    nested = DocumentInfo(
        DocumentMeta("y", "t", "y.txt"), 1, [OutlineNode("一", "一", [OutlineNode("<x>", "一 › <x>")])]
    )
    assert "  - &lt;x&gt;" in outline_markdown(nested)


def test_document_choices_label_with_number() -> None:
    infos = [d.info() for d in seed_documents()]
    choices = dict((v, k) for k, v in document_choices(infos))
    assert choices["002"] == "汕尾市建设引领型知识产权强市实施方案（汕府〔2016〕69号）"


def test_citations_panel_accepts_citation_dicts() -> None:
    as_dict = cite(2).to_dict()
    assert citations_html([as_dict]) == citations_html([cite(2)])
    assert citations_html([{**as_dict, "extra_field": 1}]) == citations_html([cite(2)])
