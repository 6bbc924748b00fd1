"""Watched feeds: poll each feed, fetch and clean its new items' pages, ingest them; and the server's watcher.

A poll costs as little as the feed allows: a conditional GET (304: nothing else happens), and
only items never seen, or whose signature changed (an updated item), have their page fetched.
Articles go through ``ingest.pipeline.ingest_items`` like every other ingest (chunking, sentence
vectors, the lexical index, the write lock), with ids from the item url, so an unchanged page is
never embedded again and an updated one replaces its article. The same text under another url
(a syndicated copy) is skipped. A feed that fails, hangs (every fetch is bounded) or holds broken
pages is reported with a one-line reason and the others go on.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass, field

from ingest.feeds import HTML_TYPES, FeedError, decode_page, item_article, parse_feed
from ingest.fetch import Fetcher, FetchError, url_problem  # noqa: F401  (url_problem: for the CLI and API)
from ingest.models import content_id, text_hash
from ingest.pipeline import ingest_items

from .feedstate import FeedsError, FeedStateError, add_feed, feed_id, find, list_feeds, load_state, now, remove_feed, trim_items, update_state  # noqa: F401

log = logging.getLogger("newsqa.feeds")

MAX_ATTEMPTS = 3  # polls that try an unchanged item whose page failed, before it is left alone
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
MIN_EVERY_S = 60.0  # the command line never polls a feed more often than this


@dataclass
class FeedReport:
    """What one poll of one feed did."""

    id: str
    url: str
    title: str = ""
    status: str = "ok"  # ok | not modified | error
    error: str | None = None
    added: list[str] = field(default_factory=list)  # item urls
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (item url, reason)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in ("id", "url", "title", "status", "error", "added", "updated", "unchanged")}
        return {**d, "skipped": [{"item": i, "reason": r} for i, r in self.skipped], "seconds": round(self.seconds, 3)}

    def line(self) -> str:
        """One line for people: what happened to this feed."""
        if self.error:
            return f"{self.url}: error: {self.error}"
        if self.status == "not modified":
            return f"{self.url}: not modified"
        return (f"{self.url}: {len(self.added)} new, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
                f"{len(self.skipped)} skipped")


def parse_interval(text: str) -> float:
    """Seconds in "90s", "15m", "2h", "1d" (a bare number is minutes); ValueError says what is wrong."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", str(text).lower())
    if not m:
        raise ValueError(f"not an interval: {text!r} (use e.g. 90s, 15m, 2h, 1d)")
    return float(m.group(1)) * {"s": 1, "m": 60, "": 60, "h": 3600, "d": 86400}[m.group(2)]


def fetcher_for(settings) -> Fetcher:
    return Fetcher(timeout=settings.feeds_timeout, delay=settings.feeds_delay,
                   max_bytes=int(settings.feeds_max_mb * 2**20), allow_private=settings.feeds_allow_private)


def poll(library, keys: list[str] | None = None) -> list[FeedReport]:
    """Poll the given feeds (ids or urls; default all watched), one after another; never raises for one feed."""
    state = load_state(library.settings.data_dir)
    recs = [find(state, k) for k in keys] if keys else list(state["feeds"].values())
    reports = []
    with fetcher_for(library.settings) as fetcher:
        for key, rec in zip(keys or [r["id"] for r in recs], recs):
            if rec is None:
                reports.append(FeedReport(id="", url=key, status="error", error="not a watched feed"))
                continue
            reports.append(poll_feed(library, rec["id"], fetcher))
    return reports


def poll_feed(library, fid: str, fetcher: Fetcher) -> FeedReport:
    """Poll one feed and record the outcome in the feed state; errors become the report's reason."""
    t0 = time.monotonic()
    state = load_state(library.settings.data_dir)
    rec = state["feeds"].get(fid)
    if rec is None:
        return FeedReport(id=fid, url="", status="error", error="not a watched feed")
    rep = FeedReport(id=fid, url=rec["url"], title=rec.get("title") or "")
    changes: dict[str, dict] = {}
    validators = None
    try:
        got = fetcher.get(rec["url"], rec.get("etag"), rec.get("last_modified"), accept=FEED_ACCEPT)
        if got.status == 304:
            rep.status = "not modified"
        else:
            feed = parse_feed(got.body, got.url, got.content_type)
            rep.title = feed.title or rep.title
            changes = _take_items(library, state, rec, feed, fetcher, rep)
            validators = (got.headers.get("etag"), got.headers.get("last-modified"))
    except (FetchError, FeedError) as e:
        rep.status, rep.error = "error", str(e)
    except Exception as e:  # the store, the embedder, a bug: still one line, and the next feed goes on
        log.warning("feed %s failed", rec["url"], exc_info=True)
        rep.status, rep.error = "error", f"{type(e).__name__}: {(str(e).splitlines() or [''])[0][:200]}"
    rep.seconds = time.monotonic() - t0
    _record(library, rep, changes, validators)
    return rep


