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


# Row ids in the store: a chunk is ``article:version:i`` (version: the first 8 hex of its text hash, so a changed
# article's rows never collide with the old ones), a sentence ``article:version:i:n``. Every reader of an id asks
# these functions, so the layout lives in one place.
def chunk_id(article_id: str, version: str, i: int) -> str:
    return f"{article_id}:{version}:{i}"


def sentence_id(chunk: str, n: int) -> str:
    return f"{chunk}:{n}"


def chunk_of(sentence: str) -> str:
    """The chunk id of a sentence id."""
    return sentence.rsplit(":", 1)[0]


def article_of(chunk: str) -> str:
    """The article id of a chunk id (article ids may hold colons themselves: split from the right)."""
    return chunk.rsplit(":", 2)[0]


def chunk_index(chunk: str) -> int:
    """The chunk's place in its article (0: the article's lead chunk)."""
    return int(chunk.rsplit(":", 1)[1])


def lead_chunk(chunk: str) -> str:
    """The id of the first chunk of the same article version."""
    return chunk.rsplit(":", 1)[0] + ":0"
