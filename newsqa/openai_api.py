"""The OpenAI-compatible routes: ``/v1/models`` and ``/v1/chat/completions``, with OpenAI's conventions.

- ``model`` picks the answerer (``newsqa`` = the configured default, ``newsqa-extractive``, ``newsqa-llm``);
  an unknown model is a 404 in OpenAI's error shape (``code: model_not_found``).
- The client's system message is passed to the LLM as instructions about form (language, length, tone); the
  articles stay quoted data.
- ``usage`` on every completion (the model server's counts, else newsqa's tokenizer's: ``newsqa.usage.counted_by``),
  and with ``stream_options.include_usage`` one more chunk carries it, as OpenAI sends it.
- Streaming sends the model's tokens as it writes them; the last chunk carries the verified answer (``newsqa``,
  ``citations``) — the text the client should keep, with unsupported sentences flagged. With the extractive
  answerer the streamed text is the verified text.
- Citations ride in the extra ``citations`` field and as OpenAI ``url_citation`` annotations on the message.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from rag.library import Library
from rag.models import Answer
from rag.service import Event, answer, answer_stream

from .errors import ApiError, request_id
from .schemas import ERRORS, MODELS, ChatCompletionBody
from .streaming import SSE_HEADERS, _ask_request, _error_payload, _first_and_rest, _sse, _text_of

KEEPALIVE_S = 10.0


def install_openai_routes(app: FastAPI, library: Library) -> None:
    settings = library.settings
    created = int(time.time())  # when this server started serving these models

    def available() -> dict[str, str | None]:
        return {m: b for m, b in MODELS.items() if b != "llm" or settings.llm_base_url}

    def card(model_id: str) -> dict:
        return {"id": model_id, "object": "model", "created": created, "owned_by": "newsqa"}

    def backend_of(model_id: str) -> str | None:
        models = available()
        if model_id not in models:
            why = " (no LLM endpoint is configured: set NEWSQA_LLM_BASE_URL)" if model_id in MODELS else ""
            raise ApiError(404, f"The model '{model_id}' does not exist{why}; available: {', '.join(models)}",
                           extra={"param": "model", "code": "model_not_found"})
        return models[model_id]

    @app.get("/v1/models", tags=["openai"])
    async def models():
        """The models newsqa answers as: each picks an answerer."""
        return {"object": "list", "data": [card(m) for m in available()]}

    @app.get("/v1/models/{model_id}", tags=["openai"], responses=ERRORS)
    async def model(model_id: str):
        backend_of(model_id)
        return card(model_id)

    @app.post("/v1/chat/completions", responses={**ERRORS, 200: {"content": {"text/event-stream": {}}}}, tags=["openai"])
    async def chat_completions(body: ChatCompletionBody, request: Request):
        """OpenAI chat completions: the last user message is the question; citations ride in ``citations``."""
        backend = body.backend or backend_of(body.model)
        msgs = [(m.role, _text_of(m.content)) for m in body.messages]
        last_user = max((i for i, (role, _) in enumerate(msgs) if role == "user"), default=None)
        if last_user is None:
            raise ApiError(422, "messages must contain a user message (the question)", extra={"param": "messages"})
        history = [(r, c) for r, c in msgs[:last_user] if r in ("user", "assistant") and c.strip()]
        req = _ask_request(msgs[last_user][1], body.k, body.sources, body.since, body.until, backend, history, body.as_of)
        req.instructions = "\n".join(c for r, c in msgs if r in ("system", "developer") and c.strip())
        cid, now = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        if not body.stream:
            ans = await run_in_threadpool(answer, req, library)
            message = {"role": "assistant", "content": ans.text, "annotations": annotations(ans)}
            return {
                "id": cid, "object": "chat.completion", "created": now, "model": body.model,
                "choices": [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
                "usage": usage_of(ans),
                "citations": [c.model_dump() for c in ans.citations],
                "newsqa": ans.model_dump(mode="json"),
            }
        include_usage = bool(body.stream_options and body.stream_options.include_usage)
        first, rest = await _first_and_rest(answer_stream(req, library))
        chunks = _chat_sse(first, rest, cid, now, body.model, include_usage, request_id(request))
        return StreamingResponse(chunks, media_type="text/event-stream", headers=SSE_HEADERS)


async def _chat_sse(first: Event | None, rest: AsyncIterator[Event], cid: str, created: int, model: str,
                    include_usage: bool, rid: str | None):
    def chunk(delta: dict | None, finish: str | None = None, **extra) -> str:
        out = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
               "choices": [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}]}
        if include_usage:
            out["usage"] = None  # OpenAI: null on every chunk but the last
        return _sse({**out, **extra})

    yield chunk({"role": "assistant", "content": ""})
    last, ev, streamed = time.monotonic(), first, False
    try:
        while ev is not None and ev.kind != "answer":
            if ev.token and ev.source == "llm":
                # The model's words as it writes them (the extractive answer arrives whole, and is split below).
                streamed = True
                yield chunk({"content": ev.token})
            if time.monotonic() - last > KEEPALIVE_S:
                yield ": generating\n\n"
                last = time.monotonic()
            ev = await anext(rest, None)
    except Exception as e:
        yield _sse(_error_payload(e, rid))
        return
    if ev is None:
        yield _sse(_error_payload(RuntimeError("the answer stream ended without an answer"), rid))
        return
    ans: Answer = ev.answer
    if not streamed:
        for piece in re.findall(r"\S+\s*", ans.text):
            yield chunk({"content": piece})
    yield chunk({"annotations": annotations(ans)} if ans.citations else {}, "stop",
                citations=[c.model_dump() for c in ans.citations], newsqa=ans.model_dump(mode="json"))
    if include_usage:
        yield chunk(None, usage=usage_of(ans))  # OpenAI's last chunk: no choices, the usage
    yield _sse("[DONE]")


def usage_of(ans: Answer) -> dict:
    u = ans.usage
    if u is None:
        return {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    return {"prompt_tokens": u.prompt_tokens, "completion_tokens": u.completion_tokens, "total_tokens": u.total_tokens}


def annotations(ans: Answer) -> list[dict]:
    """OpenAI ``url_citation`` annotations: each ``[n]`` marker in the text, with its article and quote."""
    by_n = {c.n: c for c in ans.citations}
    out = []
    for m in re.finditer(r"\[(\d+)\]", ans.text):
        c = by_n.get(int(m.group(1)))
        if c is not None:
            out.append({"type": "url_citation", "url_citation": {
                "url": c.url or f"newsqa:article/{c.article_id}", "title": c.title, "start_index": m.start(),
                "end_index": m.end(), "quote": c.quote}})
    return out
