"""The HTTP API: ask (with SSE), search, articles, OpenAI-compatible chat completions, health.

Handlers only validate, call the services (``rag.service``, ``rag.retrieve``,
``ingest.pipeline``) in a worker thread, and shape the output. Every error is JSON
in OpenAI's shape, ``{"error": {"message", "type", "code", "request_id"}}``, so the
``openai`` client and chat front ends show the message; no traceback ever reaches
a client.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Annotated, Any, AsyncIterator

from fastapi import Body, FastAPI, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, StreamingResponse
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from ingest.loaders import SUPPORTED, Loaded, TooLarge, article_from_dict
from rag import articles
from rag import settings as _settings_module  # noqa: F401  (telemetry off before gradio/chromadb load)
from rag.library import Library, get_library
from rag.models import Answer, Article
from rag.retrieve import Filters, retrieve
from rag.service import Event, answer, answer_stream, check_text
from rag.settings import Settings, get_settings, redact, register_secrets

from .docs import install_docs
from .errors import (
    ApiError,
    _install_error_handlers,
    _too_large,
    request_id,
    validation_message,
)
from .middleware import (  # noqa: F401  (moved out of this module; PROTECTED_PREFIXES and _header re-exported)
    PROTECTED_PREFIXES,
    BearerAuthMiddleware,
    BodyLimitMiddleware,
    RequestIdMiddleware,
    SecurityHeadersMiddleware,
    _header,
    install_log_redaction,
    token_matches,
)
from .feeds_api import install_feed_routes
from .openai_api import install_openai_routes
from .schemas import (
    ERRORS,
    ArticleIn,
    ArticlePage,
    AskBody,
    Deleted,
    IngestResponse,
    SearchBody,
    SearchResponse,
)
from .streaming import SSE_HEADERS, _ask_request, _error_payload, _first_and_rest, _sse

log = logging.getLogger("newsqa.api")

KEEPALIVE_S = 10.0


# ------------------------------------------------------------------ the app


def create_app(settings: Settings | None = None, library: Library | None = None, mount_ui: bool = True) -> FastAPI:
    """The newsqa ASGI app: API under ``/v1``, ``/healthz``, and the chat page at ``/`` when ``ui.app`` exists."""
    settings = settings or (library.settings if library is not None else get_settings())
    library = library or get_library(settings)
    limit_bytes = settings.max_upload_mb * 2**20

    app = FastAPI(
        title="newsqa",
        version="0.1.0",
        description="Answers questions about news articles; every answer sentence cites the exact words that support it.",
        docs_url=None,  # FastAPI's pages load from a CDN: newsqa.docs serves /docs offline, /redoc stays off
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.library = library
    _install_error_handlers(app, settings)
    install_docs(app, token_required=bool(settings.api_token))  # before the chat page is mounted at "/"

    # ---------------------------------------------------------------- ask

    @app.post("/v1/ask", response_model=Answer, responses={**ERRORS, 200: {"content": {"text/event-stream": {}}}}, tags=["answers"])
    async def ask(body: AskBody, request: Request):
        """Answer a question with verified citations; ``stream: true`` sends token events, then the final answer."""
        req = _ask_request(body.question, body.k, body.sources, body.since, body.until, body.backend, [(t.role, t.content) for t in body.history], body.as_of)
        if not body.stream:
            return await run_in_threadpool(answer, req, library)
        first, rest = await _first_and_rest(answer_stream(req, library))
        return StreamingResponse(_ask_sse(first, rest, request_id(request)), media_type="text/event-stream", headers=SSE_HEADERS)

    async def _ask_sse(first: Event | None, rest: AsyncIterator[Event], rid: str | None):
        ev = first
        try:
            while ev is not None:
                if ev.kind == "token":
                    yield _sse({"token": ev.token}, "token")
                else:
                    yield _sse(ev.answer.model_dump(mode="json"), "answer")
                ev = await anext(rest, None)
        except Exception as e:
            yield _sse(_error_payload(e, rid), "error")

    # ---------------------------------------------------------------- search

    @app.post("/v1/search", response_model=SearchResponse, responses=ERRORS, tags=["answers"])
    async def search(body: SearchBody):
        """The best chunks for a query, with scores and article metadata (no answering)."""
        query = check_text(body.query, "query")
        filters = Filters(sources=body.filters.sources or None, since=body.filters.since or None, until=body.filters.until or None,
                          as_of=body.as_of or date.today().isoformat())
        try:
            filters.validate()
        except ValueError as e:
            raise ApiError(422, str(e)) from None
        hits = await run_in_threadpool(retrieve, library, query, body.k or settings.k, filters, body.method)
        return SearchResponse(query=query, results=hits)

    # ---------------------------------------------------------------- articles

    def _ingest(items) -> IngestResponse:
        return IngestResponse.model_validate(articles.ingest(library, items).summary())

    def _stored_or_error(result: IngestResponse, unsupported_only: bool, too_large: bool = False) -> IngestResponse:
        if result.added or result.updated or result.unchanged:
            return result
        reasons = "; ".join(f"{s.item}: {s.reason}" for s in result.skipped[:5]) or "no articles in the request"
        status = 413 if too_large else 415 if unsupported_only else 422
        raise ApiError(status, f"nothing could be stored ({reasons})", extra={"results": [r.model_dump() for r in result.results]})

    article_schema = TypeAdapter(ArticleIn)
    article_body_schema = {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"anyOf": [
                {"$ref": "#/components/schemas/ArticleIn"},
                {"type": "array", "items": {"$ref": "#/components/schemas/ArticleIn"}, "minItems": 1},
            ]}}},
        }
    }

    @app.post("/v1/articles", response_model=IngestResponse, responses=ERRORS, tags=["articles"], openapi_extra=article_body_schema)
    async def add_articles(payload: Annotated[Any, Body(include_in_schema=False)] = None):
        """Add one article (a JSON object) or several (a list); each item is reported added, updated, unchanged or skipped."""
        if payload is None:
            raise ApiError(422, "the request body is missing: send an article object or a list of them")
        objs = payload if isinstance(payload, list) else [payload]
        if not isinstance(payload, (list, dict)) or not objs:
            raise ApiError(422, "send an article object ({\"title\": ..., \"text\": ...}) or a non-empty list of them")
        items = [_loaded_from_json(obj, f"item {i}") for i, obj in enumerate(objs)]
        return _stored_or_error(await run_in_threadpool(_ingest, items), unsupported_only=False)

    def _loaded_from_json(obj, origin: str) -> Loaded:
        try:
            checked = article_schema.validate_python(obj)
        except ValidationError as e:
            return Loaded(origin, skipped=validation_message(e.errors())[1])
        try:
            art = article_from_dict(checked.model_dump(exclude_none=True))
        except ValueError as e:
            return Loaded(origin, skipped=str(e), too_large=isinstance(e, TooLarge))
        if checked.published.strip() and not art.published:
            return Loaded(origin, skipped=f"published must be a date like 2025-01-31, not {checked.published!r}")
        return Loaded(origin, article=art)

    @app.post("/v1/articles/upload", response_model=IngestResponse, responses=ERRORS, tags=["articles"])
    async def upload_articles(files: Annotated[list[UploadFile], File(description=f"Article files: {' '.join(SUPPORTED)}")]):
        """Add articles from uploaded files, in any format ``newsqa ingest`` reads (read as they are stored)."""
        uploads = [articles.Upload(name=f.filename or "upload", stream=f.file) for f in files]
        report, unsupported = await run_in_threadpool(articles.ingest_uploads, library, uploads, limit_bytes)
        result = IngestResponse.model_validate(report.summary())
        return _stored_or_error(result, unsupported_only=unsupported == len(files), too_large=report.too_large > 0)

    @app.get("/v1/articles", response_model=ArticlePage, responses=ERRORS, tags=["articles"])
    async def list_articles(
        offset: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        q: Annotated[str | None, Query(max_length=200, description="Only articles whose title, source or id contains this.")] = None,
    ):
        """Articles' metadata, newest first, a page at a time."""
        arts = await run_in_threadpool(articles.list_articles, library, q)
        return ArticlePage(total=len(arts), offset=offset, limit=limit, articles=arts[offset : offset + limit])

    @app.get("/v1/articles/{article_id}", response_model=Article, responses=ERRORS, tags=["articles"])
    async def get_article(article_id: str):
        """One article: full text and metadata (citation offsets refer to this text)."""
        art = await run_in_threadpool(articles.get, library, article_id)
        if art is None:
            raise ApiError(404, f"no article with id {article_id!r}")
        return art

    @app.delete("/v1/articles/{article_id}", response_model=Deleted, responses=ERRORS, tags=["articles"])
    async def delete_article(article_id: str):
        """Delete an article and its chunks."""
        if not await run_in_threadpool(articles.delete, library, [article_id]):
            raise ApiError(404, f"no article with id {article_id!r}")
        return Deleted(deleted=article_id)

    install_openai_routes(app, library)
    install_feed_routes(app, library)  # /v1/feeds, and the feed watcher for the app's lifetime

    # ---------------------------------------------------------------- health

    @app.get("/healthz", tags=["health"])
    async def healthz():
        """Store reachable, article and chunk counts, answer backend and whether its endpoint answers."""
        answering = library.settings  # the service answers with the library's settings
        store: dict[str, Any] = {"reachable": False, "location": redact(answering.chroma_url or str(answering.chroma_dir))}
        try:
            store["articles"], store["chunks"] = await run_in_threadpool(library.store.count)
            store["reachable"] = True
        except Exception as e:  # any failure here means "not reachable", reported, not raised
            store["error"] = redact(f"{type(e).__name__}: {e}")
        llm = await _llm_health(answering)
        needs_llm = answering.backend == "llm" and not answering.llm_fallback
        ok = store["reachable"] and (not needs_llm or (llm or {}).get("reachable"))
        degraded = answering.backend == "llm" and not (llm or {}).get("reachable")
        body = {
            "status": "ok" if ok and not degraded else ("degraded" if ok else "down"),
            "store": store,
            "backend": answering.backend,
            "llm": llm,
            "llm_fallback": answering.llm_fallback,
        }
        return JSONResponse(body, status_code=200 if ok else 503)

    async def _llm_health(settings: Settings) -> dict | None:
        if not settings.llm_base_url:
            return None
        import httpx

        out: dict[str, Any] = {"endpoint": redact(settings.llm_base_url), "model": settings.llm_model, "reachable": False}
        try:
            async with httpx.AsyncClient(timeout=3.0) as client:
                r = await client.get(settings.llm_base_url.rstrip("/") + "/models", headers={"Authorization": f"Bearer {settings.llm_api_key}"})
            out["reachable"] = r.status_code < 500
            if r.status_code >= 400:
                out["error"] = f"HTTP {r.status_code}"
        except httpx.HTTPError as e:
            out["error"] = redact(f"{type(e).__name__}: {e}")
        return out

    # The article body is validated per item (one bad item does not sink the batch), so
    # FastAPI does not see ArticleIn; document it by hand.
    generate_openapi = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = generate_openapi()
            schema["components"]["schemas"]["ArticleIn"] = ArticleIn.model_json_schema(ref_template="#/components/schemas/{model}")
        return app.openapi_schema

    app.openapi = openapi

    # ---------------------------------------------------------------- UI and middleware

    if not (mount_ui and _mount_ui(app, library, settings)):

        @app.get("/", include_in_schema=False)
        async def root():
            return RedirectResponse("/docs")

    # Secrets stay out of answers, errors and logs (rag.settings.redact).
    register_secrets(settings)
    register_secrets(library.settings)
    install_log_redaction()
    app.add_middleware(BodyLimitMiddleware, max_bytes=limit_bytes, message=_too_large(settings))
    if settings.api_token:
        app.add_middleware(BearerAuthMiddleware, token=settings.api_token, prefixes=PROTECTED_PREFIXES)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)  # added last, so outermost: every response gets the headers
    return app


