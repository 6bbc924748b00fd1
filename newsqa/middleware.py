"""The API's pure-ASGI middleware (streaming passes through untouched) and log redaction.

From the outside in (``newsqa.api.create_app`` adds them in the reverse order):

* ``SecurityHeadersMiddleware``: CSP, ``X-Frame-Options``, ``X-Content-Type-Options``
  and ``Referrer-Policy`` on every response, the chat page's included.
* ``RequestIdMiddleware``: an ``X-Request-ID`` for every request; any unexpected
  exception becomes a logged JSON 500.
* ``BearerAuthMiddleware``: the API token on ``/v1/`` (not on the docs page), and a lockout
  (429) for clients that keep presenting wrong tokens, on the API or at the chat
  page's sign-in (``POST /login``).
* ``BodyLimitMiddleware``: request bodies over the upload limit become 413.

``install_log_redaction`` keeps secrets (``rag.settings.redact``) out of every log line.
"""

from __future__ import annotations

import hmac
import json
import logging
import math
import re
import threading
import time
import uuid
from collections import OrderedDict, deque

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from rag.settings import redact

log = logging.getLogger("newsqa.api")

# Paths the bearer token guards; the chat page (Gradio) checks the token itself. The docs
# page (/docs and its assets) and /openapi.json hold no data: a browser opens them
# without a token, and Swagger UI sends the token entered at "Authorize" (newsqa.docs).
PROTECTED_PREFIXES = ("/v1/",)
# The docs page (newsqa.docs): Swagger UI, self-hosted, with no inline script.
DOCS_PREFIXES = ("/docs",)
# The chat page's sign-in form (Gradio's login route, the page being mounted at "/").
LOGIN_PATHS = ("/login", "/login/")
# A client (by IP) with this many wrong tokens or failed sign-ins within the window
# gets 429 on the API and at sign-in, even with the right token, until the window passes.
MAX_FAILED_AUTH = 10
AUTH_WINDOW_S = 60
MAX_TRACKED_CLIENTS = 10_000  # memory bound: the clients with the oldest failures are forgotten first
_REQUEST_ID_OK = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_HOST_OK = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


def _header(scope, name: bytes) -> str | None:
    """The first value of request header ``name`` (lower-case bytes), decoded as Latin-1."""
    for k, v in scope.get("headers", []):
        if k == name:
            return v.decode("latin-1")
    return None


def _error_response(status: int, message: str, kind: str, scope, headers: dict | None = None) -> JSONResponse:
    """An error in OpenAI's shape, as the API's handlers send them."""
    body = {"error": {"message": message, "type": kind, "code": status, "request_id": scope.get("newsqa.request_id")}}
    return JSONResponse(body, status_code=status, headers=headers)


def token_matches(given: str, token: str) -> bool:
    """Constant-time comparison of a presented token with the configured one."""
    return hmac.compare_digest(str(given).encode("utf-8"), token.encode("utf-8"))


# ------------------------------------------------------------------ security headers


