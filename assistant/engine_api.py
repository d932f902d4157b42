"""The contract between the question-answering core and its front ends (CLI, API, UI, widget, eval).

`assistant.engine.Engine` implements it over the real index; tests of the front ends may use a fake.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from assistant.ingest.instructions import Flag
from assistant.models import Answer, DocumentMeta, Hit

Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class Message:
    role: Role
    content: str


@dataclass(frozen=True)
class OutlineNode:
    heading: str  # e.g. "（二）加强某项工作"
    path: str  # readable section path
    children: list[OutlineNode] = field(default_factory=list)
    start: int = 0  # clean-text offsets of the whole section (heading to the end of its last child)
    end: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "path": self.path,
            "start": self.start,
            "end": self.end,
            "children": [c.to_dict() for c in self.children],
        }


@dataclass(frozen=True)
class Replaced:
    """A corpus file an upload replaced, and where it is kept (relative to the data folder)."""

    source: str
    kept_as: str


@dataclass(frozen=True)
class DocumentInfo:
    meta: DocumentMeta
    n_chunks: int
    outline: list[OutlineNode]
    flagged: tuple[Flag, ...] = ()  # instruction-like sentences, never quoted as an answer
    replaced: tuple[Replaced, ...] = ()  # set on the result of an upload only


@dataclass(frozen=True)
class DocumentText:
    """A document as the source view shows it: every citation's start/end slices `text`."""

    meta: DocumentMeta
    text: str  # the clean text
    outline: list[OutlineNode]  # with offsets into `text`


# Metadata corrections: field -> new value; None removes the correction (back to the extracted value).
MetadataPatch = Mapping[str, str | None]


@dataclass(frozen=True)
class StreamEvent:
    """One event of a streamed answer: 'citations' (list), 'delta' (text) or 'done' (Answer)."""

    kind: Literal["citations", "delta", "done"]
    data: Any


class IngestError(ValueError):
    """A document could not be read or indexed; the message says why (shown to users)."""


class InvalidFileName(IngestError):
    """The file name cannot be stored (control characters, too long for the file system, …)."""


class UnknownDocument(KeyError):
    """No indexed document has this doc_id."""


class DocumentExists(Exception):
    """An upload is the same document as a file already in the corpus and did not ask to replace it."""

    def __init__(self, name: str, existing: str) -> None:
        self.name = name
        self.existing = existing
        if name == existing:
            message = (
                f"已有同名文件 {existing}；要替换它请加 replace=true，原文件会保留在数据目录的 deleted/ 下 "
                f"(a file named {existing} already exists: send replace=true to replace it; the old file is kept)"
            )
        else:
            message = (
                f"{name} 与已有文件 {existing} 是同一文件（文件名只差扩展名、大小写或全半角）；要替换它请加 "
                f"replace=true (same document as the existing file {existing}: names differ only in "
                "extension, case or width; send replace=true to replace it)"
            )
        super().__init__(message)


class QAEngine(Protocol):
    model_name: str

    def ask(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Answer: ...

    def ask_stream(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Iterator[StreamEvent]: ...

    def search(self, query: str, k: int = 8, doc_ids: Sequence[str] | None = None) -> list[Hit]: ...

    def documents(self) -> list[DocumentInfo]: ...

    def document(self, doc_id: str) -> DocumentInfo:  # raises UnknownDocument
        ...

    def document_text(self, doc_id: str) -> DocumentText:  # raises UnknownDocument
        ...

    def add_document(
        self, filename: str, data: bytes, replace: bool = False, metadata: MetadataPatch | None = None
    ) -> DocumentInfo:  # raises IngestError, DocumentExists
        ...

    def update_metadata(self, doc_id: str, patch: MetadataPatch) -> DocumentInfo:
        """Correct metadata (kept in the document's sidecar); raises UnknownDocument, IngestError."""
        ...

    def delete_document(self, doc_id: str) -> None:  # raises UnknownDocument
        ...

    def stats(self) -> dict[str, Any]:  # documents, chunks, model name, dimension
        ...
