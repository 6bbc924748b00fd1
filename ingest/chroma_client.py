"""Chroma plumbing for the store: the client (embedded or a server), the no-op embedding function, paged upserts."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import numpy as np

from . import redact as _offline  # noqa: F401  (sets telemetry env before chromadb loads)
from .redact import redact

from .datadir import StoreError, ensure_data_dir, with_timeout

import chromadb  # noqa: E402
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings  # noqa: E402
from chromadb.config import Settings as ChromaSettings  # noqa: E402
from chromadb.utils.embedding_functions import register_embedding_function  # noqa: E402

GET_PAGE = 2000


@register_embedding_function
class PrecomputedEmbeddings(EmbeddingFunction[Documents]):
    """Marker embedding function: newsqa always passes its own vectors, so Chroma never embeds."""

    def __init__(self, model: str = "none"):
        self.model = model

    def __call__(self, input: Documents) -> Embeddings:
        raise StoreError("newsqa passes vectors explicitly; Chroma must not embed")

    @staticmethod
    def name() -> str:
        return "newsqa-precomputed"

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "PrecomputedEmbeddings":
        return PrecomputedEmbeddings(config.get("model", "none"))

    def default_space(self):
        return "cosine"


def make_client(settings):
    """Embedded PersistentClient under the data folder, or an HttpClient for NEWSQA_CHROMA_URL."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        u = urlparse(settings.chroma_url)
        if not u.hostname or u.scheme not in ("http", "https"):
            raise StoreError(f"NEWSQA_CHROMA_URL is not an http(s) URL: {redact(settings.chroma_url)!r}")
        try:
            return with_timeout(
                lambda: chromadb.HttpClient(
                    host=u.hostname,
                    port=u.port or (443 if u.scheme == "https" else 8000),
                    ssl=u.scheme == "https",
                    settings=chroma_settings,
                ),
                f"the Chroma server at {redact(settings.chroma_url)}",
            )
        except StoreError:
            raise
        except Exception as e:
            raise StoreError(f"cannot reach the Chroma server at {redact(settings.chroma_url)}: {redact(str(e))}") from e
    ensure_data_dir(settings.data_dir)
    try:
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
    except Exception as e:
        raise StoreError(f"cannot open the store in {settings.chroma_dir}: {e}") from e


def forget_embedded_client(client) -> None:
    """Drop Chroma's process-wide cache entry for this client's folder, so the next client loads it from disk.

    Chroma caches one ``System`` (with its in-memory vector index) per folder and hands it
    to every new client; without this, a "new" client would be just as stale as the old.
    """
    from chromadb.api.shared_system_client import SharedSystemClient

    ident = getattr(client, "_identifier", None)
    with SharedSystemClient._refcount_lock:
        SharedSystemClient._identifier_to_system.pop(ident, None)
        SharedSystemClient._identifier_to_refcount.pop(ident, None)


class Rows:
    """Rows (id, vector, metadata, document) gathered for one upsert in pages."""

    def __init__(self):
        self.ids: list[str] = []
        self.vecs: list = []
        self.metas: list[dict] = []
        self.docs: list[str] = []

    def add(self, row_id: str, vec, meta: dict, doc: str = "") -> None:
        self.ids.append(row_id)
        self.vecs.append(vec)
        self.metas.append(meta)
        self.docs.append(doc)

    def upsert(self, coll) -> None:
        for s in range(0, len(self.ids), GET_PAGE):
            coll.upsert(
                ids=self.ids[s : s + GET_PAGE],
                documents=self.docs[s : s + GET_PAGE],
                metadatas=self.metas[s : s + GET_PAGE],
                embeddings=np.asarray(self.vecs[s : s + GET_PAGE], dtype=np.float32),
            )
