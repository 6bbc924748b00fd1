"""Answer spans in a sentence: names (rag.names), numbers, dates, quoted titles, roles, reasons, each with a kind.

A sentence answers "Which city …?" only if it holds a city-like span the question does not already
name; ``best_span`` finds that span and says how well it fits (0 to 1). The span becomes the short
answer, so its offsets are exact offsets into the sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .gazetteer import city_elsewhere, countries_named, country_elsewhere, place_kind, same_country, same_root
from .listed import listed
from .names import (NAME_FOLLOWS, SAYS, UNSURE_NAMES, Span, find_names, first_word_start, fold_word, full_name_elsewhere,
                    names_seen, role_span, titled_elsewhere)
from .question import QuestionType
from .span_words import (ADMINISTRATIVE, CONTINENT_HEAD, GENERIC_PLACE, INSIDE_CITY, INSTITUTIONS, MEASURES,
                         NATURAL_PLACES, NEWS_HEADS, NOT_A, PRICED, SAYINGS, WIRES)
from .text import NUMBER_WORDS, SCALE_WORDS, STOPWORDS, stem, words
from .timewords import MONTH_WORDS, MONTHS, WEEKDAYS
from .tuning import ATTRIBUTION_FIT, UNCOUNTED_FIT  # why: rag/tuning.py

_WEEKDAY = "|".join(d.capitalize() for d in WEEKDAYS)  # "Monday|Tuesday|…"
# number words as counts are written: the values' words (but "zero"), their scales, and plurals ("dozens", "hundreds")
_NUMBER_WORDS = [w for w in NUMBER_WORDS if w != "zero"] + list(SCALE_WORDS) + "dozens hundreds thousands millions billions half".split()


_SCALES = [*SCALE_WORDS, "hundred", "dozen"]


def _alt(ws: list[str]) -> str:
    """An alternation of words as written and capitalised (case-sensitive patterns are much faster than re.I)."""
    return "|".join(sorted({v for w in ws for v in (w, w.capitalize())}, key=len, reverse=True))


_NUM = re.compile(
    r"(?:[$€£¥]\s?)?\d(?:[\d,]*\d)?(?:\.\d+)?(?:\s?%|\s?(?:percent|per cent|million|billion|trillion|thousand|bn|m|k)\b)?"
    # "half a trillion", "a million": a scale word is counted by the word before it, "a" included
    r"|\b(?:[Aa]\s(?=(?:" + _alt(_SCALES) + r")\b))?(?:" + _alt(_NUMBER_WORDS) + r")"
    r"(?:(?:[ -]|\sa\s)(?:" + _alt(_NUMBER_WORDS) + r"))*\b(?:\s(?:percent|per cent))?"
)
_MONTH = "|".join(sorted({m.capitalize() for m in MONTH_WORDS}, key=lambda m: (-len(m), m)))  # longest first
_DATE = re.compile(
    r"\b(?:(?:(?:" + _WEEKDAY + r"),?\s+)?"  # "Sunday, Dec. 14": one date
    r"(?:" + _MONTH + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
    r"|\d{1,2}\s+(?:" + _MONTH + r")(?:\s+\d{4})?"
    r"|(?:" + "|".join(m.capitalize() for m in MONTHS) + r")(?:\s+\d{4})?"
    r"|(?:" + _WEEKDAY + r")"
    r"|(?:19|20)\d\d)\b"
)
_QUOTED = re.compile(r"[\"“]([^\"“”]{2,80})[\"”]|[‘']([A-Z][^‘’']{1,60})[’']")
_REASON = re.compile(r"\b(?:because(?: of)?|due to|as a result of|owing to|in order to|so that|to avoid|amid|citing|"
                     r"after|over concerns?|out of concern|thanks to|following|caused by|blamed on)\b", re.I)
# "after" / "following" and then a clock time, a number or a date say when, not why.
_WHEN_NOT_WHY = re.compile(r"\s+(?:\d|(?:" + _MONTH + "|" + _WEEKDAY
                           + r")\b(?!['’]s)|(?:midnight|noon|dawn|dusk|sunset|sunrise|dark)\b)")

# How well a span of each kind answers a question of each kind.
FIT = {
    "person": {"person": 1.0, "name": 0.7, "org": 0.25},
    "org": {"org": 1.0, "name": 0.85, "person": 0.3, "place": 0.3, "country": 0.2, "city": 0.2, "state": 0.2, "quote": 0.5},
    "country": {"country": 1.0, "name": 0.2},
    "state": {"state": 1.0, "name": 0.3},
    "city": {"city": 1.0, "name": 0.6, "place": 0.4, "state": 0.3, "country": 0.2},
    "place": {"city": 1.0, "state": 1.0, "country": 1.0, "place": 1.0, "name": 0.8, "org": 0.5, "person": 0.2},
    "number": {"number": 1.0, "money": 1.0, "percent": 0.5},
    "percent": {"percent": 1.0, "number": 0.3},
    "date": {"date": 1.0},
    "reason": {"reason": 1.0},
    "work": {"quote": 1.0, "name": 0.7, "event": 0.5, "org": 0.3},
    "role": {"role": 1.0},
    # "which holiday", "which festival", "which award": "Presidents Day", "Glastonbury", "the Nobel Prize"
    "event": {"event": 1.0, "name": 0.8, "quote": 0.7, "org": 0.4},
    "colour": {"colour": 1.0},  # "what colour Gatorade": the colour words of the sentence
    # "what is the name of …": a proper name or a quoted title, of whatever kind ("SPHEREx", "Gobble and Waddle")
    "name": {"name": 1.0, "quote": 1.0, "person": 0.8, "org": 0.8, "event": 0.8, "place": 0.7, "city": 0.5, "state": 0.4,
             "country": 0.3},
}



def find_spans(text: str) -> list[Span]:
    """Every typed span of a sentence (overlaps allowed: a date's year is also a number)."""
    out: list[Span] = []
    taken = []
    for m in _DATE.finditer(text):
        out.append(Span(m.start(), m.end(), m.group(), "date"))
        taken.append((m.start(), m.end()))
    for m in _NUM.finditer(text):
        s = m.group().strip()
        if not s or any(a <= m.start() < b for a, b in taken):
            continue
        if ((s in ("one", "One") and _MEMBER_OF.match(text, m.start() + len(s))) or _CLOCK.match(text, m.start() + len(s))
                or _RANK.search(text, max(0, m.start() - 4), m.start())
                or (m.start() > 1 and re.match(r"\d:", text[m.start() - 2 : m.start()])) or _identifier(text, m.start(), s)):
            continue  # "9:15 p.m." is a time of day, "One of the largest icebergs" no count, "Flight 5342" a name
        low = s.lower()
        kind = "percent" if ("%" in s or "percent" in low or "per cent" in low) else "money" if s[0] in "$€£¥" else "number"
        out.append(Span(m.start(), m.start() + len(s), s, kind))
    for m in _QUOTED.finditer(text):
        g = 1 if m.group(1) else 2
        title = m.group(g).rstrip(",.;: ")  # “Oppenheimer,” names Oppenheimer
        if title and len(title.split()) <= 8:
            out.append(Span(m.start(g), m.start(g) + len(title), title, "quote"))
    for m in _BASED.finditer(text):  # "a Hangzhou-based startup": where it is based, when the gazetteer knows the place
        if kind := place_kind(m.group(1)):
            out.append(Span(m.start(1), m.end(1), m.group(1), kind))
    numbers = [(sp.start, sp.end) for sp in out]
    out.extend(n for n in find_names(text, taken) if not any(a < n.end and n.start < b for a, b in numbers))
    out.extend(Span(m.start(), m.end(), m.group(), "colour") for m in _COLOUR.finditer(text))
    for m in _REASON.finditer(text):
        if m.group().lower() in ("after", "following") and _WHEN_NOT_WHY.match(text, m.end()):
            continue  # "after 8 a.m.", "following Tuesday's vote": a time, not a cause
        end = _clause_end(text, m.end())
        if end - m.end() > 3:
            out.append(Span(m.start(), end, text[m.start() : end], "reason"))
    return out


_CLOCK = re.compile(r":\d\d\b")  # "9:15 p.m."
_RANK = re.compile(r"\bNo\.\s?$")  # "the youngest world No. 1": a rank, not a count
_MEMBER_OF = re.compile(r"\s+of\s+(?:the|its|their|his|her|our|my|your|those|these|many|several)\b")  # "One of the …"
_BASED = re.compile(r"\b(?:(?:The|A|An) )?([A-Z][\w'’.]*(?: [A-Z][\w'’.]*)?)-based\b")
_NAME_BEFORE = re.compile(r"(?<![.!?:]\s)(?<!^)\b([A-Z][a-z]+)\s+$")
_CALENDAR = set(MONTH_WORDS) | set(WEEKDAYS)


def _identifier(text: str, start: int, number: str) -> bool:
    """A bare number after a name's capitalised word names something: "American Airlines Flight 5342", "Super Bowl
    59", "Apollo 11" (not a date's day, "on Jan. 20", nor a sentence's opening "In 2024")."""
    if not number.isdigit():
        return False
    m = _NAME_BEFORE.search(text, max(0, start - 30), start)
    return bool(m) and m.group(1).lower() not in _CALENDAR | STOPWORDS


# Colours are a closed class: a short list finds them ("yellow/green", "navy blue and white", "orange").
_COLOUR = re.compile(
    r"\b(?:(?:light|dark|pale|bright|navy|royal|sky|lime|hot)[ -])?(?:red|orange|yellow|green|blue|purple|violet|pink|"
    r"white|black|grey|gray|brown|gold|golden|silver|beige|turquoise|teal|maroon|crimson|scarlet|magenta|indigo|"
    r"lavender|amber|ivory|cream|navy)(?:[/ -](?:and[ -])?(?:red|orange|yellow|green|blue|purple|pink|white|black|"
    r"grey|gray|gold|silver))?\b"  # lower case only: "the Red Sox", "Blue Origin" are names, not colours
)

def _clause_end(text: str, i: int) -> int:
    """Where the clause from ``i`` ends: at a punctuation mark outside quotation marks ('… to the "Gulf of America."'
    ends after its closing quote, not inside it)."""
    for m in _CLAUSE_MARK.finditer(text, i):
        if m.group() == "." and _ABBREVIATION.search(text, 0, m.start()):
            continue  # "by Gov. Tom Wolf", "the U.S. Senate": an abbreviation's period
        seg = text[i : m.start()]
        if seg.count('"') % 2 == 0 and seg.count("“") <= seg.count("”"):
            return m.start()
        if text[m.end() : m.end() + 1] in ('"', "”"):
            return m.end() + 1  # the quotation closes right after its own punctuation
    return len(text)


_BEATEN = re.compile(r"\b(?:defeat(?:ed|ing|s)?|beat(?:s|ing)?|ousted|unseated|toppled)\s+(?:the\s+)?"
                     r"(?:(?:former|incumbent|defending|reigning)\s+)?$")
# words of a question that asks for the loser or the opponent ("Who did Mamdani beat?"), stemmed
_RIVALRY = {stem(w) for w in "beat defeat defeated against lose lost loser oust unseat face faced play played opponent "
            "rival challenger runner".split()}
_OWNS = re.compile(r"['’]s?\s+([A-Za-z][\w-]*)")
_EDITION_YEAR = re.compile(r"(?:19|20)\d\d")
_CLAUSE_MARK = re.compile(r"[,;:.!?—–]")
_ABBREVIATION = re.compile(r"(?:\b(?:Gov|Sen|Rep|Dr|Mr|Mrs|Ms|St|Jr|Sr|Gen|Lt|Col|Sgt|Capt|Rev|Prof|Inc|Corp|Co|Ltd|"
                           r"Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|No|vs)|\b[A-Z])$")


def best_span(
    sentence: str, qtype: QuestionType, question_terms: set[str], seen: set[str] | None = None, around: str = ""
) -> Span | None:
    """The span of ``sentence`` that best answers a question of type ``qtype`` and is not already in it.

    ``seen``: the words written with a capital inside sentences of the text around (``names_seen``). A
    sentence's capitalised first word that is one word long is a name only when it is among them: "Big tech
    peers …", "Addressing senators …" start sentences, "Trump said …" names someone written "Trump" elsewhere.
    ``around``: that text. A one-word name it also writes after a person's title is a person ("Biden announced …"
    where another sentence says "President Joe Biden").
    """
    if qtype.kind == "role":
        return role_span(sentence, qtype.subject)
    fits = FIT.get(qtype.kind)
    if not fits:
        return None
    anchors = [m.start() for m in re.finditer(r"\w+", sentence) if _term(m.group()) in question_terms]
    head = stem(qtype.head) if qtype.head else ""
    units = {stem(u) for u in qtype.units}
    acts = {stem(a) for a in qtype.acts}
    owned_terms = {_term(w) for w in qtype.owned}
    best, best_key = None, None
    kept: list[Span] = []  # every span that would answer
    first = first_word_start(sentence)
    for sp in find_spans(sentence):
        if sp.end <= first:
            continue  # the dateline's place ("NEW YORK − Zohran Mamdani … has won"): where the story was filed
        if (around and qtype.kind != "person" and sp.kind == "name" and " " not in sp.text
                and (titled_elsewhere(sp.text, around)
                     or (not fits.get("person") and full_name_elsewhere(sp.text, around)))):
            sp.kind = "person"
        if (qtype.kind == "org" and sp.kind == "person" and " " not in sp.text and SAYS.match(sentence, sp.end)
                and not (around and (titled_elsewhere(sp.text, around) or full_name_elsewhere(sp.text, around)))):
            sp.kind = "name"  # "…, Nestlé said in a news release": a company says things too; a person is named in full
        fit = fits.get(sp.kind, 0.0)
        if sp.kind == "continent" and head == CONTINENT_HEAD:
            fit = 1.0  # "which continent": Europe, Asia
        if qtype.kind == "org" and sp.kind == "place" and fold_word(sp.text.split()[-1]) in INSTITUTIONS:
            fit = fits["org"]  # "Which university …?": "Utah Valley University" is one (a place for "where")
        if head in NATURAL_PLACES and sp.kind in ADMINISTRATIVE:
            fit *= ADMINISTRATIVE[sp.kind]  # "which island": Greece is a country, Santorini the island
        elif head in INSIDE_CITY and sp.kind in ("country", "state"):
            fit *= ADMINISTRATIVE[sp.kind]  # "which neighborhood burned": Altadena, not California
        if fit <= 0 or in_question(sp.text, question_terms) or _elsewhere(sp, qtype):
            continue
        if (sp.kind in ("person", "org", "name", "country") and _BEATEN.search(sentence, max(0, sp.start - 30), sp.start)
                and question_terms.isdisjoint(_RIVALRY)):
            fit *= UNCOUNTED_FIT  # "… defeated Andrew Cuomo in the primary" for "Who is the new mayor?": the loser
        owned = owned_terms and _OWNS.match(sentence, sp.end)
        if owned and _term(owned.group(1)) in owned_terms:
            continue  # "former President Donald Trump's running mate" for "Who is Harris's running mate?": another owner
        if sp.kind == "date" and _EDITION_YEAR.fullmatch(sp.text) and _term(
                (words(sentence[sp.end : sp.end + 30]) or [""])[0]) in question_terms:
            continue  # "the 2024 Paris Olympics" for "When does the Paris Olympics opening ceremony start?": its name
        if fold_word(sp.text) in WIRES and head not in NEWS_HEADS:
            continue  # "… in support of which Syrian minority?": not "Reuters", which the sentence credits
        if head in SAYINGS and sp.kind != "quote":
            continue  # "What is the motto of the Games?": a quoted phrase, never the name "Team USA" beside it
        if any(head in heads and any(re.sub(r"['’]s?$", "", fold_word(w).strip(".")) in kinds for w in sp.text.split())
               for heads, kinds in NOT_A):
            continue  # "which club": the Premier League, Major League Baseball, the Lombardi Trophy are what teams play
            # for, not teams; "which company": not the Department of Justice
        brand = sp.kind in UNSURE_NAMES and bool(_BRAND_SUBJECT.match(sentence, sp.end)
                                                 or (around and sp.start != first and _only_possessive(sentence, sp, around)))
        if brand:  # the name is "Denny's", not "Denny"
            sp = Span(sp.start, sp.end + 2, sentence[sp.start : sp.end + 2], sp.kind)
        denied = bool(_DENIED.match(sentence, sp.end))
        if denied and not qtype.negated:
            continue  # "Taylor Swift did not win any of her six nominations": not who won
        if qtype.negated and not denied:
            fit *= UNCOUNTED_FIT  # "Which of these women did not fly …?": one who flew is named, not the answer
        if (m := _WITHDREW.match(sentence, sp.end)) and _term(m.group(1)) not in question_terms:
            fit *= UNCOUNTED_FIT  # "Tiger Woods, who withdrew … from the 2025 Masters" did not win it
        if sp.kind == "person" and " " in sp.text and fold_word(sp.text.split()[-1]).strip(".") in qtype.people:
            continue  # "Vladimir Putin" for "Who will meet Putin …?": the question's own person
        if (seen is not None and (sp.start == first or _OPENS_QUOTE.search(sentence[max(0, sp.start - 2) : sp.start]))
                and sp.kind in UNSURE_NAMES and " " not in sp.text and sp.text.rstrip(".") not in seen and not brand):
            continue  # a capitalised opening word (of the sentence, or of a quote or a clause after a colon in it)
            # that the text around never capitalises elsewhere: "Good" of 'Trump said, “Good luck getting a turkey …
        headed = bool(head) and sp.kind not in ("number", "percent", "money", "date") and _beside_head(sentence, sp, head)
        if headed and qtype.kind in ("country", "state") and sp.kind != qtype.kind:
            headed = False  # "the Himalayan country", "the Gulf state": the gazetteer knows every country, this is an adjective
        if headed:
            fit = 1.0  # "the Izvestia media outlet", "carmaker Tesla", "the city of Detroit" name what was asked
        elif qtype.kind == "name" and head and sp.kind != "quote":
            fit *= UNCOUNTED_FIT  # "the names of the turkeys": "turkeys named Gobble and Waddle", not "the White House"
        elif units and sp.kind in ("number", "money"):
            # "how many qubits": "eight qubits" answers it, "32 wins" in the same sentence does not
            fit = fit if _counts(sentence, sp, units) else fit * UNCOUNTED_FIT
        elif (qtype.head == "much" and sp.kind == "number" and not _counts(sentence, sp, MEASURES)
              and not PRICED.search(sentence, max(0, sp.start - 20), sp.start)):
            fit *= UNCOUNTED_FIT  # "How much is Trump suing the BBC for?": an amount ($10 billion), not "two parts"
        if not qtype.saying and _attribution(sentence, sp):
            fit *= ATTRIBUTION_FIT
        if sp.kind == "country" and _COUNTRY_CODE.fullmatch(sp.text) and _ATTRIBUTIVE.match(sentence, sp.end):
            fit *= 0.5  # "a U.S. pope", "any US lottery game": American, said of something else
        near = min((abs(a - sp.start) for a in anchors), default=len(sentence))
        # of two numbers, the one whose own words are the question's ("62% of U.S. adults identify as Christian, …
        # and 7% identify as other religions" for "what percentage … identify as Christian?")
        told = _told(sentence, sp, question_terms) if sp.kind in ("number", "percent", "money") else 0
        acted = bool(acts) and sp.kind in ("number", "money") and _acted(sentence, sp, acts)
        # "Where did Trump and Putin meet?": "… at a U.S. air base in Alaska … over the Ukraine war": where it happened
        # is said with a preposition of place
        located = qtype.kind == "place" and not head and bool(_LOCATIVE.search(sentence, max(0, sp.start - 12), sp.start))
        key = (fit, acted, located, told, -near)
        kept.append(Span(sp.start, sp.end, sp.text, sp.kind, fit, headed))
        if best_key is None or key > best_key:
            best, best_key = kept[-1], key
    return listed(sentence, best, kept, qtype.answers) if best else None


# a quotation or a clause after a colon opens here: its first word is capitalised as any sentence's is
_OPENS_QUOTE = re.compile(r"(?:^|[\s(\[])[“\"‘]$|:\s$")
# "Denny's has implemented a surcharge …": a possessive-looking word that is the subject of a verb is a name
# ending in 's (Denny's, McDonald's, Macy's), not an opening word ("Today's decision", "Trump's plan")
_BRAND_SUBJECT = re.compile(r"['’]s\s+(?:has|have|had|is|was|will|said|says|announced|confirmed|added|launched|"
                            r"introduced|recalled|agreed|became|reported|raised|closed|opened)\b")


def _only_possessive(sentence: str, sp: Span, around: str) -> bool:
    """True when the name is followed by 's here and never written without it in the text around: "McDonald's",
    "Ben & Jerry's" are names ending in 's, "Trump's" is not (the news writes "Trump" too)."""
    if sentence[sp.end : sp.end + 2] not in ("'s", "’s"):
        return False
    return not re.search(r"\b" + re.escape(sp.text) + r"\b(?!['’]s\b)", around)


@lru_cache(maxsize=200_000)
def _term(word: str) -> str:
    return stem(fold_word(word))



def _beside_head(sentence: str, sp: Span, head: str) -> bool:
    """True when the question's head noun stands right before or after the span (but not "Fabrics retailer Joann",
    where the name after the noun is the one it calls a retailer)."""
    before = [stem(w) for w in words(sentence[max(0, sp.start - 30) : sp.start])][-3:]
    if head in before:
        return True
    for m in list(_WORD_AFTER.finditer(sentence, sp.end, min(len(sentence), sp.end + 30)))[:2]:
        if m.group(1).lower() in ("the", "a", "an"):
            break  # "told Military.com the ship renaming …": a new noun phrase, not the name's noun
        if stem(m.group(1).lower()) == head:
            return not NAME_FOLLOWS.match(sentence, m.end())
    return False


_WORD_AFTER = re.compile(r"([A-Za-z]+)")


_ACCORDING_TO = re.compile(r"\baccording to(?: the)?\s*$", re.I)
_COMMA_BEFORE = re.compile(r",\s*(?:the\s+)?$", re.I)
_REPORTED = re.compile(r"\s*(?:reported|reports|reporting)\b")


def _attribution(sentence: str, sp: Span) -> bool:
    """True when the span names where the sentence's claim comes from: "according to NASA", ", Bloomberg reported"."""
    before = sentence[max(0, sp.start - 20) : sp.start]
    return bool(_ACCORDING_TO.search(before) or (_COMMA_BEFORE.search(before) and _REPORTED.match(sentence, sp.end)))


def _counts(sentence: str, sp: Span, units: set[str]) -> bool:
    """True when a word of the counted noun follows the number within a few words ("8 qubits", "$65 billion in aid")."""
    return not units.isdisjoint(stem(w) for w in words(sentence[sp.end : sp.end + 40])[:4])


_LOCATIVE = re.compile(r"\b(?:in|at|near|outside|inside|on|off|across)\s+(?:the\s+)?$")
# a name whose verb is denied: "X did not win", "X never ran", "X failed to qualify" (not "X is not in the best
# interests", "X will not only be …")
_DENIED = re.compile(r"\s+(?:(?:did|does|do|has|have|had|will|would|could)(?: not|n['’]t)|never|failed to|won['’]t|cannot|"
                     r"can['’]t)\b(?! only\b)")
# a name that took no part: "Tiger Woods, who withdrew …", "X pulled out of", "X dropped out", "X skipped the vote"
# (not "X dropped 40 points", "X pulled ahead")
_WITHDREW = re.compile(r",?\s+(?:who\s+)?(withdrew|withdraws|pulled(?= out\b)|dropped(?= out\b)|skipped|skips|missed|"
                       r"misses)\b")


def _acted(sentence: str, sp: Span, acts: set[str]) -> bool:
    """True when the question's verb stands beside the number: "injuring 18 of the 80 people", "two dozen injured"."""
    near = words(sentence[max(0, sp.start - 30) : sp.start])[-2:] + words(sentence[sp.end : sp.end + 40])[:4]
    return not acts.isdisjoint(stem(w) for w in near)


_CLAUSE_OR_NUMBER = re.compile(r"[,;:!?—–]|(?<![A-Z])\.(?=\s|$)|\d")  # "U.S." does not end it


def _told(sentence: str, sp: Span, question_terms: set[str]) -> int:
    """How many of the question's words the number's own clause holds: the words after it up to the next number or
    the clause's end."""
    rest = _CLAUSE_OR_NUMBER.split(sentence[sp.end :], maxsplit=1)[0]
    return len({stem(w) for w in words(rest)[:8]} & question_terms)


def _elsewhere(sp: Span, qtype: QuestionType) -> bool:
    """True for a city the gazetteer places only outside the country or state the question names (Kyiv for "which
    English city"), or a country on another continent than the one it names (Canada for "which African country")."""
    if sp.kind == "city" and qtype.qualifiers:
        return any(city_elsewhere(sp.text, q) for q in qtype.qualifiers)
    return sp.kind == "country" and bool(qtype.continent) and country_elsewhere(sp.text, qtype.continent)


# a country code before a lower-case word that is no verb, preposition or conjunction: an adjective ("U.S. cities")
_ATTRIBUTIVE = re.compile(r"\s+(?!(?:is|was|are|were|has|had|have|will|would|could|can|may|might|must|should|said|says|"
                          r"and|or|but|to|in|on|at|for|of|from|with|by|as|than|that|which|who)\b)[a-z]")
_COUNTRY_CODE = re.compile(r"[A-Z]\.?[A-Z]\.?")  # "U.S.", "UK" before a name: where it is, not what


def in_question(span: str, question_terms: set[str]) -> bool:
    """True when the question already says what the span names (its words, or its country by another name)."""
    home = same_country(span)
    if home and home in countries_named(question_terms):
        return True  # "United States" for a question about "US warships"
    terms = [stem(w) for w in words(span) if w not in STOPWORDS]
    if len(terms) == 1 and place_kind(span) in ("country", "state") and any(same_root(terms[0], t) for t in question_terms):
        return True  # "Colombia" for "Where did Colombian police find …?", "Texas" for "which Texan city"
    if len(terms) == 1 and len(terms[0]) >= 5 and any(len(t) >= 5 and same_root(terms[0], t) for t in question_terms):
        return True  # "Olympians" for "What is the motto for the 2024 Paris Olympics?": the question's own word, grown
    own = [t for t in terms if t not in GENERIC_PLACE]
    if own and len(own) < len(terms) and all(t in question_terms for t in own):
        return True  # "Guantanamo Bay" for "Where were the detainees from Guantanamo sent?": the bay is the question's
    have = sum(t in question_terms for t in terms)
    first, *rest = span.split()
    if rest and _COUNTRY_CODE.fullmatch(first) and place_kind(first) == "country" and all(
            stem(w) in question_terms for r in rest for w in words(r) if w not in STOPWORDS):
        return True  # "U.S. Navy" for "… ordered the Navy to rename which ship?": the question's own, placed
    return bool(terms) and (have == len(terms) or (len(terms) >= 3 and have >= 2 * len(terms) / 3))


