"""What kind of answer a question expects, from its wh-word and head noun (rules only, offline).

"Which California city …" expects a city, "How many …" a number, "Who is Alexander Grushko?"
the role or title of a person the question already names. The answer stage uses the kind to
prefer sentences holding a span of that kind the question does not already contain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .gazetteer import continent_of, place_qualifier
from .plurals import answers_asked, singular, who_count
from .text import STOPWORDS, fold

# Head nouns ("which <head>", "what <head>") and the kind of span that answers them.
_HEADS = {
    "person": """person people man woman men women actor actress artist singer rapper musician band leader politician
        president senator minister figure player star athlete author writer director ceo executive founder
        billionaire judge official candidate celebrity host comedian footballer quarterback coach pope king queen
        prince princess lawmaker governor mayor veteran chef scientist journalist anchor designer entrepreneur
        chancellor premier dictator general spokesperson spokesman spokeswoman pitcher golfer tennis rider driver
        boxer fighter swimmer skier gymnast sprinter runner rapper composer producer icon legend child son daughter
        wife husband mother father superstar pharaoh emperor monarch""",
    "org": """company companies firm carmaker automaker airline bank retailer chain brand giant platform network broadcaster
        outlet newspaper paper magazine organization organisation agency party union team club university
        college school museum studio startup maker manufacturer service app website site store restaurant league
        channel publisher government court ministry department charity hospital insurer lender operator
        conglomerate coalition alliance automaker insurer streamer label""",
    "country": "country countries nation nations",
    "state": "state states province provinces",
    "city": "city cities town towns capital village",
    "place": """place region area island location venue stadium park river sea ocean water county neighborhood
        neighbourhood destination airport border continent mountain volcano lake street building landmark resort
        territory enclave peninsula coast valley desert forest canal bay gulf strait archipelago district suburb
        borough""",
    "date": "day date month year time season",
    "number": "number percentage percent amount share proportion rate total sum",
    # things news names with a proper name: "which AI model" (DeepSeek), "which superhero", "which ship"
    "name": """model chatbot superhero mascot cryptocurrency spacecraft rocket telescope satellite robot
        ship yacht planet comet galaxy constellation""",
    "colour": "colour color colours colors shade hue",
    # named occasions: "which holiday" (Presidents Day), "which storm" (Hurricane Helene), "which award"
    "event": """holiday festival tournament marathon prize award ceremony championship typhoon hurricane storm
        cyclone""",
    "work": """film movie book novel song album show series play game title documentary musical painting
        phrase slogan motto catchphrase word term nickname moniker soap sitcom podcast""",
}
HEAD_KIND = {w: kind for kind, ws in _HEADS.items() for w in ws.split()}
# Words before a name that are a title, not a given name ("President Trump", "Pope Francis").
TITLES = {"president", "vice", "prime", "minister", "sen", "senator", "rep", "representative", "gov", "governor",
          "mayor", "dr", "mr", "mrs", "ms", "judge", "justice", "pope", "king", "queen", "prince", "princess", "ceo",
          "coach", "secretary", "chancellor", "general", "gen", "lt", "col", "sgt", "chief", "director", "chairman",
          "chairwoman", "speaker", "leader", "actor", "actress", "singer", "rapper", "star", "author", "founder",
          "deputy", "ambassador", "commissioner", "attorney", "sheriff", "officer", "spokesperson", "spokesman",
          "spokeswoman", "former", "late", "lady", "sir", "dame", "lord"}
# "how <word>" questions that expect a number.
_HOW_NUMBER = {"many", "much", "long", "old", "far", "big", "large", "high", "tall", "often", "fast", "deep"}
_AUX = {"is", "was", "are", "were", "be", "been", "did", "does", "do", "has", "have", "had", "will", "would", "can",
        "could", "should", "may", "might", "must"}
_PREPOSITIONS = {"for", "in", "on", "at", "to", "from", "with", "by", "about", "after", "before", "during", "that",
                 "which", "who", "than", "as", "into", "over", "under", "between", "against", "near", "across", "through",
                 "outside", "inside", "toward", "towards", "without"}
_NP_END = {"of", "called", "named", "known", "and", "or", "behind"}
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her"}
_NAME_JOINERS = {"of", "for", "on", "and"}  # inside a proper name: "University of Delaware", "Office for Students"
# words before "which"/"who" that keep it asking ("the leader of which country", "said who")
_NOT_NOUNS = {"of", "and", "or", "but", "near", "across", "through", "among", "within", "without", "like", "via",
              "said", "says", "asked", "asks", "know", "knows", "exactly"}
# Nouns that a place word before them only modifies ("sea creature", "country music", "state dish"): the question asks
# for the thing (or for the head noun after it: "which country music star" asks for a person)
_THING_NOUNS = {"creature", "creatures", "animal", "animals", "species", "music", "food", "foods", "dish", "drink",
                "cuisine", "fish", "bird", "birds", "plant", "plants", "tree", "trees", "breed", "flag", "anthem",
                "language", "tradition", "sport", "disease", "monster", "flower", "fruit", "snack", "dessert"}
_WH = re.compile(r"\b(who|whom|whose|which|what|when|where|why|how)\b", re.I)
_TOKEN = re.compile(r"[A-Za-z0-9'’.-]+")


@dataclass(frozen=True)
class QuestionType:
    """The expected answer: ``kind`` (person, role, org, country, state, city, place, number, percent, date,
    reason, work, name, event, colour, thing, yesno or other), the head noun it came from, and, for "who is X", X."""

    kind: str
    head: str = ""
    subject: str = ""
    # Countries or US states the question puts before its head noun ("Which Japanese city", "which California
    # city"), stemmed (rag.gazetteer.place_qualifier): an answer from a story that names neither is about elsewhere.
    qualifiers: tuple[str, ...] = ()
    # the continent the question puts before its head noun ("Which African country"): geonames' code ("AF")
    continent: str = ""
    # the words of what "how many" counts ("qubits" in "how many qubits does it have", "people", "died" in "how
    # many people died"): a number answers when one of them follows it
    units: tuple[str, ...] = ()
    # what happened to them ("injured" in "how many people were injured", "died"): a number beside that verb is the
    # count asked, not another count of the same noun ("injuring 18 of the 80 people on board")
    acts: tuple[str, ...] = ()
    # the question asks who said, told or reported something ("Which media outlet did Grushko speak to?"): a
    # sentence's attribution ("…, according to NASA") may answer it
    saying: bool = False
    # surnames the question uses alone ("meet Putin", "President Trump"), lower case: a longer name ending in one
    # ("Vladimir Putin") is the question's own person, not its answer
    people: tuple[str, ...] = ()
    negated: bool = False  # "Who did not attend?": a sentence's "X did not …" may answer it
    owned: tuple[str, ...] = ()  # what the question's names own ("running" of "Harris's running mate"), lower case
    # how many it asks for: 1, 2 for "which two teams", 0 for as many as a sentence lists ("which countries")
    answers: int = 1

    @property
    def typed(self) -> bool:
        """True when a sentence can be told to hold (or lack) an answer of this kind."""
        return self.kind not in {"thing", "yesno", "other"}


def _relative(q: str, m: re.Match) -> bool:
    """True for a who/which that follows a noun (or its comma) and so opens a relative clause."""
    if m.group(1).lower() not in ("who", "whom", "whose", "which"):
        return False
    before = _TOKEN.findall(q[: m.start()])
    return bool(before) and before[-1].lower() not in _PREPOSITIONS | _AUX | _NOT_NOUNS


_QUOTE = re.compile(r"[\"“][^\"“”]*[\"”]")  # words quoted in the question are someone's, not what it asks
_OWNED = re.compile(r"\b[A-Z][\w.-]*['’]s?\s+([a-z][\w-]*)")  # "running" of "Harris's running mate"
_NEGATED = re.compile(r"\b(?:not|never|fail(?:s|ed)? to)\b|n['’]t\b", re.I)
_SAYING = re.compile(r"\b(?:say|says|said|saying|tell|tells|told|speak|speaks|spoke|spoken|report|reports|reported|"
                     r"according|interview|interviewed|outlet|newspaper|quote|quoted|cite|cited|source|sources)\b", re.I)


@lru_cache(maxsize=4096)
def analyse(question: str) -> QuestionType:
    """The kind of answer ``question`` expects."""
    q = " ".join(question.split())
    return replace(_analyse(q), saying=bool(_SAYING.search(q)), people=_bare_surnames(q),
                   negated=bool(_NEGATED.search(_QUOTE.sub("", q))), owned=tuple(w.lower() for w in _OWNED.findall(q)))


_WORD = re.compile(r"[^\W_][\w'’.-]*")  # a word in any script: "Dončić" is one word
_OPENERS = {"who", "whom", "whose", "which", "what", "when", "where", "why", "how", "did", "does", "do", "is", "was",
            "are", "were", "has", "have", "will", "can", "could", "should", "and", "but", "so", "then", "also"}


def _bare_surnames(q: str) -> tuple[str, ...]:
    """Capitalised words the question writes as a name on their own: after a lower-case word, a title or an opening
    wh-word, and before a lower-case word. "Robert F. Kennedy Jr" and "Vanessa Trump" are whole names, so
    "Caroline Kennedy" still answers a question about the first."""
    toks = _WORD.findall(q)
    out = []
    for i in range(1, len(toks)):
        word = re.sub(r"['’]s?$", "", toks[i])
        if not word[:1].isupper() or word.lower() in _OPENERS | TITLES:
            continue  # "the President said": a title, not a name
        prev, nxt = toks[i - 1], toks[i + 1] if i + 1 < len(toks) else ""
        after_ok = not prev[:1].isupper() or prev.lower().strip(".") in TITLES or (i == 1 and prev.lower() in _OPENERS)
        if after_ok and not (nxt[:1].isupper() and not toks[i].endswith(("'s", "’s"))):
            out.append(fold(word))  # folded as rag.spans folds the name it compares ("Dončić" is "doncic")
    return tuple(out)


def _analyse(q: str) -> QuestionType:
    matches = list(_WH.finditer(q))
    if not matches:
        first = q.split(" ", 1)[0].lower() if q else ""
        return QuestionType("yesno" if first in _AUX else "other")
    # The wh-word that asks: in "The Grammys took place in LA. Which artist won?" the last sentence's.
    # A question mark ends a question whatever follows: a follow-up read with the question before it ("Which city
    # hosted the Super Bowl? and who won it?") asks what its own words ask.
    last_sentence = max(0, max((m.end() for m in re.finditer(r"[.!?]\s+(?=[A-Z])|\?\s+(?=\w)", q)), default=0))
    asking = [m for m in matches if m.start() >= last_sentence] or matches[-1:]
    # A relative pronoun right after a noun does not ask: "women who drink what beverage …", "Epiphany, which
    # commemorates which element …" ask "what beverage", "which element".
    while len(asking) > 1 and _relative(q, asking[0]):
        asking = asking[1:]
    m = asking[0]
    wh = m.group(1).lower()
    raw = _TOKEN.findall(q[m.end() :])
    rest = [re.sub(r"['’]s$", "", t.lower()).strip(".'’") for t in raw]
    if wh == "who" or wh == "whom" or wh == "whose":
        subject = _who_is_subject(q[m.end() :])
        if subject:
            return QuestionType("role", subject=subject)
        return QuestionType("person", answers=who_count(q[m.end() :]))  # "Who are the four inductees …"
    if wh == "when":
        return QuestionType("date")
    if wh == "where":
        return QuestionType("place")
    if wh == "why":
        return QuestionType("reason")
    if wh == "how":
        nxt = rest[0] if rest else ""
        if nxt in _HOW_NUMBER:
            # "how old": an age is counted in years ("69-year-old", "69 years"), not "the 1.4-billion-member Church"
            units = _counted(rest[1:]) if nxt in ("many", "much") else ("year", "years") if nxt == "old" else ()
            acts = _counted_act(rest[1 + len(units) :], units) if nxt == "many" else ()
            return QuestionType("number", head=nxt, units=units + tuple(a for a in acts if a not in units), acts=acts)
        return QuestionType("other")
    if wh == "what" and (subject := _who_is_subject(q[m.end() :])):
        return QuestionType("role", subject=subject)  # "What is DOGE?": what the news calls it, as "who is X?"
    if wh == "what" and (_NAME_ASKED.search(q[m.start() :]) or _CALLED_WHAT.search(q)):
        return _name_question(q[m.start() :])
    if wh in ("what", "which") and (copula := _copula_head(rest, raw)):
        return copula
    # which / what + head noun: the first head word among the next few words ("which oil giant").
    # A head word inside a proper name ("Which University of Delaware football player", "which State Department
    # official") only modifies: a later lower-case head noun of the same phrase is the one asked for.
    named = None
    for i, w in enumerate(rest[:6]):
        in_name = i > 0 and raw[i - 1][:1].isupper() and i + 1 < len(raw) and raw[i + 1][:1].isupper()
        if (w in _AUX and i > 0 or w in _PREPOSITIONS) and not (w in _NAME_JOINERS and in_name):
            break  # the head noun comes before "for", "did", …: "what military hardware for the first time"; "do what
            # after her tour next month" asks for no head noun at all
        if i == 0 and wh == "what" and (w.endswith("ed") or w == "happens") and not _head_kind(w):
            break  # "What happened near Reagan National Airport?": a verb, and an event asked, not the airport
        if w in ("percentage", "percent"):
            return QuestionType("percent", head=w)
        if w == "place" and i > 0 and rest[i - 1] in ("take", "takes", "took", "taking", "taken"):
            continue  # "which holiday takes place in February": a verb, not the head noun
        kind = _head_kind(w)
        if kind:
            if kind == "date" and (i > 1 or i + 1 < len(rest) and rest[i + 1] == "of"):
                continue  # "what time of year" reads as a date, "which day of the week" too; "which species takes the
                # longest time" does not
            nxt = rest[i + 1] if i + 1 < len(rest) else ""
            if (nxt and not raw[i + 1][:1].isupper() and _head_kind(nxt) not in (None, "date") and kind != "event"
                    and not re.search(r"['’]s?$", raw[i])):  # "which country's government" asks for a country,
                # "which award show" for the occasion
                continue  # a compound: "which island nation" asks for a country, "which state agency" for an agency
            if nxt in _THING_NOUNS and not raw[i + 1][:1].isupper():
                continue  # "which sea creature", "which country music star": the head word only modifies the next noun
            found = QuestionType(kind, head=w, qualifiers=_qualifiers(raw[:i]), continent=continent_of(raw[:i]),
                                 answers=answers_asked(rest[:i], w, HEAD_KIND))
            if not raw[i][:1].isupper():
                return found
            named = named or found
        if w in _AUX:
            break
    return named or QuestionType("thing")


def _copula_head(rest: list[str], raw: list[str]) -> QuestionType | None:
    """ "What is the motto for …", "what was the most-nominated TV show …": the noun phrase after "is the" ends
    before a preposition, "of", a verb of naming or the question's end; its last word is the head noun."""
    if len(rest) < 3 or rest[0] not in _AUX:
        return None
    begin = 2 if rest[1] in _DETERMINERS else _after_owner(raw)  # "What is Elon Musk's new party called?"
    if not begin or begin >= len(rest) or rest[-1] in _PREPOSITIONS | {"of", "up", "down"}:
        return None  # "What is the resort town cracking down on?": the phrase is the subject, not the answer
    end = begin  # (tokens hold no commas or question marks: the phrase ends at a word)
    while end < min(len(rest), begin + 4) and rest[end] not in _PREPOSITIONS | _AUX | _NP_END:
        end += 1
    if rest[end - 1] in ("name", "names"):
        return QuestionType("name", head="name")  # "What is the rocket's name?"
    kind = _head_kind(rest[end - 1])
    if not kind or kind == "date" or raw[end - 1][:1].isupper():
        return QuestionType("thing")
    words = raw[begin : end - 1]
    return QuestionType(kind, head=rest[end - 1], qualifiers=_qualifiers(words), continent=continent_of(words))


