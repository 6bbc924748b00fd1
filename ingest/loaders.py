"""Read articles from .txt, .md, .html, .jsonl and .jsonl.gz files into ``Article`` objects.

Every loader yields ``Loaded`` items: an article, or a one-line reason why an
input was skipped. Nothing here raises on bad input.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator

from rag.models import Article, content_id

SUPPORTED = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".jsonl.gz")
MAX_FILE_BYTES = 200 * 1024 * 1024
MIN_HTML_WORDS = 12


@dataclass
class Loaded:
    """One input item: an article, or the reason it was skipped."""

    origin: str  # file path, with ":line" for JSONL items
    article: Article | None = None
    skipped: str | None = None


def suffix_of(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".jsonl.gz"):
        return ".jsonl.gz"
    return path.suffix.lower()


def find_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str | None]]:
    """Expand files and folders (recursively) into supported files; yields (path, problem)."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and suffix_of(f) in SUPPORTED and not f.name.startswith("."):
                    yield f, None
        elif p.is_file():
            yield p, None if suffix_of(p) in SUPPORTED else f"unsupported file type {suffix_of(p) or '(none)'}"
        else:
            yield p, "no such file or folder"


def load_paths(paths: Iterable[str | Path]) -> Iterator[Loaded]:
    """Every article in the given files and folders, with skip reasons for the rest."""
    for path, problem in find_files(paths):
        if problem:
            yield Loaded(str(path), skipped=problem)
            continue
        yield from load_file(path)