def content_security_policy(scope) -> str:
    """The CSP for a response: what the Gradio page needs, nothing from other sites.

    Gradio's front end runs inline and ``eval``-built scripts and inline styles, shows
    data:/blob: images and fonts, and talks to the server over fetch, SSE and websockets
    (``ws:``/``wss:`` to the same host: older browsers do not count them as 'self').
    The docs page (/docs: ``newsqa.docs``) loads only the app's own script files, so
    there scripts are 'self' alone; Swagger UI sets inline styles.
    """
    host = _header(scope, b"host") or ""
    ws = f" ws://{host} wss://{host}" if _HOST_OK.match(host) else ""
    script, style = ["'self'", "'unsafe-inline'", "'unsafe-eval'"], ["'self'", "'unsafe-inline'"]
    if scope.get("path", "").startswith(DOCS_PREFIXES):
        script = ["'self'"]
    return "; ".join([
        "default-src 'self'",
        f"script-src {' '.join(script)}",
        f"style-src {' '.join(style)}",
        "img-src 'self' data: blob:",
        "font-src 'self' data: blob:",
        "media-src 'self' data: blob:",
        "worker-src 'self' blob:",
        f"connect-src 'self'{ws}",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


class SecurityHeadersMiddleware:
    """Add CSP, ``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer``.

    They replace any the app set itself, so no route (Gradio's included) can weaken them.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        extra = [
            (b"content-security-policy", content_security_policy(scope).encode("latin-1")),
            (b"x-frame-options", b"DENY"),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
        ]
        names = {k for k, _ in extra}

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = kept + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


# ------------------------------------------------------------------ request id, body limit


class RequestIdMiddleware:
    """Give every request an id (``X-Request-ID``), and turn any unexpected exception into a logged 500."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        incoming = _header(scope, b"x-request-id")
        rid = incoming if incoming and _REQUEST_ID_OK.match(incoming) else uuid.uuid4().hex[:16]
        scope["newsqa.request_id"] = rid
        started = False

        async def send_with_id(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [(b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unexpected error in %s %s [request %s]", scope.get("method"), scope.get("path"), rid)
            if started:
                return  # a stream was already under way: the client sees it end
            body = json.dumps(
                {"error": {"message": f"internal error; quote request id {rid} when reporting it", "type": "internal_error", "code": 500, "request_id": rid}}
            ).encode()
            await send({"type": "http.response.start", "status": 500, "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"x-request-id", rid.encode())]})
            await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Refuse request bodies over the upload limit: at once by Content-Length, else while reading."""

    def __init__(self, app, max_bytes: int, message: str):
        self.app = app
        self.max_bytes = max_bytes
        self.message = message

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = _header(scope, b"content-length")
        if length and length.isdigit() and int(length) > self.max_bytes:
            return await _error_response(413, self.message, "invalid_request_error", scope)(scope, receive, send)
        seen = 0

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise StarletteHTTPException(413)  # the error handler words it
            return message

        await self.app(scope, limited_receive, send)


# ------------------------------------------------------------------ token check and lockout


class FailedAuthLimiter:
    """Failed token attempts per client, over a sliding window.

    A client with ``max_failures`` failures in the last ``window_s`` seconds is locked
    out until the oldest of them leaves the window. Attempts refused while locked out
    are not counted, so the lockout never outlasts one window.
    """

    def __init__(self, max_failures: int | None = None, window_s: float | None = None, clock=time.monotonic):
        self.max_failures = max_failures or MAX_FAILED_AUTH
        self.window_s = window_s or AUTH_WINDOW_S
        self.clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float] | None:
        times = self._failures.get(client)
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if times is not None and not times:
            del self._failures[client]
            return None
        return times

    def retry_after(self, client: str) -> float:
        """Seconds until ``client`` may try again; 0 when it is not locked out."""
        with self._lock:
            now = self.clock()
            times = self._recent(client, now)
            if not times or len(times) < self.max_failures:
                return 0.0
            return max(times[-self.max_failures] + self.window_s - now, 0.001)

    def record_failure(self, client: str) -> None:
        """Count one failed attempt by ``client``."""
        with self._lock:
            now = self.clock()
            times = self._recent(client, now)
            if times is None:
                times = self._failures[client] = deque(maxlen=self.max_failures)
            times.append(now)
            self._failures.move_to_end(client)
            while len(self._failures) > MAX_TRACKED_CLIENTS:
                self._failures.popitem(last=False)


def _client_ip(scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class BearerAuthMiddleware:
    """Require ``Authorization: Bearer <token>`` on the API (``/v1/``) when a token is set.

    Wrong tokens (a missing header is not counted) and failed sign-ins on the chat page
    (a 4xx answer to ``POST /login``) count against the client's IP; past
    ``MAX_FAILED_AUTH`` within ``AUTH_WINDOW_S`` seconds, the API and the sign-in answer
    429 with ``Retry-After``, right token or not, until the window passes. Behind a
    reverse proxy every client shares the proxy's IP (run uvicorn with
    ``--proxy-headers`` so that ``scope["client"]`` is the real one).
    """

    def __init__(self, app, token: str, prefixes: tuple[str, ...] = PROTECTED_PREFIXES, limiter: FailedAuthLimiter | None = None):
        self.app = app
        self.token = token
        self.prefixes = tuple(prefixes)
        self.limiter = limiter or FailedAuthLimiter()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") == "OPTIONS":
            return await self.app(scope, receive, send)
        path = scope["path"]
        login = path in LOGIN_PATHS and scope.get("method") == "POST"
        if not (login or path.startswith(self.prefixes)):
            return await self.app(scope, receive, send)
        client = _client_ip(scope)
        wait = self.limiter.retry_after(client)
        if wait:
            seconds = math.ceil(wait)
            msg = f"too many failed sign-in attempts; try again in {seconds} s"
            return await _error_response(429, msg, "rate_limit_error", scope, {"Retry-After": str(seconds)})(scope, receive, send)
        if login:
            return await self._watch_login(client, scope, receive, send)
        auth = _header(scope, b"authorization") or ""
        scheme, _, given = auth.partition(" ")
        if scheme.lower() == "bearer" and token_matches(given.strip(), self.token):
            return await self.app(scope, receive, send)
        if auth:
            self.limiter.record_failure(client)
            log.warning("wrong API token from %s on %s %s", client, scope.get("method"), path)
        msg = "missing bearer token: send Authorization: Bearer <NEWSQA_API_TOKEN>" if not auth else "wrong API token"
        resp = _error_response(401, msg, "authentication_error", scope, {"WWW-Authenticate": "Bearer"})
        await resp(scope, receive, send)

    async def _watch_login(self, client: str, scope, receive, send):
        """Pass a sign-in through to the chat page; count it as failed when it answers 4xx."""
        status = 0

        async def send_watching(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_watching)
        finally:
            if 400 <= status < 500 and status != 413:
                self.limiter.record_failure(client)
                log.warning("failed sign-in to the chat page from %s", client)


# ------------------------------------------------------------------ log redaction


class RedactingFilter(logging.Filter):
    """Redact each record's message, exception text and stack (``rag.settings.redact``) in place; never drops a record.

    When redaction changes nothing the record is left alone; otherwise its string
    arguments are redacted one by one (formatters that read ``record.args``, such as
    uvicorn's access log, keep working), or, when that is not enough, the message is
    replaced by its redacted formatted text.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: let the handler report it
            return True
        clean = redact(message)
        if clean != message:
            args = record.args
            if isinstance(args, tuple):
                record.args = tuple(redact(a) if isinstance(a, str) else a for a in args)
            elif isinstance(args, dict):
                record.args = {k: redact(v) if isinstance(v, str) else v for k, v in args.items()}
            record.msg = redact(record.msg) if isinstance(record.msg, str) else record.msg
            try:
                ok = record.getMessage() == clean
            except Exception:
                ok = False
            if not ok:
                record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_REDACTING_FILTER = RedactingFilter()
_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


def install_log_redaction() -> RedactingFilter:
    """Redact secrets in every log line: a filter on the root logger's handlers and on uvicorn's loggers.

    Idempotent. The filter sits on uvicorn's loggers themselves (not only their handlers)
    because ``uvicorn.run`` replaces their handlers when it configures logging. Handlers
    added to the root logger later are not covered: call this again after adding them.
    """
    for handler in logging.getLogger().handlers:
        handler.addFilter(_REDACTING_FILTER)  # addFilter ignores a filter already there
    for name in _UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        logger.addFilter(_REDACTING_FILTER)
        for handler in logger.handlers:
            handler.addFilter(_REDACTING_FILTER)
    return _REDACTING_FILTER
