"""Answers that are lists: "Which two actors are reuniting …?" is answered by "Lindsay Lohan and Oscar-winner Jamie
Lee Curtis", not by one of them. A sentence lists what it names together with "and", "&" or commas; the short answer
becomes the whole list, from its first name to its last (one span of the sentence, so it stays a quote). Other
sentences are still compared on the one name (they echo or rival it, rag.confidence, rag.extractive)."""

from __future__ import annotations

import re
from dataclasses import replace

from .names import Span
from .tuning import UNCOUNTED_FIT  # why: rag/tuning.py

# what may stand between two names of a list: a comma (then "the"), or "and" / "&" (after a comma or not) then "the"
# or up to two words that say who the next one is ("and Oscar-winner Jamie Lee Curtis", "and rival Toronto Blue Jays")
_JOINED = re.compile(r"\s*,\s*(?:the\s+)?|\s*,?\s*(?:and\s+|&\s*)(?:the\s+)?(?:[A-Za-z][\w’'-]*\s+){0,2}")
_MOST = 6  # a longer run is a roundup ("France, Germany, Italy, …"), not the answer to one question


def listed(sentence: str, best: Span, others: list[Span], answers: int) -> Span:
    """``best`` with the list it stands in (``Span.listed``), when the question asks for more than one
    (``answers``: how many, 0 for every one the sentence lists); ``others``: the sentence's spans that would answer
    the question, best first. When ``best`` stands alone, another span's list of the number asked is shown; a
    sentence naming one of the two asked for answers in part (its fit lowered)."""
    if answers == 1:
        return best
    for sp in [best] + sorted((o for o in others if o is not best), key=lambda o: -o.fit):
        run = _run(sentence, sp, others, answers)
        if run:
            start, end = run[0].start, run[-1].end
            shown = Span(start, end, sentence[start:end], sp.kind, min(s.fit for s in run), sp.headed)
            return replace(sp, listed=shown)
        if not answers:
            break  # "which countries": one alone may be all there is
    return replace(best, fit=best.fit * UNCOUNTED_FIT) if answers else best


def _run(sentence: str, sp: Span, others: list[Span], answers: int) -> list[Span] | None:
    """The list ``sp`` stands in, when it has the length asked (any length up to _MOST for ``answers`` 0)."""
    want = (answers or _MOST) + 1  # one more than asked, to see a longer list
    run = [sp]
    for forward in (True, False):
        while len(run) < want:
            edge = run[-1] if forward else run[0]
            nxt = next((o for o in others if o not in run and _joins(sentence, *((edge, o) if forward else (o, edge)))), None)
            if nxt is None:
                break
            run = run + [nxt] if forward else [nxt] + run
    if len(run) == 1 or len(run) > _MOST or answers and len(run) != answers:
        return None  # "which two teams": a list of three is not the pair asked about
    # a list ends with "and" ("France, Germany, and Italy"); commas alone set off an apposition ("James Monroe, the
    # last Founding Father …") or a place's state
    return run if re.search(r"\band\b|&", sentence[run[-2].end : run[-1].start]) else None


def _joins(sentence: str, first: Span, second: Span) -> bool:
    """True when only a list's joining words stand between ``first`` and ``second``."""
    if second.start <= first.end:
        return False
    gap = sentence[first.end : second.start]
    if gap.strip() == "," and second.kind in ("state", "country") and first.kind in ("city", "place", "state"):
        return False  # "Boulder, Colorado": where the city is, not a second place
    return bool(_JOINED.fullmatch(gap)) and not re.search(r"[.;:!?()\"“”]", gap)
