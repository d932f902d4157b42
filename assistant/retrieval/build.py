"""Build or update the index from the corpus folder: incremental (unchanged documents are not
re-embedded), atomic (see persistence), tolerant (an unreadable file is reported, the rest index)."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np

from assistant.engine_api import IngestError
from assistant.ingest.identity import choose_per_identity, name_problem
from assistant.ingest.instructions import find_instructions
from assistant.ingest.limits import LoadLimits
from assistant.ingest.metadata import sidecar_path
from assistant.ingest.pipeline import ParsedDocument, content_hash, discover, ingest_file
from assistant.models import Chunk
from assistant.retrieval.backends import IndexBackend, LocalBackend
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.keyword import tokenize
from assistant.retrieval.persistence import (
    FORMAT_VERSION,
    DocRecord,
    IndexIncompatible,
    IndexMissing,
    Manifest,
    StoredIndex,
)
from assistant.retrieval.store import IndexParams

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
StepState = Literal["embedding", "embedded", "reused", "skipped"]


@dataclass(frozen=True)
class DocumentStep:
    """One corpus file's turn in a build, for progress displays."""

    position: int  # 1-based, of `total` files
    total: int
    name: str
    state: StepState
    chunks: int = 0  # passages being embedded, embedded or reused


DocumentProgress = Callable[[DocumentStep], None]


@dataclass
class BuildReport:
    documents: int = 0
    chunks: int = 0
    embedded_chunks: int = 0
    reused_documents: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    seconds: float = 0.0
    dense_kind: str = "flat"
    version: str = ""  # the version published


@dataclass(frozen=True)
class _DocPart:
    record: DocRecord
    chunks: list[Chunk]
    vectors: np.ndarray
    tokens: list[list[str]]


def _context(chunk: Chunk) -> str:
    """The section path, and the lead-in of an article's items when the chunk does not hold it."""
    return f"{chunk.section_path} {chunk.lead}" if chunk.lead else chunk.section_path


def embedding_text(chunk: Chunk, title: str) -> str:
    """What the dense model sees: the section path (and lead-in) gives a bare item its context."""
    return f"{title} {_context(chunk)}\n{chunk.text}"


def keyword_tokens(chunk: Chunk, title: str) -> list[str]:
    return tokenize(f"{title} {_context(chunk)} {chunk.text}")


def file_hash(path: Path) -> str:
    """The same digest ingest_file records: file bytes plus its sidecar's."""
    side = sidecar_path(path)
    return content_hash(path.read_bytes() + (side.read_bytes() if side.is_file() else b""), None)


def _previous_parts(stored: StoredIndex) -> dict[str, _DocPart]:
    rows: dict[str, list[int]] = {}
    for row, chunk in enumerate(stored.chunks):
        rows.setdefault(chunk.doc_id, []).append(row)
    parts = {}
    for doc_id, record in stored.docs.items():
        idx = rows.get(doc_id, [])
        parts[doc_id] = _DocPart(
            record, [stored.chunks[i] for i in idx], stored.vectors[idx], [stored.tokens[i] for i in idx]
        )
    return parts


def _new_part(parsed: ParsedDocument, digest: str, embedder: Embedder, progress: Progress | None) -> _DocPart:
    title = parsed.meta.title
    texts = [embedding_text(c, title) for c in parsed.chunks]
    vectors = np.zeros((0, embedder.dimension), dtype=np.float32)
    batches = [texts[i : i + 64] for i in range(0, len(texts), 64)]
    for batch in batches:
        vectors = np.vstack([vectors, embedder.encode(batch)])
        if progress:
            progress(len(batch))
    tokens = [keyword_tokens(c, title) for c in parsed.chunks]
    flags = tuple(find_instructions(parsed.text))
    record = DocRecord(parsed.meta, parsed.text, parsed.outline, digest, flags)
    return _DocPart(record, list(parsed.chunks), vectors, tokens)


def load_previous(backend: IndexBackend, embedder: Embedder) -> dict[str, _DocPart]:
    """Parts of the live index that can be reused; nothing when it is missing or built otherwise."""
    try:
        stored = backend.load_previous()
    except IndexMissing:
        return {}
    except (IndexIncompatible, OSError, ValueError, KeyError) as exc:
        log.warning("previous index not reusable (%s); rebuilding everything", exc)
        return {}
    same_model = (
        stored.manifest.model_name == embedder.name and stored.manifest.dimension == embedder.dimension
    )
    same_format = (
        stored.manifest.format_version == FORMAT_VERSION and stored.manifest.parser == parser_stamp()
    )
    return _previous_parts(stored) if same_model and same_format else {}


_PACKAGE = Path(__file__).resolve().parents[1]
# what decides a document's passages, metadata and keyword tokens
_PARSER_SOURCES = ("ingest", "lang/zh", "retrieval/keyword.py", "retrieval/build.py", "models.py")


