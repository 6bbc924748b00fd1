"""Answer spans inside a sentence: names, numbers, dates, quoted titles, roles and reasons, each with a kind.

A sentence answers "Which city …?" only if it holds a city-like span the question does not already
name; ``best_span`` finds that span and says how well it fits (0 to 1). The span becomes the short
answer, so its offsets are exact offsets into the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .gazetteer import countries_named, is_demonym_word, place_kind, same_country
from .question import QuestionType
from .text import STOPWORDS, fold, stem, words
from .tuning import UNCOUNTED_FIT  # why: rag/tuning.py

_MONTHS = "january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec"
_DAYS = "monday tuesday wednesday thursday friday saturday sunday"
_NUMBER_WORDS = """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion
    trillion dozen dozens hundreds thousands millions billions half""".split()
def _alt(ws: list[str]) -> str:
    """An alternation of words as written and capitalised (case-sensitive patterns are much faster than re.I)."""
    return "|".join(sorted({v for w in ws for v in (w, w.capitalize())}, key=len, reverse=True))


_NUM = re.compile(
    r"(?:[$€£¥]\s?)?\d[\d,]*(?:\.\d+)?(?:\s?%|\s?(?:percent|per cent|million|billion|trillion|thousand|bn|m|k)\b)?"
    r"|\b(?:" + _alt(_NUMBER_WORDS) + r")(?:[ -](?:" + _alt(_NUMBER_WORDS) + r"))*\b(?:\s(?:percent|per cent))?"
)
_MONTH = "|".join(sorted((m.capitalize() for m in _MONTHS.split()), key=len, reverse=True))
_DATE = re.compile(
    r"\b(?:(?:" + _MONTH + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
    r"|\d{1,2}\s+(?:" + _MONTH + r")(?:\s+\d{4})?"
    r"|(?:" + "|".join(m.capitalize() for m in _MONTHS.split()[:12]) + r")(?:\s+\d{4})?"
    r"|(?:" + "|".join(d.capitalize() for d in _DAYS.split()) + r")"
    r"|(?:19|20)\d\d)\b"
)
_QUOTED = re.compile(r"[\"“]([^\"“”]{2,80})[\"”]|[‘']([A-Z][^‘’']{1,60})[’']")
_CAP = re.compile(r"[A-Z][\w\u0300-\u036f'’&.-]*|[A-Z]\.")
# "Tony-nominated", "Oscar-winning", "Chicago-based": a capitalised word made an adjective, not part of a name.
_CAP_ADJECTIVE = re.compile(r"[A-Z][\w'’.]*-[a-z][\w-]*")


def _name_word(w: str) -> bool:
    """A capitalised word that can be part of a name."""
    return bool(_CAP.fullmatch(w)) and not _CAP_ADJECTIVE.fullmatch(w)


_CONNECT = {"of", "the", "de", "del", "la", "le", "van", "von", "al", "bin", "da", "di", "du", "&"}
# Words that begin sentences with a capital without being names.
_STARTERS = STOPWORDS | {"however", "meanwhile", "still", "yet", "now", "today", "officials", "police", "authorities",
                         "experts", "many", "several", "some", "most", "one", "two", "three", "last", "next", "earlier",
                         "later", "here", "there", "instead", "although", "though", "despite", "since", "while", "once",
                         "even", "like", "unlike", "according", "new", "watch", "read", "photo", "video", "more"}
_TITLES = {"president", "vice", "prime", "minister", "sen", "senator", "rep", "representative", "gov", "governor",
           "mayor", "dr", "mr", "mrs", "ms", "judge", "justice", "pope", "king", "queen", "prince", "princess", "ceo",
           "coach", "secretary", "chancellor", "general", "gen", "lt", "col", "sgt", "chief", "director", "chairman",
           "chairwoman", "speaker", "leader", "actor", "actress", "singer", "rapper", "star", "author", "founder",
           "deputy", "ambassador", "commissioner", "attorney", "sheriff", "officer", "spokesperson", "spokesman",
           "spokeswoman", "former", "late", "lady", "sir", "dame", "lord"}
_ORG_WORDS = {"inc", "corp", "corporation", "co", "company", "group", "airlines", "airways", "bank", "university",
              "college", "association", "party", "union", "council", "committee", "agency", "department", "ministry",
              "court", "news", "times", "post", "institute", "foundation", "club", "fc", "league", "motors", "media",
              "network", "studios", "pictures", "records", "holdings", "technologies", "systems", "labs", "ltd", "llc",
              "plc", "ag", "sa", "gmbh", "museum", "hospital", "school", "administration", "service", "services",
              "commission", "federation", "organization", "organisation", "press", "tribune", "journal", "herald",
              "reuters", "cnn", "bbc", "nbc", "abc", "cbs", "fox", "senate", "house", "congress", "parliament",
              "academy", "society", "fund", "bureau", "board", "authority", "survey", "trust", "alliance", "coalition",
              "army", "navy", "guard", "command", "police", "workers", "teamsters"}
# Names of events, prizes and laws: capitalised like a person ("Grammy Award", "Super Bowl") but never one.
_EVENT_WORDS = {"award", "awards", "prize", "prizes", "medal", "cup", "games", "olympics", "festival", "show", "series",
                "championship", "championships", "tournament", "bowl", "derby", "marathon", "week", "day", "act", "bill",
                "fire", "storm", "hurricane", "war", "summit", "conference", "expo", "globes", "oscars", "grammys",
                "emmys", "election", "elections", "trial", "season", "tour", "fair", "parade", "gala", "ceremony"}
_PLACE_WORDS = {"office", "square", "garden", "gardens", "park", "center", "centre", "hall", "bridge", "street", "avenue",
                "airport", "station", "stadium", "arena", "island", "islands", "beach", "river", "lake", "mountain",
                "mountains", "county", "valley", "bay", "gulf", "sea", "ocean", "canal", "border", "coast", "peninsula",
                "strait", "desert", "forest", "harbor", "harbour", "palace", "tower", "castle", "cathedral", "basin"}
_REASON = re.compile(r"\b(?:because(?: of)?|due to|as a result of|owing to|in order to|so that|to avoid|amid|citing|"
                     r"after|over concerns?|out of concern|thanks to|following|caused by|blamed on)\b", re.I)
# "after" / "following" and then a clock time, a number or a date say when, not why.
_WHEN_NOT_WHY = re.compile(r"\s+(?:\d|(?:" + _MONTH + "|" + "|".join(d.capitalize() for d in _DAYS.split())
                           + r")\b(?!['’]s)|(?:midnight|noon|dawn|dusk|sunset|sunrise|dark)\b)")

# Natural places (stemmed head nouns): a country, US state or city is seldom the answer to "which island / river / volcano".
_NATURAL_PLACES = {stem(w) for w in "island river lake mountain volcano sea ocean peninsula desert forest canal bay gulf strait archipelago valley coast".split()}
_ADMINISTRATIVE = {"country": 0.3, "state": 0.3, "city": 0.5}

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


@dataclass
class Span:
    start: int  # offsets into the sentence
    end: int
    text: str
    kind: str
    fit: float = 0.0


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
        low = s.lower()
        kind = "percent" if ("%" in s or "percent" in low or "per cent" in low) else "money" if s[0] in "$€£¥" else "number"
        out.append(Span(m.start(), m.start() + len(s), s, kind))
    for m in _QUOTED.finditer(text):
        g = 1 if m.group(1) else 2
        title = m.group(g).rstrip(",.;: ")  # “Oppenheimer,” names Oppenheimer
        if title and len(title.split()) <= 8:
            out.append(Span(m.start(g), m.start(g) + len(title), title, "quote"))
    numbers = [(sp.start, sp.end) for sp in out]
    out.extend(n for n in _names(text, taken) if not any(a < n.end and n.start < b for a, b in numbers))
    out.extend(Span(m.start(), m.end(), m.group(), "colour") for m in _COLOUR.finditer(text))
    for m in _REASON.finditer(text):
        if m.group().lower() in ("after", "following") and _WHEN_NOT_WHY.match(text, m.end()):
            continue  # "after 8 a.m.", "following Tuesday's vote": a time, not a cause
        end = _clause_end(text, m.end())
        if end - m.end() > 3:
            out.append(Span(m.start(), end, text[m.start() : end], "reason"))
    return out


# Colours are a closed class: a short list finds them ("yellow/green", "navy blue and white", "orange").
_COLOUR = re.compile(
    r"\b(?:(?:light|dark|pale|bright|navy|royal|sky|lime|hot)[ -])?(?:red|orange|yellow|green|blue|purple|violet|pink|"
    r"white|black|grey|gray|brown|gold|golden|silver|beige|turquoise|teal|maroon|crimson|scarlet|magenta|indigo|"
    r"lavender|amber|ivory|cream|navy)(?:[/ -](?:and[ -])?(?:red|orange|yellow|green|blue|purple|pink|white|black|"
    r"grey|gray|gold|silver))?\b"  # lower case only: "the Red Sox", "Blue Origin" are names, not colours
)
# "WASHINGTON — …", "OROVILLE, Calif. – …", "LOS ANGELES (AP) — …": where the story was filed from
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'’-]+(?:,\s*[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?)?\s*(?:\([A-Za-z ]+\)\s*)?[—–―-]+\s"
)


def _names(text: str, taken: list[tuple[int, int]]) -> list[Span]:
    """Runs of capitalised words ("Christian Democratic Union", "Demi Moore"), classified."""
    m = _DATELINE.match(text)  # "WASHINGTON — …": the place the story was filed from, not an answer
    skip = m.end() if m else 0
    toks = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[\w\u0300-\u036f'’&.-]+", text) if m.start() >= skip]
    out: list[Span] = []
    i = 0
    while i < len(toks):
        s, e, w = toks[i]
        if not _name_word(w) or any(a <= s < b for a, b in taken):
            i += 1
            continue
        j = i + 1
        while j < len(toks):
            w2 = toks[j][2]
            gap = text[toks[j - 1][1] : toks[j][0]]
            if gap.strip() not in ("", "-"):
                break
            if _name_word(w2):
                j += 1
                continue
            m = _and_org_end(toks, j, text)
            if m:  # "the Climate Crisis and Civil Protection Ministry" is one organisation
                j = m
                continue
            k = j  # connecting words inside a name: "Bank of America", "Player of the Year", "Museum of the Moving Image"
            while k < len(toks) and k - j < 2 and toks[k][2].lower() in _CONNECT and text[toks[k][1] : toks[k][1] + 1] == " ":
                k += 1
            opener = j == i + 1 and s == _first_word_start(text)  # "Members of the European Parliament …": two names
            if k > j and k < len(toks) and _name_word(toks[k][2]) and (k - j == 1 or not opener):
                j = k
                continue
            break
        run = toks[i:j]
        # A sentence's first word is capitalised anyway: drop it when it is an ordinary starter.
        if (s == _first_word_start(text) and _fold(w).strip(".") in _STARTERS
                and not place_kind(text[run[0][0] : run[-1][1]].rstrip(".'’"))):
            run = run[1:]  # … unless the run is a place with it ("New York City", "New Delhi")
        while run and _fold(run[-1][2]) in _CONNECT:
            run = run[:-1]
        titled = False
        while run and (_fold(run[0][2]).strip(".") in _TITLES | {"the"} or run[0][2] in _CONNECT):
            titled = titled or _fold(run[0][2]).strip(".") in _TITLES
            if titled and run[0][2] == "of":  # "Secretary of State Marco Rubio": the title's domain, then the name
                run = run[1:]
                while len(run) > 2 and _fold(run[0][2]) not in _CONNECT:
                    run = run[1:]
                continue
            run = run[1:]  # "President Joe Biden": the name is Joe Biden, the title says it is a person
        if (len(run) == 1 and run[0][0] == _first_word_start(text) and text[run[0][1] : run[0][1] + 1] in ",!"
                and not place_kind(run[0][2])):
            run = []  # "Wow, …", "Still, …": an opening word, not a name ("Osaka, Japan's second city, …" is one)
        if run:
            span_s, span_e = run[0][0], run[-1][1]
            name = re.sub(r"['’]s?$", "", text[span_s:span_e].rstrip(".'’")).rstrip(".'’")  # "Carter’s" -> "Carter"
            if _ABBREVIATED.search(name) and text[span_s + len(name) : span_s + len(name) + 1] == ".":
                name += "."  # "U.S.", "U.K.", "Leslie Odom Jr.": the period is the abbreviation's, not the sentence's
            span_e = span_s + len(name)
            if name and _fold(name) not in STOPWORDS and not _is_demonym(name):
                out.append(Span(span_s, span_e, name, _name_kind(text, span_s, name, toks[i:j])))
        i = j
    return out


# the public bodies whose names join two fields with "and" ("Ministry of Climate Crisis and Civil Protection")
_BODIES = {"ministry", "department", "commission", "agency", "services", "administration", "authority", "office",
           "bureau", "committee", "council"}


def _and_org_end(toks: list, j: int, text: str) -> int:
    """When ``toks[j]`` is "and" (or "&") followed by capitalised words that end the name on an organisation word
    ("… and Civil Protection Ministry declared"), the index after them; else 0 ("Biden and Harris" are two names)."""
    if toks[j][2] not in ("and", "&"):
        return 0
    m = j + 1
    while m < len(toks) and m - j <= 4 and _name_word(toks[m][2]) and text[toks[m - 1][1] : toks[m][0]] == " ":
        m += 1
    if m == j + 1 or _fold(toks[m - 1][2]).strip(".") not in _BODIES or _fold(toks[j - 1][2]).strip(".") in _ORG_WORDS:
        return 0  # "American Airlines and United Airlines", "FA Cup and Champions League": two names
    if m < len(toks) and toks[m][2] in _CONNECT:
        return 0  # "the Department of Defense and Department of Homeland Security": two names
    return m


_ABBREVIATED = re.compile(r"(?:\b[A-Z]\.)+[A-Z]$|\b(?:Jr|Sr|Inc|Corp|Co|Ltd|Bros)$")


def _is_demonym(name: str) -> bool:
    """ "Chinese", "French", "Italian-based": a people or origin, not a name that answers "which …"."""
    return len(name.split()) == 1 and not place_kind(name) and is_demonym_word(name)


_UNSURE_NAMES = {"person", "org", "name", "event"}  # kinds read from capitals alone (places come from a gazetteer)
# after a word, a comma or a closing quote (not after a colon: "Pro tip: Maybe …" starts a sentence anew)
_MID_CAPITAL = re.compile(r"(?<=[\w,;’'\"”)] )[A-Z][\w\u0300-\u036f&.-]*")


def names_seen(sentences: list[str]) -> set[str]:
    """Words written with a capital after another word of their sentence (a name, not a sentence's first word)."""
    return {m.group().rstrip(".") for text in sentences for m in _MID_CAPITAL.finditer(text)}


def _first_word_start(text: str) -> int:
    """Where the sentence's first word starts (after a dateline: "OROVILLE, Calif. – Wildfires …" starts at "Wildfires")."""
    dateline = _DATELINE.match(text)
    m = _WORD_CHAR.search(text, dateline.end() if dateline else 0)
    return m.start() if m else 0


_WORD_CHAR = re.compile(r"\w")


def _name_kind(text: str, start: int, name: str, run: list) -> str:
    place = place_kind(name)
    parts = name.split()
    if place and len(parts) <= 3:
        return place
    low = [_fold(p).strip(".,") for p in parts]
    if any(p in _PLACE_WORDS for p in low[1:]):
        return "place"
    if any(p in _ORG_WORDS for p in low) or re.fullmatch(r"[A-Z]{2,5}s?", name):
        return "org"
    if any(p in _EVENT_WORDS for p in low):
        return "event"
    before = [w.strip(".,;:'’\"()").lower() for w in text[max(0, start - 40) : start].split()[-2:]]
    titled = any(_fold(t[2]).strip(".") in _TITLES for t in run) or any(b in _TITLES for b in before)
    after = text[start + len(name) : start + len(name) + 12].lower()
    if titled or re.match(r",\s*\d{2},|\s+(said|says|told|wrote|added)\b|,\s*who\b", after):
        return "person"
    if before[-1:] == ["the"]:
        return "name"  # "the New Orleans Pelicans", "the Trump administration": people are not preceded by "the"
    if 2 <= len(parts) <= 3 and all(_PERSON_PART.fullmatch(p.rstrip(".")) for p in parts):
        return "person"
    return "name"


# A word of a person's name: "Moore", "LeBron", "McKenna", "DeSantis" (one inner capital after lower case).
_PERSON_PART = re.compile(r"[A-Z][a-zà-ÿ'’-]+(?:[A-Z][a-zà-ÿ'’-]+)?")


def _clause_end(text: str, i: int) -> int:
    m = re.compile(r"[,;:.!?—–]").search(text, i)
    return m.start() if m else len(text)


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
    best, best_key = None, None
    first = _first_word_start(sentence)
    for sp in find_spans(sentence):
        if (around and qtype.kind != "person" and sp.kind == "name" and " " not in sp.text
                and _titled_elsewhere(sp.text, around)):
            sp.kind = "person"
        fit = fits.get(sp.kind, 0.0)
        if head in _NATURAL_PLACES and sp.kind in _ADMINISTRATIVE:
            fit *= _ADMINISTRATIVE[sp.kind]  # "which island": Greece is a country, Santorini the island
        if fit <= 0 or _in_question(sp.text, question_terms):
            continue
        if (seen is not None and sp.start == first and sp.kind in _UNSURE_NAMES and " " not in sp.text
                and sp.text.rstrip(".") not in seen):
            continue  # a capitalised opening word that the text around never capitalises elsewhere
        if head and sp.kind not in ("number", "percent", "money", "date") and _beside_head(sentence, sp, head):
            fit = 1.0  # "the Izvestia media outlet", "carmaker Tesla", "the city of Detroit" name what was asked
        elif units and sp.kind in ("number", "money"):
            # "how many qubits": "eight qubits" answers it, "32 wins" in the same sentence does not
            fit = fit if _counts(sentence, sp, units) else fit * UNCOUNTED_FIT
        near = min((abs(a - sp.start) for a in anchors), default=len(sentence))
        key = (fit, -near)
        if best_key is None or key > best_key:
            best, best_key = Span(sp.start, sp.end, sp.text, sp.kind, fit), key
    return best


@lru_cache(maxsize=200_000)
def _term(word: str) -> str:
    return stem(_fold(word))


_fold = lru_cache(maxsize=200_000)(fold)


def _beside_head(sentence: str, sp: Span, head: str) -> bool:
    """True when the question's head noun stands right before or after the span."""
    before = [stem(w) for w in words(sentence[max(0, sp.start - 30) : sp.start])][-3:]
    after = [stem(w) for w in words(sentence[sp.end : sp.end + 30])][:2]
    return head in before or head in after


def _counts(sentence: str, sp: Span, units: set[str]) -> bool:
    """True when a word of the counted noun follows the number within a few words ("8 qubits", "$65 billion in aid")."""
    return not units.isdisjoint(stem(w) for w in words(sentence[sp.end : sp.end + 40])[:4])


def _in_question(span: str, question_terms: set[str]) -> bool:
    home = same_country(span)
    if home and home in countries_named(question_terms):
        return True  # "United States" for a question about "US warships"
    terms = [stem(w) for w in words(span) if w not in STOPWORDS]
    have = sum(t in question_terms for t in terms)
    return bool(terms) and (have == len(terms) or (len(terms) >= 3 and have >= 2 * len(terms) / 3))


def _titled_elsewhere(word: str, around: str) -> bool:
    """True when ``around`` writes ``word`` after a person's title, as the end of a name of at most three words
    ("President Joe Biden", "Sen. Chuck Schumer", "Mayor Bass")."""
    known = _titled_so_far(around)
    if word not in known:
        pattern = r"\b([A-Z][a-z]+)\.?\s+(?:[A-Z][\w'’.-]*\s+){0,2}" + re.escape(word) + r"\b"
        known[word] = any(_fold(m.group(1)) in _TITLES for m in re.finditer(pattern, around))
    return known[word]


@lru_cache(maxsize=2)
def _titled_so_far(around: str) -> dict[str, bool]:
    """The words already looked up in one question's candidate text. Only the last two texts are kept: a cache keyed
    by whole texts must not hold thousands of them (tens of kB each) in a long-running server."""
    return {}


def role_span(sentence: str, subject: str) -> Span | None:
    """X's title in "Deputy Russian Foreign Minister Alexander Grushko" or "Grushko, the deputy minister,"."""
    last = subject.split()[-1] if subject else ""
    if not last:
        return None
    m = re.search(r"\b" + re.escape(last) + r"\b", sentence, re.I)
    if not m:
        return None
    first = subject.split()[0]
    name_start = m.start()
    f = re.search(r"\b" + re.escape(first) + r"\s+(?:\w+\s+)?" + re.escape(last) + r"\b", sentence, re.I)
    if f:
        name_start = f.start()
    before = sentence[:name_start].rstrip()
    toks = list(re.finditer(r"[\w'’.-]+", before))
    k = len(toks)
    while k > 0 and (toks[k - 1].group()[:1].isupper() or toks[k - 1].group().lower() in _CONNECT | {"'s"}):
        k -= 1
        if len(toks) - k >= 8:
            break
    while k < len(toks) and toks[k].group().lower() in _CONNECT:
        k += 1
    if k < len(toks) and before[toks[-1].end() :].strip() == "":
        s, e = toks[k].start(), toks[-1].end()
        if any(_fold(t.group()).strip(".") in _TITLES or len(toks) - k >= 2 for t in toks[k:]):
            return Span(s, e, sentence[s:e], "role", 1.0)
    after = re.match(r",\s+((?:the|a|an|who is|who was)\s+[^,.;]{3,80}?)[,.;]", sentence[m.end() :])
    if after:
        s = m.end() + after.start(1)
        return Span(s, s + len(after.group(1)), after.group(1), "role", 1.0)
    return None
