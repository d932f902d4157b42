"""The write path: every change to the index (upload, delete, `policyqa index`) goes through here.

A write runs under a file lock (writers in several processes: CLI, server workers), changes the corpus,
rebuilds the index and publishes the new version by switching CURRENT. A journal (`index/PENDING`) names
the corpus change and the version it started from, so a writer that dies before the switch is rolled back
(its client never got a 2xx) and one that dies after it is kept. Readers (the engine) never write; they
take the returned snapshot or pick up the new version on their next request.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import logging
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.corrections import corrected, sidecar_bytes
from assistant.engine_api import (
    DocumentExists,
    IngestError,
    InvalidFileName,
    MetadataPatch,
    Replaced,
    UnknownDocument,
)
from assistant.ingest.identity import TRASH_STAMP, name_problem, same_identity, temporary_name, trash_name
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_document
from assistant.ingest.metadata import load_sidecar, sidecar_path
from assistant.ingest.pipeline import discover, parse_text
from assistant.retrieval.backends import IndexBackend, open_backend
from assistant.retrieval.build import BuildReport, DocumentProgress, Progress, build_index
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.persistence import IndexMissing, StoredIndex

log = logging.getLogger(__name__)
Moves = Sequence[tuple[Path, Path]]  # (corpus file, where it is set aside under <data_dir>/deleted)
Written = Sequence[tuple[Path, Path | None]]  # (corpus file written in place, hard link to what it replaces)

# A write (upload, delete) changes the corpus first and commits by switching CURRENT. In between, this
# journal names the change and the version it started from, so that after a crash the corpus is put back
# (the client was never told the write succeeded) instead of leaking into the next unrelated rebuild.
PENDING = "PENDING"


@dataclass(frozen=True)
class WriteResult:
    """The version a write published: the engine swaps it in without reading it back."""

    stored: StoredIndex
    report: BuildReport
    version: str
    doc_id: str = ""  # the document written, when there is one
    replaced: tuple[Replaced, ...] = ()  # files an upload replaced, kept under <data_dir>/deleted


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


def live_version(settings: Settings) -> str:
    """The published version writes start from and commit by moving past."""
    return open_backend(settings).live_version()


# --- journal ---------------------------------------------------------------------------------------


def write_journal(
    settings: Settings, op: str, source: Path, stash: Path | None, moves: Moves = (), also: Written = ()
) -> None:
    """Name the corpus change about to happen and the version it starts from (under index_lock):
    `source` is written (add) or removed (delete); `stash` is a hard link to the file `source` replaces
    in place; `moves` are files set aside into the trash; `also` are further files the same write puts
    in place (an upload's metadata sidecar), each with the link to the file it replaces."""
    record: dict[str, Any] = {
        "op": op,
        "base": live_version(settings),
        "source": str(source),
        "stash": str(stash) if stash else None,
        "moves": [[str(src), str(dst)] for src, dst in moves],
        "also": [[str(path), str(link) if link else None] for path, link in also],
    }
    atomic_write(settings.index_dir / PENDING, json.dumps(record, ensure_ascii=False).encode("utf-8"))


def _clear_journal(index_dir: Path) -> None:
    (index_dir / PENDING).unlink(missing_ok=True)


def recover_interrupted_write(settings: Settings, *, after_crash: bool = True) -> bool:
    """Settle the journalled write, under index_lock: keep it when CURRENT moved past the version it
    started from (it committed), else put the corpus back. The writer calls this itself when it finishes
    or fails (after_crash=False); startup and the next writer call it for a writer that died.

    Returns True when there was a journal to settle.
    """
    index_dir = settings.index_dir
    try:
        record = json.loads((index_dir / PENDING).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    source = Path(record["source"])
    stash = Path(record["stash"]) if record.get("stash") else None
    moves = [(Path(src), Path(dst)) for src, dst in record.get("moves", [])]
    also = [(Path(path), Path(link) if link else None) for path, link in record.get("also", [])]
    if record["op"] == "delete" and stash is not None:  # journals from before "moves" trashed via stash
        moves, stash = [(source, stash)], None
    committed = live_version(settings) != record["base"]
    if committed:  # CURRENT moved on: the write is live, only the replaced file's link is left over
        for link in (stash, *(link for _, link in also)):
            if link is not None:
                link.unlink(missing_ok=True)
    else:
        _roll_back_also(also)
        _roll_back(record["op"], source, stash, moves)
    for path in (source, *(path for path, _ in also)):
        tmp_name(path).unlink(missing_ok=True)
    for folder in {source.parent, *(dst.parent for _, dst in moves if dst.parent.is_dir())}:
        fsync_dir(folder)
    _clear_journal(index_dir)
    if after_crash or not committed:
        why = "interrupted" if after_crash else "failed"
        log.warning(
            "%s the %s %s of %s", "kept" if committed else "rolled back", why, record["op"], source.name
        )
    return True


def _roll_back(op: str, source: Path, stash: Path | None, moves: Moves) -> None:
    """Undo an uncommitted write: the replaced file comes back, an upload goes, set-aside files return."""
    if stash is not None:
        if stash.exists():
            os.replace(stash, source)
    elif op == "add":
        set_aside = [dst for src, dst in moves if src == source]
        # `source` holds the upload unless it is a replaced file that was never moved away.
        if not set_aside or set_aside[0].exists():
            source.unlink(missing_ok=True)
    for src, dst in reversed(moves):
        if dst.exists() and not src.exists():
            os.replace(dst, src)


def _roll_back_also(also: Written) -> None:
    for path, link in also:
        if link is None:
            path.unlink(missing_ok=True)
        elif link.exists():
            os.replace(link, path)


def recover_if_needed(settings: Settings) -> None:
    # A stat first: readers (`policyqa ask`, every worker start) only take the lock when there is work.
    if (settings.index_dir / PENDING).exists():
        with index_lock(settings.index_dir):
            recover_interrupted_write(settings)


# --- writes ----------------------------------------------------------------------------------------


def rebuild(
    settings: Settings,
    embedder: Embedder,
    *,
    full: bool = False,
    progress: Progress | None = None,
    on_document: DocumentProgress | None = None,
) -> WriteResult:
    """`policyqa index`: settle a dead writer's journal, then build the corpus folder into a new version."""
    with index_lock(settings.index_dir):
        recover_interrupted_write(settings)  # an upload/delete a dead server left half done
        return _build(settings, embedder, full=full, progress=progress, sync=True, on_document=on_document)


def build_missing(
    settings: Settings,
    embedder: Embedder,
    progress: Progress | None = None,
    on_document: DocumentProgress | None = None,
) -> WriteResult:
    """The first build of a serving process that found no index."""
    with index_lock(settings.index_dir):
        return _build(settings, embedder, progress=progress, on_document=on_document)


def add_document(
    settings: Settings,
    embedder: Embedder,
    filename: str,
    data: bytes,
    *,
    replace: bool = False,
    metadata: MetadataPatch | None = None,
) -> WriteResult:
    """Validate an upload, then put it into the corpus and publish. A file that is the same document as
    one already there (same name, or a name with the same identity key: case.txt / case.md) raises
    DocumentExists unless `replace`; replaced files are kept under <data_dir>/deleted like deleted ones,
    and the version is published only if it holds the upload. `metadata` corrections are merged into the
    document's sidecar in the same journalled write."""
    name = safe_filename(filename)
    # Validate before touching disk; the build below finds this read among the loaders' recent files.
    parsed = parse_text(Path(name).stem, name, load_document(name, data, settings.load_limits()))
    if not parsed.chunks:
        raise IngestError(f"{name}: 文件中没有可检索的正文 / no indexable text")
    corpus = settings.corpus_dir.absolute()
    with index_lock(settings.index_dir):
        recover_interrupted_write(settings)
        existing = same_identity(name, corpus_names(corpus))
        if existing and not replace:
            raise DocumentExists(name, existing[0])
        moves = set_aside(settings, corpus, existing)
        side = _sidecar_write(corpus / name, parsed.meta, metadata)
        also = [(side[0], stash_for(side[0]))] if side else []
        write_journal(settings, "add", corpus / name, None, moves, also)  # before the corpus changes
        link_all(also)
        move_all(moves)
        atomic_write(corpus / name, data)
        if side:
            atomic_write(*side)
        try:
            result = _build(settings, embedder, require=name)
        finally:
            # Rolls the corpus back when the rebuild failed before switching CURRENT, else tidies up.
            recover_interrupted_write(settings, after_crash=False)
    kept = tuple(
        Replaced(src.name, dst.relative_to(settings.data_dir.absolute()).as_posix()) for src, dst in moves
    )
    return dataclasses.replace(result, doc_id=Path(name).stem, replaced=kept)


def _sidecar_write(target: Path, meta: Any, metadata: MetadataPatch | None) -> tuple[Path, bytes] | None:
    """The sidecar an upload's metadata fields make: merged into the one there (MetadataError if a
    value is not acceptable)."""
    if not metadata:
        return None
    return sidecar_path(target), sidecar_bytes(corrected(meta, load_sidecar(target), metadata))


def update_metadata(settings: Settings, embedder: Embedder, doc_id: str, patch: MetadataPatch) -> WriteResult:
    """Correct a document's metadata: its sidecar, merged and rewritten under the lock, then publish."""
    with index_lock(settings.index_dir):
        recover_interrupted_write(settings)
        record = open_backend(settings).load_previous().docs.get(doc_id)
        if record is None:
            raise UnknownDocument(f"unknown doc_id: {doc_id}")
        source = (settings.corpus_dir / record.meta.source).absolute()
        overrides = corrected(record.meta, load_sidecar(source), patch)
        result = _put_file(settings, embedder, sidecar_path(source), sidecar_bytes(overrides))
    return dataclasses.replace(result, doc_id=doc_id)


def put_file(settings: Settings, embedder: Embedder, target: Path, data: bytes) -> WriteResult:
    """Write one corpus file (a document or its sidecar) and publish the rebuilt index, journalled."""
    with index_lock(settings.index_dir):
        recover_interrupted_write(settings)
        return _put_file(settings, embedder, target, data)


def _put_file(settings: Settings, embedder: Embedder, target: Path, data: bytes) -> WriteResult:
    # A replaced file stays reachable through a hard link until the new version is live; the journal
    # names the link first, so a crash between the two leaves nothing behind. Called under index_lock.
    stash = stash_for(target)
    write_journal(settings, "add", target, stash)
    link_all([(target, stash)])
    atomic_write(target, data)
    try:
        return _build(settings, embedder)
    finally:
        # Rolls the corpus back when the rebuild failed before switching CURRENT, else tidies up.
        recover_interrupted_write(settings, after_crash=False)


def delete_document(settings: Settings, embedder: Embedder, doc_id: str) -> WriteResult:
    """Move a document's file to `<data_dir>/deleted/` (kept, not destroyed) and publish. Every file that
    is this document goes, or a skipped twin (case.md beside case.txt) would take its place."""
    index_dir = settings.index_dir
    corpus = settings.corpus_dir.absolute()
    with index_lock(index_dir):
        recover_interrupted_write(settings)
        record = open_backend(settings).load_previous().docs.get(doc_id)
        if record is None:
            raise UnknownDocument(f"unknown doc_id: {doc_id}")
        names = same_identity(record.meta.source, corpus_names(corpus)) or [record.meta.source]
        moves = set_aside(settings, corpus, names)
        # Corrections go with the document: a later file of that name starts from its own metadata.
        moves += [(sidecar_path(a), sidecar_path(b)) for a, b in moves if sidecar_path(a).exists()]
        write_journal(settings, "delete", corpus / record.meta.source, None, moves)
        move_all(moves)  # kept, not destroyed: deleting loses nothing
        try:
            return _build(settings, embedder)
        finally:
            recover_interrupted_write(settings, after_crash=False)


def _build(
    settings: Settings,
    embedder: Embedder,
    *,
    full: bool = False,
    progress: Progress | None = None,
    sync: bool = False,
    require: str | None = None,
    on_document: DocumentProgress | None = None,
) -> WriteResult:
    """Build the corpus folder into a new version. `sync` (`policyqa index`): files removed from the
    folder leave the index; otherwise (an upload or delete) the folder must hold every indexed file."""
    backend = open_backend(settings)
    if settings.vector_store == "milvus":
        _check_writer(settings, backend, sync)
    stored, report = build_index(
        settings.corpus_dir,
        settings.index_dir,
        embedder,
        rebuild=full,
        progress=progress,
        backend=backend,
        require=require,
        limits=settings.load_limits(),
        on_document=on_document,
    )
    return WriteResult(stored, report, report.version)


def _check_writer(settings: Settings, backend: IndexBackend, sync: bool) -> None:
    """A shared index is rebuilt from the writer's corpus folder: a replica without it (an empty
    folder) would publish a version that lacks every other document, so it refuses to write."""
    try:
        live = list(backend.load_previous().docs.values())
    except IndexMissing:
        return
    missing = [r.meta.source for r in live if not (settings.corpus_dir / r.meta.source).exists()]
    pending = settings.index_dir / PENDING
    if sync:
        refuse = bool(live) and len(missing) == len(live)
    else:
        refuse = bool(missing) and not (
            len(missing) == 1 and pending.exists() and _journalled_delete(pending, missing[0])
        )
    if refuse:
        raise IngestError(
            f"{settings.corpus_dir} does not hold {len(missing)} of the index's documents "
            f"({', '.join(sorted(missing)[:3])}…): send uploads and deletes to the writer that holds the corpus"
        )


def _journalled_delete(pending: Path, source: str) -> bool:
    record = json.loads(pending.read_text(encoding="utf-8"))
    return bool(record["op"] == "delete" and Path(record["source"]).name == source)


# --- files -----------------------------------------------------------------------------------------


def safe_filename(filename: str) -> str:
    """The base name of an upload, if every name the write path derives from it can be stored."""
    name = Path(filename.replace("\\", "/")).name
    problem = name_problem(name)
    if problem is not None:
        raise InvalidFileName(f"{problem}: {filename!r}")
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise IngestError(f"{name}: 不支持的文件类型，支持 {' '.join(SUPPORTED_SUFFIXES)}")
    return name


def corpus_names(corpus: Path) -> list[str]:
    return [p.name for p in discover(corpus)] if corpus.is_dir() else []


def set_aside(settings: Settings, corpus: Path, names: Sequence[str]) -> list[tuple[Path, Path]]:
    """(corpus file, its place under <data_dir>/deleted) for each name; trash names never clash."""
    folder = (settings.data_dir / "deleted").absolute()
    stamp = time.strftime(TRASH_STAMP)
    moves: list[tuple[Path, Path]] = []
    for name in names:
        taken = {dst for _, dst in moves}
        target = next(
            p
            for n in range(1000)
            if not (p := folder / trash_name(name, stamp, n)).exists() and p not in taken
        )
        moves.append((corpus / name, target))
    return moves


def stash_for(target: Path) -> Path | None:
    """Where the file `target` replaces stays reachable until the write commits (None: nothing there)."""
    return target.with_name(f".{target.name}.previous") if target.exists() else None


def link_all(written: Written) -> None:
    for target, stash in written:
        if stash is not None:
            stash.unlink(missing_ok=True)
            os.link(target, stash)


def move_all(moves: Moves) -> None:
    for src, dst in moves:
        if src.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
    for folder in {p.parent for move in moves for p in move if p.parent.is_dir()}:
        fsync_dir(folder)


def tmp_name(path: Path) -> Path:
    return path.with_name(temporary_name(path.name))


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = tmp_name(path)
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)  # the rename itself must be durable before the write is acknowledged


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
