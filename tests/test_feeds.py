"""Watched feeds against a real HTTP server on loopback, started here: RSS, Atom and JSON Feed with their
article pages, and the pages that go wrong (a 500, a redirect loop, a 50 MB page, a feed that hangs).

Every fetch goes through the real code (httpx, feedparser, trafilatura, the ingest pipeline, the
answer service); only the timeouts and the per-host delay are shortened by settings.
"""

from __future__ import annotations

import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import free_port

HARBOUR = [
    "The harbour town of Eastmere finished restoring its 1870 lighthouse on Friday after three years of work.",
    "The restoration cost 2.4 million euros, most of it raised by a local fishing cooperative.",
    "Engineers replaced the rusted lantern room and rebuilt the spiral staircase with oak from the valley.",
    "Mayor Ines Holloway said the lamp will be lit again every night from the first of March.",
]
HARBOUR_UPDATE = "The coast guard confirmed on Monday that the lighthouse will also carry a new fog signal."
ORCHARD = [
    "Growers in the Tarn valley picked 41,000 tonnes of apples this autumn, the largest harvest on record.",
    "Warm spring weather and an absence of late frosts helped the orchards set fruit early.",
    "The growers' association said prices at the farm gate fell by eight percent as a result.",
    "Cider makers in the region expect to double their output of sparkling cider next year.",
]
BRIDGE = [
    "The city council of Norbury voted on Tuesday to replace the Old Mill footbridge over the river.",
    "The new steel bridge will be wider, so that cyclists and pushchairs can pass each other safely.",
    "Construction is due to start in June and should last about seven months, the council said.",
]
LIBRARY_TEXT = " ".join(
    f"The public library of Westholm opened its new reading room number {i} to visitors this week, "
    "with long tables, quiet booths and shelves for local history collections." for i in range(12)
)


def news_page(title: str, site: str, day: str, paragraphs: list[str]) -> bytes:
    """A realistic news page: head metadata, navigation, the article, a related-links aside and a footer."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:site_name" content="{site}"><meta property="og:title" content="{title}">
<meta property="article:published_time" content="{day}T08:00:00Z"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Staff Reporter · {day}</p>
{body}
</article>
<aside><h3>Read more</h3><ul><li><a href="/x">Other story</a></li></ul></aside></main>
<footer><p>© 2025 {site}. All rights reserved.</p></footer></body></html>""".encode()


class Site:
    """What the loopback server serves; tests change it between polls (a new item, an updated page)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict]] = []
        self.rss_version = 1
        self.release = threading.Event()  # lets the hanging handler go at teardown
        self.base = ""

    def rss(self) -> bytes:
        items = [
            ("Eastmere lighthouse shines again", "/a/harbour.html", "Mon, 10 Mar 2025 08:00:00 GMT", "The lighthouse is back.", ""),
            ("Council budget page", "/a/broken.html", "Mon, 10 Mar 2025 09:00:00 GMT", "Budget news.", ""),
            ("Loop story", "/loop/1", "Mon, 10 Mar 2025 10:00:00 GMT", "Loops.", ""),
            ("Huge story", "/a/huge.html", "Mon, 10 Mar 2025 11:00:00 GMT", "Huge.", ""),
            ("Library reading room opens", "/a/gone-library.html", "Mon, 10 Mar 2025 12:00:00 GMT", "A teaser only.",
             "".join(f"<p>{LIBRARY_TEXT}</p>")),
            ("Teaser only", "/a/gone-teaser.html", "Mon, 10 Mar 2025 13:00:00 GMT", "Just a teaser, no article.", ""),
        ]
        if self.rss_version >= 2:
            items[0] = (items[0][0], items[0][1], "Tue, 11 Mar 2025 08:00:00 GMT", "Updated: the lighthouse is back.", "")
            items.append(("Norbury replaces footbridge", "/a/bridge.html", "Wed, 12 Mar 2025 08:00:00 GMT", "A bridge.", ""))
        xml = "".join(
            f"<item><title>{t}</title><link>{link if link.startswith('http') else self.base + link}</link><guid>{link}</guid>"
            f"<pubDate>{d}</pubDate><description>{s}</description>"
            + (f"<content:encoded><![CDATA[{c}]]></content:encoded>" if c else "") + "</item>"
            for t, link, d, s, c in items
        )
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
                f"<channel><title>Coast Herald</title><link>{self.base}/</link><description>News</description>{xml}</channel></rss>").encode()

    def atom(self) -> bytes:
        return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Farm Weekly</title><id>urn:farm-weekly</id><updated>2025-03-11T09:00:00Z</updated>
<link rel="self" href="{self.base}/atom.xml"/>
<entry><title>Apple harvest breaks record</title><link href="{self.base}/b/orchard.html"/><id>urn:orchard</id>
<updated>2025-03-11T09:00:00Z</updated><summary>A record year.</summary></entry>
<entry><title>Lighthouse restored (syndicated)</title><link href="{self.base}/b/harbour-copy.html"/><id>urn:copy</id>
<updated>2025-03-11T10:00:00Z</updated><summary>From our partners.</summary></entry>
</feed>""".encode()

    def page(self, path: str) -> tuple[int, dict, bytes] | None:
        harbour = HARBOUR + ([HARBOUR_UPDATE] if self.rss_version >= 2 else [])
        pages = {
            "/a/harbour.html": news_page("Eastmere lighthouse shines again", "Coast Herald", "2025-03-10", harbour),
            "/b/harbour-copy.html": news_page("Eastmere lighthouse shines again", "Farm Weekly", "2025-03-11", HARBOUR),
            "/b/orchard.html": news_page("Apple harvest breaks record", "Farm Weekly", "2025-03-11", ORCHARD),
            "/a/bridge.html": news_page("Norbury replaces footbridge", "Coast Herald", "2025-03-12", BRIDGE),
            "/c/bridge-json.html": news_page("Norbury footbridge vote", "Norbury News", "2025-03-12", BRIDGE[:2] + [
                "Residents had asked for a safer crossing for more than a decade, the council's transport officer said."]),
        }
        if path in pages:
            return 200, {"Content-Type": "text/html; charset=utf-8"}, pages[path]
        return None


