"""A composed answer before numbering: sentences, each with the passages it cites (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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


@dataclass
class Draft:
    lines: list[Line] = field(default_factory=list)
    # what a document records of itself: "history" (notes, 施行 article), "addressees" (主送 line),
    # "metadata" (its date)
    about: str = ""

    def add(self, text: str, *evidence: Evidence) -> None:
        self.lines.append(Line(text, tuple(evidence)))


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
