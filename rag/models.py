"""The data contracts shared by every layer: Article, Chunk, Citation, Answer.

Each is a small typed pydantic model, serialised in one way (``model_dump``)
by the CLI, the API, the UI and the evals alike.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


# The ingest layer's contracts, re-exported: one definition for every layer.
from ingest.models import Article, ArticleInfo, Chunk, content_id, text_hash  # noqa: E402,F401


class ScoredChunk(BaseModel):
    """A retrieved chunk with its fused score, rank details and article metadata."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    bm25_rank: int | None = None
    title: str = ""
    source: str = ""
    published: str = ""
    url: str = ""


class Citation(BaseModel):
    """Exact words of an article: ``article.text[start:end] == quote`` always holds."""

    n: int
    article_id: str
    title: str = ""
    source: str = ""
    published: str = ""
    url: str = ""
    quote: str
    start: int
    end: int


def is_verbatim(text: str | None, c: "Citation") -> bool:
    """True when the citation's quote is exactly ``text[c.start:c.end]`` (the one check the page, evals and tests use)."""
    return text is not None and 0 <= c.start <= c.end <= len(text) and text[c.start : c.end] == c.quote


class AnswerSentence(BaseModel):
    """One sentence of an answer, the citation numbers it carries and its support."""

    text: str
    citations: list[int] = Field(default_factory=list)
    support: float = 0.0
    supported: bool = False


class ShortAnswer(BaseModel):
    """The words that answer the question ("Izvestia"), inside the quote of citation ``citation``."""

    text: str
    citation: int
    start: int  # offsets into that citation's quote: quote[start:end] == text
    end: int
    kind: str  # the kind of span: person, org, city, number, date, role, …


class Timings(BaseModel):
    """Milliseconds spent per stage."""

    retrieve_ms: float = 0.0
    answer_ms: float = 0.0
    total_ms: float = 0.0
    first_token_ms: float = 0.0  # until the first words reached the reader (the model's first token, when streamed)


class Usage(BaseModel):
    """Token counts, OpenAI's ``usage``; ``counted_by`` says whose tokenizer counted them."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    counted_by: Literal["model server", "newsqa"] = "newsqa"


class DisagreementValue(BaseModel):
    value: str  # the words of the cited sentence that give this value
    citation: int  # the [n] of that sentence
    source: str = ""
    published: str | None = None


class Disagreement(BaseModel):
    """Different values of the thing asked, from different sources (or one source's updates), newest first."""

    kind: str
    values: list[DisagreementValue]
    update: bool = False  # one publisher at different dates: "first reported …, later …"


class Answer(BaseModel):
    """The verified answer returned by ``rag.service.answer``."""

    question: str
    text: str
    sentences: list[AnswerSentence] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    abstained: bool = False
    short: ShortAnswer | None = None  # the answering words, when a span of the asked kind was found
    confidence: float | None = None  # rag.confidence: how likely the evidence answers the question (0..1)
    answer_kind: str | None = None  # the kind of answer the question asks for (rag.question)
    backend: str = "extractive"
    fallback: bool = False  # true when the LLM failed and extractive answered
    error: str | None = None
    as_of: str | None = None  # the day the question was asked as of: nothing published later was used
    window: str | None = None  # the days the question's time words name, "2026-01-05..2026-01-08"
    time_note: str | None = None  # set when no cited article lies in that window (or, for "latest", near it)
    disagreement: Disagreement | None = None  # set when the sources give different values (rag.disagree)
    usage: Usage | None = None  # tokens in and out: as the LLM server reported them, else counted here
    timings: Timings = Field(default_factory=Timings)
