"""The question-answering engine: one loaded index snapshot, the model, and the answerers.

Reads take a reference to the current immutable `IndexState`; writes (upload, delete, rebuild) run under
a lock (and a file lock across processes), build a new version on disk atomically, then swap it in.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.answering.abstain import Thresholds
from assistant.answering.answerer import ExtractiveAnswerer, Outcome
from assistant.answering.draft import Evidence, _citation
from assistant.answering.normalize import normalise_question
from assistant.config import Settings
from assistant.engine_api import DocumentInfo, IngestError, Message, StreamEvent, UnknownDocument
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_bytes
from assistant.ingest.pipeline import parse_text
from assistant.models import Answer, Citation, DocumentMeta, Hit
from assistant.retrieval.build import BuildReport, build_index
from assistant.retrieval.embedder import Embedder, SentenceTransformerEmbedder
from assistant.retrieval.persistence import (
    IndexMissing,
    check_compatible,
    current_version,
    load_index,
    read_manifest,
)
from assistant.retrieval.searcher import HybridSearcher, IndexState
from assistant.retrieval.store import FaissIndex

log = logging.getLogger(__name__)
_SAFE_NAME = re.compile(r"^[\w\u4e00-\u9fff][\w\u4e00-\u9fff.()（）《》\-\s]{0,150}$")
LLM_SOURCES = 6


@contextlib.contextmanager
def index_lock(index_dir: Path) -> Iterator[None]:
    """Serialise index writers across processes (CLI, several server workers)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# A write (upload, delete) changes the corpus first and commits by switching CURRENT. In between, this
# journal names the change and the version it started from, so that after a crash the corpus is put back
# (the client was never told the write succeeded) instead of leaking into the next unrelated rebuild.
PENDING = "PENDING"


def _write_journal(index_dir: Path, record: dict[str, str | None]) -> None:
    _atomic_write(index_dir / PENDING, json.dumps(record, ensure_ascii=False).encode("utf-8"))


def _clear_journal(index_dir: Path) -> None:
    (index_dir / PENDING).unlink(missing_ok=True)


