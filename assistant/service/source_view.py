"""The source view: one document's clean text with the cited passage highlighted and its outline beside
it, as a self-contained HTML page (pure). The UI opens it in a panel, the widget in a new tab.

Every piece of document text is escaped; the page loads nothing from elsewhere and runs no script: the
`#passage` fragment of its links scrolls to the passage (a quarter down the page, by scroll-margin).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from assistant.engine_api import DocumentText, OutlineNode
from assistant.service.labels import meta_facts

PASSAGE_ID = "passage"

_CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.8 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1f2329;
  background:#f6f7f9}
header{padding:14px 22px;background:#fff;border-bottom:1px solid #e5e6eb}
h1{margin:0 0 4px;font-size:19px;line-height:1.5}
.facts{font-size:13px;color:#646a73}.facts span+span::before{content:" · "}
.note{margin-top:6px;font-size:13px;color:#a1181f}
.layout{display:flex;gap:16px;padding:14px 22px;align-items:flex-start}
nav{flex:0 0 280px;position:sticky;top:10px;max-height:calc(100vh - 20px);overflow-y:auto;background:#fff;
  border:1px solid #e5e6eb;border-radius:8px;padding:10px 12px;font-size:13px;line-height:1.6}
nav .head{font-weight:600;margin-bottom:4px}
nav ul{list-style:none;margin:0;padding-left:12px}nav>ul{padding-left:0}
nav a{color:#1f2329;text-decoration:none;display:block;padding:1px 4px;border-radius:4px}
nav a:hover{background:#f0f4ff}nav a.here{background:#fdecec;color:#b4232a;font-weight:600}
main{flex:1;min-width:0;background:#fff;border:1px solid #e5e6eb;border-radius:8px;padding:16px 22px}
.text{white-space:pre-wrap;word-break:break-word}
mark{background:#fff1a8;color:inherit;border-radius:2px;box-shadow:0 0 0 2px #fff1a8;scroll-margin-top:25vh}
@media (max-width:720px){.layout{flex-direction:column}nav{position:static;flex:none;width:100%;
  max-height:none}}
"""


def view_path(doc_id: str, start: int | None = None, end: int | None = None) -> str:
    """The URL path of the source view, scrolled to a passage when start/end are given."""
    path = f"/v1/documents/{quote(doc_id, safe='')}/view"
    return f"{path}?start={start}&end={end}#{PASSAGE_ID}" if start is not None and end is not None else path


def valid_span(text: str, start: int | None, end: int | None) -> tuple[int, int] | None:
    if start is None or end is None or not 0 <= start < end <= len(text):
        return None
    return start, end


def _flatten(nodes: Sequence[OutlineNode]) -> Iterable[OutlineNode]:
    for node in nodes:
        yield node
        yield from _flatten(node.children)


def _outline_html(nodes: Sequence[OutlineNode], span: tuple[int, int] | None) -> str:
    items = []
    for node in nodes:
        here = span is not None and node.start <= span[0] < node.end
        cls = ' class="here"' if here else ""
        children = _outline_html(node.children, span) if node.children else ""
        link = f'<a href="#s-{node.start}"{cls}>{html.escape(node.heading)}</a>'
        items.append(f"<li>{link}{children}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _text_html(doc: DocumentText, span: tuple[int, int] | None) -> str:
    """Escaped text with an anchor at every outline heading and the passage in <mark>."""
    inserts: dict[int, list[str]] = {}
    for node in _flatten(doc.outline):
        if 0 <= node.start < len(doc.text):
            inserts.setdefault(node.start, []).append(f'<span id="s-{node.start}"></span>')
    if span is not None:
        inserts.setdefault(span[1], []).insert(0, "</mark>")
        inserts.setdefault(span[0], []).append(f'<mark id="{PASSAGE_ID}">')
    out, pos = [], 0
    for at in sorted(inserts):
        out.append(html.escape(doc.text[pos:at]))
        out.extend(dict.fromkeys(inserts[at]))  # one anchor per offset
        pos = at
    out.append(html.escape(doc.text[pos:]))
    return "".join(out)


def _facts_html(doc: DocumentText) -> str:
    facts = meta_facts(doc.meta.to_dict())
    return "".join(f"<span>{html.escape(label)}：{html.escape(value)}</span>" for label, value in facts)


def source_page(doc: DocumentText, start: int | None = None, end: int | None = None) -> str:
    span = valid_span(doc.text, start, end)
    stale = start is not None and span is None
    note = (
        '<div class="note">引用位置已不在当前文本中（文件可能已更新），请在目录中查找。</div>'
        if stale
        else ""
    )
    outline = _outline_html(doc.outline, span) or "<p>（没有识别出章节结构）</p>"
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(doc.meta.title)}</title><style>{_CSS}</style></head><body>"
        f'<header><h1>{html.escape(doc.meta.title)}</h1><div class="facts">{_facts_html(doc)}</div>{note}'
        "</header>"
        f'<div class="layout"><nav aria-label="目录"><div class="head">目录</div>{outline}</nav>'
        f'<main><div class="text">{_text_html(doc, span)}</div></main></div></body></html>'
    )
