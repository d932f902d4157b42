"""Pydantic v2 request/response models of the HTTP API.

Answers and citations travel as plain dicts built by `Answer.to_dict()` so that the API, the UI,
the widget and the eval all see exactly the same object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

from assistant.corrections import MAX_VALUE_CHARS, patchable_fields
from assistant.engine_api import DocumentInfo, DocumentText, Message, OutlineNode
from assistant.service.validation import MAX_ID_CHARS, DocId, HistoryText, Text


def _nonblank(value: str) -> str:
    # Kept as sent: the length limit counts what the client sent (as the schema's maxLength does);
    # the route strips it.
    if not value.strip():
        raise ValueError("must not be empty or blank")
    return value


class HistoryMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: HistoryText

    def to_message(self) -> Message:
        return Message(role=self.role, content=self.content)


class AskRequest(BaseModel):
    """Body of POST /v1/ask and /v1/ask/stream. The length cap comes from Settings (checked in the route)."""

    model_config = ConfigDict(extra="forbid")

    question: Text = Field(min_length=1)
    history: list[HistoryMessage] = Field(default_factory=list, max_length=50)
    doc_ids: list[DocId] | None = Field(default=None, max_length=100)

    @field_validator("question")
    @classmethod
    def _question_not_blank(cls, value: str) -> str:
        return _nonblank(value)

    def messages(self) -> list[Message]:
        return [m.to_message() for m in self.history]


class ErrorBody(BaseModel):
    code: str
    message: str
    request_id: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


_ERROR_MEANINGS = {
    400: "Body is not valid JSON / multipart",
    401: "Missing or wrong key or admin token",
    403: "Admin disabled, or origin not allowed for this key",
    404: "Unknown document or route",
    409: "Same document as an existing file (send replace=true)",
    413: "Upload or request body too large",
    415: "Unsupported file type",
    422: "Invalid request",
    429: "Rate limited (see Retry-After)",
    503: "Engine still loading, key file unreadable or rate-limit storage down (see Retry-After)",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for error statuses, all in the one error shape."""
    return {s: {"model": ErrorResponse, "description": _ERROR_MEANINGS.get(s, "Error")} for s in statuses}


class CitationOut(BaseModel):
    """One cited passage, as `Citation.to_dict()` gives it."""

    n: int
    doc_id: str
    title: str
    doc_number: str | None
    date: str | None
    section: str
    text: str
    start: int
    end: int
    score: float
    quote: str


class AnswerOut(BaseModel):
    """The answer object of POST /v1/ask (documentation of `Answer.to_dict()`; the route returns that dict)."""

    answer: str
    abstained: bool
    citations: list[CitationOut]
    mode: Literal["extractive", "llm"]
    question_used: str
    references: list[str] = Field(
        description="One formal reference per citation: [n]《标题》（文号，日期），章节路径"
    )


class SearchHitOut(BaseModel):
    chunk_id: str
    doc_id: str
    title: str
    doc_number: str | None
    section: list[str]
    section_path: str
    text: str
    start: int
    end: int
    kind: str
    item_no: str | None
    lead: str = ""  # lead-in of an article's items when the passage holds items but not their lead-in
    score: float


class SearchResponse(BaseModel):
    query: str
    k: int
    hits: list[SearchHitOut]


class OutlineOut(BaseModel):
    heading: str
    path: str
    start: int = Field(description="clean-text offset where the section starts (0 when unknown)")
    end: int = Field(description="clean-text offset where the section ends, children included")
    children: list[OutlineOut] = Field(default_factory=list)

    @classmethod
    def of(cls, node: OutlineNode) -> OutlineOut:
        children = [cls.of(c) for c in node.children]
        return cls(heading=node.heading, path=node.path, start=node.start, end=node.end, children=children)


class FlagOut(BaseModel):
    """An instruction-like sentence of the document (offsets into its clean text); never quoted."""

    text: str
    start: int
    end: int


class DocumentSummary(BaseModel):
    # Metadata fields beyond these (the ingester may add some) pass through as they are.
    model_config = ConfigDict(extra="allow")

    doc_id: str
    title: str
    source: str
    doc_number: str | None
    issuer: str | None
    date: str | None
    region: str | None
    level: str | None
    issued: str | None = None
    adopted: str | None = None
    amended: str | None = None
    effective: str | None = None
    genre: str | None = None
    posted: str | None = None
    n_chunks: int
    flagged: list[FlagOut] = Field(default_factory=list)

    @classmethod
    def of(cls, info: DocumentInfo) -> DocumentSummary:
        return cls(**cls.fields_of(info))

    @staticmethod
    def fields_of(info: DocumentInfo) -> dict[str, Any]:
        flags = [FlagOut(**f.to_dict()) for f in info.flagged]
        return {**info.meta.to_dict(), "n_chunks": info.n_chunks, "flagged": flags}


