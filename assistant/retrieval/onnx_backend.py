"""ONNX Runtime backend for a local sentence-transformers model.

The transformer is exported once from the local weights into a cache folder (never fetched from a hub),
optionally int8-quantised there, and then run as tokenise → ONNX Runtime → pool → normalise. Only the
plain "Transformer + mean/CLS Pooling (+ Normalize)" pipeline is supported: anything else (a Dense layer,
last-token pooling) is refused rather than silently computed differently.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import uuid
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.retrieval.embedder import EmbeddingModelError

# Part of the cache key: bump it when the export or quantisation recipe changes, so old files are unused.
EXPORT_VERSION = 1
FP32_FILE = "model.onnx"
INT8_FILE = "model-int8.onnx"
# Written next to the export: what a serving process needs to encode without torch or transformers.
ENCODER_FILE = "encoder.json"
TOKENIZER_FILE = "tokenizer.json"
SUPPORTED_POOLING = ("mean", "cls")
# Texts the fresh export is checked on against torch: a short and a long one, so that one batch is padded.
_CHECK_TEXTS = ("政策问答", "关于加强某项工作的通知，各有关部门的主要任务。")
_CHECK_MIN_COSINE = 0.999


class OnnxExportError(EmbeddingModelError):
    """The model cannot be run by the ONNX backend (unsupported pipeline, or the export disagrees)."""


def cache_key(model_path: Path) -> str:
    """Changes when the model's config or weight files change (size/mtime), or the recipe does."""
    digest = hashlib.sha256(f"export-v{EXPORT_VERSION}".encode())
    config = model_path / "config.json"
    if config.is_file():
        digest.update(config.read_bytes())
    for weights in sorted(model_path.glob("*")):
        if weights.suffix in {".bin", ".safetensors"}:
            stat = weights.stat()
            digest.update(f"{weights.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def model_folder(model_path: Path, cache_dir: Path) -> Path:
    slug = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in model_path.name)
    return cache_dir / f"{slug}-{cache_key(model_path)}"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Several server workers may start together; only one exports, the others wait and reuse it."""
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _pooling_mode(model: Any) -> str:
    names = [type(module).__name__ for module in model]
    if names[:2] != ["Transformer", "Pooling"] or any(n != "Normalize" for n in names[2:]):
        raise OnnxExportError(f"the ONNX backend supports Transformer+Pooling models only, not {names}")
    mode = str(getattr(model[1], "pooling_mode", ""))
    if mode not in SUPPORTED_POOLING:
        raise OnnxExportError(
            f"the ONNX backend supports {'/'.join(SUPPORTED_POOLING)} pooling, not {mode!r}"
        )
    return mode


def _export(model: Any, target: Path) -> None:
    import torch

    transformer = model[0].auto_model.eval()
    sample = model.tokenizer(list(_CHECK_TEXTS), padding=True, return_tensors="pt")
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]

    class _LastHidden(torch.nn.Module):
        # Keyword arguments: the model's positional order differs between transformers versions.
        def __init__(self) -> None:
            super().__init__()
            self.model = transformer

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            out: torch.Tensor = self.model(**dict(zip(names, inputs, strict=True))).last_hidden_state
            return out

    axes = {n: {0: "batch", 1: "sequence"} for n in [*names, "last_hidden_state"]}
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:6]}")
    with warnings.catch_warnings(), torch.no_grad():
        # The TorchScript exporter (dynamo=False) needs no extra packages and traces BERT-style models
        # cleanly; its tracer warnings are about branches that the check below verifies.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _LastHidden(),
            tuple(sample[n] for n in names),
            str(tmp),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    os.replace(tmp, target)


def _quantize(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:6]}")
    # Dynamic quantisation needs no calibration data: weights are int8 offline, activations per call.
    # Per-tensor scales: per-channel ones scored no better in the eval and ran several times slower here
    # (ONNX Runtime fuses per-tensor MatMulInteger into its VNNI kernels).
    quantize_dynamic(str(source), str(tmp), weight_type=QuantType.QInt8)
    os.replace(tmp, target)


def ensure_exported(model: Any, model_path: Path, cache_dir: Path, quantized: bool) -> tuple[Path, bool]:
    """The ONNX file for this model (exporting it first if needed) and whether it was just exported."""
    folder = model_folder(model_path, cache_dir)
    target = folder / (INT8_FILE if quantized else FP32_FILE)
    if target.is_file():
        return target, False
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder / ".lock"):
        if target.is_file():
            return target, False
        fp32 = folder / FP32_FILE
        if not fp32.is_file():
            _export(model, fp32)
            (folder / "source.json").write_text(
                json.dumps({"model": str(model_path), "export_version": EXPORT_VERSION}), encoding="utf-8"
            )
        if quantized:
            _quantize(fp32, target)
    return target, True


def write_encoder_files(model: Any, folder: Path) -> None:
    """The tokenizer as configured (normaliser, special tokens) and the pooling, so that serving
    processes load ONNX Runtime and `tokenizers` only: no torch, transformers or sentence-transformers."""
    tokenizer = model.tokenizer
    tokenizer.backend_tokenizer.save(str(folder / TOKENIZER_FILE))
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    spec = {
        "pooling": _pooling_mode(model),
        "max_seq_length": int(model.max_seq_length or tokenizer.model_max_length),
        "dimension": int(getter()),
        "pad_id": int(tokenizer.pad_token_id or 0),
        "pad_token": str(tokenizer.pad_token or "[PAD]"),
    }
    tmp = folder / f".{ENCODER_FILE}.{uuid.uuid4().hex[:6]}"
    tmp.write_text(json.dumps(spec), encoding="utf-8")
    os.replace(tmp, folder / ENCODER_FILE)


class _FastTokenizer:
    """The call a transformers tokenizer answers (padding to the longest, truncation, numpy), on the
    `tokenizers` library alone."""

    def __init__(self, path: Path, pad_id: int, pad_token: str) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(path))
        self._pad = (pad_id, pad_token)

    def __call__(self, texts: list[str], *, max_length: int, **_: Any) -> dict[str, np.ndarray]:
        self._tokenizer.enable_truncation(max_length)
        self._tokenizer.enable_padding(pad_id=self._pad[0], pad_token=self._pad[1])
        encoded = self._tokenizer.encode_batch(texts)
        return {
            "input_ids": np.asarray([e.ids for e in encoded], dtype=np.int64),
            "attention_mask": np.asarray([e.attention_mask for e in encoded], dtype=np.int64),
            "token_type_ids": np.asarray([e.type_ids for e in encoded], dtype=np.int64),
        }


def load_exported(model_path: Path, cache_dir: Path, quantized: bool) -> tuple[OnnxEncoder, int] | None:
    """The exported encoder and its dimension, without loading the model; None when not exported yet."""
    folder = model_folder(model_path, cache_dir)
    file = folder / (INT8_FILE if quantized else FP32_FILE)
    if not (file.is_file() and (folder / ENCODER_FILE).is_file() and (folder / TOKENIZER_FILE).is_file()):
        return None
    spec = json.loads((folder / ENCODER_FILE).read_text(encoding="utf-8"))
    tokenizer = _FastTokenizer(folder / TOKENIZER_FILE, spec["pad_id"], spec["pad_token"])
    encoder = OnnxEncoder(_session(file), tokenizer, int(spec["max_seq_length"]), spec["pooling"])
    return encoder, int(spec["dimension"])


def _session(file: Path) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3  # its warnings about unused initialisers are noise
    return ort.InferenceSession(str(file), options, providers=["CPUExecutionProvider"])


def export_in_child(model_path: Path, cache_dir: Path, quantized: bool) -> None:
    """Export in a separate process: torch and the export's peak memory (about 2 GB) never stay in a
    serving process. Raises OnnxExportError with the child's last words when it fails."""
    import subprocess
    import sys

    args = [sys.executable, "-m", "assistant.retrieval.onnx_backend", str(model_path), str(cache_dir)]
    done = subprocess.run(
        [*args, *(["--int8"] if quantized else [])], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        tail = " ".join(done.stderr.strip().splitlines()[-2:])
        raise OnnxExportError(f"ONNX export failed ({tail})")


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m assistant.retrieval.onnx_backend MODEL_DIR CACHE_DIR [--int8]`: export and check."""
    import sys

    from sentence_transformers import SentenceTransformer

    args = list(sys.argv[1:] if argv is None else argv)
    quantized = "--int8" in args
    model_path, cache_dir = (Path(a) for a in args if a != "--int8")
    model = SentenceTransformer(str(model_path), device="cpu", local_files_only=True)
    OnnxEncoder.from_sentence_transformer(model, model_path, cache_dir, quantized)
    write_encoder_files(model, model_folder(model_path, cache_dir))
    loaded = load_exported(model_path, cache_dir, quantized)
    if loaded is None:
        raise OnnxExportError("the export left no encoder files")
    if not quantized:
        loaded[0].check_against(model)  # the torch-free tokenizer path must give the same vectors
    return 0


class OnnxEncoder:
    """Tokenise, run the exported transformer in ONNX Runtime, pool and L2-normalise."""

    def __init__(self, session: Any, tokenizer: Any, max_length: int, pooling: str) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self.max_length = max_length
        self._pooling = pooling
        self._inputs = [i.name for i in session.get_inputs()]

    @classmethod
    def from_sentence_transformer(
        cls, model: Any, model_path: Path, cache_dir: Path, quantized: bool
    ) -> OnnxEncoder:
        pooling = _pooling_mode(model)
        file, fresh = ensure_exported(model, model_path, cache_dir, quantized)
        session = _session(file)
        # No limit set on the model: the tokenizer's own (512 for BERT-style models).
        max_length = int(model.max_seq_length or model.tokenizer.model_max_length)
        encoder = cls(session, model.tokenizer, max_length, pooling)
        if fresh and not quantized:
            encoder.check_against(model)
        return encoder

    def check_against(self, model: Any) -> None:
        """A fresh fp32 export must reproduce the torch vectors, padded batch and single text alike."""
        for texts in (list(_CHECK_TEXTS), [_CHECK_TEXTS[1]]):
            ours = self.encode(texts, len(texts))
            theirs = np.asarray(model.encode(texts, normalize_embeddings=True), dtype=np.float32)
            cosine = float(np.min(np.sum(ours * theirs, axis=1)))
            if cosine < _CHECK_MIN_COSINE:
                raise OnnxExportError(f"ONNX export disagrees with torch (cosine {cosine:.4f}); use torch")

    def encode(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        cleaned = [str(t).strip() for t in texts]
        # Longest first, as sentence-transformers does: each batch pads to similar lengths.
        order = np.argsort([-len(t) for t in cleaned], kind="stable")
        out: np.ndarray | None = None
        for start in range(0, len(cleaned), batch_size):
            rows = order[start : start + batch_size]
            vectors = self._run([cleaned[i] for i in rows])
            if out is None:
                out = np.zeros((len(cleaned), vectors.shape[1]), dtype=np.float32)
            out[rows] = vectors
        assert out is not None  # texts is never empty here: the embedder returns early
        return out

    def _run(self, texts: list[str]) -> np.ndarray:
        batch = self._tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="np"
        )
        feed = {name: np.asarray(batch[name], dtype=np.int64) for name in self._inputs}
        hidden = np.asarray(self._session.run(None, feed)[0], dtype=np.float32)
        if self._pooling == "cls":
            pooled = hidden[:, 0]
        else:
            mask = np.asarray(batch["attention_mask"], dtype=np.float32)[:, :, None]
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.clip(norms, 1e-12, None), dtype=np.float32)


if __name__ == "__main__":
    raise SystemExit(main())
