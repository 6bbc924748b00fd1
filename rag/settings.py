"""One settings object for the whole service, read from ``NEWSQA_*`` variables and ``.env``."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Nothing in the stack may call outside hosts: importing ingest.redact switches off telemetry
# before chromadb or gradio are imported anywhere.
from ingest.redact import redact, remember_secrets, userinfo_secrets  # noqa: E402,F401  (offline env set there too)


class Settings(BaseSettings):
    """Every knob of newsqa; each field is ``NEWSQA_<NAME>`` in the environment."""

    # hide_input_in_errors: a refused value (it may be a token) is never echoed in the error.
    model_config = SettingsConfigDict(
        env_prefix="NEWSQA_", env_file=".env", extra="ignore", hide_input_in_errors=True, populate_by_name=True
    )

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
    # The OpenAI client's own variables are used when newsqa's are unset (the habit of every OpenAI tool).
    llm_base_url: str | None = Field(None, validation_alias=AliasChoices("NEWSQA_LLM_BASE_URL", "OPENAI_BASE_URL"))
    llm_model: str = "local-model"
    llm_api_key: str = Field("none", validation_alias=AliasChoices("NEWSQA_LLM_API_KEY", "OPENAI_API_KEY"))
    llm_timeout: float = 60.0
    llm_max_tokens: int = 300
    llm_fallback: bool = True  # LLM down -> extractive answer instead of an error
    # Below this confidence that the articles answer (rag.confidence) the model is not asked and the answer
    # abstains, as the extractive one does; unset = the calibrated answer threshold, 0 = always ask.
    llm_min_confidence: float | None = Field(None, ge=0.0, le=1.0)
    k: int = 8

    # Server
    host: str = "127.0.0.1"
    port: int = 8000
    api_token: str | None = None
    max_upload_mb: int = 20

    # Watched feeds (rag/feeds.py, ingest/fetch.py)
    feeds_every: str = "15m"  # how often the server's watcher (and `newsqa watch`) polls every feed
    feeds_watch: bool = True  # the server runs the watcher
    feeds_timeout: float = 20.0  # seconds per connect/read of one fetch (the whole download: 3x)
    feeds_delay: float = 2.0  # seconds between two requests to the same host
    feeds_max_mb: float = 10.0  # size cap of one feed or page
    feeds_allow_private: bool = False  # allow loopback/private addresses (tests, intranet feeds)

    @field_validator("api_token", mode="before")
    @classmethod
    def _check_api_token(cls, v):
        """Refuse tokens the API could never match: non-ASCII, control characters or surrounding spaces.

        HTTP headers arrive as Latin-1 and the bearer value is stripped, so such a token
        would lock every client out. An empty value means no token (the API is open).
        """
        if v is None or v == "":
            return None
        if isinstance(v, str) and (v != v.strip() or not all(" " <= c <= "~" for c in v)):
            raise ValueError("NEWSQA_API_TOKEN must be printable ASCII with no surrounding spaces")
        return v

    def model_post_init(self, __context) -> None:
        register_secrets(self)

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    def secret_values(self) -> set[str]:
        """The values that must never be shown: API keys, the API token, and passwords inside the URLs."""
        values = {self.llm_api_key, self.embed_api_key, self.api_token or ""}
        for url in (self.llm_base_url, self.embed_url, self.chroma_url):
            values |= userinfo_secrets(url)
        return {v for v in values if len(v) > 3 and v.lower() != "none"}


# ------------------------------------------------------------------ redaction (ingest.redact)


def register_secrets(settings: "Settings") -> None:
    """Remember ``settings``' secrets so that ``redact`` hides them (every ``Settings`` built registers itself)."""
    remember_secrets(settings.secret_values())


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost; anything else can be reached from other machines."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost: assume it is reachable


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own ``Settings`` instead)."""
    return Settings()