def _after_owner(raw: list[str]) -> int:
    """Where the noun phrase starts after an owner's name in the determiner's place ("is Elon Musk's new party"), or 0."""
    for i in range(1, min(4, len(raw))):
        if not raw[i][:1].isupper():
            return 0
        if re.search(r"['’]s$", raw[i]):
            return i + 1
    return 0


# "What is the name of …", "what was its name?", "called what?", "with what name": a proper name answers, whatever
# it names (a storm, a telescope, a boat); "the name of the new political party" still asks for an organisation.
_NAME_ASKED = re.compile(
    r"^what(?:['’]s|\s+(?:is|was|are|were|will\s+be))?\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)?(?:new\s+)?names?\b"
    r"|^what\s+name\b",
    re.I,
)
_CALLED_WHAT = re.compile(r"\b(?:called|named|dubbed|nicknamed)\s+what\b", re.I)
_NAME_OF = re.compile(r"\bnames?\s+of\s+(?:the\s+|a\s+|an\s+|this\s+|that\s+)?((?:[\w'’-]+\s+){0,2}[\w'’-]+)", re.I)


def _name_question(q: str) -> QuestionType:
    """A question asking for a name: of a kind newsqa knows when the named thing is one ("the name of the charity");
    else a name whose head noun is the named thing's ("the name of the glacier that collapsed": "the Birch glacier")."""
    m = _NAME_OF.search(q)
    head = ""
    for word in m.group(1).split() if m else []:
        if word[:1].isupper():
            if re.search(r"['’]s$", word):
                continue  # "the name of November's supermoon": whose, the noun follows
            break  # "the names of the turkeys President Trump pardoned": the noun phrase ended
        w = word.lower()
        kind = _head_kind(w)
        if kind and kind not in ("date", "number"):
            return QuestionType(kind, head=w)
        if w in _PREPOSITIONS | _AUX | _NP_END or (head and w.endswith(("ed", "ing"))):
            break  # "the megarocket tasked with …", "the boat that was halted": the noun phrase ended (but "the
            # erupting volcano": a participle before its noun)
        if not w.endswith("ly"):  # "the newly discovered species"
            head = w
    return QuestionType("name", head=head, answers=0 if re.search(r"\bnames\b", q, re.I) else 1)  # "the names of …"


