"""Pure formatting of the workbench: [n] links, the source page, clipboard text, Markdown and Word exports."""

from __future__ import annotations

import io
import re

from assistant.engine_api import DocumentText, OutlineNode
from assistant.models import Answer, DocumentMeta
from assistant.service.source_view import source_page, view_path
from assistant.service.ui_export import answer_with_references, conversation_docx, conversation_markdown
from assistant.service.ui_format import answer_html, citation_card

from .test_ui_format import cite

XSS = "<img src=x onerror=alert(1)>"


def test_markers_link_to_the_source_view_at_the_passage() -> None:
    c = cite(2)
    bubble = answer_html("甲[2]乙[7]", [c])
    href = f"/v1/documents/000/view?start={c.start}&amp;end={c.end}#passage"
    assert f'<sup class="pq-ref"><a class="pq-open" href="{href}"' in bubble
    assert '<sup class="pq-ref">[7]</sup>' in bubble  # no such citation: plain
    assert f'href="{href}"' in citation_card(c)
    assert view_path("a/b c") == "/v1/documents/a%2Fb%20c/view"


def page_doc() -> DocumentText:
    text = f"标题\n一、总则\n第一句。{XSS}第二句。\n二、附则\n完。"
    one, two = text.index("一、"), text.index("二、")
    outline = [
        OutlineNode("一、总则", "一、总则", [], one, two - 1),
        OutlineNode("二、附则", "二、附则", [], two, len(text)),
    ]
    meta = DocumentMeta("d", f"标题{XSS}", "d.txt", "甲〔2020〕1号", None, "2020-04-09")
    return DocumentText(meta, text, outline)


def test_source_page_marks_the_passage_and_its_section() -> None:
    doc = page_doc()
    start = doc.text.index("第一句")
    page = source_page(doc, start, start + 4)
    assert '<mark id="passage">第一句。</mark>' in page
    assert re.search(r'<a href="#s-\d+" class="here">一、总则</a>', page)
    assert f'<span id="s-{doc.outline[1].start}"></span>二、附则' in page
    assert "日期：2020年4月9日" in page and "文号：甲〔2020〕1号" in page and "发文机关" not in page
    assert XSS not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<mark" not in source_page(doc) and 'class="here"' not in source_page(doc)


def turn(abstained: bool = False) -> dict[str, object]:
    answer = Answer("1.提升能力。[1]\n2.健全体系。[2]", abstained, [cite(1), cite(2)])
    return {"question": "支撑型试点省的主要任务是什么？", **answer.to_dict()}


def test_clipboard_text_is_the_answer_then_its_references() -> None:
    t = turn()
    assert answer_with_references(t) == f"{t['answer']}\n\n出处：\n" + "\n".join(t["references"])  # type: ignore[arg-type]
    assert "相关段落（未直接引用）：" in answer_with_references(turn(abstained=True))
    assert answer_with_references({"answer": "没有依据。", "references": []}) == "没有依据。"


def test_markdown_export_keeps_lines_and_references() -> None:
    md = conversation_markdown([turn(), {**turn(), "question": "# 不是标题"}], "2026-01-01 10:00")
    assert md.startswith("# 政策问答记录\n\n导出时间：2026-01-01 10:00\n")
    assert "## 问：支撑型试点省的主要任务是什么？" in md and "## 问：\\# 不是标题" in md
    assert "1.提升能力。[1]  \n2.健全体系。[2]  " in md
    assert f"- {turn()['references'][0]}" in md  # type: ignore[index]


def test_word_export_has_questions_answers_and_references() -> None:
    from docx import Document

    doc = Document(io.BytesIO(conversation_docx([turn()], "2026-01-01 10:00")))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "政策问答记录" and "问：支撑型试点省的主要任务是什么？" in texts
    assert "2.健全体系。[2]" in texts and "出处：" in texts
    assert texts[-2:] == turn()["references"]


def test_documents_tab_outline_opens_the_whole_document() -> None:
    from assistant.engine_api import DocumentInfo
    from assistant.service.ui_format import outline_markdown

    doc = page_doc()
    shown = outline_markdown(DocumentInfo(doc.meta, 2, doc.outline))
    assert '<a class="pq-open" href="/v1/documents/d/view">打开全文 ›</a>' in shown
    assert "- 一、总则" in shown and "日期：2020年4月9日" in shown