class DocumentDetail(DocumentSummary):
    outline: list[OutlineOut]

    @classmethod
    def of(cls, info: DocumentInfo) -> DocumentDetail:
        return cls(**cls.fields_of(info), outline=[OutlineOut.of(n) for n in info.outline])


class ReplacedOut(BaseModel):
    source: str = Field(description="the corpus file the upload replaced")
    kept_as: str = Field(description="where it is kept, relative to POLICYQA_DATA_DIR")


class UploadResult(DocumentDetail):
    """The uploaded document, and the files it replaced (with replace=true)."""

    replaced: list[ReplacedOut] = Field(default_factory=list)

    @classmethod
    def of(cls, info: DocumentInfo) -> UploadResult:
        replaced = [ReplacedOut(source=r.source, kept_as=r.kept_as) for r in info.replaced]
        detail = DocumentDetail.of(info)
        return cls(**dict(detail), replaced=replaced)


class DocumentList(BaseModel):
    documents: list[DocumentSummary]


class DocumentTextOut(BaseModel):
    """GET /v1/documents/{doc_id}/text: every citation's start/end slice `text` to its passage."""

    doc_id: str
    meta: dict[str, Any]
    text: str
    outline: list[OutlineOut]

    @classmethod
    def of(cls, doc: DocumentText) -> DocumentTextOut:
        return cls(
            doc_id=doc.meta.doc_id,
            meta=doc.meta.to_dict(),
            text=doc.text,
            outline=[OutlineOut.of(n) for n in doc.outline],
        )


def _metadata_patch_model() -> type[BaseModel]:
    """PATCH /v1/documents/{doc_id}: one optional field per correctable metadata field (the sidecar's)."""
    field = (Text | None, Field(default=None, max_length=MAX_VALUE_CHARS))
    model: type[BaseModel] = create_model(  # type: ignore[call-overload]
        "MetadataPatch",
        __config__=ConfigDict(extra="forbid"),
        __doc__='A value sets the field, "" states that there is none, null drops the correction.',
        **dict.fromkeys(patchable_fields(), field),
    )
    return model


if TYPE_CHECKING:
    MetadataPatchIn = BaseModel
else:
    MetadataPatchIn = _metadata_patch_model()


class FeedbackCitation(BaseModel):
    model_config = ConfigDict(extra="ignore")

    n: int
    doc_id: DocId
    title: Text = Field(default="", max_length=500)
    section: Text = Field(default="", max_length=2000)
    start: int = 0
    end: int = 0
    quote: Text = Field(default="", max_length=5000)


class FeedbackIn(BaseModel):
    """POST /v1/feedback: a thumb on one answer, with an optional comment."""

    model_config = ConfigDict(extra="forbid")

    rating: Literal["up", "down"]
    question: Text = Field(min_length=1, max_length=20_000)
    answer: Text = Field(max_length=50_000)
    citations: list[FeedbackCitation] = Field(default_factory=list, max_length=50)
    comment: Text = Field(default="", max_length=2000)
    history: list[HistoryMessage] = Field(default_factory=list, max_length=50)
    doc_ids: list[DocId] | None = Field(default=None, max_length=100)
    abstained: bool = False


class FeedbackCreated(BaseModel):
    id: int


class FeedbackOut(BaseModel):
    id: int
    created: float
    rating: Literal["up", "down"]
    question: str
    answer: str
    citations: list[dict[str, Any]]
    comment: str
    history: list[dict[str, str]]
    doc_ids: list[str] | None
    abstained: bool


class FeedbackList(BaseModel):
    feedback: list[FeedbackOut]


# --- OpenAI-compatible chat completions -------------------------------------------------------------------


class ChatContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: Annotated[str, Field(max_length=MAX_ID_CHARS)]
    text: HistoryText | None = None


class ChatMessageIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    # system/developer prompts are accepted and ignored; tool/function turns make no sense here.
    role: Literal["system", "developer", "user", "assistant"]
    content: HistoryText | list[ChatContentPart] | None = None

    def text(self) -> str:
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "".join(p.text or "" for p in self.content if p.type == "text")


class ChatCompletionRequest(BaseModel):
    # Clients send many optional knobs (temperature, n, user, …); they do not apply to cited answers.
    model_config = ConfigDict(extra="allow")

    model: Annotated[Text, Field(max_length=MAX_ID_CHARS)] = "policyqa"
    messages: list[ChatMessageIn] = Field(min_length=1, max_length=100)
    stream: bool = False
    doc_ids: list[DocId] | None = Field(default=None, max_length=100)


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "policyqa"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


class Readiness(BaseModel):
    ready: bool
    documents: int | None = None
    chunks: int | None = None
    model: str | None = None
    error: str | None = None
