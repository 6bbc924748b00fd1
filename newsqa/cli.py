"""The ``newsqa`` command: a thin layer over the ingest and answer services."""

from __future__ import annotations

import argparse
import json
import sys

from rag import settings as _settings_module  # noqa: F401  (telemetry off before anything else loads)

from ingest.loaders import SAMPLES  # noqa: E402  (the bundled sample articles)


def _library(create: bool = False):
    """The library of the configured data folder; reading commands do not create an empty one."""
    from ingest.store import StoreError

    from rag.library import get_library
    from rag.settings import get_settings

    s = get_settings()
    if not create and not s.chroma_url and not s.chroma_dir.exists():
        raise StoreError(
            f"no library in {s.data_dir.resolve()}: ingest articles first (newsqa ingest PATH), "
            "or point --data-dir / NEWSQA_DATA_DIR at an existing one"
        )
    return get_library()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsqa")
    except PackageNotFoundError:
        return "unknown"


def _fail(msg: str, code: int = 2) -> int:
    print(f"newsqa: {msg}", file=sys.stderr)
    return code


# ------------------------------------------------------------------ ingest & store


def cmd_ingest(args) -> int:
    from rag import articles

    paths = args.paths or ([] if args.migrate else [str(SAMPLES)])
    lib = _library(create=True)
    bar = None
    if not args.quiet and not args.json and sys.stderr.isatty() or args.progress:
        from tqdm import tqdm

        bar = tqdm(total=articles.estimate_items(paths) or None, unit="article", desc="ingest", file=sys.stderr)

    def progress(n: int, chunks: int):
        if bar is not None:
            bar.update(n)
            el = bar.format_dict.get("elapsed") or 1e-9
            bar.set_postfix_str(f"{chunks / el:.1f} chunks/s")

    def waiting():
        if not args.quiet:
            print(f"newsqa: waiting for another ingest or delete in {lib.settings.data_dir} to finish …", file=sys.stderr, flush=True)

    try:
        report = articles.ingest_paths(lib, paths, progress, on_wait=waiting)
    except KeyboardInterrupt:
        return _fail("interrupted; run the same command again to finish (nothing is duplicated)", 130)
    finally:
        if bar is not None:
            bar.close()
    summary = report.summary()
    if args.json:
        print(json.dumps(summary, indent=2))
    elif not args.quiet:
        print(
            f"ingested {len(report.added)} new and {len(report.updated)} changed articles "
            f"({report.chunks} chunks, {summary['articles_per_s']} articles/s, {summary['chunks_per_s']} chunks/s); "
            f"{len(report.unchanged)} unchanged; {len(report.skipped)} skipped"
            + (f"; re-indexed {report.migrated} articles of the older store" if report.migrated else "")
        )
        for origin, reason in report.skipped:
            print(f"  skipped {origin}: {reason}")
    return 0 if report.ok else 1


def cmd_list(args) -> int:
    arts = _library().store.list_articles()
    if args.json:
        print(json.dumps([a.model_dump() for a in arts], indent=2))
        return 0
    for a in arts:
        print(f"{a.id}  {a.published or '----------'}  {a.source[:28]:28}  {a.chunks:3d} chunks  {a.title}")
    print(f"{len(arts)} articles")
    return 0


def cmd_show(args) -> int:
    art = _library().store.get_article(args.id)
    if art is None:
        return _fail(f"no article with id {args.id}", 1)
    if args.json:
        print(json.dumps(art.model_dump(), indent=2))
    else:
        print(f"{art.title}\n{art.source} · {art.published} · {art.url}\n{', '.join(art.authors)}\n\n{art.text}")
    return 0


def cmd_delete(args) -> int:
    from rag import articles

    gone = articles.delete(_library(), args.ids)
    for i in args.ids:
        print(f"{'deleted' if i in gone else 'not found'}: {i}")
    return 0 if gone else 1


def cmd_stats(args) -> int:
    lib = _library()
    arts, chunks = lib.store.count()
    s = lib.settings
    info = {
        "articles": arts,
        "chunks": chunks,
        "store": s.chroma_url or str(s.chroma_dir.resolve()),
        "collection": s.collection,
        "embedding_model": lib.embedder.name,
        "lexical_chunks": len(lib.lexical()),
    }
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        for k, v in info.items():
            print(f"{k:16} {v}")
    return 0


# ------------------------------------------------------------------ ask


def cmd_ask(args) -> int:
    from rag.llm import LLMError
    from rag.retrieve import Filters
    from rag.service import AskRequest, QuestionError, answer_stream, validate

    req = AskRequest(
        question=args.question,
        k=args.k,
        filters=Filters(sources=args.source or None, since=args.since, until=args.until, as_of=args.as_of),
        backend=args.backend,
    )
    final = None
    try:
        validate(req)  # bad input is reported before the library is opened
        lib = _library()
        streamed = False
        for ev in answer_stream(req, lib):
            if ev.kind == "token" and not args.json and (args.backend or lib.settings.backend) == "llm":
                print(ev.token, end="", flush=True)
                streamed = True
            elif ev.kind == "answer":
                final = ev.answer
        if streamed:
            print("\n")
    except QuestionError as e:
        return _fail(str(e))
    except LLMError as e:
        return _fail(f"the answering model is unavailable: {e} (set NEWSQA_LLM_FALLBACK=true to answer extractively instead)", 1)
    if args.json:
        print(json.dumps(final.model_dump(), indent=2, ensure_ascii=False))
        return 0
    print(final.text)
    if final.fallback:
        print(f"\n(the extractive answer instead of the LLM's: {final.error})")
    elif final.abstained and final.error:
        print(f"\n(why: {final.error})")
    for c in final.citations:
        print(f"\n[{c.n}] {c.title} — {c.source}, {c.published or 'date unknown'}\n    “{c.quote}”")
    for s in final.sentences:
        if not s.supported:
            print(f"\n(unsupported by its citations, support {s.support:.2f}): {s.text}")
    t = final.timings
    print(f"\n{final.backend} · retrieve {t.retrieve_ms:.0f} ms · answer {t.answer_ms:.0f} ms")
    return 0


