"""Plain data shared by every layer: documents, chunks, search hits and the one answer object."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SECTION_SEP = " › "

ChunkKind = Literal["item", "section", "paragraph", "preamble"]
AnswerMode = Literal["extractive", "llm"]


@dataclass(frozen=True)
class DocumentMeta:
    """Metadata of one policy document; every field but doc_id/title/source may be unknown.
    Dates are ISO yyyy-mm-dd. Fields added later have defaults, so older index files still load."""

    doc_id: str
    title: str  # full title as printed, with its issuer when the title line names it
    source: str  # file name inside the corpus folder
    doc_number: str | None = None  # 文号: 某发〔2020〕1号, 国务院令第1号, …公告第1号
    issuer: str | None = None  # issuing body; joint issuers joined with 、
    date: str | None = None  # primary date: issued, else adopted, else amended
    region: str | None = None  # 全国 / 云岭省 / 青州市 / 青州市东湖新区 …
    level: str | None = None  # 国家 / 省 (直辖市 too) / 市 / 区 / 县
    issued: str | None = None  # 印发/发布/公布 date (the signing date of a 通知)
    adopted: str | None = None  # first 通过 date (not a revision's)
    amended: str | None = None  # latest 修正/修订 date
    effective: str | None = None  # 施行 date (自…起施行; 自发布之日起施行 → issued)
    genre: str | None = None  # document type of the title: 条例 / 办法 / 意见 / 方案 …
    posted: str | None = None  # the date the web page it was saved from shows (发布时间：…), if any
    ocr: bool = False  # the text was read from page images by OCR (a scan or a photo)
    ocr_confidence: float | None = None  # mean OCR confidence per character, 0–1

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
    item_no: str | None = None  # "16", "（二）", "第十条", … when the chunk is a numbered item or article
    # The lead-in paragraph an article's items depend on («有下列情形之一的，…：») when this chunk
    # holds some of the items but not the lead-in itself; "" otherwise. Not part of `text`.
    lead: str = ""

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
            lead=data.get("lead", ""),
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
    ocr: bool = False  # the passage was read from a scan by OCR: check figures against the original

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def reference(self) -> str:
        """The formal reference line: [1]《标题》（文号，2015年10月21日），二、推进步骤 › （二）…"""
        facts = "，".join(p for p in (self.doc_number, chinese_date(self.date)) if p)
        line = f"[{self.n}]《{self.title}》" + (f"（{facts}）" if facts else "")
        return f"{line}，{self.section}" if self.section else line


def chinese_date(iso: str | None) -> str | None:
    """2015-10-21 → 2015年10月21日 (as official documents print it); anything else is kept as it is."""
    if not iso:
        return None
    parts = iso.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return iso
    return f"{int(parts[0])}年{int(parts[1])}月{int(parts[2])}日"


@dataclass(frozen=True)
class Answer:
    """The one answer object shared by CLI, API, UI, widget and eval."""

    answer: str
    abstained: bool
    citations: list[Citation]
    mode: AnswerMode = "extractive"
    question_used: str = ""
    dropped_sentences: list[str] = field(default_factory=list)

    @property
    def references(self) -> list[str]:
        """One formal reference line per citation, derived so that no answer can lack them."""
        return [c.reference for c in self.citations]

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "references": self.references,
            "mode": self.mode,
            "question_used": self.question_used,
            "dropped_sentences": list(self.dropped_sentences),
        }
