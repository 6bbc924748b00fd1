"""Read articles from .txt, .md, .html, .jsonl, .jsonl.gz, .pdf and .docx files into ``Article`` objects.

PDF and DOCX are read by ``ingest.documents``; text helpers live in ``ingest.cleaning``.

Every loader yields ``Loaded`` items: an article, or a one-line reason why an
input was skipped. Nothing here raises on bad input. Every article passes
``check_article`` (the caps in ``ingest.limits``), and JSONL is streamed with
bounded line and total sizes.

Article ids: the ``id`` given in the content; else ``content_id("url:" + url)``
when a url is given; else, for a file on disk, ``content_id("file:" + resolved
path)`` (an edited file replaces its article), and for JSONL items and uploads
``content_id(text)``.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .cleaning import normalise_text, parse_date
from .documents import DOCUMENTS, read_document
from .models import Article, content_id

SAMPLES = Path(__file__).resolve().parent / "samples"  # the seed and ~30 dev articles (newsqa ingest, serve --ingest-samples)

from .limits import MAX_DECOMPRESSED_BYTES, MAX_FILE_BYTES, MAX_REPORTED_BAD_LINES, MAX_URL_CHARS  # noqa: F401
from .limits import SizeReason, TooLarge, check_article, check_front_matter, read_lines  # noqa: F401

SUPPORTED = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".jsonl.gz", *DOCUMENTS)
MIN_HTML_WORDS = 12


@dataclass
class Loaded:
    """One input item: an article, or the reason it was skipped.

    ``too_large`` marks items skipped for a size cap (file, line, decompressed
    size, front matter, article text), so the HTTP layer can answer 413; it is
    set by itself when ``skipped`` is a ``SizeReason``.
    """

    origin: str  # file path, with ":line" for JSONL items
    article: Article | None = None
    skipped: str | None = None
    too_large: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.skipped, SizeReason):
            self.too_large = True


def article_id(url: str, text: str, fallback: str | None = None) -> str:
    """The id of an article whose content gives no id: from its url, else ``fallback``, else its text."""
    if url and len(url) <= MAX_URL_CHARS:
        return content_id("url:" + url)
    return fallback or content_id(text)


def suffix_of(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".jsonl.gz"):
        return ".jsonl.gz"
    return path.suffix.lower()


def _file_problem(path: Path) -> str | None:
    kind = suffix_of(path)
    return None if kind in SUPPORTED else f"unsupported file type {kind or '(none)'}"


def find_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str | None]]:
    """Expand files and folders (recursively) into files; yields ``(path, problem)``, problem None when loadable.

    Every file is reported: an unsupported one comes with "unsupported file type .rtf",
    an unreadable folder with "unreadable: ...". Inside a folder, hidden files and
    everything under hidden folders (``.git``) are ignored silently, as are
    non-regular files (sockets, pipes).
    """
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found: list[Path] = []
            errors: list[OSError] = []
            for root, dirs, files in os.walk(p, onerror=errors.append):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found.extend(Path(root, f) for f in files if not f.startswith("."))
            for e in errors:
                yield Path(e.filename or p), f"unreadable: {e.strerror or e}"
            for f in sorted(found):
                if f.is_file():
                    yield f, _file_problem(f)
        elif p.is_file():
            yield p, _file_problem(p)
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
    """Articles of one file, chosen by its suffix (``name`` overrides the file name for uploads).

    A .txt, .md, .html, .pdf or .docx file on disk (no ``name``) without an id or url in its
    content gets an id from its resolved path, so loading it again after an edit
    replaces its article; an upload gets one from its text.
    """
    origin = name or str(path)
    kind = suffix_of(Path(name)) if name else suffix_of(path)
    try:
        size = path.stat().st_size
        fallback_id = None if name else content_id("file:" + str(path.resolve()))
    except (OSError, RuntimeError) as e:  # RuntimeError: a symlink loop
        yield Loaded(origin, skipped=f"unreadable: {getattr(e, 'strerror', None) or e}")
        return
    if size == 0:
        yield Loaded(origin, skipped="empty file")
        return
    if size > MAX_FILE_BYTES:
        yield Loaded(origin, skipped=SizeReason(f"file too large ({size // 2**20} MB)"))
        return
    try:
        if kind in (".jsonl", ".jsonl.gz"):
            yield from _load_jsonl(path, origin, gz=kind == ".jsonl.gz")
            return
        raw = path.read_bytes()
    except (OSError, EOFError, zlib.error) as e:  # gzip.BadGzipFile is an OSError
        yield Loaded(origin, skipped=f"unreadable: {e}")
        return
    text, problem = ("", None) if kind in DOCUMENTS else decode_text(raw)
    if problem:
        yield Loaded(origin, skipped=problem)
        return
    try:
        if kind in (".html", ".htm"):
            art = parse_html(text)
        elif kind in (".md", ".markdown"):
            art = parse_markdown(text, default_id=fallback_id)
        elif kind == ".txt":
            art = parse_page_text(text)
        elif kind in DOCUMENTS:
            art = read_document(raw, kind)
        else:
            yield Loaded(origin, skipped=f"unsupported file type {kind}")
            return
    except ValueError as e:
        yield Loaded(origin, skipped=str(e), too_large=isinstance(e, TooLarge))
        return
    if art is None or not art.text.strip():
        yield Loaded(origin, skipped="no article text found")
        return
    if not art.title:
        art.title = Path(origin).stem
    checked, problem = check_article(art)
    if checked is None:
        yield Loaded(origin, skipped=problem)
        return
    if kind not in (".md", ".markdown"):  # Markdown has its id from article_from_dict
        checked.id = article_id(checked.url, checked.text, fallback_id)
    yield Loaded(origin, article=checked)


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
    """One item per non-blank line, streamed within ``MAX_LINE_BYTES`` per line and
    ``MAX_DECOMPRESSED_BYTES`` per file; after ``MAX_REPORTED_BAD_LINES`` skipped
    lines the rest are counted in one summary item so bad input cannot pile up."""
    opener = gzip.open if gz else open
    bad = 0

    def skip(where: str, reason: str, too_large: bool = False) -> Iterator[Loaded]:
        nonlocal bad
        bad += 1
        if bad <= MAX_REPORTED_BAD_LINES:
            yield Loaded(where, skipped=reason, too_large=too_large)

    with opener(path, "rb") as f:
        for lineno, line, problem in read_lines(f):
            if lineno is None:  # the file is over the decompressed size cap: stop here
                yield Loaded(origin, skipped=problem)
                break
            where = f"{origin}:{lineno}"
            if line is None:  # longer than MAX_LINE_BYTES
                yield from skip(where, problem or "line too long", too_large=True)
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                yield from skip(where, f"malformed JSON line ({str(e).split(':')[0]})")
                continue
            except RecursionError:
                yield from skip(where, "malformed JSON line (nested too deeply)")
                continue
            try:
                yield Loaded(where, article=article_from_dict(obj))
            except ValueError as e:
                yield from skip(where, str(e), too_large=isinstance(e, TooLarge))
    if bad > MAX_REPORTED_BAD_LINES:
        yield Loaded(origin, skipped=f"{bad - MAX_REPORTED_BAD_LINES} more lines skipped (not listed)")


def article_from_dict(obj, default_id: str | None = None) -> Article:
    """An article from a JSON object with the dev-set fields; ValueError says what is wrong.

    The article passes ``check_article`` (a size cap raises ``TooLarge``). Its id is
    the given ``id``; else one from the ``url``; else ``default_id``; else one from the text.
    """
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("no text")
    text = normalise_text(text)
    authors = obj.get("authors") or []
    if not isinstance(authors, list):
        authors = [authors]
    published = obj.get("published") or obj.get("date") or ""
    art, problem = check_article(Article(
        id=str(obj.get("id") or "").strip(),
        title=str(obj.get("title") or "").strip(),
        source=str(obj.get("source") or "").strip(),
        published=parse_date(str(published)) or "",
        url=str(obj.get("url") or "").strip(),
        authors=[str(a).strip() for a in authors if a],
        text=text,
    ))
    if art is None:
        raise (TooLarge if isinstance(problem, SizeReason) else ValueError)(problem)
    art.id = art.id or article_id(art.url, art.text, default_id)
    return art


# ---------------------------------------------------------------- text helpers

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


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


def parse_markdown(text: str, default_id: str | None = None) -> Article:
    """Markdown with optional YAML front matter (id, title, source, published, url, authors).

    Front matter over ``MAX_FRONT_MATTER_BYTES``, with YAML anchors/aliases or nested
    too deeply is refused (ValueError). ``default_id`` is the id when neither an id
    nor a url is given (see ``article_from_dict``).
    """
    meta: dict = {}
    text = normalise_text(text)
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            import yaml

            try:
                check_front_matter(text[4:end])
                loaded = yaml.safe_load(text[4:end])
            except yaml.YAMLError as e:
                raise ValueError(f"bad YAML front matter ({str(e).splitlines()[0]})") from None
            except RecursionError:
                raise ValueError("bad YAML front matter (nested too deeply)") from None
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
    return article_from_dict({k: (str(v) if k == "published" else v) for k, v in meta.items()}, default_id)


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
