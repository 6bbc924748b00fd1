"""News time: the words of a question that name a time, resolved against the day it is asked (``as_of``).

"What did the Fed decide this week?" asked on 2026-01-08 means the days 2026-01-05..2026-01-08;
"in March" means the latest March up to ``as_of``; "the latest" means recent days. The result is
a window (first and last day) and how strongly to prefer it; retrieval turns it into an order,
never a filter (see ``prefer``). Only one rule is hard: nothing published after ``as_of``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [m.lower() for m in calendar.month_name[1:]]
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
MONTH_WORDS = MONTHS + list(_MONTH_ABBR)  # a month as news writes it: "March", "Mar", "Sept" (lower case)
_MONTH_NAME = "|".join(MONTH_WORDS)


def month_number(name: str) -> int:
    """1..12 for a lower-case month name or abbreviation."""
    return MONTHS.index(name) + 1 if name in MONTHS else _MONTH_ABBR[name]

from .tuning import BOOST_EXPLICIT, BOOST_VAGUE, FADE_DAYS, RECENCY_BOOST, RECENCY_DAYS  # noqa: E402  (why: rag/tuning.py)


@dataclass(frozen=True)
class Window:
    """The days a question is about (inclusive) and how it was named."""

    start: date
    end: date
    words: str  # the words that named it, e.g. "this week"
    explicit: bool = True  # False for "latest", "recent", "new", "upcoming"

    def label(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def distance(self, day: date) -> int:
        """Days between ``day`` and the window (0 inside)."""
        if day < self.start:
            return (self.start - day).days
        if day > self.end:
            return (day - self.end).days
        return 0


def _month_window(year: int, month: int, as_of: date, words: str) -> Window:
    last = date(year, month, calendar.monthrange(year, month)[1])
    return Window(date(year, month, 1), min(last, as_of), words)


def resolve(question: str, as_of: date) -> Window | None:
    """The window named by the question's time words, or None when it names no time."""
    q = question.lower()
    if re.search(r"\btoday\b|\btonight\b|\bthis (morning|afternoon|evening)\b", q):
        return Window(as_of, as_of, "today")
    if re.search(r"\byesterday\b|\blast night\b", q):
        d = as_of - timedelta(days=1)
        return Window(d, d, "yesterday")
    m = re.search(r"\b(this|last|past|previous) (week|month|year)\b", q)
    if m:
        which, unit = m.groups()
        words = m.group(0)
        if which == "past":
            span = {"week": 7, "month": 31, "year": 366}[unit]
            return Window(as_of - timedelta(days=span - 1), as_of, words)
        if unit == "week":
            monday = as_of - timedelta(days=as_of.weekday())
            if which == "this":
                return Window(monday, as_of, words)
            return Window(monday - timedelta(days=7), monday - timedelta(days=1), words)
        if unit == "month":
            if which == "this":
                return _month_window(as_of.year, as_of.month, as_of, words)
            y, mo = (as_of.year, as_of.month - 1) if as_of.month > 1 else (as_of.year - 1, 12)
            return _month_window(y, mo, as_of, words)
        y = as_of.year if which == "this" else as_of.year - 1
        return Window(date(y, 1, 1), min(date(y, 12, 31), as_of), words)
    m = re.search(r"\bon (" + "|".join(WEEKDAYS) + r")\b|\b(" + "|".join(WEEKDAYS) + r")'s\b", q)
    if m:
        name = m.group(1) or m.group(2)
        back = (as_of.weekday() - WEEKDAYS.index(name)) % 7
        d = as_of - timedelta(days=back)
        # news of a day is often published the day after
        return Window(d, min(d + timedelta(days=1), as_of), name)
    m = re.search(r"\b(?:in|during|since|of) (" + _MONTH_NAME + r")\.?(?: (\d{4}))?\b", q)
    if m:
        name, year = m.groups()
        month = month_number(name)
        if year:
            y = int(year)
        else:
            y = as_of.year if month <= as_of.month else as_of.year - 1
        if date(y, month, 1) > as_of:
            return None
        return _month_window(y, month, as_of, m.group(0).split(" ", 1)[1])
    m = re.search(r"\b(?:in|during|of) ((?:19|20)\d{2})\b", q)
    if m:
        y = int(m.group(1))
        if y > as_of.year:
            return None
        return Window(date(y, 1, 1), min(date(y, 12, 31), as_of), m.group(1))
    m = re.search(r"\b(latest|recent(?:ly)?|newest|new|upcoming|next (?:week|month)|this weekend|so far)\b",
                  _PROPER_NEW.sub("", question).lower())
    if m:
        return Window(as_of - timedelta(days=14), as_of, m.group(1), explicit=False)
    return None


