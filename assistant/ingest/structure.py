"""Heading tree of a clean policy text (pure).

Headings: 第X编 (part) > 第X章 (chapter) > 第X节 (section) > 第X条 (article) > 一、 (h1) > （一） (h2)
> 1. (h3) > —— (dash bullet). A marker only counts as a heading when its number is the one expected
next — the next sibling of an open heading, or the first child (1, or the continuation of a numbering
that runs across parents) — so "一、" inside a sentence or "1.17件" never start a section. Markers at a
line start are candidates; in run-together text (seed 001) 一、/（一）/1. markers mid-line are candidates
too, except inside an article, where a mid-line "（一）" is a cross-reference (第二条第（一）项).

Articles (第X条) are the citable units of regulations: the heading of an article is its designator only
(「第十条」), plus a bracketed title (【…】/（…）) or a short title alone on the designator's line. Items
（一）（二）… inside an article are its 项: one paragraph each (with their own 目 1. 2. …); a numbering
may restart at （一） after a new lead-in, and the paragraphs after the last item (款) belong to the
article, not to the last item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.ingest.cn_numerals import parse_ordinal

KINDS = ("part", "chapter", "section", "article", "h1", "h2", "h3", "dash")
LEGAL_KINDS = frozenset({"part", "chapter", "section", "article"})
_RANK = {kind: i for i, kind in enumerate(KINDS)}
_CN = "一二三四五六七八九十百千零〇两"

_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(rf"第([{_CN}]+|\d+)编")),
    ("chapter", re.compile(rf"第([{_CN}]+|\d+)章")),
    ("section", re.compile(rf"第([{_CN}]+|\d+)节")),
    ("article", re.compile(rf"第([{_CN}]+|\d+)条")),
    ("h1", re.compile(rf"(?<![{_CN}])([{_CN}]+)、")),
    ("h2", re.compile(rf"[（(]([{_CN}]+)[）)]")),
    ("h3", re.compile(r"(?<![\d.A-Za-z])(\d{1,3})[.．、](?!\d)")),
    ("dash", re.compile(r"——(?!—)")),
)
_MIDLINE_KINDS = frozenset({"h1", "h2", "h3"})
_MIDLINE_H1_AFTER = "。；！？）)"
_TITLE_MAX = 40
_ARTICLE_TITLE_MAX = 20
_ARTICLE_GAP = 3
_BRACKETED_TITLE = re.compile(r"[ \t]*(?:【[^【】\n]{1,30}】|[（(][^（）()\n，。；、,;]{1,20}[）)])")
# Verbs that open the body of a run-in heading ("指导思想坚持以…", "健全协同机制充分调动…").
_BODY_OPENER = re.compile(r"坚持|充分|加强|建立|完善|构建|按照|围绕|推动|深入|全面|积极|进一步|到\d|以习近平")
_CLAUSE_END = re.compile(r"[，；：,;:]")
_SENTENCE_PUNCT = re.compile(r"[，。；：、,;:！？!?]")
# the signature line: an issuer by its kind of body (any 局, 厅, 委员会…) over the date
_TRAILER_LINE = re.compile(
    r"^(?:公开方式|抄送|主送|主题词|附件[:：]|\d{4}年\d{1,2}月\d{1,2}日(?:印发)?$)"
    r"|^[\u4e00-\u9fff]{2,24}(?:人民政府|办公厅|办公室|委员会|局|厅)\n+\d{4}年\d{1,2}月\d{1,2}日",
    re.MULTILINE,
)


@dataclass
class Node:
    level: int  # depth in the tree, roots are 1
    kind: str  # one of KINDS
    number: str  # the ordinal as written: "二", "16", "——"
    heading: str  # exact slice text[start:body_start] without the closing 。
    start: int
    end: int  # end of the whole node, children included
    body_start: int
    children: list[Node] = field(default_factory=list)
    in_article: bool = False  # an item (项/目) inside a 第X条


@dataclass
class _Mark:
    pos: int
    kind: str
    number: str
    value: int
    marker_end: int
    depth: int
    parent: int | None  # index of the parent mark
    inline: bool  # found mid-line: the heading may run straight into its body
    in_article: bool = False


@dataclass
class _State:
    stack: list[int] = field(default_factory=list)  # indices of open marks
    last: dict[str, int] = field(default_factory=dict)  # last number seen per kind


def _candidates(text: str) -> list[tuple[int, int, str, str, bool]]:
    """(pos, marker_end, kind, number, at_line_start) of every marker-looking string, in text order."""
    found: dict[int, tuple[int, int, str, str, bool]] = {}
    for kind, pattern in _MARKERS:
        for m in pattern.finditer(text):
            line_start = m.start() == 0 or text[m.start() - 1] == "\n"
            if not line_start and (
                kind not in _MIDLINE_KINDS or not _midline_ok(text, m.start(), m.end(), kind)
            ):
                continue
            number = m.group(1) if m.groups() else "——"
            found.setdefault(m.start(), (m.start(), m.end(), kind, number, line_start))
    return [found[k] for k in sorted(found)]


def _midline_ok(text: str, pos: int, end: int, kind: str) -> bool:
    if end >= len(text) or text[end] == "\n":
        return False  # a heading has a title after it: 「…的解释（一）」 ends a title line
    if kind == "h1":
        return text[pos - 1] in _MIDLINE_H1_AFTER
    return text[pos - 1] != "第"  # 第（一）项 is a reference, not an item


def _in_article(marks: list[_Mark], index: int | None) -> bool:
    return index is not None and (marks[index].kind == "article" or marks[index].in_article)


def _legal_parent(marks: list[_Mark], state: _State, kind: str) -> int | None:
    """The deepest open mark that may contain a 编/章/节/条 (one of a higher legal rank), or None."""
    for index in reversed(state.stack):
        if marks[index].kind in LEGAL_KINDS and _RANK[marks[index].kind] < _RANK[kind]:
            return index
    return None


def _skipped_article(kind: str, value: int, open_mark: _Mark) -> bool:
    """An article number a little past the expected one (a lost or deleted article) still counts, or
    every later article would be lost with it."""
    return (
        kind == "article"
        and not open_mark.inline
        and open_mark.value + 1 < value <= open_mark.value + _ARTICLE_GAP
    )


def _place(
    marks: list[_Mark], state: _State, kind: str, value: int, line_start: bool
) -> tuple[int, int | None] | None:
    """Where a heading of this kind/number fits: (depth, parent index), or None if unexpected."""
    for k in range(len(state.stack) - 1, -1, -1):
        open_mark = marks[state.stack[k]]
        if open_mark.kind == kind:
            if kind == "dash" or value == open_mark.value + 1 or _skipped_article(kind, value, open_mark):
                return open_mark.depth, open_mark.parent
            if value == 1 and line_start and open_mark.in_article:  # a new list after a new lead-in
                return open_mark.depth, open_mark.parent
            return None
    last = state.last.get(kind)
    first = kind == "dash" or value in (1, (last or 0) + 1)
    if kind == "article" and line_start and not first:
        # a document may be one part of a longer code (民法典 物权编 starts at 第二百零五条), and an
        # article may be lost or deleted: a little gap still continues the numbering
        first = last is None or last + 1 < value <= last + _ARTICLE_GAP
    top = marks[state.stack[-1]] if state.stack else None
    if top is not None and _RANK[kind] <= _RANK[top.kind]:
        if kind not in LEGAL_KINDS or not line_start or not first:
            return None
        parent = _legal_parent(marks, state, kind)  # a 第一条 after a notice's 一、二、 paragraphs
        return (marks[parent].depth + 1 if parent is not None else 1), parent
    if not first:
        return None
    return (top.depth + 1 if top else 1), (state.stack[-1] if state.stack else None)


def _accept(marks: list[_Mark], state: _State, cand: tuple[int, int, str, str, bool]) -> None:
    pos, marker_end, kind, number, line_start = cand
    value = 0 if kind == "dash" else parse_ordinal(number)
    if value is None:
        return
    placed = _place(marks, state, kind, value, line_start)
    if placed is None:
        return
    depth, parent = placed
    in_article = _in_article(marks, parent)
    if in_article and not line_start:
        return
    while state.stack and marks[state.stack[-1]].depth >= depth:
        state.stack.pop()
    marks.append(_Mark(pos, kind, number, value, marker_end, depth, parent, not line_start, in_article))
    state.stack.append(len(marks) - 1)
    state.last[kind] = value


def _article_title_end(text: str, mark: _Mark, limit: int) -> int:
    """End of an article's heading: the designator, plus a bracketed title or a short title that is
    alone on the designator's line (the body starting on the next line)."""
    bracket = _BRACKETED_TITLE.match(text, mark.marker_end)
    if bracket and bracket.end() < limit:
        return bracket.end()
    line_end = text.find("\n", mark.marker_end)
    if line_end < 0 or line_end >= limit:
        return mark.marker_end
    rest = text[mark.marker_end : line_end].strip()
    short_title = bool(rest) and len(rest) <= _ARTICLE_TITLE_MAX and not _SENTENCE_PUNCT.search(rest)
    if short_title and text[line_end:limit].strip():  # a body follows on the next lines
        return line_end
    return mark.marker_end


