"""The question-answering engine: one loaded index snapshot, the model, and the answerers.

Reads take a reference to the current immutable `IndexState`; writes (upload, delete) go through
`assistant.indexing` (lock, journal, atomic publish), and the engine swaps in the version they published.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from assistant import indexing
from assistant.answering.abstain import Thresholds
from assistant.answering.answerer import ExtractiveAnswerer, Outcome
from assistant.answering.draft import Evidence, _citation
from assistant.answering.normalize import normalise_question
from assistant.config import Settings
from assistant.engine_api import (
    DocumentInfo,
    DocumentText,
    Message,
    MetadataPatch,
    StreamEvent,
    UnknownDocument,
)
from assistant.ingest.pipeline import discover, outline_of
from assistant.models import Answer, Citation, DocumentMeta, Hit
from assistant.passages import exact_answer, exact_events
from assistant.progress import ProgressDisplay
from assistant.retrieval.backends import LocalBackend, open_backend
from assistant.retrieval.build import BuildReport, empty_index
from assistant.retrieval.embedder import Embedder, SentenceTransformerEmbedder
from assistant.retrieval.persistence import IndexMissing, IndexOutdated
from assistant.retrieval.searcher import HybridSearcher, IndexState

log = logging.getLogger(__name__)
# Milestones of a start a person waits for; "policyqa.*" records are shown at INFO by `policyqa serve`.
STARTUP_LOG = logging.getLogger("policyqa.engine")
LLM_SOURCES = 6


def load_state(index_dir: Path, model_name: str) -> IndexState:
    return LocalBackend(index_dir).load(model_name)


class Engine:
    """Implements assistant.engine_api.QAEngine over the real index."""

    def __init__(self, settings: Settings, embedder: Embedder, state: IndexState) -> None:
        self.settings = settings
        self.embedder = embedder
        self.model_name = embedder.name
        self.backend = open_backend(settings)
        self._state = state
        self._version = self.backend.live_version()
        self._write_lock = threading.Lock()
        self.searcher = HybridSearcher(embedder)
        self.answerer = ExtractiveAnswerer(
            self.searcher,
            Thresholds(settings.min_dense, settings.min_coverage),
            k=settings.top_k + 2,
            profile=settings.profile(),
        )
        self.llm = _make_llm(settings)
        self.last_build: BuildReport | None = None

    # --- construction ------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        settings: Settings,
        build_if_missing: bool = True,
        embedder: Embedder | None = None,
        display: ProgressDisplay | None = None,
    ) -> Engine:
        """Load the model and the index (building it when missing). `display` shows both steps."""
        model = embedder or _load_embedder(settings, display)
        indexing.recover_if_needed(settings)
        try:
            state = open_backend(settings).load(model.name)
        except (IndexMissing, IndexOutdated) as exc:
            if not build_if_missing:
                raise
            if settings.vector_store == "milvus" and not (
                settings.corpus_dir.is_dir() and discover(settings.corpus_dir)
            ):
                if isinstance(exc, IndexOutdated):
                    raise  # a replica cannot rebuild: the message names the rebuild command
                # A replica: nothing to build from; it serves the writer's first version once published.
                log.warning("no index in Milvus yet; waiting for a writer to publish one")
                return cls(settings, model, IndexState.from_stored(empty_index(model)))
            reason = "no index" if isinstance(exc, IndexMissing) else "an index of an older format"
            log.warning("%s in %s; building it from %s", reason, settings.index_dir, settings.corpus_dir)
            with display.build("building the index") if display else nullcontext() as bars:
                result = indexing.build_missing(
                    settings, model, bars.chunks if bars else None, bars.document if bars else None
                )
            report = result.report
            STARTUP_LOG.info(
                "index built: %d documents, %d passages in %.1f s",
                report.documents,
                report.chunks,
                report.seconds,
            )
            engine = cls(settings, model, IndexState.from_stored(result.stored))
            engine.last_build = report
            return engine
        return cls(settings, model, state)

    @property
    def state(self) -> IndexState:
        """The current snapshot; picks up a version another process (worker, CLI, replica) published."""
        live = self.backend.poll_version()
        if live and live != self._version:
            with self._write_lock:
                if live != self._version:
                    self._state = self.backend.load(self.model_name)
                    self._version = live
        return self._state

    # --- questions ---------------------------------------------------------------------------------

    def ask(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Answer:
        state = self.state
        outcome = self._extractive(state, question, history, doc_ids)
        if self.llm is None or outcome.answer.abstained:
            return exact_answer(outcome.answer, _text_of(state))
        answer: Answer = self.llm.answer(
            outcome.answer.question_used, self._sources(state, outcome), outcome.answer
        )
        return exact_answer(answer, _text_of(state))

    def ask_stream(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Iterator[StreamEvent]:
        state = self.state
        return exact_events(self._events(state, question, history, doc_ids), _text_of(state))

    def _events(
        self, state: IndexState, question: str, history: Sequence[Message], doc_ids: Sequence[str] | None
    ) -> Iterator[StreamEvent]:
        outcome = self._extractive(state, question, history, doc_ids)
        if self.llm is not None and not outcome.answer.abstained:
            sources = self._sources(state, outcome)
            yield StreamEvent("citations", [c.to_dict() for c in sources])
            yield from self.llm.stream(outcome.answer.question_used, sources, outcome.answer)
            return
        answer = outcome.answer
        yield StreamEvent("citations", [c.to_dict() for c in answer.citations])
        for line in answer.answer.splitlines(keepends=True):
            yield StreamEvent("delta", line)
        yield StreamEvent("done", answer)

    def explain(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Outcome:
        """The extractive outcome with its ranked evidence (for the eval, the bench and debugging)."""
        return self._extractive(self.state, question, history, doc_ids)

    def _extractive(
        self, state: IndexState, question: str, history: Sequence[Message], doc_ids: Sequence[str] | None
    ) -> Outcome:
        self._check_doc_ids(state, doc_ids)
        if self.llm is not None and history:
            rewritten = self.llm.rewrite_followup(question, history)
            if rewritten:
                return self.answerer.answer(state, rewritten, (), doc_ids)
        return self.answerer.answer(state, question, history, doc_ids)

    def _sources(self, state: IndexState, outcome: Outcome) -> list[Citation]:
        metas = state.metas
        return [
            _citation(n, Evidence(h.chunk, h.score), metas.get(h.chunk.doc_id))
            for n, h in enumerate(outcome.hits[:LLM_SOURCES], start=1)
        ]

    def search(self, query: str, k: int = 8, doc_ids: Sequence[str] | None = None) -> list[Hit]:
        state = self.state
        self._check_doc_ids(state, doc_ids)
        text = normalise_question(query)
        ranked = self.searcher.search(state, self.answerer.query_for(state, text, k, doc_ids))
        return [h.hit for h in ranked]

    @staticmethod
    def _check_doc_ids(state: IndexState, doc_ids: Sequence[str] | None) -> None:
        unknown = [d for d in doc_ids or () if d not in state.docs]
        if unknown:
            raise UnknownDocument(f"unknown doc_id: {', '.join(unknown)}")

    # --- documents ---------------------------------------------------------------------------------

    def documents(self) -> list[DocumentInfo]:
        state = self.state
        counts: dict[str, int] = {}
        for chunk in state.chunks:
            counts[chunk.doc_id] = counts.get(chunk.doc_id, 0) + 1
        return [
            DocumentInfo(r.meta, counts.get(d, 0), r.outline, r.flagged)
            for d, r in sorted(state.docs.items())
        ]

    def document(self, doc_id: str) -> DocumentInfo:
        for info in self.documents():
            if info.meta.doc_id == doc_id:
                return info
        raise UnknownDocument(f"unknown doc_id: {doc_id}")

    def document_text(self, doc_id: str) -> DocumentText:
        record = self.state.docs.get(doc_id)
        if record is None:
            raise UnknownDocument(f"unknown doc_id: {doc_id}")
        # Derived from the stored text rather than read from the index: indexes built before outlines
        # carried offsets keep their records across incremental builds.
        return DocumentText(record.meta, record.text, outline_of(record.text))

    def parsed_documents(self) -> list[tuple[DocumentMeta, str]]:
        return [(r.meta, r.text) for _, r in sorted(self.state.docs.items())]

    def add_document(
        self, filename: str, data: bytes, replace: bool = False, metadata: MetadataPatch | None = None
    ) -> DocumentInfo:
        """Index an upload; a file that is the same document as one in the corpus is refused with
        DocumentExists unless `replace` (see indexing.add_document). `metadata` corrections go into
        its sidecar in the same write."""
        with self._write_lock:
            result = indexing.add_document(
                self.settings, self.embedder, filename, data, replace=replace, metadata=metadata
            )
            self._install(result)
        return dataclasses.replace(self.document(result.doc_id), replaced=result.replaced)

    def update_metadata(self, doc_id: str, patch: MetadataPatch) -> DocumentInfo:
        if doc_id not in self.state.docs:
            raise UnknownDocument(f"unknown doc_id: {doc_id}")
        with self._write_lock:
            self._install(indexing.update_metadata(self.settings, self.embedder, doc_id, patch))
        return self.document(doc_id)

    def delete_document(self, doc_id: str) -> None:
        if doc_id not in self.state.docs:
            raise UnknownDocument(f"unknown doc_id: {doc_id}")
        with self._write_lock:
            self._install(indexing.delete_document(self.settings, self.embedder, doc_id))

    def _install(self, result: indexing.WriteResult) -> None:
        """Serve the version this process just published (under _write_lock)."""
        self._state = IndexState.from_stored(result.stored)
        self._version = result.version
        self.last_build = result.report

    def stats(self) -> dict[str, Any]:
        state = self.state
        return {
            "documents": len(state.docs),
            "chunks": len(state.chunks),
            "model": self.model_name,
            "dimension": self.embedder.dimension,
            "mode": "llm" if self.llm is not None else "extractive",
            "index_version": self._version,
        }


def _load_embedder(settings: Settings, display: ProgressDisplay | None) -> Embedder:
    started = time.perf_counter()
    # The first start exports the model to ONNX (about a minute on 2 cores); later starts load the export.
    text = f"loading the embedding model {settings.embedding_model} (the first start exports it to ONNX)"
    with display.stage(text) if display else nullcontext():
        model = SentenceTransformerEmbedder(
            settings.embedding_model,
            settings.embedding_device,
            settings.embedding_batch_size,
            **settings.embedder_options(),
        )
    STARTUP_LOG.info("embedding model %s ready in %.1f s", model.name, time.perf_counter() - started)
    return model


def _text_of(state: IndexState) -> Callable[[str], str | None]:
    def text_of(doc_id: str) -> str | None:
        record = state.docs.get(doc_id)
        return record.text if record else None

    return text_of


def _make_llm(settings: Settings) -> Any:
    if not settings.llm_enabled:
        return None
    from assistant.answering.llm import LLMAnswerer

    return LLMAnswerer(settings)