def make_handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def send(self, status: int, headers: dict, body: bytes = b"") -> None:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802
            site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            p = self.path
            try:
                if p == "/rss.xml":
                    etag = f'"rss-v{site.rss_version}"'
                    if self.headers.get("If-None-Match") == etag:
                        return self.send(304, {"ETag": etag})
                    return self.send(200, {"Content-Type": "application/rss+xml", "ETag": etag}, site.rss())
                if p == "/atom.xml":
                    modified = formatdate(1741683600, usegmt=True)
                    if self.headers.get("If-Modified-Since") == modified:
                        return self.send(304, {})
                    return self.send(200, {"Content-Type": "application/atom+xml", "Last-Modified": modified}, site.atom())
                if p == "/feed.json":
                    body = (f'{{"version": "https://jsonfeed.org/version/1.1", "title": "Norbury News", "items": [{{"id": "1", '
                            f'"url": "{site.base}/c/bridge-json.html", "title": "Norbury footbridge vote", '
                            f'"date_published": "2025-03-12T09:00:00Z", "summary": "Vote."}}]}}').encode()
                    return self.send(200, {"Content-Type": "application/feed+json"}, body)
                if p == "/hang.xml":
                    site.release.wait(30)  # a feed that never answers
                    return
                if p == "/a/broken.html":
                    return self.send(500, {"Content-Type": "text/html"}, b"<html><body>Internal error</body></html>")
                if p.startswith("/loop/"):
                    return self.send(302, {"Location": "/loop/2" if p == "/loop/1" else "/loop/1"})
                if p == "/a/huge.html":  # 50 MB, streamed without a Content-Length
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    block = b"<p>" + b"x" * (1 << 20) + b"</p>"
                    for _ in range(50):
                        self.wfile.write(block)
                    return
                got = site.page(p)
                if got:
                    return self.send(*got)
                return self.send(404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading (the size cap): expected

    return Handler


@pytest.fixture(scope="module")
def site():
    s = Site()
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(s))
    server.daemon_threads = True
    s.base = f"http://127.0.0.1:{port}"
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield s
    s.release.set()
    server.shutdown()
    server.server_close()


FAST = {"NEWSQA_FEEDS_TIMEOUT": "1", "NEWSQA_FEEDS_DELAY": "0.01", "NEWSQA_FEEDS_MAX_MB": "2"}


@pytest.fixture
def feed_env(monkeypatch, tmp_path, site):
    """Environment for in-process ``newsqa`` runs against the loopback site."""
    monkeypatch.setenv("NEWSQA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSQA_FEEDS_ALLOW_PRIVATE", "1")
    for k, v in FAST.items():
        monkeypatch.setenv(k, v)
    from rag.settings import get_settings

    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def run(*argv) -> int:
    from newsqa.cli import main

    return main(list(argv))


def ask(question: str):
    from rag.library import get_library
    from rag.service import AskRequest, answer
    from rag.settings import get_settings

    lib = get_library(get_settings())
    return answer(AskRequest(question=question), lib), lib


