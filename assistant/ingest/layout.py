"""Positioned lines of a printed or scanned page → raw text plus the edits that reflow it (pure).

The raw text keeps every line as it stands on the page (pages apart by a form feed), so citations can
be traced back to the page. The edits, applied before the cleaning rules, join lines that a paragraph
wrapped (by line width, indent and spacing, never leaving a break inside a word), join the lines of a
large multi-line title, and drop running headers, footers and page numbers, found by repeating at the
same place on many pages.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from assistant.ingest.mapped import Edit
from assistant.textnorm import nfkc

PAGE_BREAK = "\f"
_FULL_PAGE_LINES = 8  # a page with fewer body lines uses the document's usual text frame
_EDGE_LINES = 3  # candidates for running heads: this many lines at the top and at the bottom of a page
_PAGE_NUMBER = re.compile(
    r"^[-—–－~·一\s]*(?:\d{1,4}|[ivxlcdm]{1,6})[-—–－~·一\s]*$"  # 3, - 3 -, — 3 — (OCR may read — as 一)
    r"|^第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$"  # 第3页, 第3页 共9页
    r"|^\d{1,4}\s*/\s*\d{1,4}$",  # 3/9
    re.IGNORECASE,
)
_HEADING_START = re.compile(
    r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．]|第\S{1,4}[章条节]"
)
_SENTENCE_END = "。！？；：!?;:"
_LATIN = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class Line:
    """One line of text on a page; coordinates grow rightwards and downwards, in any unit."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # font size, or the glyph height for OCR lines


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    lines: tuple[Line, ...]  # in reading order


@dataclass(frozen=True)
class Reflowed:
    text: str  # every line as on the page; pages separated by PAGE_BREAK
    edits: tuple[Edit, ...]  # joins and deletions that turn it into paragraphs


@dataclass(frozen=True)
class _Placed:
    page: int
    index: int
    line: Line
    start: int  # offsets of the line's text in the raw text
    end: int


