"""Feeds into articles: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed (read here), items to ``Loaded``.

An item becomes an article from its *page* (fetched by ``ingest.fetch``, cleaned by
``ingest.loaders.parse_html``, the same trafilatura cleaning as an .html file): a feed's summary
is a teaser, not the article. Only when the page cannot be used and the item carries its own
full text (RSS ``content:encoded``, Atom ``<content>``, JSON Feed ``content_html``/``content_text``)
of at least ``MIN_CONTENT_WORDS`` words is that text the article. Nothing here raises on bad
input: a feed that cannot be read is a ``FeedError`` with a one-line reason, an item a skipped
``Loaded``.
"""

from __future__ import annotations

import io
import json
import re
import time
from dataclasses import dataclass
from html import unescape
from urllib.parse import urljoin

from .cleaning import normalise_text, parse_date, plain_text
from .loaders import Loaded, article_id, parse_html
from .models import Article, text_hash

MAX_ITEMS = 200  # items read per feed fetch (a feed is a recent window, not an archive)
MIN_CONTENT_WORDS = 150  # an item's own content shorter than this is a teaser, not an article
JSON_FEED = "jsonfeed.org/version/"
HTML_TYPES = ("text/html", "application/xhtml+xml", "")


class FeedError(Exception):
    """A feed body that is not a feed; ``str(e)`` is a one-line reason."""


@dataclass
class FeedItem:
    """What a feed says about one article."""

    url: str
    title: str = ""
    published: str = ""  # YYYY-MM-DD, or ""
    updated: str = ""  # the item's own modification stamp, as given (for noticing updates)
    content: str = ""  # the item's full content (HTML or text), "" when it has only a summary
    content_is_html: bool = True
    summary: str = ""

    @property
    def signature(self) -> str:
        """Changes when the item is updated: its updated stamp, else a hash of what it says."""
        if self.updated:
            return "u:" + self.updated
        return "h:" + text_hash("\x1f".join((self.title, self.published, self.summary, self.content)))[:16]


@dataclass
class Feed:
    title: str
    link: str
    items: list[FeedItem]


def parse_feed(body: bytes, url: str, content_type: str = "") -> Feed:
    """The items of a feed body (``url`` resolves relative links); ``FeedError`` when it is not a feed."""
    if body.lstrip()[:1] == b"{" or content_type.endswith("json"):
        return _parse_json_feed(body, url)
    import feedparser

    # A stream, never a string: feedparser fetches a string that looks like a URL by itself.
    d = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url, "content-type": content_type or "application/xml"})
    if not d.get("version") and not d.entries:
        why = d.get("bozo_exception")
        raise FeedError(f"not an RSS, Atom or JSON feed{f' ({str(why).splitlines()[0][:150]})' if why else ''}")
    items = []
    for e in d.entries[:MAX_ITEMS]:
        link = e.get("link") or (e.get("id") if str(e.get("id", "")).startswith("http") else "")
        content, is_html = "", True
        for part in e.get("content") or []:
            if len(part.get("value") or "") > len(content):
                content, is_html = part.get("value") or "", "html" in (part.get("type") or "html")
        items.append(FeedItem(
            url=urljoin(url, link.strip()) if link else "",
            title=plain_text(e.get("title") or ""),
            # dict.get: feedparser's own get maps a missing "updated" to "published", with a warning
            published=_day(dict.get(e, "published_parsed") or dict.get(e, "updated_parsed")),
            updated=str(dict.get(e, "updated") or ""),
            content=content,
            content_is_html=is_html,
            summary=e.get("summary") or "",
        ))
    return Feed(plain_text(d.feed.get("title") or ""), d.feed.get("link") or "", items)


def _parse_json_feed(body: bytes, url: str) -> Feed:
    """JSON Feed 1.0/1.1 (feedparser 6.0 does not read it)."""
    try:
        obj = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise FeedError(f"not an RSS, Atom or JSON feed (bad JSON: {str(e).split(':')[0]})") from None
    if not isinstance(obj, dict) or JSON_FEED not in str(obj.get("version", "")) or not isinstance(obj.get("items"), list):
        raise FeedError("not a JSON Feed (no jsonfeed.org version or items)")
    items = []
    for it in obj["items"][:MAX_ITEMS]:
        if not isinstance(it, dict):
            continue
        link = str(it.get("url") or it.get("external_url") or "")
        html, text = str(it.get("content_html") or ""), str(it.get("content_text") or "")
        items.append(FeedItem(
            url=urljoin(url, link.strip()) if link else "",
            title=str(it.get("title") or "").strip(),
            published=parse_date(str(it.get("date_published") or it.get("date_modified") or "")) or "",
            updated=str(it.get("date_modified") or ""),
            content=html or text,
            content_is_html=bool(html),
            summary=str(it.get("summary") or ""),
        ))
    return Feed(str(obj.get("title") or "").strip(), str(obj.get("home_page_url") or ""), items)


def _day(parsed) -> str:
    try:
        return time.strftime("%Y-%m-%d", parsed) if parsed else ""
    except (TypeError, ValueError):
        return ""


def decode_page(body: bytes, content_type_header: str = "") -> str:
    """A page's text: the header's charset, else a ``<meta charset>``, else UTF-8 (bad bytes replaced)."""
    m = re.search(r"charset=[\"']?([\w.:-]+)", content_type_header, re.I) or re.search(
        rb"<meta[^>]+charset=[\"']?([\w.:-]+)", body[:4096], re.I)
    charset = m.group(1) if m else "utf-8"
    charset = charset.decode("ascii", "replace") if isinstance(charset, bytes) else charset
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def item_article(item: FeedItem, feed: Feed, page_html: str | None, page_problem: str | None) -> Loaded:
    """The article of one item: from its page, else from its own full content, else skipped with the reason.

    Title: the item's, else the page's. Source: the feed's title, else the page's publisher.
    Date: the item's, else the page's. Url: the item's link (so the id stays the same however the
    page redirects).
    """
    art, problem = None, page_problem
    if page_html is not None:
        try:
            art = parse_html(page_html)
        except Exception as e:  # trafilatura on hostile HTML: a reason, never a traceback
            problem = f"the page could not be cleaned ({type(e).__name__})"
        else:
            problem = None if art is not None else "no article text found on the page"
    if art is None:
        art = _content_article(item)
        if art is None:
            teaser = " (the item has only a teaser summary)" if item.summary and not item.content else ""
            return Loaded(item.url, skipped=f"{problem}{teaser}")
    art.title = item.title or art.title
    art.source = feed.title or art.source
    art.published = item.published or art.published
    art.url = item.url
    art.id = article_id(art.url, art.text)
    return Loaded(item.url, article=art)


def _content_article(item: FeedItem) -> Article | None:
    """The item's own full content as an article, when there is enough of it to be one."""
    if not item.content or len(plain_text(item.content).split()) < MIN_CONTENT_WORDS:
        return None
    if item.content_is_html:
        art = parse_html(f"<html><head><title></title></head><body><article>{item.content}</article></body></html>")
        text = art.text if art is not None else normalise_text(_plain_paragraphs(item.content))
    else:
        text = normalise_text(item.content)
    return Article(id="", text=text) if text else None


def _plain_paragraphs(html: str) -> str:
    html = re.sub(r"(?i)</(p|div|h\d|li|blockquote)>|<br\s*/?>", "\n\n", html)
    return re.sub(r"[ \t]+", " ", unescape(re.sub(r"<[^>]+>", "", html)))
