"""Heading tree → retrievable chunks (pure).

- preamble: text before the first heading (the 通知 part), split at sentence ends;
- item: a leaf heading with its body (a numbered item, a —— bullet, a leaf （一） section), never
  separated from its heading; a long item is split at sentence ends and every part names the item;
- paragraph: body text directly under a heading that has children (and leaf top-level sections);
- section: a heading with children as one passage — the exact slice if short, else the heading plus
  its children's headings (start/end then span the whole section) — for "list the tasks" questions;
- article (第X条): one "item" chunk when it fits, its section path ending with the designator
  (第二章 总则 › 第十条); a longer one is packed from its paragraphs (款) and items (项) into parts of at
  most max_chars, and a part that starts with an item carries the lead-in paragraph it belongs to in
  `Chunk.lead` («有下列情形之一的，…：»), since its text must stay a slice; with items and at most
  SECTION_WHOLE_MAX characters it also gets a whole-article "section" chunk;
- the closing block (公开方式, 抄送, signature) becomes a paragraph under "文末".
Every chunk's text is an exact slice of the clean text, except composed section outlines.
Chunk ids hash the section path, kind and part number, so editing one section leaves the ids of the
others unchanged.
"""

from __future__ import annotations

import hashlib
import itertools
import re

from assistant.ingest.structure import Node, trailer_start
from assistant.models import Chunk, ChunkKind

