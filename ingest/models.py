"""What ingest produces: Article, ArticleInfo, Chunk (and the ids and hashes that name them).

``rag.models`` re-exports them beside the answering contracts (Citation, Answer), so every layer
reads one definition; ingest itself imports nothing from the layers above it.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, Field


def content_id(text: str) -> str:
    """Stable article id derived from the cleaned text (same text, same id)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def text_hash(text: str) -> str:
    """Full hash of an article text, used to notice that an article changed."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Article(BaseModel):
    """A news article: metadata plus the cleaned full text every offset refers to."""

    id: str
    title: str = ""
    source: str = ""
    published: str = ""  # ISO date YYYY-MM-DD, or "" when unknown
    url: str = ""
    authors: list[str] = Field(default_factory=list)
    text: str


class ArticleInfo(BaseModel):
    """An article's metadata and size, without its text (for listings)."""

    id: str
    title: str = ""
    source: str = ""
    published: str = ""
    url: str = ""
    authors: list[str] = Field(default_factory=list)
    chunks: int = 0
    chars: int = 0


class Chunk(BaseModel):
    """A sentence-aligned span of an article: ``article.text[start:end] == text``."""

    id: str
    article_id: str
    text: str
    start: int
    end: int
    # (start, end) of each sentence, as offsets into the article text.
    sentences: list[tuple[int, int]] = Field(default_factory=list)
