"""Where an index version lives: the local folder (FAISS + bm25s, the default) or Milvus.

A backend publishes a built version atomically, names the live one, and loads it for serving. The write
path (assistant.indexing) and the engine use only this seam, so both backends share the lock, the journal
and the rollback.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from assistant.config import Settings
from assistant.retrieval.persistence import (
    StoredIndex,
    check_compatible,
    current_version,
    load_index,
    read_manifest,
    save_index,
)
from assistant.retrieval.searcher import IndexState
from assistant.retrieval.store import FaissIndex, IndexParams


class IndexBackend(Protocol):
    def live_version(self) -> str:
        """Name of the published version ("" when there is none)."""
        ...

    def poll_version(self) -> str:
        """live_version as readers ask it on every request (a remote backend answers from a cache)."""
        ...

    def load(self, model_name: str) -> IndexState:
        """The live version, ready to search (raises IndexMissing / IndexIncompatible)."""
        ...

    def load_previous(self) -> StoredIndex:
        """The live version with its vectors and tokens, for an incremental build (IndexMissing)."""
        ...

    def publish(self, stored: StoredIndex, params: IndexParams | None = None) -> tuple[StoredIndex, str]:
        """Write a complete new version, then make it the live one in one atomic step.

        Returns what was published (with its dense-index parameters) and the version name."""
        ...


class LocalBackend:
    """Version folders under index_dir, switched by CURRENT (assistant.retrieval.persistence)."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir

    def live_version(self) -> str:
        files = current_version(self.index_dir)
        return files.root.name if files else ""

    def poll_version(self) -> str:
        return self.live_version()

    def load(self, model_name: str) -> IndexState:
        check_compatible(read_manifest(self.index_dir), model_name)
        stored, files = load_index(self.index_dir)
        dense = FaissIndex.load(files.dense) if files.dense.is_file() else None
        return IndexState.from_stored(stored, dense)

    def load_previous(self) -> StoredIndex:
        return load_index(self.index_dir)[0]

    def publish(self, stored: StoredIndex, params: IndexParams | None = None) -> tuple[StoredIndex, str]:
        dense = FaissIndex.build(stored.vectors, stored.manifest.dimension, params)
        stored = with_dense_params(stored, dense.params)
        files = save_index(self.index_dir, stored, dense.save)
        return stored, files.root.name


def with_dense_params(stored: StoredIndex, params: IndexParams) -> StoredIndex:
    manifest = replace(stored.manifest, dense_kind=params.kind, dense_params=params.to_dict())
    return replace(stored, manifest=manifest)


def open_backend(settings: Settings) -> IndexBackend:
    """The configured backend; a Milvus connection is opened once per process and URI."""
    if settings.vector_store == "milvus":
        return _milvus(settings.milvus_target(), settings.milvus_reload_seconds)
    return LocalBackend(settings.index_dir)


@lru_cache(maxsize=4)
def _milvus(target: tuple[str, str, str, str], reload_seconds: float) -> IndexBackend:
    from assistant.retrieval.milvus_store import MilvusBackend

    uri, token, db_name, prefix = target
    return MilvusBackend(uri, token=token, db_name=db_name, prefix=prefix, reload_seconds=reload_seconds)