# "New York", "New Zealand", "New Glenn": a name's first word, not "new" as in recent
_PROPER_NEW = re.compile(r"\bNew(?=\s+[A-Z])")


def without(question: str, window: Window | None) -> str:
    """The question with the words that named its time taken out (they match no article's words)."""
    if window is None:
        return question
    pattern = re.compile(r"\b(?:on |in |during |since |of )?" + re.escape(window.words) + r"(?:'s)?\b", re.I)
    # the first match that is not "New" of a name ("the new New York law" keeps "New York")
    m = next((m for m in pattern.finditer(question) if not _PROPER_NEW.match(question, m.end() - len("New"))), None)
    if m is None:
        return question
    out = question[: m.start()] + " " + question[m.end() :]
    out = " ".join(out.split())
    return out if any(ch.isalnum() for ch in out) else question


NEAR_WINDOW = BOOST_EXPLICIT / 2  # the boost of an article a week (FADE_DAYS) outside an explicit window
SHORT_WINDOW_DAYS = 10  # "this week", "today", "yesterday": a window of days, not "this year" or "in February"


def boost(window: Window | None, day: date | None, as_of: date) -> float:
    """How much to grow a chunk's fused score for its article's day (0 for an undated article)."""
    if day is None:
        return 0.0
    if window is None:
        age = max((as_of - day).days, 0)
        return RECENCY_BOOST / (1.0 + age / RECENCY_DAYS)
    strength = BOOST_EXPLICIT if window.explicit else BOOST_VAGUE
    dist = window.distance(day)
    return strength / (1.0 + dist / FADE_DAYS)


def day_of(day_int: int) -> date | None:
    """``20250131`` → date(2025, 1, 31); 0 (unknown) → None."""
    if not day_int:
        return None
    try:
        return date(day_int // 10000, day_int // 100 % 100, day_int % 100)
    except ValueError:
        return None


_STATED_DAY = re.compile(r"\b(" + _MONTH_NAME + r")\.?\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(\d{4})\b", re.I)


def stated_days(text: str) -> list[date]:
    """The dates a sentence states with their year ("died on June 30, 2024", "in March 2023"; a month alone is read
    as its 15th): what the sentence is about, whatever day its article was published."""
    out = []
    for m in _STATED_DAY.finditer(text):
        try:
            out.append(date(int(m.group(3)), month_number(m.group(1).lower()), int(m.group(2) or 15)))
        except ValueError:
            continue
    return out


_OUTCOME = re.compile(r"\b(?:won|lost|elected|defeated|crowned|died)\b", re.I)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


def year_ahead(question: str, as_of: date) -> int | None:
    """The year after ``as_of`` whose outcome the question asks for ("Who won the 2030 World Cup?" asked in 2025):
    no article up to ``as_of`` can say. None when it names no later year, or asks what is planned or expected
    ("Which country will host the 2026 World Cup?", "delayed until May 2026")."""
    if not _OUTCOME.search(question):
        return None
    later = [int(y) for y in _YEAR.findall(question) if int(y) > as_of.year]
    return min(later) if later else None
