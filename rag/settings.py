"""One settings object for the whole service, read from ``NEWSQA_*`` variables and ``.env``."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

# Nothing in the stack may call outside hosts: switch off telemetry before
# chromadb or gradio are imported anywhere.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


class Settings(BaseSettings):
    """Every knob of newsqa; each field is ``NEWSQA_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="NEWSQA_", env_file=".env", extra="ignore")

    # Storage
    data_dir: Path = Path("./data")
    chroma_url: str | None = None  # e.g. http://127.0.0.1:8000 ; unset = embedded store
    collection: str = "newsqa"

    # Embeddings
    embed_backend: Literal["local", "openai"] = "local"
    embed_url: str | None = None  # OpenAI-compatible base URL, e.g. http://host:port/v1
    embed_model: str = "text-embedding-3-small"
    embed_api_key: str = "none"
    embed_batch: int = 8

    # Answering
    backend: Literal["extractive", "llm"] = "extractive"
    llm_base_url: str | None = None  # e.g. http://127.0.0.1:8080/v1
    llm_model: str = "local-model"
    llm_api_key: str = "none"
    llm_timeout: float = 60.0
    llm_max_tokens: int = 300
    llm_fallback: bool = True  # LLM down -> extractive answer instead of an error
    k: int = 8

    # Server
    host: str = "127.0.0.1"
    port: int = 8000
    api_token: str | None = None
    max_upload_mb: int = 20

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own ``Settings`` instead)."""
    return Settings()
