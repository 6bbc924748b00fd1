"""One settings object for the whole service, read from ``NEWSQA_*`` variables and ``.env``."""

from __future__ import annotations

import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Nothing in the stack may call outside hosts: switch off telemetry before
# chromadb or gradio are imported anywhere.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


class Settings(BaseSettings):
    """Every knob of newsqa; each field is ``NEWSQA_<NAME>`` in the environment."""

    # hide_input_in_errors: a refused value (it may be a token) is never echoed in the error.
    model_config = SettingsConfigDict(env_prefix="NEWSQA_", env_file=".env", extra="ignore", hide_input_in_errors=True)

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
            values |= _userinfo_secrets(url)
        return {v for v in values if len(v) > 3 and v.lower() != "none"}


# ------------------------------------------------------------------ redaction

_USERINFO = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*://)[^/\s?#'\"<>@]*(?:@[^/\s?#'\"<>@]*)*@")
_secrets: set[str] = set()
_secrets_lock = threading.Lock()


def _userinfo_secrets(url: str | None) -> set[str]:
    """The password (and user:password) of a URL's userinfo, as written and percent-decoded."""
    if not url or "@" not in url:
        return set()
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return set()
    userinfo = parts.netloc.rpartition("@")[0]
    out = {userinfo, unquote(userinfo)}
    if parts.password:
        out |= {parts.password, unquote(parts.password)}
    return out


def register_secrets(settings: "Settings") -> None:
    """Remember ``settings``' secrets so that ``redact`` hides them (every ``Settings`` built registers itself)."""
    values = settings.secret_values()
    if values - _secrets:
        with _secrets_lock:
            _secrets.update(values)


def redact(text: str) -> str:
    """``text`` with URL userinfo (``scheme://user:pass@`` → ``scheme://***@``) and every configured secret replaced by ``***``.

    The secrets are those of every ``Settings`` built in this process (the process
    settings, ``get_settings()``, among them) or passed to ``register_secrets``:
    ``llm_api_key``, ``embed_api_key``, ``api_token`` and the passwords in
    ``llm_base_url``, ``embed_url`` and ``chroma_url`` (values of four characters or
    more, except "none").
    """
    if not text:
        return text
    text = str(text)
    text = _USERINFO.sub(r"\1***@", text)
    for value in sorted(_secrets, key=len, reverse=True):
        if value in text:
            text = text.replace(value, "***")
    return text


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own ``Settings`` instead)."""
    return Settings()
