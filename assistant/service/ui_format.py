"""Pure formatting for the Gradio UI: answers, citation cards, document lists and outlines.

Every piece of document text is HTML-escaped here, so a policy file can never inject live markup.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from typing import Any

from assistant.engine_api import DocumentInfo, Message, OutlineNode
from assistant.grounding import split_sentences, strip_markers
from assistant.models import Citation
from assistant.service.feedback import FeedbackRecord
from assistant.service.labels import meta_facts
from assistant.service.source_view import view_path

_MARKER = re.compile(r"\[(\d{1,3})\]")
_TAG = re.compile(r"<[^>]+>")


def source_link(c: Citation, label: str, cls: str = "pq-open") -> str:
    """A link to the source view at the cited passage; the UI's script opens it in a side panel."""
    href = html.escape(view_path(c.doc_id, c.start, c.end))
    title = html.escape(f"{c.title} · {c.section}" if c.section else c.title)
    return f'<a class="{cls}" href="{href}" target="_blank" rel="noopener" title="{title}">{label}</a>'


def answer_html(text: str, citations: Sequence[Citation | Mapping[str, Any]] = ()) -> str:
    """The answer for the chat bubble: escaped, with [n] markers set off as superscripts that open the
    cited passage (markers without a citation stay plain)."""
    by_n = {c.n: c for c in map(as_citation, citations)}
    escaped = html.escape(text, quote=False)

    def marker(match: re.Match[str]) -> str:
        cited = by_n.get(int(match.group(1)))
        label = f"[{match.group(1)}]"
        return f'<sup class="pq-ref">{source_link(cited, label) if cited else label}</sup>'

    return _MARKER.sub(marker, escaped)


def _quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Merged character spans of `text` covered by the sentences of `quote`."""
    spans: list[tuple[int, int]] = []
    for sentence in split_sentences(quote) if quote.strip() else []:
        needle = strip_markers(sentence).strip()
        at = text.find(needle) if needle else -1
        if at >= 0:
            spans.append((at, at + len(needle)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, quote: str) -> str:
    """Escaped `text` with each supporting sentence of `quote` wrapped in <mark>."""
    out: list[str] = []
    pos = 0
    for start, end in _quote_spans(text, quote):
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


OCR_NOTE = "OCR 识别，请核对原件"


def _meta_line(c: Citation) -> str:
    parts = [p for p in (c.doc_number, c.date, OCR_NOTE if c.ocr else None) if p]
    return " · ".join(html.escape(p) for p in parts)


def citation_card(c: Citation) -> str:
    section = f'<div class="pq-section">{html.escape(c.section)}</div>' if c.section else ""
    meta = _meta_line(c)
    meta_html = f'<div class="pq-meta">{meta}</div>' if meta else ""
    return (
        f'<div class="pq-card" id="pq-cite-{c.n}">'
        f'<div class="pq-title"><span class="pq-n">[{c.n}]</span> {html.escape(c.title)}</div>'
        f"{meta_html}{section}"
        f'<div class="pq-passage">{highlight(c.text, c.quote)}</div>'
        f'<div class="pq-open-row">{source_link(c, "查看原文 ›", "pq-open pq-open-card")}</div>'
        "</div>"
    )


def as_citation(value: Citation | Mapping[str, Any]) -> Citation:
    """Stream events may carry citations as objects or as their dicts."""
    if isinstance(value, Citation):
        return value
    known = {f.name for f in fields(Citation)}
    return Citation(**{k: v for k, v in value.items() if k in known})


def citations_html(citations: Sequence[Citation | Mapping[str, Any]], *, abstained: bool = False) -> str:
    """The side panel: one card per cited passage, or a short note when there is nothing to show."""
    cited = [as_citation(c) for c in citations]
    if not cited:
        note = "文件中没有找到足以回答该问题的依据。" if abstained else "提问后，这里显示答案引用的原文段落。"
        return f'<div class="pq-empty">{note}</div>'
    heading = "相关段落（未直接引用）" if abstained else "引用来源"
    cards = "".join(citation_card(c) for c in cited)
    return f'<div class="pq-sources"><div class="pq-heading">{heading}</div>{cards}</div>'


def message_text(content: Any) -> str:
    """Plain text of a Chatbot message: a string, or Gradio 6's list of {"type": "text", "text": ...}."""
    if isinstance(content, str):
        raw = content
    elif isinstance(content, list):
        raw = "".join(
            str(p.get("text", "")) for p in content if isinstance(p, dict) and p.get("type") == "text"
        )
    elif isinstance(content, dict) and content.get("type") == "text":
        raw = str(content.get("text", ""))
    else:
        return ""
    return html.unescape(_TAG.sub("", raw))


