"""The embedding backends: ONNX fp32 reproduces torch, int8 stays close, exports are cached locally."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval.embedder import EmbeddingModelError, SentenceTransformerEmbedder, variant_name
from assistant.retrieval.onnx_backend import FP32_FILE, INT8_FILE, model_folder

TEXTS = [
    "知识产权强省试点省的主要任务",
    "  支撑型知识产权强省建设试点省要提升知识产权支撑创新驱动发展能力，健全知识产权制度实施体系。  ",
    "专利",
]


def test_variant_names_separate_what_changes_vectors() -> None:
    assert variant_name("m3e-small") == "m3e-small"
    assert variant_name("m3e-small", "onnx") == "m3e-small"  # same vectors as torch, same index
    assert variant_name("m3e-small", "onnx-int8") == "m3e-small+int8"
    assert variant_name("m3e-small", "torch", 256) == "m3e-small+max256"


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(EmbeddingModelError, match="unknown embedding backend"):
        SentenceTransformerEmbedder("m3e-small", backend="tensorrt")


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.mark.slow
def test_onnx_reproduces_torch_and_int8_stays_close(real_embedder: object, cache_dir: Path) -> None:
    torch_vectors = real_embedder.encode(TEXTS)  # type: ignore[attr-defined]
    onnx = SentenceTransformerEmbedder("m3e-small", backend="onnx", cache_dir=cache_dir)
    int8 = SentenceTransformerEmbedder("m3e-small", backend="onnx-int8", cache_dir=cache_dir)
    assert onnx.name == "m3e-small" and int8.name == "m3e-small+int8"
    onnx_vectors, int8_vectors = onnx.encode(TEXTS), int8.encode(TEXTS)
    assert onnx_vectors.shape == torch_vectors.shape == (3, 512) and onnx_vectors.dtype == np.float32
    assert np.min(np.sum(onnx_vectors * torch_vectors, axis=1)) > 0.9999
    assert np.min(np.sum(int8_vectors * torch_vectors, axis=1)) > 0.98
    assert np.allclose(np.linalg.norm(int8_vectors, axis=1), 1.0, atol=1e-5)
    # Batched or alone, a text gets the same fp32 vector (padding must not leak into the mean).
    assert np.allclose(onnx.encode(TEXTS[1:2])[0], onnx_vectors[1], atol=1e-5)
    assert onnx.encode([]).shape == (0, 512)


@pytest.mark.slow
def test_exports_are_reused_from_the_cache(cache_dir: Path) -> None:
    from assistant.retrieval.embedder import resolve_model_path

    SentenceTransformerEmbedder("m3e-small", backend="onnx-int8", cache_dir=cache_dir)
    folder = model_folder(resolve_model_path("m3e-small"), cache_dir)
    stamps = {f: (folder / f).stat().st_mtime_ns for f in (FP32_FILE, INT8_FILE)}
    SentenceTransformerEmbedder("m3e-small", backend="onnx-int8", cache_dir=cache_dir)
    assert {f: (folder / f).stat().st_mtime_ns for f in stamps} == stamps


@pytest.mark.slow
def test_token_cap_truncates_long_passages(real_embedder: object) -> None:
    capped = SentenceTransformerEmbedder("m3e-small", max_seq_length=32)
    assert capped.name == "m3e-small+max32" and capped.max_seq_length == 32
    long_text = "知识产权" * 200
    assert not np.allclose(capped.encode([long_text]), real_embedder.encode([long_text]))  # type: ignore[attr-defined]
    assert np.allclose(capped.encode(["专利"]), real_embedder.encode(["专利"]), atol=1e-5)  # type: ignore[attr-defined]


@pytest.mark.slow
def test_fp32_onnx_falls_back_to_torch_but_int8_does_not(
    monkeypatch: pytest.MonkeyPatch, real_embedder: object, cache_dir: Path
) -> None:
    from assistant.retrieval import onnx_backend

    def broken(*_: object, **__: object) -> None:
        raise onnx_backend.OnnxExportError("export failed")

    monkeypatch.setattr(onnx_backend, "load_exported", lambda *_: None)
    monkeypatch.setattr(onnx_backend, "export_in_child", broken)
    onnx = SentenceTransformerEmbedder("m3e-small", backend="onnx", cache_dir=cache_dir)
    assert onnx.backend == "torch" and onnx.name == "m3e-small"  # same vectors, so the same index
    assert np.allclose(onnx.encode(TEXTS), real_embedder.encode(TEXTS), atol=1e-5)  # type: ignore[attr-defined]
    with pytest.raises(EmbeddingModelError, match="onnx-int8"):
        SentenceTransformerEmbedder("m3e-small", backend="onnx-int8", cache_dir=cache_dir)


@pytest.mark.slow
def test_a_serving_process_never_loads_torch(cache_dir: Path) -> None:
    """The export runs in a child process; the server encodes with ONNX Runtime and `tokenizers` only,
    so torch's few hundred MB (and the export's 2 GB peak) never stay in a worker."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path\n"
        "from assistant.retrieval.embedder import SentenceTransformerEmbedder as E\n"
        f"e = E('m3e-small', backend='onnx', cache_dir=Path({str(cache_dir)!r}))\n"
        "v = e.encode(['专利导航'])\n"
        "print(e.backend, v.shape[1], 'torch' in sys.modules, 'transformers' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["onnx", "512", "False", "False"]
