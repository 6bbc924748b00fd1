"""Polite, bounded HTTP fetching of feeds and article pages (httpx).

Feeds point at other people's servers, so every fetch here is careful in both directions:

- only ``http``/``https`` URLs; a host that resolves to a loopback, private, link-local or otherwise
  non-public address is refused (a feed must not make us probe the local network), unless the caller
  allows it (``NEWSQA_FEEDS_ALLOW_PRIVATE=1``, for tests and intranet feeds). Every redirect hop is
  checked again.
- redirects are followed by hand, at most ``MAX_REDIRECTS``, and a loop is named as one.
- every fetch has a timeout (connect/read) and an overall deadline, so a server that hangs or drips
  bytes cannot stall a watcher; the body is streamed and dropped at a size cap.
- one request at a time per host, with a delay between them (shared by all threads of the process).
- conditional GET: ``etag``/``last_modified`` become If-None-Match/If-Modified-Since; a 304 is a result.

Nothing here raises anything but ``FetchError``, whose message is a one-line reason.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

MAX_REDIRECTS = 5
USER_AGENT = "newsqa-feeds/0.1 (+https://github.com/newsqa; polite news feed reader)"


class FetchError(Exception):
    """A fetch that failed; ``str(e)`` is a one-line reason meant for people."""


@dataclass
class Fetched:
    """A response: final url after redirects, status (200 or 304), lower-cased headers, body (capped)."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def url_problem(url: str, allow_private: bool = False) -> str | None:
    """Why ``url`` may not be fetched (scheme, host, non-public address), or None when it may.

    Resolves the host name: a name that does not resolve is not refused here (the fetch will say
    so), but one that resolves to any non-public address is, unless ``allow_private``.
    """
    import httpx

    try:
        parts = urlsplit(url.strip())
        port = parts.port
        httpx.URL(url.strip())  # what the fetch will parse: a host httpx refuses is refused here
    except (ValueError, httpx.InvalidURL) as e:
        return f"not a valid URL ({str(e)[:150]}): {url[:200]}"
    if parts.scheme.lower() not in ("http", "https"):
        return f"only http and https URLs are fetched, not {parts.scheme or 'a URL without a scheme'}: {url[:200]}"
    host = parts.hostname
    if not host:
        return f"the URL has no host: {url[:200]}"
    if allow_private:
        return None
    try:
        infos = socket.getaddrinfo(host, port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        return None  # unresolvable now: the fetch reports it; nothing private is reached
    for info in infos:
        addr = ipaddress.ip_address(info[4][0].split("%")[0])
        if not _public(addr):
            return (f"{host} is a private or local address ({addr}); feeds are fetched only from public addresses "
                    "(set NEWSQA_FEEDS_ALLOW_PRIVATE=1 to allow it)")
    return None


def _public(addr) -> bool:
    if getattr(addr, "ipv4_mapped", None):
        addr = addr.ipv4_mapped
    return addr.is_global and not addr.is_multicast


class _Host:
    """One host's turn-taking: a lock held for the whole request, and when its last request ended."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last_end = 0.0


_hosts: dict[str, _Host] = {}
_hosts_lock = threading.Lock()


def _host_of(url: str) -> _Host:
    parts = urlsplit(url)
    key = f"{parts.hostname}:{parts.port or ''}".lower()
    with _hosts_lock:
        return _hosts.setdefault(key, _Host())


class Fetcher:
    """Fetches URLs within the rules above; one per poll (it owns an httpx client)."""

    def __init__(self, timeout: float = 20.0, delay: float = 2.0, max_bytes: int = 10 * 2**20, allow_private: bool = False):
        import httpx

        self.timeout, self.delay, self.max_bytes, self.allow_private = timeout, delay, max_bytes, allow_private
        # trust_env=False: no proxy or .netrc from the environment decides where a feed's requests go.
        self.client = httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False,
                                   headers={"User-Agent": USER_AGENT})

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None, accept: str = "*/*") -> Fetched:
        """GET ``url`` following redirects by hand; 200 or 304, else ``FetchError`` with the reason."""
        seen = [url]
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        while True:
            problem = url_problem(url, self.allow_private)
            if problem:
                raise FetchError(problem if len(seen) == 1 else f"redirected to a refused URL: {problem}")
            got = self._one(url, headers)
            if isinstance(got, Fetched):
                return got
            nxt = urljoin(url, got)
            if nxt in seen:
                raise FetchError(f"redirect loop ({' -> '.join(_short(u) for u in [*seen, nxt][-4:])})")
            if len(seen) > MAX_REDIRECTS:
                raise FetchError(f"too many redirects (more than {MAX_REDIRECTS}) from {_short(seen[0])}")
            seen.append(nxt)
            url = nxt

    def _one(self, url: str, headers: dict) -> Fetched | str:
        """One request, in the host's turn: a Fetched, or the Location of a redirect."""
        import httpx

        host = _host_of(url)
        with host.lock:
            wait = host.last_end + self.delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                return self._request(url, headers)
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as e:
                raise FetchError(f"not a valid URL ({str(e)[:150]}): {_short(url)}") from None
            except httpx.TimeoutException:
                raise FetchError(f"timed out after {self.timeout:g} s: {_short(url)}") from None
            except httpx.HTTPError as e:
                first = (str(e).splitlines() or [""])[0][:200]
                raise FetchError(f"could not fetch {_short(url)} ({type(e).__name__}{': ' + first if first else ''})") from None
            finally:
                host.last_end = time.monotonic()

    def _request(self, url: str, headers: dict) -> Fetched | str:
        deadline = time.monotonic() + 3 * self.timeout  # a server dripping bytes still ends
        with self.client.stream("GET", url, headers=headers) as r:
            if r.status_code in (301, 302, 303, 307, 308):
                loc = r.headers.get("location")
                if not loc:
                    raise FetchError(f"HTTP {r.status_code} without a Location: {_short(url)}")
                return loc
            hdrs = {k.lower(): v for k, v in r.headers.items()}
            if r.status_code == 304:
                return Fetched(str(r.url), 304, hdrs)
            if r.status_code != 200:
                raise FetchError(f"HTTP {r.status_code} {r.reason_phrase}: {_short(url)}".replace("  ", " "))
            cap = f"larger than the {self.max_bytes / 2**20:g} MB size cap (NEWSQA_FEEDS_MAX_MB): {_short(url)}"
            declared = hdrs.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(cap)
            body = bytearray()
            for block in r.iter_bytes():
                body += block
                if len(body) > self.max_bytes:
                    raise FetchError(cap)
                if time.monotonic() > deadline:
                    raise FetchError(f"took longer than {3 * self.timeout:g} s to download: {_short(url)}")
            return Fetched(str(r.url), 200, hdrs, bytes(body))


def _short(url: str, n: int = 120) -> str:
    return url if len(url) <= n else url[: n - 1] + "…"