def _head_kind(word: str) -> str | None:
    """The kind of answer a head noun asks for, singular or plural ("company", "companies", "actresses")."""
    return HEAD_KIND.get(word) or HEAD_KIND.get(singular(word))


def _counted(tokens: list[str]) -> tuple[str, ...]:
    """The words up to the first auxiliary or preposition after "how many/much" (at most three): the counted noun
    is among them, with its adjectives or the verb that follows it ("undocumented immigrants", "people died")."""
    out: list[str] = []
    for t in tokens[:3]:
        if t in _AUX or t in _PREPOSITIONS or t in ("of", "there"):
            break
        out.append(t)
    return tuple(out)


_PASSIVE = {"is", "was", "are", "were", "be", "been", "has", "have", "had", "will"}


def _counted_act(after: list[str], counted: tuple[str, ...]) -> tuple[str, ...]:
    """The verb the counted things underwent: a participle among the counted words ("people died"), or the one
    after "were", "have been", "will be" ("how many people were injured", "how many jobs will be cut")."""
    own = tuple(w for w in counted[1:] if w.endswith(("ed", "en")))
    if own:
        return own
    i = 0
    while i < min(2, len(after)) and after[i] in _PASSIVE:
        i += 1
    if 0 < i < len(after) and after[i].isalpha() and after[i] not in _PREPOSITIONS | _AUX | STOPWORDS:
        return (after[i],)
    return ()


