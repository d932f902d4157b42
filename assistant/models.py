"""Plain data shared by every layer: documents, chunks, search hits and the one answer object."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SECTION_SEP = " › "

ChunkKind = Literal["item", "section", "paragraph", "preamble"]
AnswerMode = Literal["extractive", "llm"]


@dataclass(frozen=True)
class DocumentMeta:
    """Metadata of one policy document; every field but doc_id/title/source may be unknown."""

    doc_id: str
    title: str
    source: str  # file name inside the corpus folder
    doc_number: str | None = None  # 文号, e.g. 国知发管字〔2015〕59号
    issuer: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd, the signing/印发 date
    region: str | None = None  # 全国 / 吉林省 / 汕尾市 / …
    level: str | None = None  # 国家 / 省 / 市 / 区

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage. Offsets are into the document's *clean* text."""

    chunk_id: str  # stable across rebuilds: derived from doc_id + section path + kind + ordinal
    doc_id: str
    section: tuple[str, ...]  # heading path, outermost first
    text: str  # the passage as shown to users (item heading + body)
    start: int
    end: int
    kind: ChunkKind = "paragraph"
    item_no: str | None = None  # "16", "（二）", … when the chunk is a numbered item

    @property
    def section_path(self) -> str:
        return SECTION_SEP.join(self.section)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["section"] = list(self.section)
        data["section_path"] = self.section_path
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chunk:
        return cls(
            chunk_id=data["chunk_id"],
            doc_id=data["doc_id"],
            section=tuple(data["section"]),
            text=data["text"],
            start=int(data["start"]),
            end=int(data["end"]),
            kind=data.get("kind", "paragraph"),
            item_no=data.get("item_no"),
        )


@dataclass(frozen=True)
class Hit:
    """A chunk with its retrieval score (higher is better)."""

    chunk: Chunk
    score: float


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    title: str
    doc_number: str | None
    date: str | None
    section: str  # readable section path
    text: str  # the cited passage
    start: int  # clean-text offsets of the passage
    end: int
    score: float
    quote: str = ""  # the sentence(s) of the passage that support the answer, for highlighting

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """The one answer object shared by CLI, API, UI, widget and eval."""

    answer: str
    abstained: bool
    citations: list[Citation]
    mode: AnswerMode = "extractive"
    question_used: str = ""
    dropped_sentences: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "mode": self.mode,
            "question_used": self.question_used,
            "dropped_sentences": list(self.dropped_sentences),
        }
