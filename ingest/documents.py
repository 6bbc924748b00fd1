"""Read a PDF (pypdf) or a DOCX (python-docx) file into one ``Article``.

``read_document`` is called by ``ingest.loaders.load_file`` for the suffixes in
``DOCUMENTS``. These are binary formats read by third-party parsers that can fail
in any way on a bad file, so every failure here becomes a ``ValueError`` whose
text is a one-line skip reason (``TooLarge`` for a size cap): an encrypted PDF, a
corrupt file, a DOCX whose zip inflates past the caps, a scanned PDF with no text
layer. Nothing else escapes, and the work is bounded: pages, characters, seconds
of extraction (``ingest.limits``), and pypdf's own caps on inflated streams.

The text built here *is* the article text: chunks and citations are offsets into
it, so a quote is verbatim against the extracted text by construction. Cleaning
only tidies layout: a word hyphenated across a line break is joined, whitespace
inside a paragraph collapses to single spaces, paragraphs are kept (separated by a
blank line), and in a PDF page numbers and running headers/footers are dropped.

Metadata: the title is the file's own title (PDF /Title, DOCX core properties),
unless it is empty or a file name; else the first heading (DOCX styles Title or
Heading n among the first paragraphs) or a short first line that reads like a
headline. The heading used as the title is not repeated in the text. The date is
the creation date (PDF /CreationDate, DOCX ``created``) as ``YYYY-MM-DD``, else
none. Author fields are not read: they name whoever made the file (often a
template), not the byline.
"""

from __future__ import annotations

import io
import logging
import re
import time
import zipfile
from collections import Counter
from datetime import date, datetime

from .cleaning import clean_line, join_lines
from .limits import (
    MAX_ARTICLE_CHARS,
    MAX_DECOMPRESSED_BYTES,
    MAX_DOCUMENT_SECONDS,
    MAX_DOCX_PARTS,
    MAX_DOCX_XML_BYTES,
    MAX_PDF_PAGES,
    SizeReason,
    TooLarge,
    size_text,
)
from .models import Article, content_id

DOCUMENTS = (".pdf", ".docx")
MAX_TITLE_LINE = 200  # a longer first line is body text, not a headline

# pypdf logs every quirk of a malformed file, some as errors with a 256-entry table in
# the message ("Advanced encoding ... not implemented yet"), straight to stderr when the
# application configures no logging (the CLI). The skip reason or the article says what
# came of the file, so those messages are noise to a user.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)


class _Skip(ValueError):
    """A skip reason written here (passed on unchanged, unlike a parser's own errors)."""


def read_document(raw: bytes, kind: str) -> Article:
    """The article in a PDF or DOCX file's bytes; ValueError (TooLarge for a size cap) says why not."""
    name = kind.lstrip(".").upper()
    try:
        return read_pdf(raw) if kind == ".pdf" else read_docx(raw)
    except (_Skip, TooLarge):
        raise
    except RecursionError:
        raise _Skip(f"unreadable {name} (nested too deeply)") from None
    except Exception as e:  # a parser of untrusted bytes can raise anything; none of it may escape
        raise _Skip(f"unreadable {name} ({_one_line(e)})") from None


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split())[:200]
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


# ---------------------------------------------------------------- PDF

_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—(]?\s*\d{1,4}\s*[-–—)]?(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})(\d{2})")


