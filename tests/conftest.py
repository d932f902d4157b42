"""Shared fixtures: the real model and a real index are built once per test session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


@pytest.fixture(scope="session")
def real_embedder() -> object:
    from assistant.retrieval.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder("m3e-small")


@pytest.fixture(scope="session")
def session_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("policyqa")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    return {"corpus": corpus, "index": root / "index", "data": root / "var"}


@pytest.fixture(scope="session")
def engine_settings(session_dirs: dict[str, Path]) -> object:
    from assistant.config import Settings

    return Settings(
        corpus_dir=session_dirs["corpus"],
        index_dir=session_dirs["index"],
        data_dir=session_dirs["data"],
        prompts_dir=REPO / "prompts",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture(scope="session")
def engine(engine_settings: object, real_embedder: object) -> Iterator[object]:
    """A real Engine (m3e-small + FAISS + BM25) over a private copy of corpus/ — read-only use only."""
    from assistant.engine import Engine

    yield Engine.open(engine_settings, embedder=real_embedder)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def milvus_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `milvus-lite server` for the session; tests keep apart by collection prefix."""
    from tests.milvus_server import milvus_lite_server

    with milvus_lite_server(tmp_path_factory.mktemp("milvus") / "data") as uri:
        yield uri
