"""A naive LangChain RAG pipeline, the reference the project must beat.

Fixed-size chunks (RecursiveCharacterTextSplitter 300/30) of each document's clean text, the same
embedding model, a LangChain FAISS store, top-5; the answer is the top chunk plus "[1]" and it never
abstains. It returns the project's own `Answer` and `Hit` objects so the same metrics score both.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import Any

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.models import Answer, Chunk, Citation, DocumentMeta, Hit

CHUNK_SIZE = 300
CHUNK_OVERLAP = 30
TOP_K = 5

# Heading lines of Chinese policy documents, outermost level first: 一、 / （一） / 1. / 第一条.
_HEADING_LEVELS = (
    re.compile(r"^[一二三四五六七八九十]+、"),
    re.compile(r"^[（(][一二三四五六七八九十]+[）)]"),
    re.compile(r"^\d+[.．、]\D"),
)
_MAX_HEADING_CHARS = 60


def heading_spans(text: str) -> list[tuple[int, int, str]]:
    """(offset, level, heading line) of every short line that looks like a numbered heading."""
    spans = []
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip().lstrip("#-* ")  # raw scrapes mark headings and items up as Markdown
        for level, pattern in enumerate(_HEADING_LEVELS):
            if len(stripped) <= _MAX_HEADING_CHARS and pattern.match(stripped):
                spans.append((offset, level, stripped))
                break
        offset += len(line)
    return spans


def section_at(spans: Sequence[tuple[int, int, str]], position: int) -> tuple[str, ...]:
    """The heading path in force at `position`: the latest heading of each level, outer levels first."""
    path: list[tuple[int, str]] = []
    for offset, level, heading in spans:
        if offset > position:
            break
        path = [(lv, h) for lv, h in path if lv < level] + [(level, heading)]
    return tuple(h for _, h in path)


def _split(docs: Sequence[tuple[DocumentMeta, str]]) -> list[Document]:
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
    )
    pieces: list[Document] = []
    for meta, text in docs:
        spans = heading_spans(text)
        for piece in splitter.create_documents([text], metadatas=[{"doc_id": meta.doc_id}]):
            start = int(piece.metadata["start_index"])
            piece.metadata["section"] = section_at(spans, start)
            piece.metadata["ordinal"] = len(pieces)
            pieces.append(piece)
    return pieces


def _to_chunk(doc: Document) -> Chunk:
    meta: dict[str, Any] = doc.metadata
    start = int(meta["start_index"])
    return Chunk(
        chunk_id=f"baseline-{meta['ordinal']}",
        doc_id=str(meta["doc_id"]),
        section=tuple(meta["section"]),
        text=doc.page_content,
        start=start,
        end=start + len(doc.page_content),
    )


class NaiveBaseline:
    def __init__(self, docs: Sequence[tuple[DocumentMeta, str]], embeddings: Embeddings) -> None:
        if not docs:
            raise ValueError("the baseline needs at least one document")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # langchain-community's sunset notice
            from langchain_community.vectorstores import FAISS
        self._metas = {meta.doc_id: meta for meta, _ in docs}
        self._store = FAISS.from_documents(_split(docs), embeddings)

    def search(self, question: str, k: int = TOP_K) -> list[Hit]:
        found = self._store.similarity_search_with_score(question, k=k)
        # FAISS returns L2 distances; negate so that higher is better, like the project's scores.
        return [Hit(_to_chunk(doc), -float(distance)) for doc, distance in found]

    def answer(self, question: str) -> tuple[Answer, list[Hit]]:
        hits = self.search(question, TOP_K)
        citations = [self._citation(n, hit) for n, hit in enumerate(hits, start=1)]
        text = f"{hits[0].chunk.text} [1]" if hits else ""
        return Answer(answer=text, abstained=False, citations=citations, question_used=question), hits

    def _citation(self, n: int, hit: Hit) -> Citation:
        meta = self._metas[hit.chunk.doc_id]
        return Citation(
            n=n,
            doc_id=meta.doc_id,
            title=meta.title,
            doc_number=meta.doc_number,
            date=meta.date,
            section=hit.chunk.section_path,
            text=hit.chunk.text,
            start=hit.chunk.start,
            end=hit.chunk.end,
            score=hit.score,
        )
