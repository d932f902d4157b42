"""A fast in-memory QAEngine for service tests: real-looking Chinese passages, [n] markers, citations.

It answers by keyword overlap over a handful of passages quoted from the seed documents, so tests
exercise the service layer without loading the embedding model.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from assistant.corrections import corrected
from assistant.engine_api import (
    DocumentInfo,
    DocumentText,
    IngestError,
    Message,
    MetadataPatch,
    OutlineNode,
    StreamEvent,
    UnknownDocument,
)
from assistant.models import Answer, Chunk, Citation, DocumentMeta, Hit

SUPPORTED = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}
ABSTAIN_TEXT = "在已收录的文件中没有找到能回答该问题的依据。"


class UnsupportedFileType(IngestError):
    unsupported = True


@dataclass
class FakeDoc:
    meta: DocumentMeta
    chunks: list[Chunk]
    outline: list[OutlineNode] = field(default_factory=list)
    text: str = ""

    def info(self) -> DocumentInfo:
        return DocumentInfo(meta=self.meta, n_chunks=len(self.chunks), outline=self.outline)


Part = tuple[tuple[str, ...], str, str | None]  # section path, passage, item number


def build_doc(meta: DocumentMeta, parts: list[Part]) -> FakeDoc:
    """A document whose text is its title, each new heading on its own line, then the passages: every
    chunk's start/end slice the text, and the outline spans what lies under each heading."""
    text, chunks, spans = meta.title + "\n", [], {}
    for n, (section, passage, item_no) in enumerate(parts, start=1):
        for depth in range(1, len(section) + 1):
            path = section[:depth]
            if path not in spans:
                spans[path] = [len(text), 0]
                text += path[-1] + "\n"
        start = len(text)
        text += passage + "\n"
        chunks.append(
            Chunk(
                f"{meta.doc_id}-{n}",
                meta.doc_id,
                section,
                passage,
                start,
                start + len(passage),
                "item",
                item_no,
            )
        )
        for depth in range(1, len(section) + 1):
            spans[section[:depth]][1] = len(text) - 1
    return FakeDoc(meta, chunks, _outline(spans, ()), text)


def _outline(spans: dict[tuple[str, ...], list[int]], parent: tuple[str, ...]) -> list[OutlineNode]:
    kids = [p for p in spans if len(p) == len(parent) + 1 and p[: len(parent)] == parent]
    return [OutlineNode(p[-1], " › ".join(p), _outline(spans, p), spans[p][0], spans[p][1]) for p in kids]


def seed_documents() -> list[FakeDoc]:
    strong = DocumentMeta(
        "000",
        "加快推进知识产权强省建设工作方案（试行）",
        "000.txt",
        "国知发管字〔2015〕59号",
        "国家知识产权局",
        "2015-10-10",
        "全国",
        "国家",
    )
    jilin = DocumentMeta(
        "003",
        "关于新形势下加快知识产权强省建设的实施意见",
        "003.txt",
        "吉政发〔2016〕27号",
        "吉林省人民政府",
        "2016-08-10",
        "吉林省",
        "省",
    )
    shanwei = DocumentMeta(
        "002",
        "汕尾市建设引领型知识产权强市实施方案",
        "002.txt",
        "汕府〔2016〕69号",
        "汕尾市人民政府",
        "2016-09-01",
        "汕尾市",
        "市",
    )
    sec = ("三、主要任务", "（二）支撑型知识产权强省建设试点省主要任务")
    return [
        build_doc(
            strong,
            [
                (
                    ("三、主要任务", "（一）引领型知识产权强省建设试点省主要任务"),
                    "引领型试点省要在知识产权治理体系和治理能力现代化方面先行先试，形成可复制推广的经验。",
                    "（一）",
                ),
                (
                    sec,
                    "（二）支撑型知识产权强省建设试点省主要任务。支撑型试点省要着力提升知识产权创造质量，"
                    "加强知识产权保护，促进知识产权运用，支撑产业转型升级。",
                    "（二）",
                ),
            ],
        ),
        build_doc(
            jilin,
            [
                (
                    ("一、总体要求", "（二）主要目标"),
                    "到2020年，全省每万人口发明专利拥有量达到4.5件，知识产权保护环境显著改善。",
                    None,
                )
            ],
        ),
        build_doc(
            shanwei,
            [
                (
                    ("一、总体要求",),
                    "为加快建设引领型知识产权强市，汕尾市人民政府印发本实施方案（汕府〔2016〕69号）。",
                    None,
                )
            ],
        ),
    ]