def history_messages(chat: Iterable[dict[str, Any]]) -> list[Message]:
    """The Chatbot value as engine history (user/assistant turns, markup removed)."""
    out: list[Message] = []
    for item in chat:
        role = item.get("role")
        text = message_text(item.get("content"))
        if role in ("user", "assistant") and text:
            out.append(Message(role="user" if role == "user" else "assistant", content=text))
    return out


def _cell(value: str | int | None) -> str:
    return html.escape(str(value if value is not None else "—")).replace("|", "\\|")


def documents_markdown(infos: Sequence[DocumentInfo]) -> str:
    if not infos:
        return "索引中还没有文件。"
    rows = ["| 标题 | 文号 | 发文机关 | 日期 | 段落数 |", "|---|---|---|---|---|"]
    for info in infos:
        m = info.meta
        cells = [_cell(v) for v in (m.title, m.doc_number, m.issuer, m.date, info.n_chunks)]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _outline_lines(nodes: Sequence[OutlineNode], depth: int) -> list[str]:
    lines: list[str] = []
    for node in nodes:
        lines.append("  " * depth + f"- {html.escape(node.heading)}")
        lines.extend(_outline_lines(node.children, depth + 1))
    return lines


def outline_markdown(info: DocumentInfo) -> str:
    m = info.meta
    facts = [f"**{html.escape(m.title)}**"]
    facts += [f"{label}：{html.escape(value)}" for label, value in meta_facts(m.to_dict())]
    facts.append(f'<a class="pq-open" href="{html.escape(view_path(m.doc_id))}">打开全文 ›</a>')
    body = _outline_lines(info.outline, 0) or ["（没有识别出章节结构）"]
    return "\n\n".join(facts) + "\n\n" + "\n".join(body)


def document_choices(infos: Sequence[DocumentInfo]) -> list[tuple[str, str]]:
    """(label, doc_id) pairs for dropdowns."""
    return [
        (f"{i.meta.title}（{i.meta.doc_number}）" if i.meta.doc_number else i.meta.title, i.meta.doc_id)
        for i in infos
    ]


def feedback_html(records: Sequence[FeedbackRecord]) -> str:
    """The admin's list of thumbs-down: question, answer, comment and the cited passages' references."""
    if not records:
        return '<div class="pq-empty">还没有差评。</div>'
    items = []
    for r in records:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(r.created))
        comment = f'<div class="pq-fb-c">说明：{html.escape(r.comment)}</div>' if r.comment else ""
        refs = "".join(
            f'<div class="pq-fb-r">[{html.escape(str(c.get("n", "")))}] {html.escape(str(c.get("title", "")))}'
            f" · {html.escape(str(c.get('section', '')))}</div>"
            for c in r.citations
        )
        items.append(
            f'<div class="pq-fb"><div class="pq-fb-t">#{r.id} · {when}</div>'
            f'<div class="pq-fb-q">问：{html.escape(r.question)}</div>'
            f'<div class="pq-fb-a">{html.escape(r.answer)}</div>{comment}{refs}</div>'
        )
    return f'<div class="pq-fbs">{"".join(items)}</div>'
