"""Sources that disagree: different values for the thing asked, from different sources or dates.

When a question asks for a kind of thing (a number, a name, a date …) and the evidence holds, in sentences
that say the same thing about the same subject, different values of that kind from different articles, the
answer says so and cites each, instead of picking one silently ("Reuters puts it at 40 [1]; AP at 45 [2]").
Updates by one publisher read as updates ("first reported 40 [1], later 45 [2]").

Detection rides on the answer stage: the leading sentence's span (``Answer.short``) and the other evidence
sentences holding a span of the same kind, each well supported (close to the lead's score, most of the
question's words), about the same thing (for numbers, the same unit word beside the figure: "40 people" and
"45 people" disagree, "40 dead" and "45 injured" do not).
"""

from __future__ import annotations

import re

from .evidence import Evidence
from .models import Disagreement, DisagreementValue
from .spans import Span
from .text import NUMBER_WORDS, SCALE_WORDS, STOPWORDS, content_terms, fold, words
from .timewords import MONTH_WORDS, month_number
from .tuning import DISAGREE_COVERAGE, DISAGREE_MARGIN, DISAGREE_SAME_NAMES, DISAGREE_SAME_STATEMENT, MIN_FIT  # the why of each number is in rag/tuning.py

NUMERIC = {"number", "percent", "money"}
MAX_VALUES = 3
_NUMBER_WORD = re.compile(r"\b(?:" + "|".join(NUMBER_WORDS) + r")\b", re.I)
_SCALE = SCALE_WORDS | {"k": 1e3, "m": 1e6, "bn": 1e9}


def find(evidence: list[Evidence], lead: Evidence) -> list[Evidence]:
    """The lead and the evidence sentences that give another value of its kind, one per value, best first."""
    if lead.span is None or _vague(lead.span):
        return []
    kind = lead.span.kind
    floor = DISAGREE_MARGIN * lead.score
    lead_value, lead_unit = normalise(lead.span, lead.text), unit(lead.span, lead.text)
    picked = [lead]
    values = {lead_value}
    for ev in evidence:
        if ev is lead or ev.span is None or ev.type_fit < MIN_FIT or ev.score < floor or _vague(ev.span):
            continue
        if ev.lexical < DISAGREE_COVERAGE * lead.lexical:
            continue
        if not same_kind(ev.span.kind, kind) or ev.hit.chunk.article_id in {p.hit.chunk.article_id for p in picked}:
            continue
        if any(_one_report(p, ev, kind) for p in picked):
            continue
        value = normalise(ev.span, ev.text)
        if value in values or not value or _grain(value) != _grain(lead_value):
            continue  # (a year and a weekday are not two answers to one "when")
        if kind in NUMERIC and unit(ev.span, ev.text) != lead_unit:
            continue  # "45 injured" is not another count of "40 dead"
        if kind not in NUMERIC and _contains(values, value):
            continue  # "Biden" and "Joe Biden" are one name
        need = DISAGREE_SAME_STATEMENT if kind in NUMERIC or kind == "date" else DISAGREE_SAME_NAMES
        if same_statement(lead, ev) < need:
            continue  # two sentences about different things: different values are no disagreement
        picked.append(ev)
        values.add(value)
        if len(picked) >= MAX_VALUES:
            break
    return picked if len(picked) > 1 else []


# "hundreds", "tens of thousands": a count no one would revise into 100 or 40,000, nor dispute with them
_VAGUE = re.compile(r"(?:(?:tens|hundreds) of )?(?:dozens|hundreds|thousands|millions|billions)")


def _vague(span: Span) -> bool:
    return span.kind in NUMERIC and bool(_VAGUE.fullmatch(fold(span.text)))


def _one_report(a: Evidence, b: Evidence, kind: str) -> bool:
    """Two sentences one publisher cannot be disagreeing in. Its stories of one day give two different facts, not
    two versions of one. And it never revises a name: where its stories name two people or teams ("Thomas Bach",
    later "Kirsty Coventry" for the IOC president; the record's old holder and its new one) they name two holders
    over time. A publisher's figures and dates on different days are updates (a death toll that rises)."""
    if fold(a.hit.source) != fold(b.hit.source):
        return False
    return a.hit.published[:10] == b.hit.published[:10] or not (kind in NUMERIC or kind == "date")


