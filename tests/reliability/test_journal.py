"""The write journal in-process: each state a writer can die in is recovered to "old or new", and a
failed rebuild puts the corpus back. (test_crash.py does the same with real SIGKILLs.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import assistant.indexing as indexing
from assistant.config import Settings
from assistant.engine import Engine
from assistant.engine_api import UnknownDocument
from assistant.indexing import PENDING, atomic_write, index_lock, recover_interrupted_write, write_journal
from assistant.retrieval.build import build_index
from tests.fake_embedder import HashEmbedder

from .docs import corpus_ids, policy_text, tag_for
from .proc import lock_is_free

NEW = "reliability_new.txt"


@pytest.fixture
def engine(tmp_path: Path, hash_index_template: Path) -> Engine:
    shutil.copytree(hash_index_template.parent / "corpus", tmp_path / "corpus")
    shutil.copytree(hash_index_template, tmp_path / "index")
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        corpus_dir=tmp_path / "corpus",
        index_dir=tmp_path / "index",
        data_dir=tmp_path / "var",
    )
    return Engine.open(settings, embedder=HashEmbedder())


def reopen(engine: Engine) -> Engine:
    """What a restarted server does."""
    return Engine.open(engine.settings, embedder=HashEmbedder())


def text(n: int) -> bytes:
    return policy_text(tag_for(n), n).encode("utf-8")


def assert_consistent(engine: Engine) -> None:
    corpus = engine.settings.corpus_dir
    assert set(engine.state.docs) == corpus_ids(corpus)
    assert not (engine.settings.index_dir / PENDING).exists()
    assert [p.name for p in corpus.iterdir() if p.name.startswith(".")] == []
    assert lock_is_free(engine.settings.index_dir)


def test_upload_that_died_before_the_switch_is_rolled_back(engine: Engine) -> None:
    target = (engine.settings.corpus_dir / NEW).absolute()
    with index_lock(engine.settings.index_dir):  # what add_document did before it was killed
        write_journal(engine.settings, "add", target, None)
        atomic_write(target, text(1))
    again = reopen(engine)
    assert not target.exists() and "reliability_new" not in again.state.docs
    assert_consistent(again)


def test_file_replaced_in_place_that_died_gets_the_old_file_back(engine: Engine) -> None:
    """put_file (a sidecar, say) keeps the file it replaces through a hard link until the switch."""
    target = (engine.settings.corpus_dir / NEW).absolute()
    engine.add_document(NEW, text(1))
    stash = target.with_name(f".{NEW}.previous")
    with index_lock(engine.settings.index_dir):
        write_journal(engine.settings, "add", target, stash)
        stash.hardlink_to(target)
        atomic_write(target, text(2))
    again = reopen(engine)
    assert target.read_bytes() == text(1)
    assert tag_for(1) in again.state.docs["reliability_new"].text
    assert_consistent(again)


@pytest.mark.parametrize("moved", [True, False], ids=["after-set-aside", "before-set-aside"])
@pytest.mark.parametrize("new_name", [NEW, "Reliability_New.md"], ids=["same-name", "same-identity"])
def test_replacing_upload_that_died_gets_the_old_file_back(
    engine: Engine, new_name: str, moved: bool
) -> None:
    settings = engine.settings
    corpus = settings.corpus_dir.absolute()
    engine.add_document(NEW, text(1))
    with index_lock(settings.index_dir):  # add_document(new_name, replace=True), killed midway
        moves = indexing.set_aside(settings, corpus, [NEW])
        write_journal(settings, "add", corpus / new_name, None, moves)
        if moved:
            indexing.move_all(moves)
            atomic_write(corpus / new_name, text(2))
    again = reopen(engine)
    assert (corpus / NEW).read_bytes() == text(1)
    assert new_name == NEW or not (corpus / new_name).exists()
    assert tag_for(1) in again.state.docs["reliability_new"].text
    assert not any((settings.data_dir / "deleted").glob("*"))  # the set-aside copy went back
    assert_consistent(again)


def test_delete_that_died_puts_the_file_back(engine: Engine) -> None:
    settings = engine.settings
    engine.add_document(NEW, text(1))
    corpus = settings.corpus_dir.absolute()
    with index_lock(settings.index_dir):
        moves = indexing.set_aside(settings, corpus, [NEW])
        write_journal(settings, "delete", corpus / NEW, None, moves)
        indexing.move_all(moves)
    again = reopen(engine)
    assert (corpus / NEW).read_bytes() == text(1) and "reliability_new" in again.state.docs
    assert_consistent(again)


def test_delete_journal_of_the_previous_format_is_settled(engine: Engine) -> None:
    """A journal written before "moves" named the trashed file as its `stash`."""
    engine.add_document(NEW, text(1))
    source = (engine.settings.corpus_dir / NEW).absolute()
    trash = (engine.settings.data_dir / "deleted" / NEW).absolute()
    trash.parent.mkdir(parents=True)
    with index_lock(engine.settings.index_dir):
        write_journal(engine.settings, "delete", source, trash)
        source.rename(trash)
    again = reopen(engine)
    assert source.read_bytes() == text(1) and "reliability_new" in again.state.docs
    assert_consistent(again)


def test_write_that_died_after_the_switch_is_kept(engine: Engine) -> None:
    settings = engine.settings
    corpus = settings.corpus_dir.absolute()
    engine.add_document(NEW, text(1))
    with index_lock(settings.index_dir):
        moves = indexing.set_aside(settings, corpus, [NEW])
        write_journal(settings, "add", corpus / NEW, None, moves)
        indexing.move_all(moves)
        atomic_write(corpus / NEW, text(2))
        build_index(settings.corpus_dir, settings.index_dir, HashEmbedder())  # CURRENT moved
    again = reopen(engine)
    assert tag_for(2) in again.state.docs["reliability_new"].text
    assert [p.read_bytes() for _, p in moves] == [text(1)]  # the replaced version is kept in the trash
    assert_consistent(again)


def test_policyqa_index_settles_the_journal_first(engine: Engine) -> None:
    target = (engine.settings.corpus_dir / NEW).absolute()
    with index_lock(engine.settings.index_dir):
        write_journal(engine.settings, "add", target, None)
        atomic_write(target, text(1))
        assert recover_interrupted_write(engine.settings) is True
        assert recover_interrupted_write(engine.settings) is False  # nothing left to do
    assert not target.exists()


def test_failed_rebuild_restores_the_corpus(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    engine.add_document(NEW, text(1))

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(indexing, "build_index", broken)
    with pytest.raises(OSError):
        engine.add_document(NEW, text(2), replace=True)
    with pytest.raises(OSError):
        engine.add_document("Reliability_NEW.md", text(2), replace=True)
    with pytest.raises(OSError):
        engine.add_document("reliability_other.txt", text(3))
    with pytest.raises(OSError):
        engine.delete_document("reliability_new")
    monkeypatch.undo()
    assert (engine.settings.corpus_dir / NEW).read_bytes() == text(1)
    assert not any((engine.settings.data_dir / "deleted").glob("*"))
    assert_consistent(reopen(engine))


def test_write_path_publishes_without_an_engine(engine: Engine) -> None:
    settings, embedder = engine.settings, HashEmbedder()
    added = indexing.add_document(settings, embedder, NEW, text(1))
    assert added.doc_id == "reliability_new" and "reliability_new" in added.stored.docs
    assert added.version == indexing.live_version(settings)
    with pytest.raises(UnknownDocument):
        indexing.delete_document(settings, embedder, "no_such_document")
    deleted = indexing.delete_document(settings, embedder, "reliability_new")
    assert "reliability_new" not in deleted.stored.docs and deleted.version != added.version
    assert_consistent(reopen(engine))