# ------------------------------------------------------------------ parser


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="newsqa",
        description="Question answering over news articles, with every answer sentence citing the exact words that support it. "
        "Settings come from NEWSQA_* environment variables or .env (see README).",
    )
    p.add_argument("--version", action="version", version=f"newsqa {_version()}")
    p.add_argument("--data-dir", metavar="DIR", help="the data folder for every command (default: NEWSQA_DATA_DIR or ./data)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("ingest", help="add articles from files or folders (.txt .md .html .jsonl .jsonl.gz .pdf .docx)")
    s.add_argument("paths", nargs="*", help="files or folders, searched recursively (default: the bundled samples)")
    s.add_argument("--json", action="store_true", help="print a machine-readable summary")
    s.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    s.add_argument("--progress", action="store_true", help="show the progress bar even when not on a terminal")
    s.add_argument("--migrate", action="store_true", help="re-index a store made by an older newsqa (no paths needed); "
                   "any ingest does this first anyway")
    s.set_defaults(func=cmd_ingest)

    for name, what, func, arg in (
        ("list", "list ingested articles (id, date, source, chunks, title)", cmd_list, None),
        ("show", "print one article with its metadata", cmd_show, "id"),
        ("stats", "counts and where the store is", cmd_stats, None),
    ):
        s = sub.add_parser(name, help=what)
        if arg:
            s.add_argument(arg)
        s.add_argument("--json", action="store_true", help="print JSON")
        s.set_defaults(func=func)

    s = sub.add_parser("delete", help="delete articles by id")
    s.add_argument("ids", nargs="+")
    s.set_defaults(func=cmd_delete)

    s = sub.add_parser("ask", help="answer a question with cited sentences")
    s.add_argument("question")
    s.add_argument("--json", action="store_true", help="print the Answer object")
    s.add_argument("--backend", choices=["extractive", "llm"], help="answerer (default: NEWSQA_BACKEND)")
    s.add_argument("-k", type=int, help="chunks to retrieve (default: NEWSQA_K)")
    s.add_argument("--source", action="append", help="only this source (repeatable)")
    s.add_argument("--since", help="only articles published on or after YYYY-MM-DD")
    s.add_argument("--until", help="only articles published on or before YYYY-MM-DD")
    s.add_argument("--as-of", metavar="YYYY-MM-DD", help="answer as of this day (default today): nothing published later is used, "
                   "and 'this week', 'last month', 'on Tuesday' are read from it")
    s.set_defaults(func=cmd_ask)

    for register in _extra_commands():
        register(sub)
    _add_common(sub)
    return p


def _extra_commands():
    """Commands that live beside their own modules (serve, eval, bench-ingest, bench-lexical, watch, feeds)."""
    from evals import bench_ingest, bench_lexical
    from evals import cli as eval_cli

    from . import feeds_cli, serve

    return [serve.register, eval_cli.register, bench_ingest.register, bench_lexical.register, feeds_cli.register]


def _add_common(sub) -> None:
    """``--data-dir`` on every command (also accepted before the command)."""
    for parser in sub.choices.values():
        parser.add_argument(
            "--data-dir", default=argparse.SUPPRESS, metavar="DIR",
            help="the data folder (embedded store and indexes; default: NEWSQA_DATA_DIR or ./data)",
        )


def _settings_error(e) -> str:
    """One line naming each bad NEWSQA_* setting and what it should be."""
    parts = []
    for err in e.errors():
        field = ".".join(str(x) for x in err.get("loc", ())) or "?"
        secret = any(w in field for w in ("token", "key", "url"))  # never echo a secret back
        got = "" if secret or "input" not in err else f" (got {err['input']!r})"
        parts.append(f"NEWSQA_{field.upper()}: {err.get('msg', 'invalid')}{got}")
    return "bad setting " + "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    import os

    from pydantic import ValidationError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    if getattr(args, "data_dir", None):
        os.environ["NEWSQA_DATA_DIR"] = str(args.data_dir)
    from ingest.embeddings import EmbeddingError
    from ingest.store import StoreError

    from rag.settings import get_settings

    get_settings.cache_clear()
    try:
        get_settings()
        return args.func(args)
    except ValidationError as e:
        return _fail(_settings_error(e), 2)
    except (StoreError, EmbeddingError) as e:
        return _fail(str(e), 1)
    except BrokenPipeError:
        # `newsqa list | head`: the reader left; stop quietly, as other command-line tools do.
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 141
    except PermissionError as e:
        return _fail(f"permission denied: {e.filename or e}", 1)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)


if __name__ == "__main__":
    sys.exit(main())
