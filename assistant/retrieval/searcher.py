"""Hybrid search over one immutable index snapshot (dense FAISS + BM25 + structure signals)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import numpy as np

from assistant.models import Chunk, DocumentMeta
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.fusion import QUOTE_CHARS, FusionWeights, RankedHit, fuse, quoted_runs
from assistant.retrieval.keyword import KeywordIndex, tokenize
from assistant.retrieval.persistence import DocRecord, StoredIndex
from assistant.retrieval.store import FaissIndex, VectorIndex
from assistant.textnorm import match_key

CANDIDATES = 60

Candidates = list[tuple[int, float]]


class CandidateSource(Protocol):
    """Dense and keyword candidates from outside this process (the Milvus backend): (row, score) lists,
    best first, already restricted to doc_ids. Fusion and every signal stay here."""

    def candidates(
        self, vector: np.ndarray, text: str, tokens: Sequence[str], doc_ids: frozenset[str] | None, k: int
    ) -> tuple[Candidates, Candidates]: ...


@dataclass(frozen=True)
class IndexState:
    """A loaded index version; queries hold a reference, updates swap in a new one."""

    stored: StoredIndex
    dense: VectorIndex
    keyword: KeywordIndex
    headings: dict[int, str] = field(default_factory=dict)  # row -> normalised section path
    candidates: CandidateSource | None = None  # None: search the in-process dense and keyword indexes

    @classmethod
    def from_stored(cls, stored: StoredIndex, dense: VectorIndex | None = None) -> IndexState:
        vectors = dense or FaissIndex.build(stored.vectors, stored.manifest.dimension)
        headings = {row: match_key(c.section_path) for row, c in enumerate(stored.chunks)}
        return cls(stored, vectors, KeywordIndex(stored.tokens), headings)

    @property
    def chunks(self) -> list[Chunk]:
        return self.stored.chunks

    @property
    def docs(self) -> dict[str, DocRecord]:
        return self.stored.docs

    @cached_property
    def doc_chunks(self) -> dict[str, list[Chunk]]:
        """Every chunk of each document in text order (for listing a section's items)."""
        grouped: dict[str, list[Chunk]] = {}
        for chunk in self.chunks:
            grouped.setdefault(chunk.doc_id, []).append(chunk)
        for chunks in grouped.values():
            chunks.sort(key=lambda c: c.start)
        return grouped

    @cached_property
    def metas(self) -> dict[str, DocumentMeta]:
        return {doc_id: record.meta for doc_id, record in self.docs.items()}

    @cached_property
    def titles(self) -> dict[str, str]:
        """doc_id -> normalised title."""
        return {doc_id: match_key(record.meta.title) for doc_id, record in self.docs.items()}

    @cached_property
    def title_runs(self) -> frozenset[str]:
        """Every QUOTE_CHARS-long run of a title: a quoted run among them names a document, not a passage
        (a set, so a query does not scan every title)."""
        return frozenset(
            t[i : i + QUOTE_CHARS] for t in self.titles.values() for i in range(len(t) - QUOTE_CHARS + 1)
        )

    def names_documents(self, term: str, named: Iterable[str]) -> bool:
        """A word of the title of a document the question names (a word of its title), or of several
        titles: it picks documents, which the document preference already does, rather than
        the passage asked about. A title word of no named document (a code word) still counts."""
        key = match_key(term)
        in_titles = [doc_id for doc_id, title in self.titles.items() if key in title]
        return len(in_titles) >= 2 or any(doc_id in named for doc_id in in_titles)

    def rare_terms(self, tokens: Sequence[str], named: Iterable[str] = ()) -> list[str]:
        named = frozenset(named)
        return [t for t in self.keyword.rare_terms(tokens) if not self.names_documents(t, named)]


@dataclass(frozen=True)
class Query:
    text: str
    k: int = 8
    doc_ids: frozenset[str] | None = None  # hard filter
    preferred_docs: frozenset[str] = frozenset()  # soft preference (named in the question)
    heading_terms: tuple[str, ...] = ()
    expansions: tuple[str, ...] = ()  # formal words for the question's colloquial ones (keyword search)

    @property
    def keyword_text(self) -> str:
        return " ".join((self.text, *self.expansions))


class HybridSearcher:
    def __init__(self, embedder: Embedder, weights: FusionWeights | None = None) -> None:
        self.embedder = embedder
        self.weights = weights or FusionWeights()

    def encode(self, text: str) -> np.ndarray:
        vectors = np.asarray(self.embedder.encode([text]), dtype=np.float32)
        return np.asarray(vectors[0])

    def search(self, state: IndexState, query: Query, vector: np.ndarray | None = None) -> list[RankedHit]:
        if not state.chunks:
            return []
        qvec = self.encode(query.text) if vector is None else vector
        tokens = tokenize(query.keyword_text)
        if state.candidates is not None:
            dense, keyword = state.candidates.candidates(
                qvec, query.keyword_text, tokens, query.doc_ids, CANDIDATES
            )
        else:
            depth = CANDIDATES if query.doc_ids is None else state.dense.size
            dense = _keep(state, state.dense.search(qvec, depth), query.doc_ids)[:CANDIDATES]
            keyword = _keep(state, state.keyword.search(tokens, depth), query.doc_ids)[:CANDIDATES]
        terms = query.heading_terms or tuple(_heading_terms(tokens))
        fused = fuse(
            state.chunks,
            dense,
            keyword,
            heading_terms=terms,
            preferred_docs=query.preferred_docs,
            headings_of=state.headings,
            # within a document filter its title words are as uninformative as a named document's
            rare_terms=state.rare_terms(tokens, query.preferred_docs | (query.doc_ids or frozenset())),
            # a run of a document's title names the document, not the passage
            quotes=[q for q in quoted_runs(match_key(query.text)) if q not in state.title_runs],
            weights=self.weights,
        )
        return fused[: query.k]


def _keep(
    state: IndexState, rows: list[tuple[int, float]], doc_ids: frozenset[str] | None
) -> list[tuple[int, float]]:
    if doc_ids is None:
        return rows
    return [(r, s) for r, s in rows if state.chunks[r].doc_id in doc_ids]


def _heading_terms(tokens: Iterable[str]) -> list[str]:
    """Longest distinct content terms; sub-tokens of a longer term would double count. Terms of one
    length keep their text order (a set's order changes from one process to the next)."""
    unique = sorted(dict.fromkeys(match_key(t) for t in tokens if len(t) >= 2), key=len, reverse=True)
    kept: list[str] = []
    for term in unique:
        if not any(term in longer for longer in kept):
            kept.append(term)
    return kept
