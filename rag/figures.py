"""Figures a text gives: a number and the thing it counts ("9,000 jobs", "nearly 200,000 vehicles", "$1.78 billion
stadium"). News questions often pin their event by one ("Which tech company cut 9,000 jobs?"); a sentence that
gives another figure of the same thing ("Meta … plans to cut more than 11,000 jobs") tells of another event.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import STOPWORDS, stem

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6, "k": 1e3}
_FIGURE = re.compile(
    r"(?<![\w.,])[$€£¥]?\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?(thousand|million|billion|trillion|bn|m|k)\b)?"
    r"(?:\s?-\s?|\s+)((?:[a-z][\w'’-]*\s+){0,1}[a-z][\w'’-]*)"
)
_NOT_COUNTED = {"percent", "per", "cent", "a", "an", "the", "of", "to", "and", "or", "in", "on", "at", "for", "from",
                "years", "year", "am", "pm", "p.m", "a.m"}  # "40% of", "2 to 3", times and ages say no count of a thing
TOLERANCE = 0.05  # "about 9,000" and "9,100" are one figure; 11,000 is another


@lru_cache(maxsize=50_000)
def figures(text: str) -> frozenset[tuple[float, str]]:
    """(value, stemmed counted word) for each number followed by the word it counts; years (1900-2100 without a
    scale) are left out, they date rather than count."""
    out = set()
    for m in _FIGURE.finditer(text):
        digits, scale, after = m.group(1), m.group(2), m.group(3)
        value = float(digits.replace(",", "")) * _SCALE.get(scale or "", 1.0)
        if not scale and "," not in digits and "." not in digits and 1900 <= value <= 2100:
            continue
        counted = [w for w in after.split() if w not in STOPWORDS]
        if not counted or counted[0] in _NOT_COUNTED:
            continue
        out.add((value, stem(counted[-1] if len(counted) > 1 and counted[0].endswith("ly") else counted[0])))
    return frozenset(out)


def conflicts(question_figures: frozenset[tuple[float, str]], text: str) -> bool:
    """True when the text gives a figure of a thing the question counts with another value, and none with the
    question's own value: "more than 11,000 jobs" for a question about "9,000 jobs"."""
    if not question_figures:
        return False
    theirs = figures(text)
    units = {u for _, u in question_figures}
    clash = False
    for value, unit in theirs:
        if unit not in units:
            continue
        if any(u == unit and abs(value - v) <= TOLERANCE * max(v, value) for v, u in question_figures):
            return False
        clash = True
    return clash
