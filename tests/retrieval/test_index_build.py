"""Index build: incremental, atomic under SIGKILL, model mismatch refused, unreadable files reported."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from assistant.retrieval.build import build_index
from assistant.retrieval.persistence import IndexIncompatible, check_compatible, load_index, read_manifest
from tests.fake_embedder import HashEmbedder

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", folder)
    return folder


def test_builds_all_seed_documents(corpus: Path, tmp_path: Path) -> None:
    stored, report = build_index(corpus, tmp_path / "index", HashEmbedder())
    assert report.documents == 5 and not report.errors
    assert len(stored.chunks) == len(stored.vectors) == len(stored.tokens) == report.chunks
    loaded, _ = load_index(tmp_path / "index")
    assert [c.chunk_id for c in loaded.chunks] == [c.chunk_id for c in stored.chunks]


def test_unchanged_documents_are_not_re_embedded(corpus: Path, tmp_path: Path) -> None:
    embedder = HashEmbedder()
    _, first = build_index(corpus, tmp_path / "index", embedder)
    before = embedder.encoded
    _, again = build_index(corpus, tmp_path / "index", embedder)
    assert embedder.encoded == before and again.embedded_chunks == 0
    assert len(again.reused_documents) == 5

    changed = corpus / "002_e785d9f8d5cb8cce.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n附加说明：本方案自印发之日起施行。\n", encoding="utf-8"
    )
    _, third = build_index(corpus, tmp_path / "index", embedder)
    assert third.reused_documents and "002_e785d9f8d5cb8cce" not in third.reused_documents
    assert 0 < third.embedded_chunks < first.embedded_chunks


def test_a_changed_parser_re_reads_unchanged_documents(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.retrieval import build

    embedder = HashEmbedder()
    _, first = build_index(corpus, tmp_path / "index", embedder)
    assert read_manifest(tmp_path / "index").parser == build.parser_stamp() != ""
    # an upgraded parser may read other passages or metadata out of the same files
    monkeypatch.setattr(build, "parser_stamp", lambda: "another-parser")
    _, again = build_index(corpus, tmp_path / "index", embedder)
    assert again.reused_documents == [] and again.embedded_chunks == first.embedded_chunks


def test_removed_file_leaves_the_index(corpus: Path, tmp_path: Path) -> None:
    build_index(corpus, tmp_path / "index", HashEmbedder())
    (corpus / "004_be4e22b57f5c6112.txt").unlink()
    stored, _ = build_index(corpus, tmp_path / "index", HashEmbedder())
    assert "004_be4e22b57f5c6112" not in stored.docs
    assert all(c.doc_id != "004_be4e22b57f5c6112" for c in stored.chunks)


def test_unreadable_file_is_reported_and_others_index(corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.pdf").write_bytes(b"this is not a pdf")
    (corpus / "empty.txt").write_bytes(b"")
    _, report = build_index(corpus, tmp_path / "index", HashEmbedder())
    assert report.documents == 5
    assert {name for name, _ in report.errors} == {"broken.pdf", "empty.txt"}
    assert all(reason for _, reason in report.errors)


def test_index_built_with_another_model_is_refused(corpus: Path, tmp_path: Path) -> None:
    build_index(corpus, tmp_path / "index", HashEmbedder(name="model-a"))
    with pytest.raises(IndexIncompatible) as err:
        check_compatible(read_manifest(tmp_path / "index"), "model-b")
    assert "model-a" in str(err.value) and "model-b" in str(err.value) and "policyqa index" in str(err.value)


KILLED_BUILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {repo!r})
    from tests.fake_embedder import HashEmbedder
    import assistant.retrieval.build as build

    class Slow(HashEmbedder):
        def encode(self, texts):
            print("encoding", flush=True)
            time.sleep(0.2)
            return super().encode(texts)

    build.build_index(Path({corpus!r}), Path({index!r}), Slow(), rebuild=True)
    """
)


def test_build_killed_midway_leaves_previous_index_loadable(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    old, _ = build_index(corpus, index_dir, HashEmbedder())
    script = KILLED_BUILD.format(repo=str(REPO), corpus=str(corpus), index=str(index_dir))
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "encoding"  # the rebuild is under way
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    loaded, _ = load_index(index_dir)
    assert [c.chunk_id for c in loaded.chunks] == [c.chunk_id for c in old.chunks]
    # and the next build recovers (cleans the dead build's folder)
    build_index(corpus, index_dir, HashEmbedder())
    assert len(list(index_dir.glob("v-*"))) <= 2
