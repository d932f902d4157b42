"""What composition works from (pure): the question, its terms, the hits and every chunk and record of the
documents, and the lookups the composers share."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.answering.lexicon import Lexicon
from assistant.answering.question import QuestionInfo
from assistant.models import Chunk, DocumentMeta
from assistant.retrieval.fusion import RankedHit
from assistant.textnorm import match_key


@dataclass(frozen=True)
class Context:
    info: QuestionInfo
    terms: tuple[str, ...]  # normalised content terms of the question
    grams: frozenset[str]  # character bigrams of the question
    hits: Sequence[RankedHit]
    doc_chunks: Mapping[str, Sequence[Chunk]]  # every chunk of each document, in text order
    docs: Mapping[str, DocumentMeta]
    target_docs: tuple[str, ...]  # documents the question is about, best first (may be empty)
    lexicon: Lexicon | None = None
    # each sentence's closeness in meaning to the question (cosine under the embedding model), when the
    # answerer has a model; computed only where the question's words pick no sentence
    similarity: Callable[[Sequence[str]], Sequence[float]] | None = None


def score_of(ctx: Context, chunk: Chunk) -> float:
    for hit in ctx.hits:
        if hit.chunk.chunk_id == chunk.chunk_id:
            return hit.score
    return 0.0


def title_of(ctx: Context, doc_id: str) -> str:
    """The document's title, or its id when the index holds no metadata for it."""
    meta = ctx.docs.get(doc_id)
    return meta.title if meta is not None else doc_id


def target_doc(ctx: Context) -> str | None:
    if ctx.target_docs:
        return ctx.target_docs[0]
    return ctx.hits[0].chunk.doc_id if ctx.hits else None


def chunk_containing(ctx: Context, doc_id: str, needle: str) -> Chunk | None:
    key = match_key(needle)
    for chunk in ctx.doc_chunks.get(doc_id, ()):
        if key and key in match_key(chunk.text):
            return chunk
    return None
