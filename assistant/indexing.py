"""The write path: every change to the index (upload, delete, `policyqa index`) goes through here.

A write runs under a file lock (writers in several processes: CLI, server workers), changes the corpus,
rebuilds the index and publishes the new version by switching CURRENT. A journal (`index/PENDING`) names
the corpus change and the version it started from, so a writer that dies before the switch is rolled back
(its client never got a 2xx) and one that dies after it is kept. Readers (the engine) never write; they
take the returned snapshot or pick up the new version on their next request.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.config import Settings
from assistant.engine_api import IngestError, UnknownDocument
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_bytes
from assistant.ingest.pipeline import parse_text
from assistant.retrieval.backends import IndexBackend, open_backend
from assistant.retrieval.build import BuildReport, Progress, build_index
from assistant.retrieval.embedder import Embedder
from assistant.retrieval.persistence import IndexMissing, StoredIndex

log = logging.getLogger(__name__)
_SAFE_NAME = re.compile(r"^[\w\u4e00-\u9fff][\w\u4e00-\u9fff.()（）《》\-\s]{0,150}$")

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


def write_journal(settings: Settings, op: str, source: Path, stash: Path | None) -> None:
    """Name the corpus change about to happen and the version it starts from (under index_lock)."""
    record = {
        "op": op,
        "base": live_version(settings),
        "source": str(source),
        "stash": str(stash) if stash else None,
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
    committed = live_version(settings) != record["base"]
    if committed:  # CURRENT moved on: the write is live, only the replaced file's link is left over
        if record["op"] == "add" and stash is not None:
            stash.unlink(missing_ok=True)
    elif stash is None:  # an upload of a new file
        source.unlink(missing_ok=True)
    elif stash.exists():  # the replaced file (upload) or the trashed one (delete) goes back
        os.replace(stash, source)
    tmp_name(source).unlink(missing_ok=True)
    fsync_dir(source.parent)
    _clear_journal(index_dir)
    if after_crash or not committed:
        why = "interrupted" if after_crash else "failed"
        log.warning(
            "%s the %s %s of %s", "kept" if committed else "rolled back", why, record["op"], source.name
        )
    return True


def recover_if_needed(settings: Settings) -> None:
    # A stat first: readers (`policyqa ask`, every worker start) only take the lock when there is work.
    if (settings.index_dir / PENDING).exists():
        with index_lock(settings.index_dir):
            recover_interrupted_write(settings)


# --- writes ----------------------------------------------------------------------------------------


def rebuild(
    settings: Settings, embedder: Embedder, *, full: bool = False, progress: Progress | None = None
) -> WriteResult:
    """`policyqa index`: settle a dead writer's journal, then build the corpus folder into a new version."""
    with index_lock(settings.index_dir):
        recover_interrupted_write(settings)  # an upload/delete a dead server left half done
        return _build(settings, embedder, full=full, progress=progress, sync=True)


def build_missing(settings: Settings, embedder: Embedder) -> WriteResult:
    """The first build of a serving process that found no index."""
    with index_lock(settings.index_dir):
        return _build(settings, embedder)


def add_document(settings: Settings, embedder: Embedder, filename: str, data: bytes) -> WriteResult:
    """Validate an upload, then put it into the corpus (replacing a file of that name) and publish."""
    name = safe_filename(filename)
    parsed = parse_text(Path(name).stem, name, load_bytes(name, data))  # validate before touching disk
    if not parsed.chunks:
        raise IngestError(f"{name}: 文件中没有可检索的正文 / no indexable text")
    result = put_file(settings, embedder, (settings.corpus_dir / name).absolute(), data)
    return replace(result, doc_id=Path(name).stem)


def put_file(settings: Settings, embedder: Embedder, target: Path, data: bytes) -> WriteResult:
    """Write one corpus file (a document or its sidecar) and publish the rebuilt index, journalled."""
    index_dir = settings.index_dir
    with index_lock(index_dir):
        recover_interrupted_write(settings)
        # A replaced file stays reachable through a hard link until the new version is live; the
        # journal names the link first, so a crash between the two leaves nothing behind.
        stash = target.with_name(f".{target.name}.previous") if target.exists() else None
        write_journal(settings, "add", target, stash)
        if stash is not None:
            stash.unlink(missing_ok=True)
            os.link(target, stash)
        atomic_write(target, data)
        try:
            return _build(settings, embedder)
        finally:
            # Rolls the corpus back when the rebuild failed before switching CURRENT, else tidies up.
            recover_interrupted_write(settings, after_crash=False)


def delete_document(settings: Settings, embedder: Embedder, doc_id: str) -> WriteResult:
    """Move a document's file to `<data_dir>/deleted/` (kept, not destroyed) and publish."""
    index_dir = settings.index_dir
    with index_lock(index_dir):
        recover_interrupted_write(settings)
        record = open_backend(settings).load_previous().docs.get(doc_id)
        if record is None:
            raise UnknownDocument(f"unknown doc_id: {doc_id}")
        source = (settings.corpus_dir / record.meta.source).absolute()
        trash = (
            settings.data_dir / "deleted" / f"{time.strftime('%Y%m%d%H%M%S')}-{record.meta.source}"
        ).absolute()
        trash.parent.mkdir(parents=True, exist_ok=True)
        write_journal(settings, "delete", source, trash)
        if source.exists():
            os.replace(source, trash)  # kept, not destroyed: deleting loses nothing
            fsync_dir(source.parent)
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
) -> WriteResult:
    """Build the corpus folder into a new version. `sync` (`policyqa index`): files removed from the
    folder leave the index; otherwise (an upload or delete) the folder must hold every indexed file."""
    backend = open_backend(settings)
    if settings.vector_store == "milvus":
        _check_writer(settings, backend, sync)
    stored, report = build_index(
        settings.corpus_dir, settings.index_dir, embedder, rebuild=full, progress=progress, backend=backend
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
    name = Path(filename.replace("\\", "/")).name.strip()
    if not name or not _SAFE_NAME.match(name) or name.startswith("."):
        raise IngestError(f"不支持的文件名 / unsupported file name: {filename!r}")
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise IngestError(f"{name}: 不支持的文件类型，支持 {' '.join(SUPPORTED_SUFFIXES)}")
    return name


def tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp")


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
