"""``newsqa watch`` and ``newsqa feeds``: watched feeds from the command line (the service is ``rag.feeds``).

``newsqa watch URL… --once`` is the cron form: subscribe, poll once, exit (0 when every feed
was read, 1 when one failed, 2 for a refused URL). Without ``--once`` it polls every
``--every`` until interrupted. The feed state lives in the data folder, shared with the server.
"""

from __future__ import annotations

import json
import sys


def _fail(msg: str, code: int = 2) -> int:
    print(f"newsqa: {msg}", file=sys.stderr)
    return code


def cmd_watch(args) -> int:
    import time

    from rag import feeds
    from rag.library import get_library
    from rag.settings import get_settings

    settings = get_settings()
    try:
        every = feeds.parse_interval(args.every or settings.feeds_every)
    except ValueError as e:
        return _fail(str(e))
    if not args.once and every < feeds.MIN_EVERY_S:
        return _fail(f"--every {args.every or settings.feeds_every} is too often: poll feeds at most once a minute")
    for url in args.urls:  # refuse bad URLs before opening anything
        problem = feeds.url_problem(url, settings.feeds_allow_private)
        if problem:
            return _fail(problem)
    try:
        if not args.urls and not feeds.list_feeds(settings.data_dir):
            return _fail("no feeds are watched: newsqa watch URL… adds them")
        lib = get_library(settings)
        for url in args.urls:
            rec, new = feeds.add_feed(lib, url)
            if new and not args.json:
                print(f"watching {url}")
        keys = [feeds.feed_id(u.strip()) for u in args.urls] or None
        while True:
            reports = feeds.poll(lib, keys)
            _print_reports(reports, args.json)
            if args.once:
                return 1 if any(r.error for r in reports) else 0
            time.sleep(every)
    except feeds.FeedsError as e:  # an unreadable state file is not the command's fault: exit 1
        return _fail(str(e), 1 if isinstance(e, feeds.FeedStateError) else 2)


def _print_reports(reports, as_json: bool) -> None:
    if as_json:
        print(json.dumps([r.to_dict() for r in reports], indent=2, ensure_ascii=False), flush=True)
        return
    for r in reports:
        print(r.line())
        for item, reason in r.skipped:
            print(f"  skipped {item}: {reason}")
    sys.stdout.flush()


def cmd_feeds(args) -> int:
    from rag import feeds
    from rag.settings import get_settings

    settings = get_settings()
    try:
        if args.remove:
            from rag.library import get_library

            lib = get_library(settings)
            missing = [k for k in args.remove if feeds.remove_feed(lib, k) is None]
            for k in args.remove:
                print(f"{'not watched' if k in missing else 'stopped watching'}: {k}")
            return 1 if missing else 0
        listed = feeds.list_feeds(settings.data_dir)
    except feeds.FeedsError as e:
        return _fail(str(e), 1)
    if args.json:
        print(json.dumps(listed, indent=2, ensure_ascii=False))
        return 0
    for f in listed:
        new = f.get("last_new_item") or {}
        err = f.get("last_error") or {}
        print(f"{f['id']}  {f['url']}")
        print(f"    {f.get('title') or '(not fetched yet)'} · {f['items']} articles · last fetch {f.get('last_fetch') or 'never'}"
              f" ({f.get('last_status') or '-'}) · last new item {new.get('at') or 'never'}"
              + (f" · {f['errors']} failed polls in a row" if f.get("errors") else ""))
        if err:
            print(f"    last error {err.get('at')}: {err.get('reason')}")
    print(f"{len(listed)} feeds")
    return 0


def register(sub) -> None:
    """Add ``newsqa watch`` and ``newsqa feeds`` to the CLI."""
    s = sub.add_parser("watch", help="watch RSS, Atom or JSON feeds: ingest each new item's page",
                       description="Subscribe to feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed) and ingest each new item's article page. "
                       "Without URLs, every watched feed. The state is kept in the data folder (feeds.json), shared with "
                       "`newsqa serve`'s watcher. Private and loopback addresses need NEWSQA_FEEDS_ALLOW_PRIVATE=1.")
    s.add_argument("urls", nargs="*", metavar="URL", help="feed URLs (http or https) to watch from now on")
    s.add_argument("--every", metavar="INTERVAL", help="poll interval: 90s, 15m, 2h (default NEWSQA_FEEDS_EVERY, 15m)")
    s.add_argument("--once", action="store_true", help="poll each feed once and exit (for cron)")
    s.add_argument("--json", action="store_true", help="print each poll's reports as JSON")
    s.set_defaults(func=cmd_watch)

    s = sub.add_parser("feeds", help="list watched feeds: last fetch, last new item, errors")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.add_argument("--remove", nargs="+", metavar="URL_OR_ID", help="stop watching these feeds (their articles stay)")
    s.set_defaults(func=cmd_feeds)
