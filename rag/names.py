"""Names in a sentence: runs of capitalised words, what kind of thing each names, and a person's title.

"Christian Democratic Union" is an organisation, "Demi Moore" a person, "New York City" a place; a dateline
("WASHINGTON — …") is where a story was filed, a sentence's capitalised opening word is a name only when the text
around also capitalises it, and "Secretary of State Marco Rubio" names Marco Rubio. ``rag.spans`` reads answer
spans of every kind from these and from numbers, dates and quoted titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .gazetteer import is_demonym_word, place_kind
from .question import HEAD_KIND, TITLES as _TITLES
from .text import STOPWORDS, fold

_CAP = re.compile(r"[A-Z][\w\u0300-\u036f'’&.-]*|[A-Z]\.")
# "Tony-nominated", "Oscar-winning", "Chicago-based": a capitalised word made an adjective, not part of a name.
_CAP_ADJECTIVE = re.compile(r"[A-Z][\w'’.]*-[a-z][\w-]*")


def _name_word(w: str) -> bool:
    """A capitalised word that can be part of a name (not the pronoun "I", "I'm", "I've")."""
    return bool(_CAP.fullmatch(w)) and not _CAP_ADJECTIVE.fullmatch(w) and not _PRONOUN_I.fullmatch(w)


_PRONOUN_I = re.compile(r"I(?:['’](?:m|ve|ll|d))?")
_POSTED_ON = {"post", "posts", "account", "feed", "page", "video", "videos", "channel", "podcast", "profile", "livestream"}


_CONNECT = {"of", "the", "de", "del", "la", "le", "van", "von", "al", "bin", "da", "di", "du", "&"}
# Words that begin sentences with a capital without being names.
_STARTERS = STOPWORDS | {"however", "meanwhile", "still", "yet", "now", "today", "officials", "police", "authorities",
                         "experts", "many", "several", "some", "most", "one", "two", "three", "last", "next", "earlier",
                         "later", "here", "there", "instead", "although", "though", "despite", "since", "while", "once",
                         "even", "like", "unlike", "according", "new", "watch", "read", "photo", "video", "more",
                         # a headline's opening verb or label: "Meet Nikki Glaser, the host of …", "Opinion: …"
                         "meet", "inside", "opinion", "analysis", "explainer", "breaking", "exclusive", "listen"}
_ORG_WORDS = {"inc", "corp", "corporation", "co", "company", "group", "airlines", "airways", "bank", "university",
              "college", "association", "party", "union", "council", "committee", "agency", "department", "ministry",
              "court", "news", "times", "post", "institute", "foundation", "club", "fc", "league", "motors", "media",
              "network", "studios", "pictures", "records", "lines", "today", "team", "holdings", "technologies",
              "systems", "labs", "ltd", "llc",
              "plc", "ag", "sa", "gmbh", "museum", "hospital", "school", "administration", "service", "services",
              "commission", "federation", "organization", "organisation", "press", "tribune", "journal", "herald",
              "reuters", "cnn", "bbc", "nbc", "abc", "cbs", "fox", "senate", "house", "congress", "parliament",
              "academy", "society", "fund", "bureau", "board", "authority", "survey", "trust", "alliance", "coalition",
              "army", "navy", "guard", "command", "police", "workers", "teamsters", "forces", "force", "corps",
              "marines", "united", "rovers", "wanderers", "athletic", "albion", "hotspur"}  # the last: football clubs
# Names of events, prizes and laws: capitalised like a person ("Grammy Award", "Super Bowl") but never one.
_EVENT_WORDS = {"award", "awards", "prize", "prizes", "medal", "cup", "games", "olympics", "festival", "show", "series",
                "championship", "championships", "tournament", "bowl", "derby", "marathon", "week", "day", "act", "bill",
                "fire", "storm", "hurricane", "war", "summit", "slam", "conference", "expo", "globes", "oscars", "grammys",
                "emmys", "election", "elections", "trial", "season", "tour", "fair", "parade", "gala", "ceremony"}
_PLACE_WORDS = {"office", "square", "garden", "gardens", "park", "center", "centre", "hall", "bridge", "street", "avenue",
                "airport", "station", "stadium", "arena", "island", "islands", "beach", "river", "lake", "mountain",
                "mountains", "county", "valley", "bay", "gulf", "sea", "ocean", "canal", "border", "coast", "peninsula",
                "strait", "desert", "forest", "harbor", "harbour", "palace", "tower", "castle", "cathedral", "basin",
                "theater", "theatre", "amphitheater", "amphitheatre", "auditorium", "coliseum", "colosseum", "ballpark",
                "speedway", "racecourse"}  # venues: "the Microsoft Theater" is where an award show takes place


@dataclass
class Span:
    """Words of a sentence that may answer a question: where they are, what kind of thing they name, how well they fit."""

    start: int  # offsets into the sentence
    end: int
    text: str
    kind: str
    fit: float = 0.0
    headed: bool = False  # the sentence names it with the question's head noun ("the Izvestia media outlet")
    # when the question asks for several ("which two actors"), the list this span stands in ("Lindsay Lohan and
    # Jamie Lee Curtis"): what the reader is shown; the span itself is what other sentences are compared on
    listed: Span | None = None


# "WASHINGTON — …", "OROVILLE, Calif. – …", "LOS ANGELES (AP) — …": where the story was filed from
_DATELINE = re.compile(
    r"^\s*AI-assisted summary\s+"  # a page's label before its summary: "AI-assisted summary Conservative activist …"
    r"|^\s*[A-Z][A-Z .'’-]+(?:,\s*[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?)?\s*(?:\([A-Za-z ]+\)\s*)?[—–―−-]+\s"  # "NEW YORK − …" (a minus sign too)
)


def find_names(text: str, taken: list[tuple[int, int]]) -> list[Span]:
    """Runs of capitalised words ("Christian Democratic Union", "Demi Moore"), classified."""
    m = _DATELINE.match(text)  # "WASHINGTON — …": the place the story was filed from, not an answer
    skip = m.end() if m else 0
    toks = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[\w\u0300-\u036f'’&.-]+", text) if m.start() >= skip]
    out: list[Span] = []
    first = first_word_start(text)  # the sentence's capitalised-anyway first word
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
                if re.search(r"\w['’]s$", toks[j - 1][2]) and _owns_place(text, toks[j - 1][1] - 2):
                    break  # "Rupert Murdoch's UK newspaper", "Putin's Russia": an owner, then a place
                j += 1
                continue
            m = _and_org_end(toks, j, text)
            if m:  # "the Climate Crisis and Civil Protection Ministry" is one organisation
                j = m
                continue
            k = j  # connecting words inside a name: "Bank of America", "Player of the Year", "Museum of the Moving Image"
            while k < len(toks) and k - j < 2 and toks[k][2].lower() in _CONNECT and text[toks[k][1] : toks[k][1] + 1] == " ":
                k += 1
            # "Members of the European Parliament …", "Operation Midnight Hammer: Details of the US bombing": two names
            opener = j == i + 1 and (s == first or text[max(0, s - 2) : s] == ": ")
            if k > j and k < len(toks) and _name_word(toks[k][2]) and (k - j == 1 or not opener):
                j = k
                continue
            break
        run = toks[i:j]
        # A sentence's first word is capitalised anyway: drop it when it is an ordinary starter.
        if (s == first and fold_word(w).strip(".") in _STARTERS
                and not any(place_kind(text[run[0][0] : run[n][1]].rstrip(".'’")) for n in range(len(run) - 1, 0, -1))):
            run = run[1:]  # … unless the run is or starts with a place with it ("New Delhi", "New York Giants")
        while run and fold_word(run[-1][2]) in _CONNECT:
            run = run[:-1]
        titled = False
        while run and (fold_word(run[0][2]).strip(".") in _TITLES | {"the"} or run[0][2] in _CONNECT):
            titled = titled or fold_word(run[0][2]).strip(".") in _TITLES
            if titled and run[0][2] == "of":  # "Secretary of State Marco Rubio": the title's domain, then the name
                run = run[1:]
                bodies = [n for n, t in enumerate(run) if fold_word(t[2]).strip(".") in _BODIES]
                if bodies:  # "Secretary of Health and Human Services Robert F. Kennedy": the domain ends on its body
                    run = run[bodies[-1] + 1 :]
                elif len(run) == 1:
                    run = []  # "the Secretary of Health said": the domain alone names no one
                while not bodies and len(run) > 2 and fold_word(run[0][2]) not in _CONNECT:
                    run = run[1:]
                continue
            run = run[1:]  # "President Joe Biden": the name is Joe Biden, the title says it is a person
        run = _person_after_title(run)
        if (len(run) == 1 and run[0][0] == first and text[run[0][1] : run[0][1] + 1] in ",!"
                and not place_kind(run[0][2])):
            run = []  # "Wow, …", "Still, …": an opening word, not a name ("Osaka, Japan's second city, …" is one)
        if run:
            span_s, span_e = run[0][0], run[-1][1]
            name = re.sub(r"['’]s?$", "", text[span_s:span_e].rstrip(".'’")).rstrip(".'’")  # "Carter’s" -> "Carter"
            if _ABBREVIATED.search(name) and text[span_s + len(name) : span_s + len(name) + 1] == ".":
                name += "."  # "U.S.", "U.K.", "Leslie Odom Jr.": the period is the abbreviation's, not the sentence's
            span_e = span_s + len(name)
            if name and fold_word(name) not in STOPWORDS and not _is_demonym(name):
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
        if fold_word(toks[m - 1][2]).strip(".") in _BODIES:
            break  # "… and Human Services Robert F. Kennedy": the body's name ends here, a person's may follow
    if m == j + 1 or fold_word(toks[m - 1][2]).strip(".") not in _BODIES or fold_word(toks[j - 1][2]).strip(".") in _ORG_WORDS:
        return 0  # "American Airlines and United Airlines", "FA Cup and Champions League": two names
    if m < len(toks) and toks[m][2] in _CONNECT:
        return 0  # "the Department of Defense and Department of Homeland Security": two names
    return m


def _person_after_title(run: list) -> list:
    """The person a title inside a run introduces ("Supreme Court Justice Clarence Thomas", "Tesla CEO Elon Musk",
    "Russian Foreign Minister Wang Yi"): one to three name words after the last title; else the run unchanged."""
    inner = [k for k, t in enumerate(run[:-1]) if fold_word(t[2]).strip(".") in _TITLES]
    after = run[inner[-1] + 1 :] if inner else []
    named = len(after) - (len(after) > 1 and fold_word(after[-1][2]).strip(".") in _SUFFIXES)  # "… Kennedy Jr."
    if not 1 <= named <= 3 or fold_word(after[0][2]).strip(".") in _SUFFIXES:
        return run  # "Martin Luther King Jr. Day": "King" is a name there, not a title
    words = [fold_word(t[2]).strip(".") for t in after]
    if any(w in _NOT_PERSON_WORDS or w in _ORG_WORDS or w in _EVENT_WORDS or w in _PLACE_WORDS for w in words):
        return run
    if all(_PERSON_PART.fullmatch(t[2].rstrip(".")) or re.fullmatch(r"[A-Z]\.", t[2]) for t in after):
        return after
    return run


_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# team names that are not plurals ("Utah Jazz", "Miami Heat")
_TEAM_NICKNAMES = {"jazz", "heat", "magic", "thunder", "wild", "avalanche", "lightning", "fire", "storm", "sky", "fever",
                   "liberty", "dream", "sparks", "mercury", "galaxy", "revolution", "crew", "dynamo", "kraken"}
_NOT_PERSON_WORDS = {"day", "week", "year"}


_ABBREVIATED = re.compile(r"(?:\b[A-Z]\.)+[A-Z]$|\b(?:Jr|Sr|Inc|Corp|Co|Ltd|Bros)$")


def _is_demonym(name: str) -> bool:
    """ "Chinese", "French", "Italian-based", "Muslim", "Catholic": a people, origin or faith, not a name that answers
    "which …" ("the first Muslim mayor-elect" does not say where he was born)."""
    word = fold_word(name)
    return len(name.split()) == 1 and not place_kind(name) and (
        is_demonym_word(name) or word in _CREEDS or (word.endswith("s") and word[:-1] in _CREEDS))  # "Hindus", "Sikhs"


_CREEDS = {"catholic", "muslim", "christian", "jewish", "hindu", "buddhist", "protestant", "evangelical", "islamic",
           "mormon", "sikh", "anglican", "lutheran", "methodist", "baptist", "orthodox", "jain", "jew", "shia", "sunni"}


UNSURE_NAMES = {"person", "org", "name", "event"}  # kinds read from capitals alone (places come from a gazetteer)
# after a word, a comma or a closing quote (not after a colon: "Pro tip: Maybe …" starts a sentence anew)
_MID_CAPITAL = re.compile(r"(?<=[\w,;’'\"”)] )[A-Z][\w\u0300-\u036f&.-]*")


def names_seen(sentences: list[str]) -> set[str]:
    """Words written with a capital after another word of their sentence (a name, not a sentence's first word)."""
    return {m.group().rstrip(".") for text in sentences for m in _MID_CAPITAL.finditer(text)}


def first_word_start(text: str) -> int:
    """Where the sentence's first word starts (after a dateline: "OROVILLE, Calif. – Wildfires …" starts at "Wildfires")."""
    dateline = _DATELINE.match(text)
    m = _WORD_CHAR.search(text, dateline.end() if dateline else 0)
    return m.start() if m else 0


_WORD_CHAR = re.compile(r"\w")
_NEXT_WORD = re.compile(r"\s+([a-z]+)\b")


_PLACE_OPENERS = {"mount", "mt", "lake", "cape", "isle", "gulf", "bay", "port", "fort"}
# Continents answer only "which continent" (rag.spans): "Europe’s largest volcano" does not name the volcano
CONTINENTS = {"europe", "asia", "africa", "antarctica", "oceania", "north america", "south america", "latin america",
              "central america", "the americas", "americas", "eurasia"}


def _name_kind(text: str, start: int, name: str, run: list) -> str:
    if fold(name).strip(".,’'s") in CONTINENTS or fold(name) in CONTINENTS:
        return "continent"
    place = place_kind(name)
    parts = name.split()
    if place and len(parts) <= 3:
        return place
    low = [fold_word(p).strip(".,") for p in parts]
    if any(p in _PLACE_WORDS for p in low[1:]) or (len(parts) > 1 and low[0] in _PLACE_OPENERS):
        return "place"  # "Madison Square Garden", "Mount Etna", "Lake Tahoe"
    if any(p in _ORG_WORDS for p in low) or re.fullmatch(r"[A-Z]{2,5}s?", name):
        return "org"
    if any(p in _EVENT_WORDS for p in low):
        return "event"
    if _owns_place(text, start + len(name)):
        return "person"  # "Klopp's Liverpool", "Putin's Russia": whose the place is, as a coach's or a leader's
    follows = _NEXT_WORD.match(text, start + len(name))
    if follows and HEAD_KIND.get(follows.group(1)) == "org" and not NAME_FOLLOWS.match(text, follows.end()):
        return "org"  # "the national Daily Telegraph newspaper", "the Izvestia media outlet": a name its noun calls an org
        # (not "Fabrics retailer Joann": the name after the noun is the retailer)
    if follows and follows.group(1) in _POSTED_ON:
        return "name"  # "In a Truth Social post, Trump said …": where something was posted, not who posted it
    before = [w.strip(".,;:'’\"()").lower() for w in text[max(0, start - 40) : start].split()[-2:]]
    titled = any(fold_word(t[2]).strip(".") in _TITLES for t in run) or any(b in _TITLES for b in before)
    after = text[start + len(name) : start + len(name) + 12].lower()
    if titled or SAYS.match(after) or re.match(r",\s*\d{2},|,\s*who\b", after):
        return "person"
    if before[-1:] == ["the"]:
        return "name"  # "the New Orleans Pelicans", "the Trump administration": people are not preceded by "the"
    if len(parts) == 3 and place_kind(" ".join(parts[:2])):
        return "name"  # "New York Giants", "Kansas City Chiefs": a team or a body named after a place, not a person
    if len(parts) == 2 and place_kind(parts[0]) and (re.search(r"[a-z]s$", parts[1]) or low[1] in _TEAM_NICKNAMES):
        return "name"  # "Dallas Mavericks", "Utah Jazz": a team named after its place ("Paris Hilton" is a person)
    if 2 <= len(parts) <= 3 and all(_PERSON_PART.fullmatch(p.rstrip(".")) for p in parts):
        return "person"
    return "name"


SAYS = re.compile(r"\s+(?:said|says|told|wrote|added)\b")  # "Moore said …": who says something is read as a person
NAME_FOLLOWS = re.compile(r"\s+[A-Z]")  # "Fabrics retailer Joann": a name follows the noun, and is the one it names
_OWNER_OF_PLACE = re.compile(r"['’]s\s+([A-Z][\w.]*)")


def _owns_place(text: str, end: int) -> bool:
    """True when the name ending at ``end`` is followed by 's and a place: "Klopp's Liverpool", "Murdoch's UK"."""
    m = _OWNER_OF_PLACE.match(text, end)
    return bool(m) and bool(place_kind(m.group(1).rstrip(".")))


# A word of a person's name: "Moore", "LeBron", "McKenna", "DeSantis" (one inner capital after lower case).
_PERSON_PART = re.compile(r"[A-Z][a-zà-ÿ'’-]+(?:[A-Z][a-zà-ÿ'’-]+)?")

fold_word = lru_cache(maxsize=200_000)(fold)

def titled_elsewhere(word: str, around: str) -> bool:
    """True when ``around`` writes ``word`` after a person's title, as the end of a name of at most three words
    ("President Joe Biden", "Sen. Chuck Schumer", "Mayor Bass")."""
    known = _titled_so_far(around)
    if word not in known:
        pattern = r"\b([A-Z][a-z]+)\.?\s+(?:[A-Z][\w'’.-]*\s+){0,2}" + re.escape(word) + r"\b"
        known[word] = any(fold_word(m.group(1)) in _TITLES for m in re.finditer(pattern, around))
    return known[word]


def full_name_elsewhere(word: str, around: str) -> bool:
    """True when ``around`` writes ``word`` as the surname of a two-word person's name ("Martin Scorsese" for
    "Scorsese"): a first-name-like word before it, not a title or a possessive ("Sean Baker's Anora"), the two
    read as a person's name."""
    known = _titled_so_far(around)
    key = "\0" + word
    if key not in known:
        known[key] = any(
            _PERSON_PART.fullmatch(m.group(1)) and not re.search(r"['’]s?$", m.group(1))
            and fold_word(m.group(1)) not in _TITLES | _STARTERS | STOPWORDS
            and place_kind(m.group(1)) not in ("country", "state")  # "in Georgia Anora …"; a city may be a first name
            and _name_kind(around, m.start(1), f"{m.group(1)} {word}", []) == "person"
            for m in re.finditer(r"\b([A-Z][\w'’-]+) " + re.escape(word) + r"\b", around))
    return known[key]


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
    spelled = re.search(r"(?:\b[Tt]he\s+)?([A-Z][\w'’-]*(?:\s+(?:of|for|and|on|[A-Z][\w'’-]*)){1,8})\s*\(\s*" + re.escape(last) + r"\s*\)",
                        sentence)
    if spelled and " " not in subject.strip():  # "the Department of Government Efficiency (DOGE)" for "what is DOGE?"
        return Span(spelled.start(1), spelled.end(1), spelled.group(1), "role", 1.0)
    first = subject.split()[0]
    name_start = m.start()
    f = re.search(r"\b" + re.escape(first) + r"\s+(?:\w+\s+)?" + re.escape(last) + r"\b", sentence, re.I)
    if f:
        name_start = f.start()
    before = sentence[:name_start].rstrip()
    toks = list(re.finditer(r"[\w'’.-]+", before))
    if not f and toks and toks[-1].group()[:1].isupper() and fold_word(toks[-1].group()).strip(".") not in _TITLES:
        toks = toks[:-1]  # "Minister Alexander Grushko" for "who is Grushko?": Alexander is his first name, not his title
        before = sentence[: toks[-1].end()] if toks else ""
    k = len(toks)
    while k > 0 and (toks[k - 1].group()[:1].isupper() or toks[k - 1].group().lower() in _CONNECT | _ROLE_NOUNS | {"'s"}):
        if k < len(toks) and before[toks[k - 1].end() : toks[k].start()].strip():
            break  # "Again, Mr. Patel": a comma ends the title
        k -= 1
        if len(toks) - k >= 8:
            break
    while k < len(toks) and toks[k].group().lower() in _CONNECT:
        k += 1
    if k < len(toks) and before[toks[-1].end() :].strip() == "":
        s, e = toks[k].start(), toks[-1].end()
        titles = [fold_word(t.group()).strip(".") for t in toks[k:]]
        if not all(t in _HONORIFICS for t in titles) and any(t in _TITLES or len(toks) - k >= 2 for t in titles):
            return Span(s, e, sentence[s:e], "role", 1.0)
    after = _APPOSITION.match(sentence, m.end())
    if after and not _CLAUSE.search(after.group(1), 7):  # ", the country did it once": a clause, not what it is
        return Span(after.start(1), after.end(1), after.group(1), "role", 1.0)
    return None


# written in lower case before a name, still its title: "FBI nominee Kash Patel", "Trump FBI pick Kash Patel"
_ROLE_NOUNS = {"nominee", "pick", "choice", "candidate", "hopeful", "challenger", "incumbent", "director", "secretary",
               "minister", "spokesperson", "spokesman", "spokeswoman", "chief", "head", "founder", "leader", "chair"}
_HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady"}  # "Mr. Patel" says who, not what
# "Grushko, the deputy minister, …", "DeepSeek, a Hangzhou-based startup, …", "DeepSeek is an AI lab."
_CLAUSE = re.compile(r"\b(?:is|are|was|were|did|does|do|has|have|had|will|would|can|could|said|says)\b")
_APPOSITION = re.compile(r"(?:,\s+|\s+(?:is|was)\s+)((?:the|a|an|who is|who was|[A-Z][\w.-]*['’]s)\s+[^,.;]{3,80}?)(?=[,.;]|$)")
