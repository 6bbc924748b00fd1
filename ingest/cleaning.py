"""Text helpers shared by the loaders (``ingest.loaders``) and the PDF/DOCX readers (``ingest.documents``).

Whatever text these produce *is* the article text that every chunk and citation
offset refers to, so they only tidy layout (line ends, spaces, hyphenation,
ligatures): they never reword.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

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


# Typographic ligatures that PDF fonts map to one code point: searching for "find" must match "ﬁnd".
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
# Control characters, zero-width marks and lone surrogates (a broken font map) are never article text.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff\ud800-\udfff]")
_SPACES = re.compile(r"\s+")


def clean_line(line: str) -> str:
    """One line of extracted text: ligatures spelled out, invisible characters dropped, spaces collapsed."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", line.translate(_LIGATURES))).strip()


def join_lines(lines: list[str]) -> str:
    """The lines of one paragraph as one line of text.

    A word broken at a line end by a hyphen is joined again ("re-" + "porters" ->
    "reporters") when the next line goes on in lower case; before a capital or a
    digit the hyphen is kept and only the break dropped ("Anglo-" + "Saxon" ->
    "Anglo-Saxon"). A soft hyphen (U+00AD) is always a break inside a word.
    Other line breaks become one space.
    """
    out = ""
    for raw in lines:
        line = clean_line(raw)
        if not line:
            continue
        if out.endswith("\u00ad"):
            out = out[:-1] + line
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha():
            out = (out[:-1] if line[0].islower() else out) + line
        else:
            out = f"{out} {line}" if out else line
    return out.replace("\u00ad", "")


_TAG = re.compile(r"<(?:[A-Za-z][^<>]{0,2000}|/[A-Za-z][^<>]{0,50})>")
_BLOCK_TAG = re.compile(r"(?i)<(?:/?(?:p|div|li|ul|ol|h[1-6]|tr|td|th|blockquote|section|article)\b[^<>]{0,2000}|br\s*/?)>")


def plain_text(text: str) -> str:
    """Text as a reader sees it: HTML tags dropped (a block tag leaves a space, an inline one nothing, so
    "<b>U</b>.S." stays one word), entities decoded, spaces collapsed. Feed titles and summaries come as HTML,
    and news questions are often copied from a web page with their links ("demand for <a href=…>Dubai</a> …")."""
    if "<" in text and ">" in text:
        text = _TAG.sub("", _BLOCK_TAG.sub(" ", text))
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())
