"""The seed documents 002 and 003 as .txt, .docx, Chromium-printed PDF and image-only scan, built once
per test session (tests/formats/docgen.py); engines over each format are built on demand, once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.formats.docgen import REPO, build, chromium


@pytest.fixture(scope="session")
def format_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if chromium() is None:
        pytest.skip("chromium is not installed (make browser-deps)")
    return build(tmp_path_factory.mktemp("formats"))


@pytest.fixture(scope="session")
def format_engine(
    format_dirs: dict[str, Path], real_embedder: object, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], object]:
    """format name → a real Engine (m3e-small) over that format's corpus, built once."""
    from assistant.config import Settings
    from assistant.engine import Engine

    engines: dict[str, object] = {}

    def get(fmt: str) -> object:
        if fmt not in engines:
            root = tmp_path_factory.mktemp(f"engine-{fmt}")
            settings = Settings(
                corpus_dir=format_dirs[fmt],
                index_dir=root / "index",
                data_dir=root / "var",
                prompts_dir=REPO / "prompts",
                _env_file=None,  # type: ignore[call-arg]
            )
            engines[fmt] = Engine.open(settings, embedder=real_embedder)  # type: ignore[arg-type]
        return engines[fmt]

    return get