@lru_cache(maxsize=1)
def parser_stamp() -> str:
    """A digest of the parsing code and its data: an upgraded parser re-reads every document."""
    digest = hashlib.sha256()
    for name in _PARSER_SOURCES:
        path = _PACKAGE / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file() and file.suffix != ".pyc":
                digest.update(file.relative_to(_PACKAGE).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    params: IndexParams | None = None,
    backend: IndexBackend | None = None,
    require: str | None = None,
    limits: LoadLimits | None = None,
    on_document: DocumentProgress | None = None,
) -> tuple[StoredIndex, BuildReport]:
    """Build corpus_dir into a new version and publish it: into index_dir, or into `backend`. With
    `require` (a file name), the build raises IngestError instead of publishing a version that lacks
    that file's document. `progress` counts embedded passages; `on_document` hears each file start and
    finish."""
    started = time.perf_counter()
    report = BuildReport()
    backend = backend or LocalBackend(index_dir)
    previous = {} if rebuild else load_previous(backend, embedder)
    parts: list[_DocPart] = []
    paths = _indexable(discover(corpus_dir), previous, report)
    for position, path in enumerate(paths, start=1):
        announce = _announcer(on_document, position, len(paths), path.name)
        part = _document_part(path, previous, embedder, progress, report, announce, limits)
        if part is not None:
            parts.append(part)
    if require is not None and require not in {p.record.meta.source for p in parts}:
        reasons = [reason for name, reason in report.errors if name == require]
        raise IngestError(f"{require}: {reasons[0] if reasons else '未能编入索引 / not indexed'}")
    stored, report.version = backend.publish(_assemble(parts, embedder), params)
    report.documents = len(parts)
    report.chunks = len(stored.chunks)
    report.dense_kind = stored.manifest.dense_kind
    report.seconds = time.perf_counter() - started
    return stored, report


def _skip(report: BuildReport, name: str, reason: str) -> None:
    report.errors.append((name, reason))
    log.warning("skipped %s: %s", name, reason)


def _indexable(paths: Sequence[Path], previous: dict[str, _DocPart], report: BuildReport) -> list[Path]:
    """Files whose names can be written and deleted safely, one per document identity: of two files
    that would share a doc_id, the one already indexed stays and the other is reported, never merged."""
    usable = []
    for path in paths:
        problem = name_problem(path.name)
        if problem is None:
            usable.append(path)
        else:
            _skip(report, path.name, problem)
    indexed = [part.record.meta.source for part in previous.values()]
    kept, collisions = choose_per_identity([p.name for p in usable], indexed)
    for collision in collisions:
        _skip(report, collision.name, collision.reason)
    by_name = {p.name: p for p in usable}
    return [by_name[name] for name in kept]


def _document_part(
    path: Path,
    previous: dict[str, _DocPart],
    embedder: Embedder,
    progress: Progress | None,
    report: BuildReport,
    announce: Callable[[StepState, int], None],
    limits: LoadLimits | None = None,
) -> _DocPart | None:
    try:
        digest = file_hash(path)
        old = previous.get(path.stem)
        # The same bytes under another name (a replace of case.md by case.txt) still need new metadata.
        if old is not None and old.record.content_hash == digest and old.record.meta.source == path.name:
            report.reused_documents.append(path.stem)
            announce("reused", len(old.chunks))
            return old
        parsed = ingest_file(path, limits=limits)
        announce("embedding", len(parsed.chunks))
        part = _new_part(parsed, digest, embedder, progress)
    except (IngestError, OSError, UnicodeError, ValueError) as exc:
        _skip(report, path.name, str(exc))
        announce("skipped", 0)
        return None
    report.embedded_chunks += len(part.chunks)
    announce("embedded", len(part.chunks))
    return part


def empty_index(embedder: Embedder) -> StoredIndex:
    """A version with no documents (a replica waiting for the writer's first version)."""
    return _assemble([], embedder)


def _announcer(
    on_document: DocumentProgress | None, position: int, total: int, name: str
) -> Callable[[StepState, int], None]:
    def announce(state: StepState, chunks: int) -> None:
        if on_document is not None:
            on_document(DocumentStep(position, total, name, state, chunks))

    return announce


def _assemble(parts: Sequence[_DocPart], embedder: Embedder) -> StoredIndex:
    chunks = [c for p in parts for c in p.chunks]
    tokens = [t for p in parts for t in p.tokens]
    vectors = (
        np.vstack([p.vectors for p in parts]).astype(np.float32)
        if parts
        else np.zeros((0, embedder.dimension), dtype=np.float32)
    )
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        model_name=embedder.name,
        dimension=embedder.dimension,
        created=time.time(),
        documents={p.record.meta.doc_id: p.record.content_hash for p in parts},
        n_chunks=len(chunks),
        parser=parser_stamp(),
    )
    return StoredIndex(manifest, {p.record.meta.doc_id: p.record for p in parts}, chunks, vectors, tokens)
