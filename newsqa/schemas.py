"""The HTTP API's request and response bodies (pydantic models; OpenAPI is generated from them)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ingest import limits
from rag.models import ArticleInfo, ScoredChunk
from rag.service import MAX_QUESTION_CHARS

MODEL_NAME = "newsqa"  # the default model: answers with the configured backend (NEWSQA_BACKEND)
# /v1/models: the model a client picks selects the answerer (None: the configured default).
MODELS = {MODEL_NAME: None, "newsqa-extractive": "extractive", "newsqa-llm": "llm"}


DATE = {"format": "date"}  # documented as a date; the service checks it and says what is wrong


class Turn(BaseModel):
    """An earlier turn of the conversation."""

    role: Literal["user", "assistant"]
    content: str


class AskBody(BaseModel):
    """A question, with optional retrieval filters and answerer."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(
        description="The question (1 to 2,000 characters).",
        json_schema_extra={"minLength": 1, "maxLength": MAX_QUESTION_CHARS},
        examples=["What does Russia demand?"],
    )
    k: int | None = Field(None, ge=1, le=50, description="Chunks to retrieve (default NEWSQA_K).")
    sources: list[str] | None = Field(None, description="Only articles from these sources (publishers).")
    since: str | None = Field(None, description="Only articles published on or after this date (YYYY-MM-DD).", json_schema_extra=DATE)
    until: str | None = Field(None, description="Only articles published on or before this date (YYYY-MM-DD).", json_schema_extra=DATE)
    as_of: str | None = Field(
        None, description="Answer as of this day (YYYY-MM-DD, default today): nothing published later is used, "
        "and time words (\"this week\") are read from it.", json_schema_extra=DATE)
    backend: Literal["extractive", "llm"] | None = Field(None, description="Answerer (default NEWSQA_BACKEND).")
    history: list[Turn] = Field(default_factory=list, description="Earlier turns, oldest first, for follow-up questions.")
    stream: bool = Field(False, description="Reply with Server-Sent Events: `token` events, then one `answer` event.")


class FilterBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: list[str] | None = None
    since: str | None = Field(None, description="YYYY-MM-DD", json_schema_extra=DATE)
    until: str | None = Field(None, description="YYYY-MM-DD", json_schema_extra=DATE)


class SearchBody(BaseModel):
    """A retrieval query: no answering, no LLM."""

    model_config = ConfigDict(extra="forbid")

    query: str = Field(json_schema_extra={"minLength": 1, "maxLength": MAX_QUESTION_CHARS}, examples=["Russia security guarantees"])
    k: int | None = Field(None, ge=1, le=50, description="How many chunks (default NEWSQA_K).")
    filters: FilterBody = Field(default_factory=FilterBody)
    as_of: str | None = Field(
        None, description="Answer as of this day (YYYY-MM-DD, default today): nothing published later is used, "
        "and time words (\"this week\") are read from it.", json_schema_extra=DATE)
    method: Literal["fused", "dense", "bm25"] = Field("fused", description="Ranking: fused (default), dense or bm25 only.")


class SearchResponse(BaseModel):
    query: str
    results: list[ScoredChunk]


class ArticleIn(BaseModel):
    """An article to add. Its id: the one given, else one derived from the url, else from the text.

    Posting an article with a known id replaces that article.
    """

    id: str | None = Field(None, max_length=limits.MAX_ID_CHARS, description="Stable id; re-posting it replaces the article.")
    title: str = Field("", max_length=limits.MAX_TITLE_CHARS)
    source: str = Field("", max_length=limits.MAX_SOURCE_CHARS, description="Publisher, e.g. reuters.com.")
    published: str = Field("", max_length=40, description="YYYY-MM-DD (other common spellings are read too).")
    url: str = Field("", max_length=limits.MAX_URL_CHARS)
    authors: list[Annotated[str, Field(max_length=limits.MAX_AUTHOR_CHARS)]] | Annotated[str, Field(max_length=limits.MAX_AUTHOR_CHARS)] = Field(
        default_factory=list, max_length=limits.MAX_AUTHORS
    )
    text: str = Field(max_length=limits.MAX_ARTICLE_CHARS)


class ArticlePage(BaseModel):
    total: int
    offset: int
    limit: int
    articles: list[ArticleInfo]


class ItemResult(BaseModel):
    item: str
    status: Literal["added", "updated", "unchanged", "skipped"]
    id: str | None = None
    title: str | None = None
    chunks: int | None = None
    reason: str | None = None


class Skipped(BaseModel):
    item: str
    reason: str


class IngestResponse(BaseModel):
    """What an ingest did, per item, as ``ingest.pipeline.IngestReport.summary()``."""

    added: int
    updated: int
    unchanged: int
    skipped: list[Skipped]
    chunks: int
    tokens: int
    seconds: float
    articles_per_s: float
    chunks_per_s: float
    results: list[ItemResult]


class Deleted(BaseModel):
    deleted: str


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["user", "assistant", "system", "developer", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")

    include_usage: bool = False  # one more chunk before [DONE], with the token counts and no choices


class ChatCompletionBody(BaseModel):
    """OpenAI's chat completion request; unknown OpenAI fields are accepted and ignored."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={"examples": [{"model": MODEL_NAME, "messages": [{"role": "user", "content": "What does Russia demand?"}]}]},
    )

    model: str = MODEL_NAME
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    # newsqa extras (pass them with the openai client's extra_body)
    k: int | None = Field(None, ge=1, le=50)
    sources: list[str] | None = None
    since: str | None = Field(None, description="YYYY-MM-DD", json_schema_extra=DATE)
    until: str | None = Field(None, description="YYYY-MM-DD", json_schema_extra=DATE)
    as_of: str | None = Field(
        None, description="Answer as of this day (YYYY-MM-DD, default today): nothing published later is used, "
        "and time words (\"this week\") are read from it.", json_schema_extra=DATE)
    backend: Literal["extractive", "llm"] | None = None


class ErrorDetail(BaseModel):
    message: str
    type: str
    code: int | str | None = None  # the HTTP status; on the OpenAI-compatible routes OpenAI's string code or null
    param: str | None = None  # the OpenAI-compatible routes: the request field at fault
    request_id: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


ERRORS = {s: {"model": ErrorBody} for s in (400, 401, 404, 413, 415, 422, 503)}