def _qualifiers(tokens: list[str]) -> tuple[str, ...]:
    """The place qualifiers among the words between "which" and its head noun ("South Korean" in "which South
    Korean city"): runs of capitalised words that name a country or US state."""
    runs, run = [], []
    for t in tokens + [""]:
        if t[:1].isupper():
            run.append(t)
        elif run:
            runs.append(" ".join(run))
            run = []
    return tuple(q for q in (place_qualifier(r) for r in runs) if q)


_WHO_IS = re.compile(r"^\s*(?:is|was|are|were)\s+((?:[A-Z][\w'’.-]*\s*){1,4})\??\s*$")


def _who_is_subject(rest: str) -> str:
    """X in "who is X?" when X is only a name (then the answer is X's role or title)."""
    m = _WHO_IS.match(rest)
    return m.group(1).strip() if m else ""


_NAME_RUN = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:of\s+)?[A-Z][\w'’.-]*)*")
_PRONOUN = re.compile(r"\b(he|she|him|his)\b", re.I)


def with_names(follow_up: str, previous: str) -> str:
    """A follow-up's "he", "she", "him", "his" replaced by the one name its previous question used ("Which media
    outlet did Grushko speak to?" then "and who is he?" asks "and who is Grushko?"). Unchanged when that question
    names no one or more than one name, or the follow-up has no such pronoun."""
    if not _PRONOUN.search(follow_up):
        return follow_up
    names = set()
    for m in _NAME_RUN.finditer(previous):
        run = m.group()
        if re.fullmatch(r"(?:.*[.?!])?\s*", previous[: m.start()], re.S):  # a question's first word is capitalised anyway
            run = run.split(None, 1)[1] if " " in run else ""
        if run and not re.search(r"\bthe\s+$", previous[: m.start()], re.I):  # "the Deputy Foreign Minister": a title
            names.add(re.sub(r"['’]s$", "", run.rstrip(".?!,")))
    if len(names) != 1:
        return follow_up
    name = names.pop()
    return _PRONOUN.sub(lambda m: f"{name}'s" if m.group().lower() == "his" else name, follow_up)
