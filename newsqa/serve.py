"""``newsqa serve``: one process serving the HTTP API and the chat page."""

from __future__ import annotations

import sys

from rag.settings import is_loopback


def cmd_serve(args) -> int:
    from rag.settings import get_settings

    settings = get_settings().model_copy(update={"host": args.host or get_settings().host, "port": args.port or get_settings().port})
    if not is_loopback(settings.host) and not settings.api_token and not args.insecure:
        print(
            f"newsqa: refusing to serve on {settings.host} without a token: anyone who can reach it could read and delete "
            "articles. Set NEWSQA_API_TOKEN, bind to 127.0.0.1, or pass --insecure.",
            file=sys.stderr,
        )
        return 2

    import logging

    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from .api import create_app
    from rag.library import get_library

    library = get_library(settings)
    library.store.check_layout()  # a store of an older layout is migrated by `newsqa ingest --migrate` first
    if args.ingest_samples:
        _ingest_samples_if_empty(library)
    app = create_app(settings, library)
    where = f"http://{settings.host if ':' not in settings.host else f'[{settings.host}]'}:{settings.port}"
    articles, chunks = library.store.count()
    print(f"newsqa: {articles} articles ({chunks} chunks); serving {where}  (API docs at {where}/docs)", file=sys.stderr, flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=args.log_level, timeout_graceful_shutdown=5)
    return 0


def _ingest_samples_if_empty(library) -> None:
    from ingest.pipeline import ingest_paths

    from ingest.loaders import SAMPLES

    if library.store.count()[0]:
        return
    print(f"newsqa: the store is empty; ingesting the bundled samples from {SAMPLES} …", file=sys.stderr, flush=True)
    report = ingest_paths(library, [str(SAMPLES)])
    print(f"newsqa: ingested {len(report.added)} articles ({report.chunks} chunks) in {report.seconds:.0f} s", file=sys.stderr, flush=True)


DESCRIPTION = (
    "Serve the newsqa HTTP API (/v1/ask, /v1/search, /v1/articles, /v1/chat/completions, /v1/feeds, /healthz; docs at /docs) "
    "and the chat page at /, and poll the watched feeds every NEWSQA_FEEDS_EVERY. With NEWSQA_API_TOKEN set, the API needs 'Authorization: Bearer <token>' and the "
    "chat page asks for the token as password."
)


def register(sub) -> None:
    """Add ``newsqa serve`` to the CLI."""
    s = sub.add_parser("serve", help="run the HTTP API (OpenAI-compatible too) and the chat page", description=DESCRIPTION)
    s.add_argument("--host", help="address to bind (default: NEWSQA_HOST, 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (default: NEWSQA_PORT, 8000)")
    s.add_argument("--insecure", action="store_true", help="allow a non-loopback address without NEWSQA_API_TOKEN")
    s.add_argument("--ingest-samples", action="store_true", help="ingest the bundled sample articles first if the store is empty")
    s.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"], help="server log level")
    s.set_defaults(func=cmd_serve)