def read_pdf(raw: bytes) -> Article:
    """The text layer of a PDF as one article (see the module docstring for cleaning and metadata).

    A page pypdf cannot read is left out (the rest of the article still counts); a PDF
    none of whose pages can be read is skipped.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(raw))
    if reader.is_encrypted:
        # Many PDFs are encrypted only to set permissions, with an empty user password: those open.
        try:
            opened = reader.decrypt("")
        except Exception as e:  # e.g. AES without the cryptography package
            raise _Skip(f"encrypted PDF ({_one_line(e)})") from None
        if not opened:
            raise _Skip("encrypted PDF (needs a password)")
    n = len(reader.pages)
    if n > MAX_PDF_PAGES:
        raise TooLarge(SizeReason(f"PDF has {n:,} pages; the limit is {MAX_PDF_PAGES:,}"))
    deadline = time.monotonic() + MAX_DOCUMENT_SECONDS
    pages: list[list[str]] = []
    chars = bad = 0
    for i, page in enumerate(reader.pages):
        if time.monotonic() > deadline:
            raise _Skip(f"PDF text extraction took over {MAX_DOCUMENT_SECONDS} s (stopped at page {i + 1} of {n})")
        try:
            text = page.extract_text() or ""
        except Exception:  # a broken page (or one over pypdf's caps on inflated streams) does not lose the others
            bad += 1
            continue
        chars += len(text)
        if chars > 2 * MAX_ARTICLE_CHARS:  # raw text, before spaces collapse: clearly over the article cap
            raise TooLarge(SizeReason(f"PDF text is over {MAX_ARTICLE_CHARS:,} characters"))
        pages.append(text.split("\n"))
    if n and bad == n:
        raise _Skip("unreadable PDF (no page could be read)")
    paragraphs = pdf_paragraphs(pages)
    if not any(ch.isalnum() for p in paragraphs for ch in p):
        raise _Skip("PDF has no text layer (a scanned document? run OCR on it first)")
    meta = _pdf_metadata(reader)
    title, body = title_and_body(meta.get("title", ""), paragraphs, headings=set())
    text = "\n\n".join(body)
    return Article(id=content_id(text), title=title, published=meta.get("published", ""), text=text)


def _pdf_metadata(reader) -> dict[str, str]:
    """Title and creation date from the PDF's document information; {} where unreadable."""
    out: dict[str, str] = {}
    try:
        info = reader.metadata or {}
        out["title"] = str(info.get("/Title") or "")
        m = _PDF_DATE.match(str(info.get("/CreationDate") or "").strip())
        if m:
            out["published"] = date(*map(int, m.groups())).isoformat()
    except Exception:  # a broken info dictionary or an impossible date: the text still counts
        pass
    return out


def pdf_paragraphs(pages: list[list[str]]) -> list[str]:
    """Paragraphs from the lines of each page (as pypdf extracts them, one text line per line).

    pypdf marks no paragraph ends, so a line ends a paragraph when it is followed by a
    blank line, or is clearly shorter than a full line of the document (under 60%),
    or somewhat shorter (under 80%) and ends a sentence. A paragraph that runs off the
    bottom of a page goes on at the top of the next.
    """
    pages = drop_page_furniture([[clean_line(ln) for ln in lines] for lines in pages])
    lengths = sorted(len(ln) for lines in pages for ln in lines if ln)
    full = lengths[int(len(lengths) * 0.75)] if len(lengths) >= 5 else max(lengths, default=0)
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(join_lines(current))
            current.clear()

    for lines in pages:
        for ln in lines:
            if not ln:
                flush()
                continue
            current.append(ln)
            if not ln.endswith(("-", "\u00ad")) and (
                len(ln) < 0.6 * full or (len(ln) < 0.8 * full and ln[-1] in ".!?:\"”’)")
            ):
                flush()
    flush()
    return [p for p in paragraphs if p]


