"""The watched feeds and what is known of them, in ``<data dir>/feeds.json``.

One small JSON file beside the store, so ``newsqa watch --once`` from cron and a running server
share it: the feeds, their ETag/Last-Modified, last fetch, last new item, errors, and every item
seen (its url, a signature that changes when the item is updated, the hash of its text, the
article id). It is rewritten whole (a temporary file renamed over it, so readers never see half a
file) and only under the data folder's write lock, re-read inside the lock so two writers never
drop each other's changes.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ingest.fetch import url_problem
from ingest.models import content_id

STATE_FILE = "feeds.json"
VERSION = 1
MAX_ITEMS_KEPT = 2000  # per feed: items remembered (oldest forgotten first), so a re-listed item is not fetched again


class FeedsError(ValueError):
    """A request about feeds that cannot be done (a refused URL, an unknown feed); a one-line reason."""


class FeedStateError(FeedsError):
    """The feed state file cannot be read (not the request's fault)."""


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def feed_id(url: str) -> str:
    """A short stable id for a feed url (used in ``/v1/feeds/{id}``)."""
    return content_id("feed:" + url)[:12]


def state_path(data_dir) -> Path:
    return Path(data_dir) / STATE_FILE


def load_state(data_dir) -> dict:
    """The state, or an empty one when there is no file yet; ``FeedsError`` when the file is unreadable."""
    path = state_path(data_dir)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"version": VERSION, "feeds": {}}
    except (OSError, ValueError) as e:
        raise FeedStateError(f"the feed state {path} is unreadable ({str(e).splitlines()[0][:150]}); move it away to start afresh") from None
    if not isinstance(state, dict) or not isinstance(state.get("feeds"), dict):
        raise FeedStateError(f"the feed state {path} is not a newsqa feed state; move it away to start afresh")
    return state


def save_state(data_dir, state: dict) -> None:
    """Write the state atomically (call under the write lock)."""
    path = state_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".feeds-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(state, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def update_state(library, change: Callable[[dict], object]):
    """Re-read the state, apply ``change`` to it and write it back, all under the data folder's write lock."""
    with library.write_lock():
        state = load_state(library.settings.data_dir)
        out = change(state)
        save_state(library.settings.data_dir, state)
        return out


def public(rec: dict) -> dict:
    """A feed's record as listed (no per-item bookkeeping, just how many items are known)."""
    out = {k: v for k, v in rec.items() if k != "items"}
    out["items"] = sum(1 for i in rec.get("items", {}).values() if i.get("id"))
    return out


def list_feeds(data_dir) -> list[dict]:
    """Every watched feed, in the order they were added."""
    feeds = load_state(data_dir)["feeds"].values()
    return [public(r) for r in sorted(feeds, key=lambda r: r.get("added", ""))]


def find(state: dict, key: str) -> dict | None:
    """A feed by its id or url."""
    key = key.strip()
    return state["feeds"].get(key) or state["feeds"].get(feed_id(key))


def add_feed(library, url: str) -> tuple[dict, bool]:
    """Watch ``url``; returns (its record, True when it is new). ``FeedsError`` for a refused URL."""
    url = (url or "").strip()
    problem = url_problem(url, library.settings.feeds_allow_private) if url else "the feed URL is empty"
    if problem:
        raise FeedsError(problem)

    def change(state: dict):
        fid = feed_id(url)
        if fid in state["feeds"]:
            return state["feeds"][fid], False
        rec = {"id": fid, "url": url, "title": "", "added": now(), "last_fetch": None, "last_status": None,
               "last_new_item": None, "last_error": None, "errors": 0, "etag": None, "last_modified": None, "items": {}}
        state["feeds"][fid] = rec
        return rec, True

    rec, new = update_state(library, change)
    return public(rec), new


def remove_feed(library, key: str) -> dict | None:
    """Stop watching a feed (by id or url); its articles stay in the library. Returns its record, or None."""

    def change(state: dict):
        rec = find(state, key)
        if rec is not None:
            del state["feeds"][rec["id"]]
        return rec

    rec = update_state(library, change)
    return public(rec) if rec else None


def trim_items(items: dict) -> None:
    """Forget the oldest-seen items beyond ``MAX_ITEMS_KEPT``."""
    if len(items) > MAX_ITEMS_KEPT:
        for url in sorted(items, key=lambda u: items[u].get("seen", ""))[: len(items) - MAX_ITEMS_KEPT]:
            del items[url]