def same_statement(a: Evidence, b: Evidence) -> float:
    """How far two sentences say the same thing apart from their values: the share of the shorter one's
    content words (its answer span left out) that the other has too."""
    ta, tb = _context_terms(a), _context_terms(b)
    return len(ta & tb) / min(len(ta), len(tb)) if ta and tb else 0.0


def _context_terms(ev: Evidence) -> set[str]:
    span = set(content_terms(ev.span.text)) if ev.span else set()
    return ev.content_terms() - span


def describe(picked: list[Evidence], numbers: list[int]) -> Disagreement:
    """The values side by side, newest first, each with its citation number; ``update`` when one publisher."""
    vals = [
        DisagreementValue(value=ev.span.text, citation=n, source=ev.hit.source, published=ev.hit.published or None)
        for ev, n in zip(picked, numbers)
    ]
    vals.sort(key=lambda v: v.published or "", reverse=True)
    update = len({fold(v.source) for v in vals}) == 1 and len({v.published for v in vals}) == len(vals)
    return Disagreement(kind=picked[0].span.kind, values=vals, update=update)


def sentence(d: Disagreement) -> str:
    """One line for the answer text: the values and their markers, in the sources' own words."""
    if d.update:
        old_first = sorted(d.values, key=lambda v: v.published or "")
        first, *later = old_first
        rest = "; ".join(f"later {v.value} [{v.citation}]" for v in later)
        return f"{first.source or 'The source'} first reported {first.value} [{first.citation}], {rest}."
    parts = [f"{v.source or 'one source'} says {v.value} [{v.citation}]" for v in d.values]
    return "Sources disagree: " + "; ".join(parts) + "."


def same_kind(a: str, b: str) -> bool:
    return a == b or {a, b} <= NUMERIC or {a, b} <= {"person", "name"} or {a, b} <= {"org", "name"}


def normalise(span: Span, sentence: str) -> str:
    """A value as comparable text: numbers as their amount ("1.2 million" = "1,200,000", "thirteen" = "13"), names
    folded, dates as "md:" month and day, "y:" a year or "w:" another word (only values of one grain compare)."""
    if span.kind in NUMERIC:
        m = re.search(r"\d[\d,]*(?:\.\d+)?", span.text) or _NUMBER_WORD.search(span.text)
        if not m:
            return fold(span.text)
        word = m.group().lower()
        amount = float(NUMBER_WORDS[word] if word in NUMBER_WORDS else word.replace(",", ""))
        tail = words(span.text[m.end() :]) or words(sentence[span.end : span.end + 12])
        scale = _SCALE.get(tail[0], 1.0) if tail else 1.0
        return f"{amount * scale:g}"
    if span.kind == "date":
        # "May 3, 2026" = "3 May 2026"; a year given on one side only does not make two dates
        toks = words(span.text)
        month = next((month_number(t) for t in toks if t in MONTH_WORDS), 0)
        day = next((int(t) for t in toks if t.isdigit() and int(t) <= 31), 0)
        if month:
            return f"md:{month:02d}-{day:02d}"
        year = next((t for t in toks if len(t) == 4 and t.isdigit()), "")
        return f"y:{year}" if year else "w:" + " ".join(toks)
    toks = [w for w in words(span.text) if w not in STOPWORDS]
    return " ".join(toks)


def _grain(value: str) -> str:
    """A date value's grain ("md", "y", "w"); one grain for every other value."""
    return value.partition(":")[0] if ":" in value else ""


def unit(span: Span, sentence: str) -> str:
    """The first content word after a figure ("40 people killed" → people), its unit; else the word before."""
    after = content_terms(sentence[span.end : span.end + 40])
    after = [t for t in after if t not in _SCALE and not t[:1].isdigit()]
    if after:
        return after[0]
    before = content_terms(sentence[max(0, span.start - 30) : span.start])
    return before[-1] if before else ""


def _contains(values: set[str], value: str) -> bool:
    """Names that share a word are one name told two ways ("Toronto Pearson Airport", "Toronto")."""
    mine = set(value.split())
    return any(mine & set(v.split()) for v in values if v)