def _mount_ui(app: FastAPI, library: Library, settings: Settings) -> bool:
    """Mount the Gradio chat page at ``/`` if ``ui.app`` provides ``build_blocks``; False when it does not."""
    try:
        import ui.app as ui_app
    except ModuleNotFoundError as e:
        if e.name in ("ui.app", "ui"):
            return False
        log.exception("the chat page (ui.app) failed to load; serving the API only")
        return False
    except Exception:
        # A broken chat page must not take the API down with it.
        log.exception("the chat page (ui.app) failed to load; serving the API only")
        return False
    build = getattr(ui_app, "build_blocks", None)
    if build is None:
        return False
    import gradio as gr

    try:
        blocks = build(library, settings)
    except Exception:
        log.exception("the chat page (ui.app.build_blocks) failed; serving the API only")
        return False
    token = settings.api_token
    auth = (lambda _user, password: token_matches(str(password), token)) if token else None
    gr.mount_gradio_app(
        app,
        blocks,
        path="/",
        css=getattr(ui_app, "CSS", None),
        js=getattr(ui_app, "JS", None),
        head=getattr(ui_app, "HEAD", None),
        theme=getattr(ui_app, "THEME", None),
        auth=auth,
        auth_message="Sign in with any user name and the API token (NEWSQA_API_TOKEN) as the password." if token else None,
        ssr_mode=False,
        max_file_size=f"{settings.max_upload_mb}mb",
    )
    return True
