"""Text helpers for the loaders (``ingest.loaders``): dates and line layout.

Whatever text these produce *is* the article text that every chunk and citation
offset refers to, so they only tidy layout: they never reword.
"""

from __future__ import annotations

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