def drop_page_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Pages without page numbers and running headers/footers.

    Up to two lines are dropped from the top and the bottom of each page: a page
    number alone on its line ("7", "Page 7", "7 of 12", "- 7 -"), or a line that
    (digits aside) opens or closes at least half of the pages, and at least three,
    and does not end a sentence (a header names the paper or the section, it says nothing).
    """
    def key(ln: str) -> str:
        return _DIGITS.sub("#", ln.lower())

    counts: Counter[str] = Counter()
    for lines in pages:
        text_lines = [ln for ln in lines if ln]
        counts.update({key(ln) for ln in text_lines[:2] + text_lines[-2:]})
    need = max(3, (len(pages) + 1) // 2)
    running = {k for k, c in counts.items() if c >= need and not k.endswith((".", "!", "?"))}

    def furniture(ln: str) -> bool:
        return bool(_PAGE_NUMBER.match(ln)) or key(ln) in running

    out = []
    for lines in pages:
        lines = list(lines)
        for edge in (0, -1):
            for _ in range(2):
                while lines and not lines[edge]:
                    lines.pop(edge)
                if lines and furniture(lines[edge]):
                    lines.pop(edge)
        out.append(lines)
    return out


# ---------------------------------------------------------------- DOCX


def read_docx(raw: bytes) -> Article:
    """The body paragraphs of a DOCX as one article (tables, headers and footers are not read)."""
    _check_zip(raw)
    import docx

    doc = docx.Document(io.BytesIO(raw))
    paragraphs: list[str] = []
    headings: set[int] = set()
    for p in doc.paragraphs:
        text = join_lines(p.text.split("\n"))
        if not text:
            continue
        if _style_name(p).startswith(("title", "heading")):
            headings.add(len(paragraphs))
        paragraphs.append(text)
    if not paragraphs:
        raise _Skip("no article text found (the DOCX has no paragraph text)")
    props = doc.core_properties
    try:
        meta_title, created = props.title or "", props.created
    except Exception:  # a malformed core.xml: read the text without its metadata
        meta_title, created = "", None
    title, body = title_and_body(meta_title, paragraphs, headings)
    text = "\n\n".join(body)
    published = created.date().isoformat() if isinstance(created, datetime) else ""
    return Article(id=content_id(text), title=title, published=published, text=text)


def _style_name(paragraph) -> str:
    try:
        return (paragraph.style.name or "").lower()
    except Exception:  # a paragraph pointing at a missing or broken style
        return ""


def _check_zip(raw: bytes) -> None:
    """Refuse a DOCX whose zip would inflate past the caps, before python-docx reads every part into memory.

    The sizes checked are the ones the zip declares; Python's zipfile never inflates a
    part past its declared size (a part that lies fails its CRC check instead), so
    they bound what is read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as e:
        raise _Skip(f"not a DOCX file (not a zip archive: {_one_line(e)})") from None
    if len(infos) > MAX_DOCX_PARTS:
        raise TooLarge(SizeReason(f"DOCX holds {len(infos):,} files; the limit is {MAX_DOCX_PARTS:,}"))
    if sum(i.file_size for i in infos) > MAX_DECOMPRESSED_BYTES:
        raise TooLarge(SizeReason(f"decompressed size over {size_text(MAX_DECOMPRESSED_BYTES)}"))
    for i in infos:
        if i.filename.lower().endswith((".xml", ".rels")) and i.file_size > MAX_DOCX_XML_BYTES:
            raise TooLarge(SizeReason(f"{i.filename[:100]} is over {size_text(MAX_DOCX_XML_BYTES)} decompressed"))


# ---------------------------------------------------------------- title


_FILE_NAME = re.compile(r"\.(docx?|pdf|rtf|odt|txt|indd|qxp|pages)$", re.IGNORECASE)


def useful_title(value: str) -> str:
    """A metadata title worth showing, or "": not empty, not a file name, not "Untitled" or "Microsoft Word - x"."""
    value = " ".join(str(value).split())
    if not any(ch.isalpha() for ch in value) or _FILE_NAME.search(value):
        return ""
    if value.lower() in ("untitled", "title", "document", "untitled document") or value.lower().startswith("microsoft word - "):
        return ""
    return value


def title_and_body(meta_title: str, paragraphs: list[str], headings: set[int]) -> tuple[str, list[str]]:
    """The title and the paragraphs of the text.

    A heading among the first three paragraphs (``headings``: their indexes), else a
    short first paragraph that does not end in a full stop, is the headline. The
    metadata title wins when it is useful; the headline is then dropped from the text
    only when it says the same. Without a title at all the caller names the article
    after its file.
    """
    headline = next((i for i in sorted(headings) if i < 3), None)
    if headline is None and paragraphs and len(paragraphs[0]) <= MAX_TITLE_LINE and not paragraphs[0].endswith("."):
        headline = 0
    if len(paragraphs) < 2:
        headline = None  # a one-paragraph file is all text
    rest = [p for i, p in enumerate(paragraphs) if i != headline]
    meta = useful_title(meta_title)
    if meta:
        same = headline is not None and paragraphs[headline].casefold() == meta.casefold()
        return meta, rest if same else paragraphs
    if headline is not None:
        return paragraphs[headline], rest
    return "", paragraphs
