"""Helpers shared by the streaming endpoints: Server-Sent Events framing and the first step run eagerly."""

from __future__ import annotations

import json
import logging
from typing import AsyncIterator, Iterator

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from rag.llm import LLMError
from rag.retrieve import Filters
from rag.service import AskRequest, Event

log = logging.getLogger("newsqa.api")


_END = object()


async def _first_and_rest(events: Iterator[Event]) -> tuple[Event | None, AsyncIterator[Event]]:
    """Run the first step of a service stream now, so bad input and a dead LLM become proper status codes."""
    first = await run_in_threadpool(next, events, _END)
    return (None if first is _END else first), iterate_in_threadpool(events)


def _ask_request(question: str, k, sources, since, until, backend, history=(), as_of=None) -> AskRequest:
    return AskRequest(question=question, k=k, filters=Filters(sources=sources or None, since=since or None, until=until or None, as_of=as_of or None),
                      backend=backend, history=list(history))


def _sse(data: dict | str, event: str | None = None) -> str:
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return (f"event: {event}\n" if event else "") + f"data: {payload}\n\n"


def _error_payload(exc: Exception, rid: str | None) -> dict:
    if isinstance(exc, LLMError):
        return {"error": {"message": f"the answering model failed: {exc}", "type": "llm_unavailable", "code": 503, "request_id": rid}}
    log.error("error during a stream [request %s]", rid, exc_info=exc)
    return {"error": {"message": f"internal error; quote request id {rid} when reporting it", "type": "internal_error", "code": 500, "request_id": rid}}


SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def _text_of(content) -> str:
    """Message content as text: a string, or the text parts of a list of parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, dict) and p.get("type", "text") == "text")