def _overlap(query: str, text: str) -> float:
    grams = {query[i : i + 2] for i in range(len(query) - 1)}
    return sum(1 for g in grams if g in text) / max(len(grams), 1)


class FakeEngine:
    """Implements assistant.engine_api.QAEngine in memory."""

    model_name = "fake-m3e"

    def __init__(self) -> None:
        self._docs: dict[str, FakeDoc] = {d.meta.doc_id: d for d in seed_documents()}
        self.sidecars: dict[str, dict[str, Any]] = {}
        self.extracted: dict[str, DocumentMeta] = {}
        self._lock = threading.Lock()
        self.calls: list[tuple[str, Any]] = []

    # -- questions ---------------------------------------------------------------------------------------

    def search(self, query: str, k: int = 8, doc_ids: Sequence[str] | None = None) -> list[Hit]:
        self.calls.append(("search", (query, k, doc_ids)))
        hits = [
            Hit(c, round(_overlap(query, c.text), 4))
            for d in self._docs.values()
            if doc_ids is None or d.meta.doc_id in doc_ids
            for c in d.chunks
        ]
        hits = [h for h in hits if h.score > 0]
        return sorted(hits, key=lambda h: -h.score)[:k]

    def ask(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Answer:
        self.calls.append(("ask", (question, list(history), doc_ids)))
        hits = [h for h in self.search(question, 2, doc_ids) if h.score >= 0.15]
        if not hits:
            return Answer(ABSTAIN_TEXT, True, [], question_used=question)
        citations = [self._citation(n, h) for n, h in enumerate(hits, start=1)]
        text = "".join(f"{c.quote}[{c.n}]" for c in citations)
        return Answer(text, False, citations, question_used=question)

    def ask_stream(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Iterator[StreamEvent]:
        answer = self.ask(question, history, doc_ids)
        yield StreamEvent("citations", [c.to_dict() for c in answer.citations])  # as the real engine does
        for i in range(0, len(answer.answer), 8):
            yield StreamEvent("delta", answer.answer[i : i + 8])
        yield StreamEvent("done", answer)

    def _citation(self, n: int, hit: Hit) -> Citation:
        meta = self._docs[hit.chunk.doc_id].meta
        quote = hit.chunk.text.split("。")[0] + "。"
        return Citation(
            n,
            meta.doc_id,
            meta.title,
            meta.doc_number,
            meta.date,
            hit.chunk.section_path,
            hit.chunk.text,
            hit.chunk.start,
            hit.chunk.end,
            hit.score,
            quote,
        )

    # -- documents ---------------------------------------------------------------------------------------

    def documents(self) -> list[DocumentInfo]:
        with self._lock:
            return [d.info() for d in self._docs.values()]

    def document(self, doc_id: str) -> DocumentInfo:
        with self._lock:
            if doc_id not in self._docs:
                raise UnknownDocument(doc_id)
            return self._docs[doc_id].info()

    def document_text(self, doc_id: str) -> DocumentText:
        with self._lock:
            if doc_id not in self._docs:
                raise UnknownDocument(doc_id)
            doc = self._docs[doc_id]
            return DocumentText(doc.meta, doc.text, doc.outline)

    def add_document(
        self, filename: str, data: bytes, replace: bool = False, metadata: MetadataPatch | None = None
    ) -> DocumentInfo:
        text = _read_text(filename, data)
        doc_id = f"u{len(self._docs):03d}"
        meta = DocumentMeta(doc_id, PurePath(filename).stem, filename)
        if metadata:
            meta = dataclasses.replace(meta, **corrected(meta, {}, metadata))
        doc = build_doc(meta, [((), text, None)])
        with self._lock:
            self._docs[doc_id] = doc
        return doc.info()

    def update_metadata(self, doc_id: str, patch: MetadataPatch) -> DocumentInfo:
        """As the real engine: the corrections go through the sidecar rules (corrected) and show at once."""
        with self._lock:
            if doc_id not in self._docs:
                raise UnknownDocument(doc_id)
            doc = self._docs[doc_id]
            overrides = corrected(doc.meta, self.sidecars.get(doc_id, {}), patch)
            self.sidecars[doc_id] = overrides
            doc.meta = dataclasses.replace(self.extracted.setdefault(doc_id, doc.meta), **overrides)
            return doc.info()

    def delete_document(self, doc_id: str) -> None:
        with self._lock:
            if doc_id not in self._docs:
                raise UnknownDocument(doc_id)
            del self._docs[doc_id]

    def stats(self) -> dict[str, Any]:
        docs = self.documents()
        return {
            "documents": len(docs),
            "chunks": sum(d.n_chunks for d in docs),
            "model": self.model_name,
            "dimension": 512,
        }


def _read_text(filename: str, data: bytes) -> str:
    """Mimics the real loaders' checks: type by suffix, then the bytes must really be that type."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in SUPPORTED:
        raise UnsupportedFileType(
            f"{filename}: 不支持的文件类型 / unsupported file type {suffix or '(none)'}"
        )
    if not data.strip():
        raise IngestError(f"{filename}: 文件为空 / file is empty")
    if suffix == ".pdf" and not data.startswith(b"%PDF-"):
        raise IngestError(f"{filename}: 不是有效的 PDF / not a valid PDF")
    if suffix == ".docx" and not data.startswith(b"PK\x03\x04"):
        raise IngestError(f"{filename}: 不是有效的 docx / not a valid .docx (zip) file")
    if suffix in (".pdf", ".docx"):
        return "上传的文件内容。"
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{filename}: 无法按 UTF-8 解码 / not UTF-8 text") from exc


class BrokenEngine(FakeEngine):
    """Raises an unexpected error with a recognisable secret, to prove 500s do not leak it."""

    SECRET = "SECRET-TRACE-/etc/policyqa/internal.py"

    def ask(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Answer:
        raise RuntimeError(self.SECRET)

    def ask_stream(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Iterator[StreamEvent]:
        yield StreamEvent("citations", [])
        raise RuntimeError(self.SECRET)


class StrictFakeEngine(FakeEngine):
    """The service-test fake, but refusing unknown doc_ids as the real engine does (404), and staying
    small under the fuzz's thousands of calls."""

    def _check(self, doc_ids: Sequence[str] | None) -> None:
        known = {d.meta.doc_id for d in self.documents()}
        unknown = [d for d in doc_ids or () if d not in known]
        if unknown:
            raise UnknownDocument(f"unknown doc_id: {', '.join(unknown)}")

    def ask(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Answer:
        self._check(doc_ids)
        self.calls.clear()  # the fuzz asks thousands of questions; keep memory flat
        return super().ask(question, history, doc_ids)

    def ask_stream(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Iterator[StreamEvent]:
        # A generator, like the real engine's: the check runs when the first event is asked for.
        self._check(doc_ids)
        yield from super().ask_stream(question, history, doc_ids)

    def search(self, query: str, k: int = 8, doc_ids: Sequence[str] | None = None) -> list[Hit]:
        self._check(doc_ids)
        return super().search(query, k, doc_ids)

    def add_document(
        self, filename: str, data: bytes, replace: bool = False, metadata: MetadataPatch | None = None
    ) -> DocumentInfo:
        info = super().add_document(filename, data, replace, metadata)
        self.delete_document(info.meta.doc_id)  # accepted, then forgotten: the fake stays small
        return info
