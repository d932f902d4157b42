"""A composed answer before numbering: sentences, each with the passages it cites (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from assistant.grounding import MARKER, strip_markers
from assistant.models import SECTION_SEP, Answer, Chunk, Citation, DocumentMeta


@dataclass(frozen=True)
class Evidence:
    chunk: Chunk
    score: float
    quote: str = ""  # the part of the passage that supports the sentence


@dataclass(frozen=True)
class Line:
    text: str  # one sentence, without markers
    evidence: tuple[Evidence, ...]
    extra: bool = False  # a further point beside the answer: not what the checks hold the answer to


@dataclass
class Draft:
    lines: list[Line] = field(default_factory=list)
    # what a document records of itself: "history" (notes, 施行 article), "addressees" (主送 line),
    # "metadata" (its date)
    about: str = ""

    def add(self, text: str, *evidence: Evidence, extra: bool = False) -> None:
        # a list's lead-in ends in its colon: the full stop a composer closes a sentence with is dropped
        if text.endswith(("：。", ":。")):
            text = text[:-1]
        docs = {e.chunk.doc_id for e in evidence}
        if any(_plain(line.text) == _plain(text) and docs <= _docs_of(line) for line in self.lines):
            return  # the same sentence of a document reached again through another of its passages
        self.lines.append(Line(text, tuple(evidence), extra))

    def checked(self) -> Draft:
        """The draft without its extra points: what the answer must say on its own."""
        kept = [line for line in self.lines if not line.extra]
        return self if len(kept) == len(self.lines) else Draft(kept, self.about)


def _citation(n: int, ev: Evidence, meta: DocumentMeta | None) -> Citation:
    chunk = ev.chunk
    return Citation(
        n=n,
        doc_id=chunk.doc_id,
        title=meta.title if meta else chunk.doc_id,
        doc_number=meta.doc_number if meta else None,
        date=meta.date if meta else None,
        section=SECTION_SEP.join(chunk.section),
        text=chunk.text,
        start=chunk.start,
        end=chunk.end,
        score=round(ev.score, 6),
        quote=ev.quote,
        ocr=bool(meta and meta.ocr),
    )


def render(draft: Draft, docs: Mapping[str, DocumentMeta], question_used: str) -> Answer:
    """Number passages in order of first use and put `[n]` after every sentence that cites them."""
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    lines: list[str] = []
    for line in draft.lines:
        marks = []
        for ev in line.evidence:
            if ev.chunk.chunk_id not in numbers:
                numbers[ev.chunk.chunk_id] = len(numbers) + 1
                citations.append(_citation(numbers[ev.chunk.chunk_id], ev, docs.get(ev.chunk.doc_id)))
            mark = f"[{numbers[ev.chunk.chunk_id]}]"
            if mark not in marks:
                marks.append(mark)
        lines.append(line.text + "".join(marks))
    return Answer(
        answer="\n".join(lines),
        abstained=False,
        citations=citations,
        mode="extractive",
        question_used=question_used,
    )


def merge_answers(first: Answer, then: Answer) -> Answer:
    """`first`'s lines, then those of `then` it does not already say; `then`'s citations numbered on after
    `first`'s (a passage both cite keeps its first number). The answer to one question of several."""

    def key(c: Citation) -> tuple[str, int, int]:
        return c.doc_id, c.start, c.end

    citations = list(first.citations)
    numbers = {key(c): c.n for c in citations}
    renumbered: dict[int, int] = {}
    for c in then.citations:
        if key(c) not in numbers:
            numbers[key(c)] = len(citations) + 1
            citations.append(replace(c, n=numbers[key(c)]))
        renumbered[c.n] = numbers[key(c)]
    said = "\n".join(_plain(line) for line in first.answer.splitlines())
    added = [
        MARKER.sub(lambda m: f"[{renumbered.get(int(m.group(1)), int(m.group(1)))}]", line)
        for line in then.answer.splitlines()
        if _plain(line).rstrip("。") not in said
    ]
    return replace(first, answer="\n".join([*first.answer.splitlines(), *added]), citations=citations)


def _docs_of(line: Line) -> set[str]:
    return {e.chunk.doc_id for e in line.evidence}


_SOURCE_LEAD = re.compile(r"^根据“[^”]*”，|^原文为：")  # 原文为：, the whole sentence a figure was cut from
# a comparison's line names who says it (《X》规定，/ 某市提出，): the same sentence either way
_SUBJECT_LEAD = re.compile(r"^(?:《[^》]{2,80}》规定|[\u4e00-\u9fff]{2,12}提出)，")


def _plain(line: str) -> str:
    """A line without its markers and its 根据“…”， lead: what it says."""
    return _SUBJECT_LEAD.sub("", _SOURCE_LEAD.sub("", strip_markers(line)).strip())