def _key(line: Line) -> str:
    """Running heads repeat with only their numbers changing."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", nfkc(line.text)))


def _edge_lines(page: Page) -> list[int]:
    order = sorted(range(len(page.lines)), key=lambda i: page.lines[i].top)
    if len(order) <= 2 * _EDGE_LINES:
        return order
    return order[:_EDGE_LINES] + order[-_EDGE_LINES:]


def running_lines(pages: Sequence[Page]) -> set[tuple[int, int]]:
    """(page, line) of headers, footers and page numbers: edge lines whose text (numbers aside) recurs at
    the same height on at least half the pages, or a lone page number on a page's edge."""
    seen: dict[str, list[tuple[int, int, float]]] = {}
    for p, page in enumerate(pages):
        for i in _edge_lines(page):
            line = page.lines[i]
            seen.setdefault(_key(line), []).append((p, i, line.top / (page.height or 1)))
    need = max(2, (len(pages) + 1) // 2)
    found: set[tuple[int, int]] = set()
    for key, hits in seen.items():
        for p, i, y in hits:
            same_place = {q for q, _, z in hits if abs(z - y) < 0.03}
            if len(same_place) >= need or _PAGE_NUMBER.match(key.replace("#", "1")):
                found.add((p, i))
    return found


def _place(pages: Sequence[Page]) -> tuple[str, list[_Placed]]:
    parts: list[str] = []
    placed: list[_Placed] = []
    pos = 0
    for p, page in enumerate(pages):
        if p:
            parts.append(PAGE_BREAK)
            pos += 1
        for i, line in enumerate(page.lines):
            if i:
                parts.append("\n")
                pos += 1
            placed.append(_Placed(p, i, line, pos, pos + len(line.text)))
            parts.append(line.text)
            pos += len(line.text)
    return "".join(parts), placed


@dataclass(frozen=True)
class _PageFrame:
    left: float  # where unindented body lines start
    right: float  # where full body lines end
    pitch: float  # usual distance between the tops of two body lines


def _body_size(body: Sequence[_Placed]) -> float:
    sizes = Counter[float]()
    for item in body:
        sizes[round(item.line.size, 1)] += len(item.line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _frame(items: Sequence[_Placed], size: float) -> _PageFrame:
    steps = [
        b.line.top - a.line.top
        for a, b in pairwise(items)
        if a.page == b.page and 0 < b.line.top - a.line.top < 3 * size
    ]
    return _PageFrame(
        left=min(i.line.x0 for i in items),
        right=max(i.line.x1 for i in items),
        pitch=statistics.median(steps) if steps else 1.5 * size,
    )


def _frames(body: Sequence[_Placed], size: float) -> dict[int, _PageFrame]:
    """Each page's text frame from its body-size lines; a page with few lines (the last one, a page with
    a table) takes the document's usual frame, else one short line would set its right edge."""
    by_page: dict[int, list[_Placed]] = {}
    for item in body:
        if abs(item.line.size - size) <= 0.15 * size:
            by_page.setdefault(item.page, []).append(item)
    own = {page: _frame(items, size) for page, items in by_page.items()}
    if not own:
        return {}
    usual = _PageFrame(
        left=statistics.median(f.left for f in own.values()),
        right=statistics.median(f.right for f in own.values()),
        pitch=statistics.median(f.pitch for f in own.values()),
    )
    pages = {item.page for item in body}
    return {p: own[p] if len(by_page.get(p, ())) >= _FULL_PAGE_LINES else usual for p in pages}


def _same_size(a: Line, b: Line) -> bool:
    """Within 20 %: OCR box heights vary about 10 % along one paragraph; headings are larger than that."""
    return abs(a.size - b.size) <= 0.2 * max(a.size, b.size)


def _wraps(a: _Placed, b: _Placed, frames: dict[int, _PageFrame], size: float) -> bool:
    """b continues a's paragraph: a runs to the right edge, b starts at the left edge (a bracket's ink
    starts half a character in), b's type is not larger (an OCR box of a short last line is lower), no
    paragraph gap (on one page), and b is not a heading after a finished sentence."""
    fa, fb = frames.get(a.page), frames.get(b.page)
    if fa is None or fb is None or not 0.6 * a.line.size <= b.line.size <= 1.2 * a.line.size:
        return False
    if a.line.x1 < fa.right - 2.0 * size or b.line.x0 > fb.left + 1.0 * size:
        return False
    if a.page == b.page and b.line.top - a.line.top > 1.4 * fa.pitch:
        return False
    return not (a.line.text.rstrip()[-1:] in _SENTENCE_END and _HEADING_START.match(b.line.text.lstrip()))


def _title_continues(a: _Placed, b: _Placed, size: float) -> bool:
    """Lines of one large heading (the title on the first page) wrapped over several lines."""
    big = a.line.size >= 1.2 * size and _same_size(a.line, b.line)
    close = a.page == b.page and 0 <= b.line.top - a.line.bottom < 0.8 * a.line.size
    return big and close


def _joiner(a: str, b: str) -> str:
    """Nothing between CJK characters; a space only between two Latin words."""
    before, after = a.rstrip()[-1:], b.lstrip()[:1]
    latin = bool(_LATIN.match(before) and _LATIN.match(after)) and (before.isalpha() or after.isalpha())
    return " " if latin else ""


def reflow(pages: Sequence[Page]) -> Reflowed:
    """The page text and the edits that drop running heads and join wrapped lines."""
    text, placed = _place(pages)
    drop = running_lines(pages)
    body = [item for item in placed if (item.page, item.index) not in drop and item.line.text.strip()]
    if not body:
        return Reflowed(text, ((0, len(text), ""),) if text else ())
    size = _body_size(body)
    frames = _frames(body, size)
    edits: list[Edit] = [(0, body[0].start, "")] if body[0].start else []
    for a, b in pairwise(body):
        joined = _title_continues(a, b, size) or _wraps(a, b, frames, size)
        separator = _joiner(a.line.text, b.line.text) if joined else "\n"
        if text[a.end : b.start] != separator:
            edits.append((a.end, b.start, separator))
    if body[-1].end < len(text):
        edits.append((body[-1].end, len(text), ""))
    return Reflowed(text, tuple(edits))
