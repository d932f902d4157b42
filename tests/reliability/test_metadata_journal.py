"""Metadata corrections are a journalled write of the document's sidecar: they survive rebuilds and
restarts, a writer that dies never half-applies them, and a delete takes the sidecar along."""

# The `engine` fixture is test_journal's (an engine over a private copy of the hash index); the tests
# take it as a parameter, which ruff reads as a redefinition of the import.
# ruff: noqa: F811

from __future__ import annotations

import json

import pytest

import assistant.indexing as indexing
from assistant.engine import Engine
from assistant.indexing import atomic_write, index_lock, write_journal
from assistant.ingest.metadata import sidecar_path
from assistant.retrieval.build import build_index
from tests.fake_embedder import HashEmbedder

from .docs import policy_text, tag_for
from .test_journal import assert_consistent, engine, reopen  # noqa: F401

NEW = "reliability_meta.txt"
FIX = {"doc_number": "某知发〔2024〕7号", "date": "2024-05-06"}


def text(n: int) -> bytes:
    return policy_text(tag_for(n), n).encode("utf-8")


def meta_of(engine: Engine, doc_id: str) -> tuple[str | None, str | None]:
    meta = engine.document(doc_id).meta
    return meta.doc_number, meta.date


def test_correction_shows_at_once_and_survives_rebuilds_and_restarts(engine: Engine) -> None:
    doc_id = sorted(engine.state.docs)[0]
    info = engine.update_metadata(doc_id, FIX)
    assert (info.meta.doc_number, info.meta.date) == (FIX["doc_number"], FIX["date"])
    assert meta_of(engine, doc_id) == (FIX["doc_number"], FIX["date"])
    engine.add_document(NEW, text(1))  # another upload rebuilds the index
    assert meta_of(engine, doc_id) == (FIX["doc_number"], FIX["date"])
    build_index(engine.settings.corpus_dir, engine.settings.index_dir, HashEmbedder(), rebuild=True)
    assert meta_of(reopen(engine), doc_id) == (FIX["doc_number"], FIX["date"])
    side = sidecar_path(engine.settings.corpus_dir / engine.document(doc_id).meta.source)
    assert json.loads(side.read_text(encoding="utf-8")) == FIX
    assert_consistent(engine)


def test_upload_with_metadata_that_died_before_the_switch_leaves_neither_file(engine: Engine) -> None:
    target = (engine.settings.corpus_dir / NEW).absolute()
    side = sidecar_path(target)
    with index_lock(engine.settings.index_dir):  # what add_document(..., metadata) did before it was killed
        write_journal(engine.settings, "add", target, None, (), [(side, None)])
        atomic_write(target, text(1))
        atomic_write(side, json.dumps(FIX).encode())
    again = reopen(engine)
    assert not target.exists() and not side.exists() and "reliability_meta" not in again.state.docs
    assert_consistent(again)


def test_correction_that_died_before_the_switch_restores_the_old_sidecar(engine: Engine) -> None:
    engine.add_document(NEW, text(1), metadata={"doc_number": "旧〔2020〕1号"})
    side = sidecar_path((engine.settings.corpus_dir / NEW).absolute())
    before = side.read_bytes()
    stash = side.with_name(f".{side.name}.previous")
    with index_lock(engine.settings.index_dir):
        write_journal(engine.settings, "add", side, stash)
        stash.hardlink_to(side)
        atomic_write(side, json.dumps(FIX).encode())
    again = reopen(engine)
    assert side.read_bytes() == before and meta_of(again, "reliability_meta")[0] == "旧〔2020〕1号"
    assert_consistent(again)


def test_failed_rebuild_keeps_the_old_metadata(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    doc_id = sorted(engine.state.docs)[0]
    before = meta_of(engine, doc_id)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(indexing, "build_index", broken)
    with pytest.raises(OSError):
        engine.update_metadata(doc_id, FIX)
    monkeypatch.undo()
    assert meta_of(reopen(engine), doc_id) == before
    assert not sidecar_path(engine.settings.corpus_dir / engine.document(doc_id).meta.source).exists()


def test_delete_moves_the_sidecar_with_the_document(engine: Engine) -> None:
    engine.add_document(NEW, text(1), metadata=FIX)
    side = sidecar_path((engine.settings.corpus_dir / NEW).absolute())
    assert side.exists()
    engine.delete_document("reliability_meta")
    assert not side.exists()
    trashed = sorted(p.name for p in (engine.settings.data_dir / "deleted").iterdir())
    assert any(n.endswith(NEW) for n in trashed) and any(
        n.endswith("reliability_meta.meta.json") for n in trashed
    )
    engine.add_document(NEW, text(2))  # a new file of that name does not inherit the old corrections
    assert meta_of(engine, "reliability_meta") != (FIX["doc_number"], FIX["date"])
    assert_consistent(engine)