def cited(ans, lib, url: str, words: str):
    """The citation of ``ans`` from ``url`` whose quote holds ``words``, checked verbatim against its article."""
    for c in ans.citations:
        art = lib.store.get_article(c.article_id)
        assert art.text[c.start : c.end] == c.quote
        if c.url == url and words in c.quote:
            return c
    raise AssertionError(f"no citation of {url} with {words!r}: {[(c.url, c.quote) for c in ans.citations]}")


def test_watch_once_ingests_feeds_and_reports_each_failure(feed_env, site, capsys):
    """RSS, Atom and JSON Feed items become cited articles; every broken item and the hanging feed get a reason."""
    b = site.base
    t0 = time.monotonic()
    code = run("watch", "--once", f"{b}/rss.xml", f"{b}/hang.xml", f"{b}/atom.xml", f"{b}/feed.json")
    out = capsys.readouterr().out
    assert code == 1, out  # one feed failed (it hangs); the others went on
    assert time.monotonic() - t0 < 60
    assert f"{b}/hang.xml: error: timed out after 1 s" in out
    assert f"{b}/rss.xml: 2 new, 0 updated, 0 unchanged, 4 skipped" in out, out
    assert f"{b}/atom.xml: 1 new, 0 updated, 0 unchanged, 1 skipped" in out, out
    assert f"{b}/feed.json: 1 new" in out, out
    assert f"skipped {b}/a/broken.html: HTTP 500 Internal Server Error" in out
    assert f"skipped {b}/loop/1: redirect loop (" in out
    assert f"skipped {b}/a/huge.html: larger than the 2 MB size cap" in out
    assert f"skipped {b}/a/gone-teaser.html: HTTP 404 Not Found" in out and "(the item has only a teaser summary)" in out
    assert f"skipped {b}/b/harbour-copy.html: same text as {b}/a/harbour.html (a syndicated copy" in out
    assert "Traceback" not in out

    ans, lib = ask("How much did the lighthouse restoration cost?")
    c = cited(ans, lib, f"{b}/a/harbour.html", "2.4 million euros")
    assert (c.title, c.source, c.published) == ("Eastmere lighthouse shines again", "Coast Herald", "2025-03-10")
    ans, lib = ask("How many tonnes of apples did growers pick?")
    c = cited(ans, lib, f"{b}/b/orchard.html", "41,000 tonnes")
    assert (c.source, c.published) == ("Farm Weekly", "2025-03-11")
    # the page is gone, but the item carried its whole article (content:encoded): that text is the article
    ans, lib = ask("What did the public library of Westholm open?")
    cited(ans, lib, f"{b}/a/gone-library.html", "reading room")

    # a second run: conditional GETs, 304s, no page fetched, nothing embedded
    site.requests.clear()
    gen = lib.store.generation()
    code = run("watch", "--once")
    out = capsys.readouterr().out
    assert f"{b}/rss.xml: not modified" in out and f"{b}/atom.xml: not modified" in out
    assert f"{b}/feed.json: 0 new, 0 updated, 0 unchanged, 0 skipped" in out  # no validators: read, nothing new
    heads = {p: h for p, h in site.requests}
    assert heads["/rss.xml"]["if-none-match"] == '"rss-v1"'
    assert heads["/atom.xml"]["if-modified-since"] == formatdate(1741683600, usegmt=True)
    assert {p for p, _ in site.requests} == {"/rss.xml", "/atom.xml", "/feed.json", "/hang.xml"}
    assert lib.store.generation() == gen

    # the feed changes: a new item appears in answers, the updated item replaces its article
    site.rss_version = 2
    site.requests.clear()
    code = run("watch", "--once", "--json", f"{b}/rss.xml")
    out = capsys.readouterr().out
    assert code == 0, out
    import json

    (rep,) = json.loads(out)
    assert rep["added"] == [f"{b}/a/bridge.html"] and rep["updated"] == [f"{b}/a/harbour.html"]
    fetched = [p for p, _ in site.requests]
    assert "/b/orchard.html" not in fetched and "/a/gone-library.html" not in fetched
    ans, lib = ask("When is construction of the Norbury footbridge due to start?")
    cited(ans, lib, f"{b}/a/bridge.html", "June")
    ans, lib = ask("What did the coast guard confirm about the lighthouse?")
    cited(ans, lib, f"{b}/a/harbour.html", "fog signal")
    harbour = [a for a in lib.store.list_articles() if a.url == f"{b}/a/harbour.html"]
    assert len(harbour) == 1  # replaced, not added beside the old one

    # newsqa feeds: each feed with its last fetch, last new item and errors
    assert run("feeds") == 0
    listing = capsys.readouterr().out
    assert "4 feeds" in listing and "timed out after 1 s" in listing and "failed polls in a row" in listing
    assert run("feeds", "--json") == 0
    feeds = {f["url"]: f for f in json.loads(capsys.readouterr().out)}
    assert feeds[f"{b}/rss.xml"]["last_new_item"]["url"] == f"{b}/a/bridge.html"
    assert feeds[f"{b}/rss.xml"]["items"] == 3 and feeds[f"{b}/hang.xml"]["errors"] == 2
    assert run("feeds", "--remove", f"{b}/hang.xml") == 0
    assert "3 feeds" in (capsys.readouterr().out, run("feeds"), capsys.readouterr().out)[2]