SECTION_WHOLE_MAX = 1200
TRAILER_SECTION = "文末"
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n+")
_CLAUSE_END = re.compile(r"(?<=[，、,：:])")
_LEAF_PARAGRAPH_KINDS = frozenset({"part", "chapter", "section", "h1"})
_PARAGRAPH = re.compile(r"\n+")
_CLAUSE_STOP = re.compile(r"[，。；：,;:\n]")
_OUTLINE_LINE_MAX = 40


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _pieces(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    cuts = [start, *(start + m.start() for m in pattern.finditer(text[start:end]) if m.start() > 0), end]
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def _hard_split(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """A sentence longer than max_chars: cut at clause ends, or every max_chars as a last resort."""
    out: list[tuple[int, int]] = []
    for a, b in _pack(_pieces(text, start, end, _CLAUSE_END), max_chars):
        out.extend((s, min(s + max_chars, b)) for s in range(a, b, max_chars))
    return out


def _pack(pieces: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Greedily merge consecutive pieces while the merged span stays ≤ max_chars."""
    return [(a, b) for a, b, _ in _pack_units([(a, b, "") for a, b in pieces], max_chars)]


def split_span(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Split text[start:end] at sentence ends into trimmed spans of at most max_chars."""
    sentences: list[tuple[int, int]] = []
    for a, b in _pieces(text, start, end, _SENTENCE_END):
        a, b = _trim(text, a, b)
        if b <= a:
            continue
        sentences.extend(_hard_split(text, a, b, max_chars) if b - a > max_chars else [(a, b)])
    return [_trim(text, a, b) for a, b in _pack(sentences, max_chars)]


def chunk_id(doc_id: str, section: tuple[str, ...], kind: str, part: int) -> str:
    key = "\x1f".join(section) + f"|{kind}|{part}"
    return f"{doc_id}:{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}"


def _item_no(node: Node) -> str | None:
    if node.kind == "dash":
        return None
    if node.kind == "article":
        return f"第{node.number}条"
    return f"（{node.number}）" if node.kind == "h2" else node.number


def _outline_line(text: str, node: Node) -> str:
    """A child's line in a composed outline: its heading, or for an article its first clause."""
    if node.kind != "article":
        return node.heading
    cut = _CLAUSE_STOP.search(text, node.start, min(node.end, node.start + _OUTLINE_LINE_MAX))
    return text[node.start : cut.start() if cut else min(node.end, node.start + _OUTLINE_LINE_MAX)]


Unit = tuple[int, int, str]  # (start, end, lead-in it depends on) of a paragraph or item of an article


def article_units(text: str, node: Node) -> list[Unit]:
    """The paragraphs (款) and items (项, with their 目) of an article in order; an item names the
    paragraph that introduces its list (the last paragraph before the list)."""
    units: list[Unit] = []
    pos, lead = node.start, ""
    for child in node.children:
        paragraphs = _paragraphs(text, pos, child.start)
        units += [(a, b, "") for a, b in paragraphs]
        if paragraphs:
            lead = text[paragraphs[-1][0] : paragraphs[-1][1]]
        units.append((child.start, child.end, lead))
        pos = child.end
    return units + [(a, b, "") for a, b in _paragraphs(text, pos, node.end)]


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = [_trim(text, a, b) for a, b in _pieces(text, start, end, _PARAGRAPH)]
    return [(a, b) for a, b in spans if b > a]


class _Builder:
    def __init__(self, doc_id: str, text: str, max_chars: int) -> None:
        self.doc_id, self.text, self.max_chars = doc_id, text, max_chars
        self.chunks: list[Chunk] = []
        self._ids: set[str] = set()

    def add_split(
        self,
        section: tuple[str, ...],
        kind: ChunkKind,
        start: int,
        end: int,
        item_no: str | None = None,
        first_part: int = 0,
        lead: str = "",
    ) -> int:
        """Chunks of text[start:end] split at sentence ends; returns the next part number."""
        part = first_part
        for a, b in split_span(self.text, start, end, self.max_chars):
            self.add(section, kind, a, b, self.text[a:b], item_no, part, lead)
            part += 1
        return part

    def add(
        self,
        section: tuple[str, ...],
        kind: ChunkKind,
        start: int,
        end: int,
        text: str,
        item_no: str | None = None,
        part: int = 0,
        lead: str = "",
    ) -> None:
        cid = chunk_id(self.doc_id, section, kind, part)
        n = 1
        while cid in self._ids:  # identical headings in one section: keep ids unique, still stable
            n += 1
            cid = chunk_id(self.doc_id, (*section, str(n)), kind, part)
        self._ids.add(cid)
        self.chunks.append(Chunk(cid, self.doc_id, section, text, start, end, kind, item_no, lead))

    def node(self, node: Node, parents: tuple[str, ...]) -> None:
        section = (*parents, node.heading)
        if node.kind == "article":
            self.article(node, section)
            return
        if not node.children:
            kind: ChunkKind = "paragraph" if node.kind in _LEAF_PARAGRAPH_KINDS else "item"
            self.add_split(section, kind, node.start, node.end, _item_no(node) if kind == "item" else None)
            return
        self.section(node, section)
        self.add_split(section, "paragraph", node.body_start, node.children[0].start)
        for child in node.children:
            self.node(child, section)

    def section(self, node: Node, section: tuple[str, ...]) -> None:
        if node.end - node.start <= SECTION_WHOLE_MAX:
            text = self.text[node.start : node.end]
        else:
            text = "\n".join([node.heading, *(_outline_line(self.text, c) for c in node.children)])
        self.add(section, "section", node.start, node.end, text, _item_no(node))

    def article(self, node: Node, section: tuple[str, ...]) -> None:
        item_no = _item_no(node)
        if node.end - node.start <= self.max_chars:
            self.add(section, "item", node.start, node.end, self.text[node.start : node.end], item_no)
            return
        if node.children and node.end - node.start <= SECTION_WHOLE_MAX:
            self.add(section, "section", node.start, node.end, self.text[node.start : node.end], item_no)
        part = 0
        for start, end, lead in _pack_units(article_units(self.text, node), self.max_chars):
            part = self.add_split(section, "item", start, end, item_no, part, lead)


def _pack_units(units: list[Unit], max_chars: int) -> list[Unit]:
    """Merge consecutive units while the span stays ≤ max_chars; a part keeps its first unit's lead
    (a part that starts with a lead-in paragraph holds its items' lead-in itself)."""
    parts: list[Unit] = []
    for start, end, lead in units:
        if parts and end - parts[-1][0] <= max_chars:
            parts[-1] = (parts[-1][0], end, parts[-1][2])
        else:
            parts.append((start, end, lead))
    return parts


def chunk_document(doc_id: str, text: str, roots: list[Node], max_chars: int = 400) -> list[Chunk]:
    """All chunks of one document, in reading order (a section chunk precedes its children)."""
    builder = _Builder(doc_id, text, max_chars)
    body_start = roots[0].start if roots else len(text)
    builder.add_split((), "preamble", 0, body_start)
    for root in roots:
        builder.node(root, ())
    if roots:
        tail = trailer_start(text, roots[-1].end)
        builder.add_split((TRAILER_SECTION,), "paragraph", tail, len(text))
    return builder.chunks