def _title_end(text: str, mark: _Mark, limit: int) -> tuple[int, int]:
    """(end of heading, start of body) for a heading whose text runs until `limit` at most.

    The title ends at the first 。 (excluded) or with its line. A run-in section heading
    ("（一）健全协同机制充分调动…") ends where a body verb starts; otherwise a long first sentence is
    cut at its first clause. Articles and the items inside them are designators only (see module doc).
    """
    if mark.kind == "article":
        end = _article_title_end(text, mark, limit)
        return end, end
    if mark.in_article:
        return mark.marker_end, mark.marker_end
    line_end = text.find("\n", mark.marker_end)
    seg_end = min(limit, line_end if line_end >= 0 else len(text))
    seg = text[mark.marker_end : seg_end]
    opener = _BODY_OPENER.search(seg, 2, 12) if mark.inline and mark.kind in ("h1", "h2") else None
    if opener:
        return mark.marker_end + opener.start(), mark.marker_end + opener.start()
    stop = seg.find("。")
    if 0 <= stop <= _TITLE_MAX:
        return mark.marker_end + stop, mark.marker_end + stop + 1
    if stop < 0 and len(seg) <= _TITLE_MAX:
        return seg_end, seg_end
    clause = _CLAUSE_END.search(seg, 0, _TITLE_MAX)
    cut = clause.start() if clause else min(len(seg), _TITLE_MAX)
    return mark.marker_end + cut, mark.marker_end + cut


