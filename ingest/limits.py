"""Size and sanity limits on loaded input, shared by the loaders and the HTTP layer.

Every cap is a module constant so the API can quote and reuse it. A skip reason
that comes from a size cap is a ``SizeReason`` (a ``str``), and a size cap hit
while parsing raises ``TooLarge`` (a ``ValueError``): both let a caller answer
413 without matching message text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from .models import Article

MAX_FILE_BYTES = 200 * 2**20  # one input file, as stored
MAX_LINE_BYTES = 8 * 2**20  # one JSONL line, newline excluded
MAX_DECOMPRESSED_BYTES = 256 * 2**20  # all bytes read from one (gzipped) JSONL file, or unzipped from one DOCX
DISCARD_PIECE_BYTES = 2**20  # the rest of an over-long line is read and dropped in pieces this big
MAX_FRONT_MATTER_BYTES = 64 * 2**10
MAX_FRONT_MATTER_DEPTH = 50  # nested YAML lists/maps (PyYAML slows down quadratically with depth)
MAX_REPORTED_BAD_LINES = 100  # per JSONL file; the rest are counted in one summary item
MAX_PDF_PAGES = 2000  # a longer PDF is skipped (too large), not read page by page
MAX_DOCUMENT_SECONDS = 60  # PDF text extraction stops (skipped) once it has run this long, checked between pages
MAX_DOCX_PARTS = 10_000  # files inside one DOCX (a zip)
MAX_DOCX_XML_BYTES = 32 * 2**20  # one XML part of a DOCX, decompressed (parsed whole into memory)

MAX_ARTICLE_CHARS = 1_000_000  # longer article text: skipped (too large)
MAX_ID_CHARS = 200  # longer id: skipped
MAX_TITLE_CHARS = 500  # longer title: cut, ending in "…"
MAX_SOURCE_CHARS = 200  # longer source: cut
MAX_AUTHOR_CHARS = 200  # longer author name: cut
MAX_AUTHORS = 50  # authors after the first 50: dropped
MAX_URL_CHARS = 2048  # longer url: dropped


class SizeReason(str):
    """A skip reason caused by a size cap (``Loaded`` marks such items ``too_large``)."""


class TooLarge(ValueError):
    """Input over a size cap; ``str(e)`` is the skip reason."""


def size_text(n: int) -> str:
    """``8 MB``, ``64 KB`` or ``1,000 bytes``: a byte count as the messages spell it."""
    for unit, scale in (("MB", 2**20), ("KB", 2**10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n:,} bytes"


def read_lines(
    f: BinaryIO, max_line: int | None = None, max_total: int | None = None
) -> Iterator[tuple[int | None, bytes | None, SizeReason | None]]:
    """The lines of a binary stream, read in bounded memory.

    Yields ``(lineno, line, None)`` for each line (numbered from 1, newline kept)
    of at most ``max_line`` bytes (default ``MAX_LINE_BYTES``), and
    ``(lineno, None, reason)`` for a longer one; the rest of that line is read and
    dropped ``DISCARD_PIECE_BYTES`` at a time, never held whole. Once more than
    ``max_total`` bytes (default ``MAX_DECOMPRESSED_BYTES``) were read it yields
    ``(None, None, reason)`` and stops reading.
    """
    max_line = MAX_LINE_BYTES if max_line is None else max_line
    max_total = MAX_DECOMPRESSED_BYTES if max_total is None else max_total
    over_total = SizeReason(f"decompressed size over {size_text(max_total)}")
    total = 0
    lineno = 0
    while line := f.readline(max_line + 1):
        lineno += 1
        total += len(line)
        if total > max_total:
            yield None, None, over_total
            return
        if line.endswith(b"\n") or len(line) <= max_line:
            yield lineno, line, None
            continue
        yield lineno, None, SizeReason(f"line {lineno} is longer than {size_text(max_line)}")
        while not line.endswith(b"\n"):
            line = f.readline(DISCARD_PIECE_BYTES)
            if not line:
                return
            total += len(line)
            if total > max_total:
                yield None, None, over_total
                return


def check_front_matter(source: str) -> None:
    """Refuse YAML front matter that could take unbounded time or memory to load.

    Raises ``TooLarge`` over ``MAX_FRONT_MATTER_BYTES``, ``ValueError`` when it uses
    anchors or aliases (the "billion laughs" amplification) or nests lists/maps
    deeper than ``MAX_FRONT_MATTER_DEPTH``, and ``yaml.YAMLError`` when it is not YAML.
    Only parse events are read, so nothing is built.
    """
    import yaml

    if len(source.encode("utf-8", "surrogatepass")) > MAX_FRONT_MATTER_BYTES:
        raise TooLarge(SizeReason(f"front matter over {size_text(MAX_FRONT_MATTER_BYTES)}"))
    depth = 0
    for event in yaml.parse(source, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ValueError("YAML aliases are not allowed in front matter")
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_FRONT_MATTER_DEPTH:
                raise ValueError(f"front matter nested deeper than {MAX_FRONT_MATTER_DEPTH} levels")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def cut(value: str, limit: int) -> str:
    """``value`` if it has at most ``limit`` characters, else its start ending in "…" (``limit`` in all)."""
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def is_valid_text(value: str) -> bool:
    """False for strings that cannot be encoded (lone surrogates such as ``\\ud800``)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_article(art: Article) -> tuple[Article | None, str | None]:
    """Apply the article caps: ``(article, None)`` to keep, or ``(None, reason)`` to skip.

    Skipped: text over ``MAX_ARTICLE_CHARS`` (the reason is a ``SizeReason``); a
    lone surrogate (a str that is not valid Unicode) in id, title, source, url,
    authors or text; an id over ``MAX_ID_CHARS``. Kept, in a copy: title, source and
    each author cut to ``MAX_TITLE_CHARS``, ``MAX_SOURCE_CHARS``, ``MAX_AUTHOR_CHARS``
    (ending in "…"), authors after the first ``MAX_AUTHORS`` dropped, a url over
    ``MAX_URL_CHARS`` dropped (""). Applying it twice changes nothing more.
    """
    if len(art.text) > MAX_ARTICLE_CHARS:
        return None, SizeReason(f"article text is {len(art.text):,} characters; the limit is {MAX_ARTICLE_CHARS:,}")
    for field in ("id", "title", "source", "url", "authors", "text"):
        values = art.authors if field == "authors" else [getattr(art, field)]
        if not all(is_valid_text(v) for v in values):
            return None, f"invalid Unicode (lone surrogate) in {field}"
    if len(art.id) > MAX_ID_CHARS:
        return None, f"id is {len(art.id)} characters long; the limit is {MAX_ID_CHARS}"
    return art.model_copy(update={
        "title": cut(art.title, MAX_TITLE_CHARS),
        "source": cut(art.source, MAX_SOURCE_CHARS),
        "url": art.url if len(art.url) <= MAX_URL_CHARS else "",
        "authors": [cut(a, MAX_AUTHOR_CHARS) for a in art.authors[:MAX_AUTHORS]],
    }), None