def test_private_addresses_and_bad_urls_are_refused(monkeypatch, tmp_path, site, capsys):
    monkeypatch.setenv("NEWSQA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NEWSQA_FEEDS_ALLOW_PRIVATE", raising=False)
    from rag.settings import get_settings

    get_settings.cache_clear()
    for url, words in (
        (f"{site.base}/rss.xml", "private or local address"),
        ("http://localhost:1/feed", "private or local address"),
        ("http://[::1]:1/feed", "private or local address"),
        ("http://169.254.169.254/latest/meta-data", "private or local address"),
        ("file:///etc/passwd", "only http and https"),
        ("ftp://example.com/feed", "only http and https"),
        ("http:///nohost", "no host"),
    ):
        assert run("watch", "--once", url) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("newsqa: ") and words in err and "\n" not in err, err
    assert not (tmp_path / "data" / "feeds.json").exists()
    get_settings.cache_clear()


def test_redirect_to_a_private_address_is_refused_at_each_hop():
    from ingest.fetch import Fetcher, FetchError, url_problem

    assert url_problem("http://10.1.2.3/x") and url_problem("http://[::ffff:127.0.0.1]/")
    assert url_problem("http://10.1.2.3/x", allow_private=True) is None
    with Fetcher(timeout=1, delay=0) as f, pytest.raises(FetchError, match="private or local"):
        f.get("http://127.0.0.1:9/feed")


def test_intervals():
    from rag.feeds import parse_interval

    assert parse_interval("15m") == 900 and parse_interval("90s") == 90 and parse_interval("2h") == 7200 and parse_interval("5") == 300
    with pytest.raises(ValueError, match="not an interval"):
        parse_interval("soon")


def test_watcher_survives_a_hanging_feed(tmp_path, site, embedder):
    """The server's watcher goes round after round while one feed hangs."""
    from rag import feeds
    from rag.library import Library
    from rag.settings import Settings

    lib = Library(Settings(data_dir=tmp_path / "w", feeds_allow_private=True, feeds_timeout=0.5, feeds_delay=0.01), embedder)
    feeds.add_feed(lib, f"{site.base}/hang.xml")
    feeds.add_feed(lib, f"{site.base}/atom.xml")
    w = feeds.Watcher(lib, every_s=0.1)
    w.start()
    try:
        deadline = time.monotonic() + 30
        while w.rounds < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        w.stop()
    assert w.rounds >= 2
    by_url = {r.url: r for r in w.last_reports}
    assert "timed out" in by_url[f"{site.base}/hang.xml"].error
    assert by_url[f"{site.base}/atom.xml"].error is None
    listed = {f["url"]: f for f in feeds.list_feeds(lib.settings.data_dir)}
    assert listed[f"{site.base}/hang.xml"]["errors"] >= 2 and listed[f"{site.base}/atom.xml"]["items"] == 2  # no original here: the copy is an article


