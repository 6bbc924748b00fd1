"""Word-level text helpers shared by BM25, the extractive answerer and the citation verifier."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ingest.cleaning import plain_text  # noqa: F401  (questions and queries are read as plain text too)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not of off on once only or other our ours ourselves out over own same she should
    so some such than that the their theirs them themselves then there these they this those through to
    too under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also said says say according s t""".split()
)

# Words that turn what follows into its opposite: "a bar on NATO membership".
NEGATORS = frozenset(
    """no not never nor none without against bar bars barred barring ban bans banned banning reject rejects
    rejected rejecting rejection deny denies denied refuse refuses refused oppose opposes opposed prevent
    prevents prevented prohibit prohibits prohibited halt halts halted stop stops stopped end ending ended
    cancel cancelled canceled block blocked blocks exclude excluded excluding lack lacks lacked fail failed
    fails n't cannot""".split()
)


# Typographic quotes and dashes: not ASCII, yet untouched by NFKD (unlike "…" or a no-break space).
_NO_ACCENTS_TO_STRIP = {ord(c): None for c in "’‘“”—–"}


def fold(text: str) -> str:
    """Lowercase and strip accents, so 'Zelenskiy' and 'ZELENSKIY' compare equal."""
    low = text.lower()
    if low.translate(_NO_ACCENTS_TO_STRIP).isascii():
        return low.replace("’", "'")  # nothing to strip (most news text): the per-character pass below is slow
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("’", "'")


def words(text: str) -> list[str]:
    """Every word, folded (stopwords kept)."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Porter stem of one folded word (cached: news vocabularies repeat)."""
    return _porter().stemWord(word)


@lru_cache(maxsize=1)
def _porter():
    # The Snowball project's Porter stemmer: PyStemmer's C build when installed (snowballstemmer hands it out,
    # same stems, 15x faster: a new question's ~200 new words cost 2 ms, not 30), else the pure-Python one.
    # NLTK's PorterStemmer, used before, made the first question of every process wait ~5 s (scipy import).
    import snowballstemmer

    return snowballstemmer.stemmer("porter")


@lru_cache(maxsize=20_000)
def content_terms(text: str) -> tuple[str, ...]:
    """Stemmed content words: the terms BM25 indexes and the verifier compares.

    Cached by text: the same chunks and sentences come back for question after question (a chunk is read
    for near-duplicate checks, its sentences for ranking), and their terms never change.
    """
    return tuple(stem(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit()))


# English number words and their values: the one table that answer matching (here), answer spans (rag.spans) and
# sources that disagree (rag.disagree) read.
NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12}
SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}

# Written as digits for matching, except "zero", "one" (far more often a pronoun: "one of the …" is not 1) and "dozen".
_AS_DIGITS = {w: str(n) for w, n in NUMBER_WORDS.items() if w not in ("zero", "one", "dozen")}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_AS_DIGITS) + r")\b")


_INITIALS = re.compile(r"\b(?:[a-z]\.){2,}")


def normalise_answer(text: str) -> str:
    """Lowercase, no punctuation or articles, number words as digits ("six" is 6), single spaces: for answer
    matching."""
    text = _INITIALS.sub(lambda m: m.group().replace(".", ""), fold(text))  # "D.C." is "DC", "U.S." is "US"
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    text = _NUMBER_WORD.sub(lambda m: _AS_DIGITS[m.group(1)], text)
    return " ".join(text.split())


def contains_answer(haystack: str, answer: str) -> bool:
    """True when the normalised answer occurs in the normalised text as whole words."""
    a = normalise_answer(answer)
    if not a:
        return False
    return f" {a} " in f" {normalise_answer(haystack)} "


def named_terms(question: str) -> set[str]:
    """Stemmed words the question capitalises mid-sentence: the names it asks about ("Grushko", "NATO")."""
    first = re.match(r"\W*([\w'’-]+)", question)
    out = set()
    for m in re.finditer(r"[A-Z][\w'’-]*", question):
        if first and m.start() == first.start(1):
            continue
        w = re.sub(r"['’]s?$", "", fold(m.group()))  # "Trump's", "the Golden Globes'"
        if w not in STOPWORDS:
            out.add(stem(w))
    return out


def acronyms(question: str) -> set[str]:
    """The initials of each run of two to five consecutive words of the question, stop words skipped ("ai" for
    "artificial intelligence", "fda" for "Food and Drug Administration") or, inside the run, a connecting word
    kept ("doj" for "Department of Justice", "dod" for "Department of Defense"): a sentence's "AI" or "DOJ" names
    what the question already says, and is no answer to it."""
    words = re.findall(r"[A-Za-z][\w'’-]*", fold(question))
    out: set[str] = set()
    for keep in (set(), _ACRONYM_CONNECTORS):
        toks = [w for w in words if w not in STOPWORDS or w in keep]
        for n in range(2, 6):
            for i in range(len(toks) - n + 1):
                run = toks[i : i + n]
                if run[0] not in STOPWORDS and run[-1] not in STOPWORDS:
                    out.add(stem("".join(w[0] for w in run)))
    return out


_ACRONYM_CONNECTORS = {"of", "and", "for"}  # written into some acronyms: DOJ, DOD, BofA, AT&T
