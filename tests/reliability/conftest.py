"""Index templates the reliability tests copy: one built with the HashEmbedder (fast, built here) and
one with the real model (the session index of tests/conftest.py, built once per test session)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.retrieval.build import build_index
from tests.fake_embedder import HashEmbedder

from .proc import CORPUS


@pytest.fixture(scope="session")
def hash_index_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of corpus/ built with the same HashEmbedder the hash servers use."""
    root = tmp_path_factory.mktemp("hash-template")
    shutil.copytree(CORPUS, root / "corpus")
    build_index(root / "corpus", root / "index", HashEmbedder())
    return root / "index"


@pytest.fixture(scope="session")
def real_index_template(engine: object, session_dirs: dict[str, Path]) -> Path:
    """The m3e-small index the session `engine` fixture built (read-only: tests copy it)."""
    return session_dirs["index"]
