"""``/v1/feeds``: watch, list, poll and stop watching feeds over HTTP; and the server's feed watcher.

The watcher (``rag.feeds.Watcher``) runs in a background thread for the app's lifetime (started
and stopped with its lifespan, when ``NEWSQA_FEEDS_WATCH`` is on) and polls every watched feed each
``NEWSQA_FEEDS_EVERY``. The routes sit under ``/v1/``, so the bearer token protects them like the
others, and every error is the API's JSON error with a one-line reason.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from ingest.limits import MAX_URL_CHARS
from rag import feeds
from rag.library import Library

from .errors import ApiError, error_response
from .schemas import ERRORS

log = logging.getLogger("newsqa.api")


class FeedIn(BaseModel):
    """A feed to watch: RSS 0.9x/1.0/2.0, Atom or JSON Feed, over http or https."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=MAX_URL_CHARS, examples=["https://example.com/news/rss.xml"])
    fetch: bool = Field(False, description="Poll it now and answer with the poll's report (else the watcher polls it soon).")


class FeedInfo(BaseModel):
    """A watched feed and how its polls went."""

    model_config = ConfigDict(extra="ignore")

    id: str
    url: str
    title: str = ""
    added: str | None = None
    last_fetch: str | None = Field(None, description="When it was last polled (UTC).")
    last_status: str | None = Field(None, description="ok, not modified or error.")
    last_new_item: dict[str, Any] | None = Field(None, description="{at, url, title} of the last new article.")
    last_error: dict[str, Any] | None = Field(None, description="{at, reason} of the last failed poll.")
    errors: int = Field(0, description="Failed polls in a row.")
    items: int = Field(0, description="Articles ingested from it.")
    last_skipped: list[dict[str, str]] = Field(default_factory=list, description="Items skipped by the last poll, with reasons.")


class SkippedItem(BaseModel):
    item: str
    reason: str


class PollReport(BaseModel):
    """What one poll of a feed did (item urls per outcome)."""

    id: str
    url: str
    title: str = ""
    status: str
    error: str | None = None
    added: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    skipped: list[SkippedItem] = []
    seconds: float = 0.0


class FeedAdded(BaseModel):
    feed: FeedInfo
    created: bool
    report: PollReport | None = None


class FeedList(BaseModel):
    feeds: list[FeedInfo]
    watcher: dict[str, Any] = Field(default_factory=dict, description="Whether the server polls, and how often (seconds).")


def install_feed_routes(app: FastAPI, library: Library) -> None:
    """Add the ``/v1/feeds`` routes and run the watcher with the app's lifespan."""
    settings = library.settings
    try:
        every = feeds.parse_interval(settings.feeds_every)
    except ValueError as e:
        log.warning("NEWSQA_FEEDS_EVERY: %s; polling every 15 minutes", e)
        every = 900.0
    watcher = feeds.Watcher(library, every) if settings.feeds_watch else None
    app.state.feed_watcher = watcher
    previous = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a):
        if watcher is not None:
            watcher.start()
        try:
            async with previous(a) as state:
                yield state
        finally:
            if watcher is not None:
                await run_in_threadpool(watcher.stop)

    app.router.lifespan_context = lifespan

    @app.exception_handler(feeds.FeedsError)
    async def _feeds_error(request, exc: feeds.FeedsError):
        """A refused URL is the request's fault (422); an unreadable state file is not (503)."""
        if isinstance(exc, feeds.FeedStateError):
            return error_response(request, 503, str(exc), "feeds_unavailable")
        return error_response(request, 422, str(exc), "invalid_request_error")

    def _one(key: str) -> FeedInfo:
        for f in feeds.list_feeds(settings.data_dir):
            if f["id"] == key:
                return FeedInfo.model_validate(f)
        raise ApiError(404, f"no watched feed with id {key!r}")

    @app.get("/v1/feeds", response_model=FeedList, responses=ERRORS, tags=["feeds"])
    async def list_feeds():
        """Every watched feed: last fetch, last new item, errors, articles ingested."""
        listed = await run_in_threadpool(feeds.list_feeds, settings.data_dir)
        return FeedList(feeds=[FeedInfo.model_validate(f) for f in listed],
                        watcher={"running": watcher is not None, "every_s": every if watcher is not None else None})

    @app.post("/v1/feeds", response_model=FeedAdded, status_code=201, responses={**ERRORS, 200: {"model": FeedAdded}}, tags=["feeds"])
    async def add_feed(body: FeedIn):
        """Watch a feed (201; 200 when it was already watched). A URL that is not http/https or points at a
        private address (unless NEWSQA_FEEDS_ALLOW_PRIVATE) is refused with 422."""
        rec, created = await run_in_threadpool(feeds.add_feed, library, body.url)
        report = None
        if body.fetch:
            (rep,) = await run_in_threadpool(feeds.poll, library, [rec["id"]])
            report = PollReport.model_validate(rep.to_dict())
            rec = _one(rec["id"]).model_dump()
        elif watcher is not None:
            watcher.wake()
        out = FeedAdded(feed=FeedInfo.model_validate(rec), created=created, report=report)
        return JSONResponse(out.model_dump(mode="json"), status_code=201 if created else 200)

    @app.post("/v1/feeds/{feed_id}/poll", response_model=PollReport, responses=ERRORS, tags=["feeds"])
    async def poll_feed(feed_id: str):
        """Poll one watched feed now and report what it did (new, updated, unchanged, skipped items with reasons)."""
        _one(feed_id)
        (rep,) = await run_in_threadpool(feeds.poll, library, [feed_id])
        return PollReport.model_validate(rep.to_dict())

    @app.get("/v1/feeds/{feed_id}", response_model=FeedInfo, responses=ERRORS, tags=["feeds"])
    async def get_feed(feed_id: str):
        """One watched feed."""
        return await run_in_threadpool(_one, feed_id)

    @app.delete("/v1/feeds/{feed_id}", response_model=FeedInfo, responses=ERRORS, tags=["feeds"])
    async def delete_feed(feed_id: str):
        """Stop watching a feed; the articles it brought stay in the library."""
        rec = await run_in_threadpool(feeds.remove_feed, library, feed_id)
        if rec is None:
            raise ApiError(404, f"no watched feed with id {feed_id!r}")
        return FeedInfo.model_validate(rec)
