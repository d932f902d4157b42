"""Word (.docx) → text: body paragraphs with their automatic numbers restored, tables as one line per
row, headers and footers left out (they are not part of the body).

python-docx returns a paragraph's typed text only; the 一、/（一）/1. that Word draws from numbering.xml
are computed here, the way Word counts them, so the heading structure survives."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from assistant.engine_api import IngestError
from assistant.ingest.limits import Deadline, LoadLimits
from assistant.ingest.numbering import Numbering, parse_numbering

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MB = 1024 * 1024


def _fail(filename: str, reason: str) -> IngestError:
    return IngestError(f"{filename}: {reason}")


def check_archive(filename: str, data: bytes, limits: LoadLimits) -> None:
    """Refuse a zip whose members expand past the limits before anything decompresses them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _fail(filename, "不是有效的 Word 文档 / not a valid .docx file") from exc
    ratio = expanded / max(len(data), 1)
    if expanded > limits.max_expanded_bytes or ratio > limits.max_expansion_ratio:
        raise _fail(
            filename,
            f"解压后 {expanded / _MB:.1f} MB（压缩比 {ratio:.0f}），超过上限 "
            f"{limits.max_expanded_bytes / _MB:g} MB / {limits.max_expansion_ratio:g} 倍"
            "（POLICYQA_MAX_EXPANDED_BYTES / POLICYQA_MAX_EXPANSION_RATIO）"
            " / the archive expands beyond the limit",
        )


def _open(filename: str, data: bytes) -> Any:
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _fail(filename, "不是有效的 Word 文档 / not a valid .docx file") from exc
    except Exception as exc:  # python-docx raises its own PackageNotFoundError for non-OOXML zips
        raise _fail(filename, f"无法读取 Word 文档 / cannot read .docx: {exc}") from exc


def _numbering_of(document: Any) -> Numbering:
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return Numbering()
    return parse_numbering(root)


@dataclass
class _Styles:
    """Paragraph style id → (numId, ilvl) from the style or the styles it is based on."""

    element: Any
    cache: dict[str, tuple[str, int | None] | None] = field(default_factory=dict)

    def numbering(self, style_id: str | None, depth: int = 0) -> tuple[str, int | None] | None:
        if not style_id or depth > 10:
            return None
        if style_id not in self.cache:
            self.cache[style_id] = self._lookup(style_id, depth)
        return self.cache[style_id]

    def _lookup(self, style_id: str, depth: int) -> tuple[str, int | None] | None:
        style = (
            self.element.find(f"{_W}style[@{_W}styleId='{style_id}']") if self.element is not None else None
        )
        if style is None:
            return None
        num_pr = style.find(f"{_W}pPr/{_W}numPr")
        if num_pr is not None:
            num_id = num_pr.find(f"{_W}numId")
            ilvl = num_pr.find(f"{_W}ilvl")
            if num_id is not None:
                level = int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else None
                return num_id.get(f"{_W}val", "0"), level
        based = style.find(f"{_W}basedOn")
        return self.numbering(based.get(f"{_W}val") if based is not None else None, depth + 1)


def _paragraph_numbering(paragraph: Any, styles: _Styles) -> tuple[str, int | None, str | None] | None:
    """(numId, ilvl or None, style id) of a numbered paragraph; numId 0 switches numbering off."""
    p_pr = paragraph._p.pPr
    style_el = p_pr.find(f"{_W}pStyle") if p_pr is not None else None
    style_id = style_el.get(f"{_W}val") if style_el is not None else None
    num_pr = p_pr.find(f"{_W}numPr") if p_pr is not None else None
    if num_pr is not None and num_pr.find(f"{_W}numId") is not None:
        ilvl = num_pr.find(f"{_W}ilvl")
        level = int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0
        found: tuple[str, int | None] | None = (num_pr.find(f"{_W}numId").get(f"{_W}val", "0"), level)
    else:
        found = styles.numbering(style_id)
    if found is None or found[0] == "0":
        return None
    return found[0], found[1], style_id


def _cell_text(cell: Any) -> str:
    return "".join(cell.text.split())


def table_rows(table: Any) -> list[str]:
    """A table as lines: each body row its first cell, then 'header value' per column, joined by ｜
    (指标名称（单位）｜2020年：X｜2025年：Y), so that every row can be found and cited on its own."""
    grid: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        last: Any = None
        for cell in row.cells:
            if cell._tc is not last:  # a merged cell is listed once per grid column it spans
                cells.append(_cell_text(cell))
            last = cell._tc
        if any(cells):
            grid.append(cells)
    if len(grid) < 2 or max(len(r) for r in grid) < 2:
        return ["｜".join(c for c in row if c) for row in grid]
    header, body = grid[0], grid[1:]
    lines: list[str] = []
    for row in body:
        parts = [row[0]] if row[0] else []
        for j, value in enumerate(row[1:], start=1):
            name = header[j] if j < len(header) else ""
            if value:
                parts.append(f"{name}：{value}" if name else value)
        lines.append("｜".join(parts))
    return lines


def _blocks(document: Any, numbering: Numbering, deadline: Deadline) -> Iterator[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    styles = _Styles(document.styles.element)
    for n, block in enumerate(document.iter_inner_content()):
        if n % 200 == 0:
            deadline.check()
        if isinstance(block, Paragraph):
            text = block.text
            found = _paragraph_numbering(block, styles)
            if found is not None and text.strip():
                text = numbering.label(*found) + text
            yield text
        elif isinstance(block, Table):
            yield "\n".join(table_rows(block))


def docx_to_text(filename: str, data: bytes, limits: LoadLimits, deadline: Deadline) -> str:
    """Body paragraphs (numbered as Word shows them) and tables in document order."""
    check_archive(filename, data, limits)
    document = _open(filename, data)
    numbering = _numbering_of(document)
    return "\n\n".join(block for block in _blocks(document, numbering, deadline) if block.strip())