def trailer_start(text: str, after: int) -> int:
    """Where the closing block (公开方式, 抄送, signature and date) begins, or len(text)."""
    hit = _TRAILER_LINE.search(text, after)
    return hit.start() if hit else len(text)


def _rstrip_pos(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _build(text: str, marks: list[_Mark]) -> list[Node]:
    doc_end = trailer_start(text, _line_end(text, marks[-1].marker_end)) if marks else len(text)
    nodes: list[Node] = []
    roots: list[Node] = []
    for i, mark in enumerate(marks):
        nxt = next((m.pos for m in marks[i + 1 :] if m.depth <= mark.depth), doc_end)
        head_end, body_start = _title_end(text, mark, marks[i + 1].pos if i + 1 < len(marks) else doc_end)
        node = Node(mark.depth, mark.kind, mark.number, text[mark.pos : head_end], mark.pos, 0, body_start)
        node.end = _rstrip_pos(text, mark.pos, nxt)
        node.in_article = mark.in_article
        nodes.append(node)
        (nodes[mark.parent].children if mark.parent is not None else roots).append(node)
    for node in roots:
        _clip_items(text, node)
    return roots


def _clip_items(text: str, node: Node) -> None:
    """An item inside an article is its own paragraph plus its sub-items: the paragraphs after the
    last item (款) stay with the article."""
    for child in node.children:
        _clip_items(text, child)
    if node.in_article:
        last = node.children[-1].end if node.children else 0
        node.end = min(node.end, max(_line_end(text, node.start), last))


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def parse_structure(text: str) -> list[Node]:
    """The heading tree of a clean text (roots in order)."""
    marks: list[_Mark] = []
    state = _State()
    taken = 0
    for cand in _candidates(text):
        if cand[0] < taken:
            continue
        before = len(marks)
        _accept(marks, state, cand)
        if len(marks) > before:
            taken = cand[1]
    return _build(text, marks)


def walk(roots: list[Node]) -> list[Node]:
    """All nodes, depth first, in text order."""
    out: list[Node] = []
    for node in roots:
        out.append(node)
        out.extend(walk(node.children))
    return out


def run_in_breaks(text: str, roots: list[Node]) -> list[int]:
    """Positions where a line break would put a run-in heading (one found mid-line) on its own
    line: before the heading and, when no 。 separates them, between the heading and its body."""
    breaks: list[int] = []
    for node in walk(roots):
        if node.start == 0 or text[node.start - 1] == "\n":
            continue
        breaks.append(node.start)
        head_end = node.start + len(node.heading)
        if node.body_start == head_end < node.end and text[head_end] != "\n":
            breaks.append(head_end)
    return breaks
