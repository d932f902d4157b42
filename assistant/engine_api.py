"""The contract between the question-answering core and its front ends (CLI, API, UI, widget, eval).

`assistant.engine.Engine` implements it over the real index; tests of the front ends may use a fake.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from assistant.models import Answer, DocumentMeta, Hit

Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class Message:
    role: Role
    content: str


@dataclass(frozen=True)
class OutlineNode:
    heading: str  # e.g. "（二）支撑型知识产权强省建设试点省主要任务"
    path: str  # readable section path
    children: list[OutlineNode] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"heading": self.heading, "path": self.path, "children": [c.to_dict() for c in self.children]}


@dataclass(frozen=True)
class DocumentInfo:
    meta: DocumentMeta
    n_chunks: int
    outline: list[OutlineNode]


@dataclass(frozen=True)
class StreamEvent:
    """One event of a streamed answer: 'citations' (list), 'delta' (text) or 'done' (Answer)."""

    kind: Literal["citations", "delta", "done"]
    data: Any


class IngestError(ValueError):
    """A document could not be read or indexed; the message says why (shown to users)."""


class UnknownDocument(KeyError):
    """No indexed document has this doc_id."""


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

    def add_document(self, filename: str, data: bytes) -> DocumentInfo:  # raises IngestError
        ...

    def delete_document(self, doc_id: str) -> None:  # raises UnknownDocument
        ...

    def stats(self) -> dict[str, Any]:  # documents, chunks, model name, dimension
        ...
