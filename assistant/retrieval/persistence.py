"""The index on disk: one module owns the layout, the manifest and the atomic switch between versions.

Layout under INDEX_DIR:
    CURRENT             name of the live version folder (replaced atomically with os.replace)
    v-<stamp>/          one complete, immutable version:
        manifest.json   format version, model name + dimension, per-document content hash
        documents.jsonl metadata, clean text and outline of each document
        chunks.jsonl    chunks in row order
        vectors.npy     normalised float32 embeddings, row-aligned with chunks
        dense.faiss     FAISS index over vectors
        tokens.jsonl    keyword tokens per chunk (BM25 is rebuilt from them on load)
A build writes a new version folder and only then points CURRENT at it, so a killed build leaves the
previous version live and loadable.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.engine_api import OutlineNode
from assistant.ingest.instructions import Flag, find_instructions
from assistant.models import Chunk, DocumentMeta

# 2: articles (第X条) as chunks with a `lead`, metadata with issued/adopted/amended/effective/genre.
FORMAT_VERSION = 2
KEEP_VERSIONS = 2


class IndexMissing(FileNotFoundError):
    """No built index in the configured folder."""


class IndexIncompatible(RuntimeError):
    """The index on disk was built with another model or format."""


class IndexOutdated(IndexIncompatible):
    """The index on disk has an older format: rebuilding it from the corpus loses nothing."""


@dataclass(frozen=True)
class IndexFiles:
    """Paths of one version folder."""

    root: Path

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def documents(self) -> Path:
        return self.root / "documents.jsonl"

    @property
    def chunks(self) -> Path:
        return self.root / "chunks.jsonl"

    @property
    def vectors(self) -> Path:
        return self.root / "vectors.npy"

    @property
    def dense(self) -> Path:
        return self.root / "dense.faiss"

    @property
    def tokens(self) -> Path:
        return self.root / "tokens.jsonl"


@dataclass(frozen=True)
class DocRecord:
    meta: DocumentMeta
    text: str  # clean text; chunk offsets point into it
    outline: list[OutlineNode]
    content_hash: str
    flagged: tuple[Flag, ...] = ()  # instruction-like sentences (assistant.ingest.instructions)


@dataclass(frozen=True)
class Manifest:
    format_version: int
    model_name: str
    dimension: int
    created: float
    documents: dict[str, str] = field(default_factory=dict)  # doc_id -> content hash
    n_chunks: int = 0
    dense_kind: str = "flat"
    dense_params: dict[str, Any] = field(default_factory=dict)  # IndexParams.to_dict() of dense.faiss
    # the code that turned files into passages (build.parser_stamp): another parser's passages and
    # metadata are not reused, even for unchanged files
    parser: str = ""


@dataclass(frozen=True)
class StoredIndex:
    """Everything a version folder holds, in memory."""

    manifest: Manifest
    docs: dict[str, DocRecord]
    chunks: list[Chunk]
    vectors: np.ndarray
    tokens: list[list[str]]


def outline_from_dict(data: dict[str, Any]) -> OutlineNode:
    children = [outline_from_dict(c) for c in data.get("children", [])]
    return OutlineNode(data["heading"], data["path"], children, data.get("start", 0), data.get("end", 0))


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def current_version(index_dir: Path) -> IndexFiles | None:
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        return None
    root = index_dir / pointer.read_text(encoding="utf-8").strip()
    return IndexFiles(root) if (root / "manifest.json").is_file() else None


def read_manifest(index_dir: Path) -> Manifest:
    files = current_version(index_dir)
    if files is None:
        raise IndexMissing(f"no index in {index_dir}: run `policyqa index` first")
    return _manifest_of(files)


def _manifest_of(files: IndexFiles) -> Manifest:
    data = json.loads(files.manifest.read_text(encoding="utf-8"))
    return Manifest(**data)


def check_compatible(manifest: Manifest, model_name: str) -> None:
    if manifest.format_version != FORMAT_VERSION:
        raise IndexOutdated(
            f"index format {manifest.format_version} is not the supported format {FORMAT_VERSION}; "
            "rebuild it with `policyqa index --rebuild`"
        )
    if manifest.model_name != model_name:
        raise IndexIncompatible(
            f"the index was built with embedding model {manifest.model_name!r} but the configured model is "
            f"{model_name!r}; rebuild it with `policyqa index --rebuild` (or set POLICYQA_EMBEDDING_MODEL="
            f"{manifest.model_name})"
        )


def flags_of(row: dict[str, Any]) -> tuple[Flag, ...]:
    """A stored document's instruction flags; versions written before flags existed get them from
    their text."""
    stored = row.get("flagged")
    return (
        tuple(Flag.from_dict(f) for f in stored)
        if stored is not None
        else tuple(find_instructions(row["text"]))
    )


def load_index(index_dir: Path) -> tuple[StoredIndex, IndexFiles]:
    # CURRENT is read once: a writer may switch it meanwhile, and one load must be one version.
    files = current_version(index_dir)
    if files is None:
        raise IndexMissing(f"no index in {index_dir}: run `policyqa index` first")
    manifest = _manifest_of(files)
    docs = {}
    for row in _read_jsonl(files.documents):
        meta = DocumentMeta(**row["meta"])
        outline = [outline_from_dict(o) for o in row["outline"]]
        docs[meta.doc_id] = DocRecord(meta, row["text"], outline, row["content_hash"], flags_of(row))
    chunks = [Chunk.from_dict(row) for row in _read_jsonl(files.chunks)]
    tokens = [list(row) for row in _read_jsonl(files.tokens)]
    vectors = np.load(files.vectors)
    if not (len(chunks) == len(tokens) == len(vectors)):
        raise IndexIncompatible(
            f"index in {files.root} is inconsistent; rebuild it with `policyqa index --rebuild`"
        )
    return StoredIndex(manifest, docs, chunks, vectors, tokens), files


def save_index(index_dir: Path, stored: StoredIndex, dense_writer: Any) -> IndexFiles:
    """Write a new version folder, fsync it, then switch CURRENT to it atomically."""
    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"v-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
    files = IndexFiles(index_dir / name)
    files.root.mkdir()
    _write_jsonl(
        files.documents,
        [
            {
                "meta": d.meta.to_dict(),
                "text": d.text,
                "outline": [o.to_dict() for o in d.outline],
                "content_hash": d.content_hash,
                "flagged": [f.to_dict() for f in d.flagged],
            }
            for d in stored.docs.values()
        ],
    )
    _write_jsonl(files.chunks, [c.to_dict() for c in stored.chunks])
    with files.tokens.open("w", encoding="utf-8") as fh:
        for toks in stored.tokens:
            fh.write(json.dumps(toks, ensure_ascii=False) + "\n")
    np.save(files.vectors, stored.vectors)
    dense_writer(files.dense)
    files.manifest.write_text(
        json.dumps(asdict(stored.manifest), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    _fsync_tree(files.root)
    _switch_current(index_dir, name)
    _remove_old_versions(index_dir, keep=name)
    return files


def _fsync_tree(root: Path) -> None:
    for path in root.iterdir():
        with path.open("rb") as fh:
            os.fsync(fh.fileno())
    dir_fd = os.open(root, os.O_RDONLY)  # and the folder's entries, or a power cut may lose a file name
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _switch_current(index_dir: Path, name: str) -> None:
    tmp = index_dir / f".CURRENT.{uuid.uuid4().hex[:6]}"
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(name)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / "CURRENT")
    dir_fd = os.open(index_dir, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _remove_old_versions(index_dir: Path, keep: str) -> None:
    """Drop all but the newest versions, and folders of builds that died before switching."""
    versions = sorted((p for p in index_dir.glob("v-*") if p.is_dir()), key=lambda p: p.name)
    survivors = {keep, *(p.name for p in versions[-KEEP_VERSIONS:])}
    for path in versions:
        if path.name not in survivors:
            shutil.rmtree(path, ignore_errors=True)
    for stale in index_dir.glob(".CURRENT.*"):
        stale.unlink(missing_ok=True)