def load_file(path: Path, name: str | None = None) -> Iterator[Loaded]:
    """Articles of one file, chosen by its suffix (``name`` overrides the file name for uploads)."""
    origin = name or str(path)
    kind = suffix_of(Path(name)) if name else suffix_of(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        yield Loaded(origin, skipped=f"unreadable: {e.strerror or e}")
        return
    if size == 0:
        yield Loaded(origin, skipped="empty file")
        return
    if size > MAX_FILE_BYTES:
        yield Loaded(origin, skipped=f"file too large ({size // 2**20} MB)")
        return
    try:
        if kind in (".jsonl", ".jsonl.gz"):
            yield from _load_jsonl(path, origin, gz=kind == ".jsonl.gz")
            return
        raw = path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        yield Loaded(origin, skipped=f"unreadable: {e}")
        return
    text, problem = decode_text(raw)
    if problem:
        yield Loaded(origin, skipped=problem)
        return
    try:
        if kind in (".html", ".htm"):
            art = parse_html(text)
        elif kind in (".md", ".markdown"):
            art = parse_markdown(text)
        elif kind == ".txt":
            art = parse_page_text(text)
        else:
            yield Loaded(origin, skipped=f"unsupported file type {kind}")
            return
    except ValueError as e:
        yield Loaded(origin, skipped=str(e))
        return
    if art is None or not art.text.strip():
        yield Loaded(origin, skipped="no article text found")
        return
    if not art.title:
        art.title = Path(origin).stem
    yield Loaded(origin, article=art)


def decode_text(raw: bytes) -> tuple[str, str | None]:
    """UTF-8 text of a file, or a reason it is not a text file."""
    if b"\x00" in raw[:8192]:
        return "", "binary file"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return "", f"not UTF-8 (byte {e.start})"
    if not text.strip():
        return "", "empty file"
    return text, None


# ---------------------------------------------------------------- JSONL

def _load_jsonl(path: Path, origin: str, gz: bool) -> Iterator[Loaded]:
    opener = gzip.open if gz else open
    with opener(path, "rb") as f:
        for lineno, line in enumerate(f, 1):
            where = f"{origin}:{lineno}"
            if not line.strip():
                continue
            try:
                obj = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                yield Loaded(where, skipped=f"malformed JSON line ({str(e).split(':')[0]})")
                continue
            try:
                yield Loaded(where, article=article_from_dict(obj))
            except ValueError as e:
                yield Loaded(where, skipped=str(e))


def article_from_dict(obj) -> Article:
    """An article from a JSON object with the dev-set fields; ValueError says what is wrong."""
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("no text")
    text = normalise_text(text)
    authors = obj.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    published = obj.get("published") or obj.get("date") or ""
    return Article(
        id=str(obj.get("id") or content_id(text)),
        title=str(obj.get("title") or "").strip(),
        source=str(obj.get("source") or "").strip(),
        published=parse_date(str(published)) or "",
        url=str(obj.get("url") or ""),
        authors=[str(a) for a in authors if a],
        text=text,
    )


# ---------------------------------------------------------------- text helpers

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%Y/%m/%d", "%m/%d/%Y")


def parse_date(value: str) -> str | None:
    """ISO ``YYYY-MM-DD`` for common date spellings, or None."""
    value = value.strip()
    if not value:
        return None
    m = re.match(r"(\d{4}-\d{2}-\d{2})", value)
    if m:
        value = m.group(1)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            pass
    return None


def normalise_text(text: str) -> str:
    """Unify line endings, trim trailing spaces, collapse runs of blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [ln.rstrip() for ln in text.split("\n")]
    out: list[str] = []
    for ln in lines:
        if not ln and (not out or not out[-1]):
            continue
        out.append(ln)
    return "\n".join(out).strip()


_PUBLISHED_BY = re.compile(r"^Published by\s+(.+?)\s*$", re.I)
_POSTED_ON = re.compile(rf"^(?:Posted|Published) on\s+((?:{_MONTHS})\s+\d{{1,2}},\s+\d{{4}})", re.I)
_FURNITURE = [
    re.compile(r"^\d+\s+min(ute)?s?\s+read", re.I),
    re.compile(r"^Last updated\b", re.I),
    re.compile(r"^Explore more articles\b", re.I),
    re.compile(r"^(Share|Share this article|Advertisement|Subscribe.*newsletter.*)$", re.I),
]
# Agency credit line that ends a wire story; what follows is the republisher's glossary.
_CREDIT = re.compile(r"^\((Reporting|Writing|Editing)\b.*\)$")


def parse_page_text(text: str) -> Article:
    """An article saved as text from a web page: title first, publisher header, body; page furniture dropped."""
    lines = normalise_text(text).split("\n")
    title = ""
    source = ""
    published = ""
    body: list[str] = []
    seen_header: set[str] = set()
    for i, raw in enumerate(lines):
        ln = raw.strip()
        if not title:
            if ln:
                title = ln
            continue
        m = _PUBLISHED_BY.match(ln)
        if m:
            source = source or m.group(1).rstrip("®™ ").strip()
            continue
        m = _POSTED_ON.match(ln)
        if m:
            published = published or (parse_date(m.group(1)) or "")
            continue
        if any(p.match(ln) for p in _FURNITURE):
            if ln.lower().startswith("explore more articles"):
                break
            continue
        if ln == title or (ln and ln in seen_header and i < 20):
            continue  # header repeated by the page template
        if i < 20 and ln:
            seen_header.add(ln)
        body.append(raw)
        if _CREDIT.match(ln):
            break
    body_text = normalise_text("\n".join(body))
    if not body_text:
        raise ValueError("no article text found")
    return Article(id=content_id(body_text), title=title, source=source, published=published, text=body_text)


def parse_markdown(text: str) -> Article:
    """Markdown with optional YAML front matter (title, source, published, url, authors)."""
    meta: dict = {}
    text = normalise_text(text)
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            import yaml

            try:
                loaded = yaml.safe_load(text[4:end])
            except yaml.YAMLError as e:
                raise ValueError(f"bad YAML front matter ({str(e).splitlines()[0]})") from None
            if isinstance(loaded, dict):
                meta = loaded
            text = text[end + 4 :].lstrip("-").strip()
    lines = text.split("\n")
    if not meta.get("title") and lines and lines[0].startswith("#"):
        meta["title"] = lines[0].lstrip("#").strip()
        lines = lines[1:]
    body = normalise_text("\n".join(lines))
    if not body:
        raise ValueError("no article text found")
    meta["text"] = body
    meta.setdefault("published", str(meta.get("date") or ""))
    meta["id"] = str(meta.get("id") or content_id(body))
    return article_from_dict({k: (str(v) if k == "published" else v) for k, v in meta.items()})


def parse_html(html: str) -> Article | None:
    """Main text and metadata of an HTML page with trafilatura; None when it has no article text."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
    if doc is None:
        return None
    get = (lambda k: getattr(doc, k, None)) if not isinstance(doc, dict) else doc.get
    text = normalise_text(get("text") or "")
    # Navigation crumbs ("Home") are not an article.
    if len(text.split()) < MIN_HTML_WORDS:
        return None
    authors = get("author") or ""
    return Article(
        id=content_id(text),
        title=(get("title") or "").strip(),
        source=(get("sitename") or get("hostname") or "").strip(),
        published=parse_date(get("date") or "") or "",
        url=get("url") or "",
        authors=[a.strip() for a in authors.split(";") if a.strip()],
        text=text,
    )
