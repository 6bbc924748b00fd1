"""Secrets never leave in messages: ``redact`` hides URL userinfo and every registered secret.

Also where the process is made offline before chromadb or gradio load (no telemetry, no model hub).
"""

from __future__ import annotations

import os
import re
import threading
from urllib.parse import unquote, urlsplit

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

_USERINFO = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*://)[^/\s?#'\"<>@]*(?:@[^/\s?#'\"<>@]*)*@")
_secrets: set[str] = set()
_secrets_lock = threading.Lock()


def userinfo_secrets(url: str | None) -> set[str]:
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


def remember_secrets(values: set[str]) -> None:
    """Remember secret values so that ``redact`` hides them (``rag.settings.Settings`` registers its own)."""
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
