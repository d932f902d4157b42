"""An answer, or the whole conversation, with formal references: plain text for the clipboard, Markdown
and Word (.docx) for reports (pure; the .docx comes back as bytes)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

Turn = Mapping[str, Any]  # one answered question: "question" plus Answer.to_dict()
TITLE = "政策问答记录"


def _sources_heading(turn: Turn) -> str:
    # An abstained answer cites the nearest passages, which do not support a claim.
    return "相关段落（未直接引用）" if turn.get("abstained") else "出处"


def answer_with_references(turn: Turn) -> str:
    """What 「复制答案（含出处）」 puts on the clipboard: the answer with its [n] markers, then one formal
    reference per line."""
    text = str(turn.get("answer", "")).strip()
    references = [str(r) for r in turn.get("references") or []]
    if not references:
        return text
    return f"{text}\n\n{_sources_heading(turn)}：\n" + "\n".join(references)


def conversation_markdown(turns: Sequence[Turn], exported_at: str = "") -> str:
    lines = [f"# {TITLE}", ""]
    if exported_at:
        lines += [f"导出时间：{exported_at}", ""]
    for turn in turns:
        lines += [f"## 问：{_md_line(str(turn.get('question', '')))}", ""]
        lines += [_md_line(line) + "  " for line in str(turn.get("answer", "")).strip().splitlines()]
        references = [str(r) for r in turn.get("references") or []]
        if references:
            lines += ["", f"**{_sources_heading(turn)}**", ""]
            lines += [f"- {_md_line(r)}" for r in references]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _md_line(text: str) -> str:
    """Markdown-neutral: a line that starts like a heading or list item stays plain text."""
    text = text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
    return "\\" + text if text[:1] in "#>-+" else text


def conversation_docx(turns: Sequence[Turn], exported_at: str = "") -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    # Word picks the CJK font from w:eastAsia; the theme default would render Chinese in a Latin font.
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    doc.add_heading(TITLE, level=1)
    if exported_at:
        doc.add_paragraph(f"导出时间：{exported_at}")
    for turn in turns:
        doc.add_heading(f"问：{turn.get('question', '')}", level=2)
        for line in str(turn.get("answer", "")).strip().splitlines():
            doc.add_paragraph(line)
        references = [str(r) for r in turn.get("references") or []]
        if references:
            doc.add_paragraph().add_run(f"{_sources_heading(turn)}：").bold = True
            for reference in references:
                doc.add_paragraph(reference).runs[0].font.size = Pt(10)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