def recover_interrupted_write(index_dir: Path, *, after_crash: bool = True) -> bool:
    """Settle the journalled write, under index_lock: keep it when CURRENT moved past the version it
    started from (it committed), else put the corpus back. The writer calls this itself when it finishes
    or fails (after_crash=False); startup and the next writer call it for a writer that died.

    Returns True when there was a journal to settle.
    """
    try:
        record = json.loads((index_dir / PENDING).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    live = current_version(index_dir)
    source = Path(record["source"])
    stash = Path(record["stash"]) if record.get("stash") else None
    committed = (live.root.name if live else "") != record["base"]
    if committed:  # CURRENT moved on: the write is live, only the replaced file's link is left over
        if record["op"] == "add" and stash is not None:
            stash.unlink(missing_ok=True)
    elif stash is None:  # an upload of a new file
        source.unlink(missing_ok=True)
    elif stash.exists():  # the replaced file (upload) or the trashed one (delete) goes back
        os.replace(stash, source)
    _tmp_name(source).unlink(missing_ok=True)
    _fsync_dir(source.parent)
    _clear_journal(index_dir)
    if after_crash or not committed:
        why = "interrupted" if after_crash else "failed"
        log.warning(
            "%s the %s %s of %s", "kept" if committed else "rolled back", why, record["op"], source.name
        )
    return True


def _recover_if_needed(index_dir: Path) -> None:
    # A stat first: readers (`policyqa ask`, every worker start) only take the lock when there is work.
    if (index_dir / PENDING).exists():
        with index_lock(index_dir):
            recover_interrupted_write(index_dir)


def load_state(index_dir: Path, model_name: str) -> IndexState:
    check_compatible(read_manifest(index_dir), model_name)
    stored, files = load_index(index_dir)
    dense = FaissIndex.load(files.dense) if files.dense.is_file() else None
    return IndexState.from_stored(stored, dense)


class Engine:
    """Implements assistant.engine_api.QAEngine over the real index."""

    def __init__(self, settings: Settings, embedder: Embedder, state: IndexState) -> None:
        self.settings = settings
        self.embedder = embedder
        self.model_name = embedder.name
        self._state = state
        self._version = self._live_version()
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
        cls, settings: Settings, build_if_missing: bool = True, embedder: Embedder | None = None
    ) -> Engine:
        model = embedder or SentenceTransformerEmbedder(
            settings.embedding_model,
            settings.embedding_device,
            settings.embedding_batch_size,
            **settings.embedder_options(),
        )
        _recover_if_needed(settings.index_dir)
        try:
            state = load_state(settings.index_dir, model.name)
        except IndexMissing:
            if not build_if_missing:
                raise
            log.warning("no index in %s; building it from %s", settings.index_dir, settings.corpus_dir)
            with index_lock(settings.index_dir):
                stored, report = build_index(settings.corpus_dir, settings.index_dir, model)
            state = IndexState.from_stored(stored)
            engine = cls(settings, model, state)
            engine.last_build = report
            return engine
        return cls(settings, model, state)

    def _live_version(self) -> str:
        files = current_version(self.settings.index_dir)
        return files.root.name if files else ""

    @property
    def state(self) -> IndexState:
        """The current snapshot; picks up a version another process (worker, CLI) has switched to."""
        live = self._live_version()
        if live and live != self._version:
            with self._write_lock:
                if live != self._version:
                    self._state = load_state(self.settings.index_dir, self.model_name)
                    self._version = live
        return self._state

    # --- questions ---------------------------------------------------------------------------------

    def ask(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Answer:
        outcome = self._extractive(question, history, doc_ids)
        if self.llm is None or outcome.answer.abstained:
            return outcome.answer
        answer: Answer = self.llm.answer(outcome.answer.question_used, self._sources(outcome), outcome.answer)
        return answer

    def ask_stream(
        self, question: str, history: Sequence[Message] = (), doc_ids: Sequence[str] | None = None
    ) -> Iterator[StreamEvent]:
        outcome = self._extractive(question, history, doc_ids)
        if self.llm is not None and not outcome.answer.abstained:
            sources = self._sources(outcome)
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
        return self._extractive(question, history, doc_ids)

    def _extractive(
        self, question: str, history: Sequence[Message], doc_ids: Sequence[str] | None
    ) -> Outcome:
        state = self.state
        self._check_doc_ids(state, doc_ids)
        if self.llm is not None and history:
            rewritten = self.llm.rewrite_followup(question, history)
            if rewritten:
                return self.answerer.answer(state, rewritten, (), doc_ids)
        return self.answerer.answer(state, question, history, doc_ids)

    def _sources(self, outcome: Outcome) -> list[Citation]:
        metas = self.state.metas
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
        return [DocumentInfo(r.meta, counts.get(d, 0), r.outline) for d, r in sorted(state.docs.items())]

    def document(self, doc_id: str) -> DocumentInfo:
        for info in self.documents():
            if info.meta.doc_id == doc_id:
                return info
        raise UnknownDocument(f"unknown doc_id: {doc_id}")

    def parsed_documents(self) -> list[tuple[DocumentMeta, str]]:
        return [(r.meta, r.text) for _, r in sorted(self.state.docs.items())]

    def add_document(self, filename: str, data: bytes) -> DocumentInfo:
        name = _safe_filename(filename)
        parsed = parse_text(Path(name).stem, name, load_bytes(name, data))  # validate before touching disk
        if not parsed.chunks:
            raise IngestError(f"{name}: 文件中没有可检索的正文 / no indexable text")
        target = (self.settings.corpus_dir / name).absolute()
        index_dir = self.settings.index_dir
        with self._write_lock, index_lock(index_dir):
            recover_interrupted_write(index_dir)
            # A replaced file stays reachable through a hard link until the new version is live; the
            # journal names the link first, so a crash between the two leaves nothing behind.
            stash = target.with_name(f".{target.name}.previous") if target.exists() else None
            self._journal("add", target, stash)
            if stash is not None:
                stash.unlink(missing_ok=True)
                os.link(target, stash)
            _atomic_write(target, data)
            try:
                self._rebuild()
            finally:
                # Rolls the corpus back when the rebuild failed before switching CURRENT, else tidies up.
                recover_interrupted_write(index_dir, after_crash=False)
        return self.document(Path(name).stem)

    def delete_document(self, doc_id: str) -> None:
        record = self.state.docs.get(doc_id)
        if record is None:
            raise UnknownDocument(f"unknown doc_id: {doc_id}")
        source = (self.settings.corpus_dir / record.meta.source).absolute()
        trash = (
            self.settings.data_dir / "deleted" / f"{time.strftime('%Y%m%d%H%M%S')}-{record.meta.source}"
        ).absolute()
        index_dir = self.settings.index_dir
        with self._write_lock, index_lock(index_dir):
            recover_interrupted_write(index_dir)
            trash.parent.mkdir(parents=True, exist_ok=True)
            self._journal("delete", source, trash)
            if source.exists():
                os.replace(source, trash)  # kept, not destroyed: deleting loses nothing
                _fsync_dir(source.parent)
            try:
                self._rebuild()
            finally:
                recover_interrupted_write(index_dir, after_crash=False)

    def _journal(self, op: str, source: Path, stash: Path | None) -> None:
        live = current_version(self.settings.index_dir)
        base = live.root.name if live else ""
        record = {"op": op, "base": base, "source": str(source), "stash": str(stash) if stash else None}
        _write_journal(self.settings.index_dir, record)

    def _rebuild(self) -> None:
        stored, report = build_index(self.settings.corpus_dir, self.settings.index_dir, self.embedder)
        self._state = IndexState.from_stored(stored)
        self._version = self._live_version()
        self.last_build = report

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


def _safe_filename(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name.strip()
    if not name or not _SAFE_NAME.match(name) or name.startswith("."):
        raise IngestError(f"不支持的文件名 / unsupported file name: {filename!r}")
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise IngestError(f"{name}: 不支持的文件类型，支持 {' '.join(SUPPORTED_SUFFIXES)}")
    return name


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp")


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(path)
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)  # the rename itself must be durable before the write is acknowledged


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_llm(settings: Settings) -> Any:
    if not settings.llm_enabled:
        return None
    from assistant.answering.llm import LLMAnswerer

    return LLMAnswerer(settings)
