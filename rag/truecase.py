"""Names in a question typed in lower case ("what does russia demand?"), restored from the retrieved text.

The answer stage reads names from capitals: the question's names must be found in the evidence (rag.confidence),
"which japanese city" names a place the answer must be in (rag.question), "who is alexander grushko" asks for a
role. A question typed all in lower case would lose all of that and answer more, and more wrongly (dev set, every
question lower-cased: abstention on unanswerable questions 63.5% -> 45.2%). So a lower-case question gets the
capitals its words have in the retrieved chunks: a word mostly capitalised there (not at a sentence's start) is a
name. In a question without a single capital, a word the chunks never contain is a name too when English hardly
knows it (the embedding model's vocabulary spells it in pieces: "dujardin", not "speak") and neither does the archive
(at most ``RARE_DF`` chunks): an unknown name is what an unanswerable question often turns on. (With its
first letter capitalised the question may well be written with care and name nothing: a rare word there, such as
"rumours" in a US archive, is left alone.)
"""

from __future__ import annotations

import re

from ingest.embeddings import is_common_word

from .text import STOPWORDS, fold, stem
from .tuning import CAPITALISED_SHARE, RARE_DF  # why: rag/tuning.py

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“‘(—–-])\s*$")


def is_uncased(question: str) -> bool:
    """True when nothing after the first letter is a capital: the question was typed without them."""
    return not any(c.isupper() for c in question.lstrip()[1:])


def truecase_with(library, question: str, hits) -> str:
    """``truecase`` against retrieved hits (their chunks and titles) and the archive's document frequencies."""
    if not is_uncased(question):
        return question
    return truecase(question, [h.chunk.text for h in hits] + [h.title for h in hits if h.title], library.lexical().doc_freq)


def truecase(question: str, texts: list[str], doc_freq) -> str:
    """``question`` with its names capitalised as ``texts`` (the retrieved chunks and titles) write them;
    a question with capitals of its own is returned as it is. ``doc_freq(stem)``: chunks holding a term."""
    if not is_uncased(question):
        return question
    rare_names = not any(c.isupper() for c in question)
    asked = {k for k in (_key(w) for w in _WORD.findall(question)) if k not in STOPWORDS and len(k) >= 2}
    cases = _cases(texts, asked)

    def fix(m: re.Match) -> str:
        w = m.group()
        key = _key(w)
        if key in STOPWORDS or len(key) < 2:
            return w
        caps, total = cases.get(key, (0, 0))
        if total:
            name = caps >= CAPITALISED_SHARE * total
        else:
            name = rare_names and not is_common_word(key) and doc_freq(stem(key)) <= RARE_DF
        return w[:1].upper() + w[1:] if name else w

    out = _WORD.sub(fix, question)
    return out[:1].upper() + out[1:] if out else out


def _key(word: str) -> str:
    return re.sub(r"['’]s$", "", fold(word))


def _cases(texts: list[str], words: set[str]) -> dict[str, tuple[int, int]]:
    """word -> (times capitalised, times seen) in the texts for each of ``words``, not counting a sentence's first word."""
    if not words:
        return {}
    pat = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")(?:['’]s)?(?!\w)", re.I)
    out: dict[str, list[int]] = {}
    for t in texts:
        for m in pat.finditer(t):
            if _SENTENCE_START.search(t[max(0, m.start() - 3) : m.start()]):
                continue  # every word is capitalised there
            c = out.setdefault(_key(m.group(1)), [0, 0])
            c[0] += t[m.start()].isupper()
            c[1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}