def test_api_feeds_round_trip(tmp_path, site, embedder):
    """POST/GET/DELETE /v1/feeds through the real app; refused URLs are 422s; the token guards the routes."""
    from fastapi.testclient import TestClient

    from newsqa.api import create_app
    from rag.library import Library
    from rag.settings import Settings

    lib = Library(Settings(data_dir=tmp_path / "api", feeds_allow_private=True, feeds_timeout=1, feeds_delay=0.01), embedder)
    with TestClient(create_app(lib.settings, lib, mount_ui=False)) as c:
        assert c.app.state.feed_watcher is not None
        assert c.get("/v1/feeds").json()["feeds"] == []
        r = c.post("/v1/feeds", json={"url": f"{site.base}/atom.xml", "fetch": True})
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["created"] and body["report"]["added"] == [f"{site.base}/b/orchard.html", f"{site.base}/b/harbour-copy.html"]
        fid = body["feed"]["id"]
        assert body["feed"]["items"] == 2 and body["feed"]["last_status"] == "ok"
        assert c.post("/v1/feeds", json={"url": f"{site.base}/atom.xml"}).status_code == 200  # already watched
        r = c.post(f"/v1/feeds/{fid}/poll")
        assert r.status_code == 200 and r.json()["status"] == "not modified"
        listed = c.get("/v1/feeds").json()
        assert [f["url"] for f in listed["feeds"]] == [f"{site.base}/atom.xml"] and listed["watcher"]["running"]
        assert c.get(f"/v1/feeds/{fid}").json()["title"] == "Farm Weekly"
        ans = c.post("/v1/ask", json={"question": "How many tonnes of apples did growers pick?"}).json()
        assert any(ci["url"] == f"{site.base}/b/orchard.html" for ci in ans["citations"])
        assert c.delete(f"/v1/feeds/{fid}").json()["url"] == f"{site.base}/atom.xml"
        r = c.delete(f"/v1/feeds/{fid}")
        assert r.status_code == 404 and "no watched feed" in r.json()["error"]["message"]
        assert c.get("/v1/feeds").json()["feeds"] == []
        assert c.get("/v1/articles").json()["total"] == 2  # its articles stay
        for bad in ("ftp://example.com/feed", "not a url", ""):
            r = c.post("/v1/feeds", json={"url": bad})
            assert r.status_code == 422 and r.json()["error"]["message"], r.text
        assert "/v1/feeds" in c.get("/openapi.json").json()["paths"]

    strict = lib.settings.model_copy(update={"feeds_allow_private": False, "api_token": "s3cret-token"})
    lib.settings = strict
    with TestClient(create_app(strict, lib, mount_ui=False)) as c:
        assert c.get("/v1/feeds").status_code == 401
        auth = {"Authorization": "Bearer s3cret-token"}
        r = c.post("/v1/feeds", json={"url": f"{site.base}/rss.xml"}, headers=auth)
        assert r.status_code == 422 and "private or local address" in r.json()["error"]["message"]


def test_page_feeds_section(tmp_path, site, embedder):
    """The Library tab's Feeds section: watch (with the poll's report), list, refuse, stop watching."""
    from rag.library import Library
    from rag.settings import Settings
    from ui import feeds as ui_feeds
    from ui.app import build_blocks

    lib = Library(Settings(data_dir=tmp_path / "ui", feeds_allow_private=True, feeds_timeout=1, feeds_delay=0.01), embedder)
    blocks = build_blocks(lib)
    ids = {getattr(b, "elem_id", None) for b in blocks.blocks.values()}
    assert {"feed-url", "feed-add", "feed-table", "feed-poll", "feed-stop"} <= ids
    msg, rows, box = ui_feeds.watch_feed(lib, f"{site.base}/feed.json")
    assert "1 new" in msg and box == "" and rows[0][0] == f"{site.base}/feed.json" and rows[0][2] == 1
    msg, rows, box = ui_feeds.watch_feed(lib, "gopher://example.com/feed")
    assert "only http and https" in msg and box == "gopher://example.com/feed" and len(rows) == 1
    msg, rows = ui_feeds.poll_all(lib)
    assert "0 new" in msg
    msg, rows, _ = ui_feeds.stop_watching(lib, rows[0][-1])
    assert "Stopped watching" in msg and "1 articles stay" in msg and rows == []


def test_items_without_a_usable_page():
    """A page with no article text is skipped with the reason; an item's own full content stands in, a teaser never."""
    from ingest.feeds import Feed, FeedItem, item_article

    feed = Feed("Coast Herald", "", [])
    empty = "<html><body><nav><a href='/'>Home</a></nav></body></html>"
    teaser = FeedItem(url="https://example.com/a", title="A", summary="A short teaser of the story.")
    assert item_article(teaser, feed, empty, None).skipped == "no article text found on the page (the item has only a teaser summary)"
    short = FeedItem(url="https://example.com/b", title="B", content="<p>Only two sentences here. Not an article.</p>")
    assert item_article(short, feed, None, "HTTP 404 Not Found: https://example.com/b").skipped.startswith("HTTP 404")
    full = FeedItem(url="https://example.com/c", title="C", published="2025-03-01", content=f"<p>{LIBRARY_TEXT}</p>")
    art = item_article(full, feed, None, "HTTP 404 Not Found").article
    assert art.text.startswith("The public library of Westholm") and (art.title, art.source, art.published) == ("C", "Coast Herald", "2025-03-01")
    from ingest.loaders import article_id

    assert art.url == "https://example.com/c" and art.id == article_id("https://example.com/c", art.text)
