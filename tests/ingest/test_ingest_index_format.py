"""Stored chunks and metadata changed shape (articles with a lead-in, new date fields): rows written
before still load, and an index of the older format is rebuilt or refused, never misread."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.engine import Engine
from assistant.models import Chunk, DocumentMeta
from assistant.retrieval.build import build_index, embedding_text, keyword_tokens
from assistant.retrieval.persistence import (
    FORMAT_VERSION,
    IndexOutdated,
    check_compatible,
    current_version,
    read_manifest,
)
from tests.fake_embedder import HashEmbedder

REPO = Path(__file__).resolve().parents[2]


def test_rows_without_the_new_fields_load() -> None:
    chunk = Chunk.from_dict(
        {"chunk_id": "d:1", "doc_id": "d", "section": ["一、总体要求"], "text": "内容", "start": 0, "end": 2}
    )
    assert chunk.lead == "" and Chunk.from_dict(chunk.to_dict()) == chunk
    meta = DocumentMeta(**{"doc_id": "d", "title": "某方案", "source": "d.txt", "date": "2020-01-02"})
    assert (meta.issued, meta.adopted, meta.amended, meta.effective, meta.genre) == (None,) * 5


def test_lead_in_is_part_of_what_the_index_sees() -> None:
    chunk = Chunk(
        "d:1",
        "d",
        ("第四条",),
        "（一）假冒专利的；",
        0,
        9,
        "item",
        "第四条",
        lead="第四条 有下列情形之一的：",
    )
    assert "有下列情形之一的" in embedding_text(chunk, "某条例")
    assert "情形" in keyword_tokens(chunk, "某条例")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted((REPO / "corpus").glob("00[02]_*.txt")):
        shutil.copy(seed, corpus)
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        corpus_dir=corpus,
        index_dir=tmp_path / "index",
        data_dir=tmp_path / "var",
    )


def _age(index_dir: Path) -> None:
    """Make the live version look like one written by the previous format."""
    files = current_version(index_dir)
    assert files is not None
    manifest = json.loads(files.manifest.read_text(encoding="utf-8"))
    manifest["format_version"] = FORMAT_VERSION - 1
    files.manifest.write_text(json.dumps(manifest), encoding="utf-8")


def test_older_format_is_refused_with_the_rebuild_command(settings: Settings) -> None:
    build_index(settings.corpus_dir, settings.index_dir, HashEmbedder())
    _age(settings.index_dir)
    with pytest.raises(IndexOutdated, match="policyqa index --rebuild"):
        check_compatible(read_manifest(settings.index_dir), HashEmbedder().name)


def test_older_format_is_rebuilt_on_open_and_by_an_incremental_build(settings: Settings) -> None:
    embedder = HashEmbedder()
    build_index(settings.corpus_dir, settings.index_dir, embedder)
    _age(settings.index_dir)
    engine = Engine.open(settings, embedder=embedder)
    assert engine.last_build is not None and engine.last_build.embedded_chunks > 0
    assert read_manifest(settings.index_dir).format_version == FORMAT_VERSION
    _age(settings.index_dir)
    _, report = build_index(settings.corpus_dir, settings.index_dir, embedder)
    assert report.reused_documents == [] and report.embedded_chunks == report.chunks