def _take_items(library, state: dict, rec: dict, feed, fetcher: Fetcher, rep: FeedReport) -> dict[str, dict]:
    """Fetch, clean and ingest the feed's new and updated items; returns the item records to keep."""
    known: dict[str, dict] = {}
    texts: dict[str, str] = {}  # text hash -> url, over every watched feed (syndicated copies)
    for f in state["feeds"].values():
        for url, it in f.get("items", {}).items():
            known.setdefault(url, it)
            if it.get("text") and it.get("id"):
                texts.setdefault(it["text"], url)
    changes: dict[str, dict] = {}
    loaded = []
    for item in feed.items:
        if not item.url:
            rep.skipped.append((item.title or "(an item)", "the item has no link"))
            continue
        if item.url in changes:
            continue  # listed twice in one feed
        old = known.get(item.url)
        sig = item.signature
        if old and old.get("sig") == sig and (old.get("id") or old.get("dup") or old.get("failed", 0) >= MAX_ATTEMPTS):
            continue  # seen and unchanged: costs nothing
        html, problem = None, None
        try:
            page = fetcher.get(item.url, accept=PAGE_ACCEPT)
            if page.content_type not in HTML_TYPES:
                problem = f"not an HTML page ({page.content_type})"
            else:
                html = decode_page(page.body, page.headers.get("content-type", ""))
        except FetchError as e:
            problem = str(e)
        ld = item_article(item, feed, html, problem)
        if ld.article is None:
            rep.skipped.append((item.url, ld.skipped or "skipped"))
            changes[item.url] = {"sig": sig, "failed": (old or {}).get("failed", 0) + 1, "title": item.title}
            continue
        th = text_hash(ld.article.text)[:32]
        twin = texts.get(th)
        if twin is None and content_id(ld.article.text) != ld.article.id and library.store.stored_hashes([content_id(ld.article.text)]):
            twin = f"article {content_id(ld.article.text)}"  # the same text ingested from a file or upload
        if twin and twin != item.url:
            rep.skipped.append((item.url, f"same text as {twin} (a syndicated copy; not embedded again)"))
            changes[item.url] = {"sig": sig, "dup": twin, "title": item.title}
            continue
        texts[th] = item.url
        changes[item.url] = {"sig": sig, "text": th, "id": ld.article.id, "title": ld.article.title, "failed": 0}
        loaded.append(ld)
    if loaded:
        report = ingest_items(library, loaded)
        for r in report.results:
            url, status = r["item"], r["status"]
            if status == "skipped":
                rep.skipped.append((url, r.get("reason") or "skipped"))
                if url in changes:
                    changes[url] = {"sig": changes[url]["sig"], "failed": (known.get(url) or {}).get("failed", 0) + 1,
                                    "title": changes[url].get("title", "")}
            else:
                {"added": rep.added, "updated": rep.updated, "unchanged": rep.unchanged}[status].append(url)
    return changes


def _record(library, rep: FeedReport, changes: dict[str, dict], validators) -> None:
    """Write the poll's outcome into the feed's record (unless it was removed meanwhile)."""

    def change(state: dict):
        rec = state["feeds"].get(rep.id)
        if rec is None:
            return
        t = now()
        rec["last_fetch"], rec["last_status"] = t, rep.status
        rec["title"] = rep.title or rec.get("title", "")
        if rep.error:
            rec["errors"] = rec.get("errors", 0) + 1
            rec["last_error"] = {"at": t, "reason": rep.error}
        else:
            rec["errors"] = 0
        if validators is not None:  # only a feed that was read: a failed parse is fetched whole next time
            rec["etag"], rec["last_modified"] = validators
        if rep.added:
            newest = changes.get(rep.added[0], {})
            rec["last_new_item"] = {"at": t, "url": rep.added[0], "title": newest.get("title", "")}
        rec["last_skipped"] = [{"item": i, "reason": r} for i, r in rep.skipped[:20]] if rep.skipped or rep.status == "ok" else rec.get("last_skipped", [])
        items = rec.setdefault("items", {})
        for url, ch in changes.items():
            items[url] = {**ch, "seen": t}
        trim_items(items)

    try:
        update_state(library, change)
    except Exception as e:  # a full disk: the poll itself is reported, the state catches up next time
        log.warning("could not record the poll of %s: %s", rep.url, e)


class Watcher:
    """The server's background poller: every ``every_s`` seconds, every watched feed, one after another.

    Nothing a feed does stops it: each poll is bounded by the fetch timeouts and caught whole.
    ``wake()`` polls at once (after a feed is added).
    """

    def __init__(self, library, every_s: float):
        self.library, self.every_s = library, every_s
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.rounds = 0
        self.last_reports: list[FeedReport] = []

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="newsqa-feeds", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.last_reports = poll(self.library) if load_state(self.library.settings.data_dir)["feeds"] else []
                for r in self.last_reports:
                    if r.error:
                        log.warning("feed %s", r.line())
                    elif r.added or r.updated:
                        log.info("feed %s", r.line())
            except Exception as e:  # an unreadable state file, say: log one line, try again next round
                log.warning("feed watcher: %s", (str(e).splitlines() or [type(e).__name__])[0])
            self.rounds += 1
            self._wake.wait(self.every_s)
