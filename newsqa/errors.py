"""Every HTTP error is JSON in OpenAI's shape, ``{"error": {"message", "type", "code", "request_id"}}``: one builder
(``error_response``) and the exception handlers that map the services' errors onto status codes."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ingest.embeddings import EmbeddingError
from ingest.store import StoreError
from rag.llm import LLMError
from rag.service import QuestionError
from rag.settings import Settings, redact

log = logging.getLogger("newsqa.api")


class ApiError(Exception):
    """An error with a status and a message meant for the person who sent the request."""

    def __init__(self, status: int, message: str, kind: str = "invalid_request_error", extra: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.kind, self.extra = status, message, kind, extra or {}


def request_id(request: Request) -> str | None:
    return request.scope.get("newsqa.request_id")


# The OpenAI-compatible routes answer errors exactly as OpenAI does: 400 (not 422) for a bad request, and
# ``error.param`` / ``error.code`` as strings or null, so OpenAI clients and SDKs read them as they expect.
OPENAI_PATHS = ("/v1/chat/completions", "/v1/models")


def error_response(
    request: Request | None, status: int, message: str, kind: str, extra: dict | None = None, headers=None, param: str | None = None
) -> JSONResponse:
    rid = request_id(request) if request is not None else None
    if request is not None and request.url.path.startswith(OPENAI_PATHS):
        status = 400 if status == 422 else status
        body = {"error": {"message": message, "type": kind, "param": param, "code": None, **(extra or {}), "request_id": rid}}
    else:
        body = {"error": {"message": message, "type": kind, "code": status, "request_id": rid, **(extra or {})}}
    return JSONResponse(body, status_code=status, headers=headers)


def _field(loc) -> str:
    return ".".join(str(p) for p in loc if p not in ("body", "query", "path", "header"))


def validation_message(errors: list[dict]) -> tuple[int, str]:
    """A status and one readable sentence for pydantic/FastAPI validation errors."""
    parts = []
    for e in errors:
        kind, field = e.get("type", ""), _field(e.get("loc", ()))
        if kind == "json_invalid":
            where = e.get("loc", ("body", "?"))[-1]
            return 400, f"the request body is not valid JSON ({e.get('ctx', {}).get('error', 'decode error')} at character {where})"
        if kind == "missing" and not field:
            parts.append("the request body is missing: send a JSON object")
        elif kind == "missing":
            parts.append(f"{field} is required")
        elif kind == "extra_forbidden":
            parts.append(f"unknown field {field!r}")
        else:
            parts.append(f"{field}: {e.get('msg', 'invalid')}" if field else e.get("msg", "invalid request"))
    return 422, "; ".join(dict.fromkeys(parts)) or "invalid request"


def _too_large(settings: Settings) -> str:
    return f"the request body is larger than the limit of {settings.max_upload_mb} MB (NEWSQA_MAX_UPLOAD_MB)"


def _install_error_handlers(app: FastAPI, settings: Settings) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(request, exc.status, exc.message, exc.kind, exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errors = list(exc.errors())
        status, msg = validation_message(errors)
        return error_response(request, status, msg, "invalid_request_error", param=_field(errors[0].get("loc", ())) or None if errors else None)

    @app.exception_handler(QuestionError)
    async def _question(request: Request, exc: QuestionError):
        return error_response(request, 422, str(exc), "invalid_request_error")

    @app.exception_handler(LLMError)
    async def _llm(request: Request, exc: LLMError):
        log.warning("LLM endpoint failed [request %s]: %s", request_id(request), redact(str(exc)))
        return error_response(request, 503, f"the answering model is unavailable: {redact(str(exc))}", "llm_unavailable")

    @app.exception_handler(StoreError)
    @app.exception_handler(EmbeddingError)
    async def _store(request: Request, exc: Exception):
        log.warning("store or embedder failed [request %s]: %s", request_id(request), redact(str(exc)))
        return error_response(request, 503, f"the article store is unavailable: {redact(str(exc))}", "store_unavailable")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        status = exc.status_code
        if status == 413:
            msg = _too_large(settings)
        elif status == 404 and exc.detail == "Not Found":
            msg = f"no such endpoint: {request.method} {request.url.path}"
        elif status == 405:
            msg = f"{request.method} is not allowed on {request.url.path}"
        else:
            msg = str(exc.detail)
        return error_response(request, status, msg, "invalid_request_error", headers=getattr(exc, "headers", None))
