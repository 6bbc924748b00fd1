"""Candidate evidence sentences from retrieved chunks, ranked against the question.

Both answerers start here: the extractive one returns the best sentences as the
answer, the LLM one numbers them as its sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import re
from datetime import date

import numpy as np

from ingest.models import chunk_index, sentence_id

from . import timewords
from .figures import conflicts, figures
from .gazetteer import names_place, place_words
from .models import Citation, ScoredChunk
from .question import QuestionType, analyse
from .spans import Span, best_span, names_seen
from .text import STOPWORDS, acronyms, content_terms, fold, stem

from .tuning import (  # the why of each number is in rag/tuning.py
    LEAD_SENTENCES,
    MAX_SENTENCES,
    MIN_FIT,
    NEUTRAL_FIT,
    SPAN_CANDIDATES,
    TYPED_LEAD_MARGIN,
    W_DENSE,
    W_LEAD,
    W_OTHER_EDITION,
    W_OTHER_FIGURE,
    W_LEXICAL,
    W_NEW_INFO,
    W_RANK,
    W_RECENCY,
    W_TIME,
    W_TYPE,
    W_UNQUALIFIED,
)


@dataclass
class Evidence:
    """One sentence of an article, where it comes from, and how well it matches the question."""

    hit: ScoredChunk
    start: int  # offsets into the article text
    end: int
    text: str
    chunk_rank: int
    sentence_id: str = ""  # the sentence's row in the store's sentence index
    dense: float = 0.0
    lexical: float = 0.0
    new_info: float = 0.0
    type_fit: float = 0.0  # how well its best span fits the kind of answer asked for (0..1)
    span: Span | None = None  # that span: the short answer when this sentence leads
    time: float = 0.0  # rag.timewords.boost for its article's day
    terms: frozenset[str] | set[str] = frozenset()  # its content terms (set once ranked; reused by rag.confidence)
    context_before: str = ""  # the neighbouring sentences of its chunk, for the LLM's prompt
    context_after: str = ""
    lead: bool = False  # one of its article's first LEAD_SENTENCES sentences (news states its main fact first)
    score: float = 0.0

    def content_terms(self) -> set[str] | frozenset[str]:
        """Its content terms: the ones ranking stored, else computed (evidence built elsewhere has none)."""
        return self.terms or set(content_terms(self.text))

    def citation(self, n: int) -> Citation:
        h = self.hit
        return Citation(
            n=n,
            article_id=h.chunk.article_id,
            title=h.title,
            source=h.source,
            published=h.published,
            url=h.url,
            quote=self.text,
            start=self.start,
            end=self.end,
        )


def is_question(text: str) -> bool:
    """A sentence that asks rather than tells ("Which breeds have won?") answers nothing."""
    return text.rstrip().rstrip("\"'”’)").endswith("?")


_BYLINE = re.compile(
    r"^\s*(?:by|published by|updated|posted|photo|image|credit|copyright|©|source|file photo|read more|more:|watch|listen|"
    r"sign up|subscribe|follow|click|related)\b|\b(?:getty images|ap photo|afp via|reuters/|/ap\b|photo by|photograph:)"
    r"|\bfor (?:the )?(?:latest|more) updates\b|\bplease read\b",
    re.I,
)
# A link to another story, its label glued to its headline: "Opinion:Bye, Biden.", "DOGE cuts:Elon Musk says …",
# "Update:Supreme Court upholds law …" (a sentence's own colon is followed by a space; clock times are digits)
_LINK_LABEL = re.compile(r"^[A-Z][\w'’&-]*(?: [\w'’&-]+){0,3}:[A-Z“\"‘']")
# A correction of another story says what was wrong in it, not what happened: "An earlier version of this story
# misstated …", "The number of titles won by Roger Federer was incorrect in a photo caption in some Sept. 3 editions."
_CORRECTION = re.compile(
    r"\b(?:an?|the) (?:earlier|previous|prior) version of this\b|^\W*(?:corrections?|clarifications?)\b[^:]{0,20}:"
    r"|\b(?:was|were) (?:incorrect|wrong|misstated|misspelled|misidentified|omitted)\b[^\n]{0,80}?"
    r"\b(?:editions?|photo caption|graphic)\b",
    re.I,
)
_MONTH_START = "|".join(m[:3] for m in timewords.MONTHS)  # "Mar", "March", "Sept": a month's first three letters
_DATE_TAIL = re.compile(r"\b(?:" + _MONTH_START + r")[a-z]*\.?\s+\d{1,2},?\s+\d{4}\s*$", re.I)


def is_furniture(text: str) -> bool:
    """Page furniture, never an answer: datelines ("Seoul, South Korea CNN —", "Valemont Herald, March 20,
    2025"), bylines, photo credits, "Read more" links and other stories' headlines ("Opinion:Bye, Biden."),
    corrections of other stories, and fragments too short to state anything."""
    t = text.strip()
    n_words = len(t.split())
    if _BYLINE.search(t) or _LINK_LABEL.match(t) or _CORRECTION.search(t) or re.search(r"[—–―-]\s*$", t):
        return True
    if _DATE_TAIL.search(t) and n_words <= 8:
        return True
    return n_words < 4 or not any(w.islower() and len(w) > 2 for w in t.split())


@lru_cache(maxsize=50_000)
def _quotable(text: str) -> str | None:
    """The sentence as compared for copies (folded, spaces collapsed), or None when it answers nothing: no
    letters or digits, a question, page furniture. Cached: the same sentences come back question after question."""
    if not any(c.isalnum() for c in text) or is_question(text) or is_furniture(text):
        return None
    return " ".join(fold(text).split())


def candidate_sentences(hits: list[ScoredChunk]) -> list[Evidence]:
    """Every sentence of the retrieved chunks, once (syndicated copies and page furniture dropped)."""
    out: list[Evidence] = []
    seen: set[str] = set()
    for rank, hit in enumerate(hits):
        ch = hit.chunk
        spans = ch.sentences or [(ch.start, ch.end)]
        first_chunk = chunk_index(ch.id) == 0
        for n, (s, e) in enumerate(spans):
            text = ch.text[s - ch.start : e - ch.start]
            key = _quotable(text)
            if key is None or key in seen:
                continue
            seen.add(key)
            ev = Evidence(hit=hit, start=s, end=e, text=text, chunk_rank=rank, sentence_id=sentence_id(ch.id, n),
                          lead=first_chunk and n < LEAD_SENTENCES)
            if n > 0:
                ev.context_before = ch.text[spans[n - 1][0] - ch.start : spans[n - 1][1] - ch.start]
            if n + 1 < len(spans):
                ev.context_after = ch.text[spans[n + 1][0] - ch.start : spans[n + 1][1] - ch.start]
            out.append(ev)
            if len(out) >= MAX_SENTENCES:
                return out
    return out


def rank_evidence(library, question: str, hits: list[ScoredChunk], as_of: date | None = None) -> list[Evidence]:
    """Candidate sentences scored by meaning similarity, idf-weighted word overlap, the kind of answer
    they hold and news time, best first."""
    cands = candidate_sentences(hits)
    if not cands:
        return []
    window = timewords.resolve(question, as_of) if as_of is not None else None
    question = plain_question(question, as_of)
    qtype = analyse(question)
    idx = library.lexical()
    q_terms = set(content_terms(question))
    q_weight = sum(idx.idf(t) for t in q_terms)
    sims = sentence_similarities(library, question, cands)
    q_editions = editions(question)
    q_figures = figures(question)
    for c, sim in zip(cands, sims):
        terms = c.terms = set(content_terms(c.text))
        c.dense = float(sim)
        c.lexical = sum(idx.idf(t) for t in q_terms & terms) / q_weight if q_weight else 0.0
        c.new_info = 1.0 if names_something_new(c.text, q_terms) else 0.0
        c.score = W_DENSE * c.dense + W_LEXICAL * c.lexical + W_RANK / (1 + c.chunk_rank) + W_NEW_INFO * c.new_info
        c.score += W_LEAD * c.lead
        if q_editions:
            theirs = editions(c.text)
            if theirs and not theirs & q_editions:
                c.score -= W_OTHER_EDITION  # "the 148th Westminster show" does not answer a question about the 149th
        if q_figures and conflicts(q_figures, c.text):
            c.score -= W_OTHER_FIGURE  # "Meta … plans to cut more than 11,000 jobs" for "which company cut 9,000 jobs"
        if as_of is not None:
            day = date.fromisoformat(c.hit.published) if c.hit.published else None
            c.time = timewords.boost(window, day, as_of)
            c.score += W_TIME * c.time
            if window is None and day is not None:
                c.score += W_RECENCY / (1.0 + max((as_of - day).days, 0) / timewords.RECENCY_DAYS)
    # Spans are looked for only where they can change what leads: the type bonus is at most W_TYPE, so a
    # sentence further than that below the lead margin of the best can neither lead nor be let lead.
    reach = TYPED_LEAD_MARGIN * max(c.score for c in cands) - W_TYPE
    # … and of those, only the best SPAN_CANDIDATES are read (spans cost ~0.5 ms a sentence).
    within = sorted((c for c in cands if c.score >= reach), key=lambda c: -c.score)[:SPAN_CANDIDATES]
    chosen = {id(c) for c in within}
    # A span the question names is no answer, possessive or not ("Jimmy Carter" for "… Jimmy Carter's funeral?").
    named = q_terms | {stem(t[:-1]) for t in q_terms if t.endswith("'")}
    named |= {w for q in qtype.qualifiers for w in place_words(q)}  # "Japan" does not answer "which Japanese city"
    named |= acronyms(question)  # nor "AI" a question about an "artificial intelligence model"
    seen = names_seen([c.text for c in cands]) if qtype.typed else None
    around = " ".join(c.text for c in cands) if qtype.typed else ""
    for c in cands:
        c.type_fit = type_fit(c, qtype, named, seen, around) if id(c) in chosen or not qtype.typed else 0.0
        c.score += W_TYPE * c.type_fit
    # Only a sentence holding a span of the asked kind can lead a typed question's answer (restating the
    # question is not answering it); the others follow, in score order.
    cands.sort(key=lambda c: -c.score)
    if qtype.typed and cands:
        floor = TYPED_LEAD_MARGIN * cands[0].score
        leads = [c for c in cands if c.type_fit >= MIN_FIT and c.score >= floor]
        # "Which NBA superstar was traded this week?": when a fitting sentence from within a week of the window the
        # question names can lead, one from a story of other years cannot (the 2023 Durant trade)
        near = (window is not None and window.explicit and (window.end - window.start).days <= timewords.SHORT_WINDOW_DAYS
                and any(c.time >= timewords.NEAR_WINDOW for c in leads))
        cands.sort(key=lambda c: (not (c.type_fit >= MIN_FIT and c.score >= floor), near and c.time < timewords.NEAR_WINDOW, -c.score))
    return cands


def plain_question(question: str, as_of: date | None) -> str:
    """The question without the words that name its time ("this week"): they match no article's words."""
    return timewords.without(question, timewords.resolve(question, as_of)) if as_of is not None else question


def type_fit(
    ev: Evidence, qtype: QuestionType, q_terms: set[str], seen: set[str] | None = None, around: str = ""
) -> float:
    """Sets ``ev.span`` to the sentence's best answer span and returns how well it fits (neutral when untyped);
    ``seen``: the names the candidates write mid-sentence, ``around``: their text (rag.spans.best_span)."""
    ev.span = best_span(ev.text, qtype, q_terms, seen, around) if qtype.typed else None
    if not qtype.typed:
        return NEUTRAL_FIT
    if not ev.span:
        return 0.0
    if qtype.qualifiers and not about_places(ev, qtype.qualifiers):
        return ev.span.fit * W_UNQUALIFIED  # a city named in a story about China does not answer "which Japanese city"
    return ev.span.fit


def about_places(ev: Evidence, qualifiers: tuple[str, ...]) -> bool:
    """True when the sentence's chunk or its article's title names every place the question qualifies with."""
    terms = set(content_terms(f"{ev.hit.title or ''} {ev.hit.chunk.text}"))
    return all(names_place(q, terms) for q in qualifiers)


def sentence_similarities(library, question: str, cands: list[Evidence]) -> np.ndarray:
    """Cosine similarity of each candidate sentence to the question, from the vectors stored at ingest.

    Only the question is embedded (once per question, cached); a sentence without a stored
    vector (a store being re-indexed) is embedded here instead.
    """
    q = library.embed_query(question)
    stored = library.store.sentence_vectors([c.sentence_id for c in cands])
    missing = [i for i, c in enumerate(cands) if c.sentence_id not in stored]
    vecs = np.zeros((len(cands), q.shape[0]), dtype=np.float32)
    for i, c in enumerate(cands):
        if c.sentence_id in stored:
            vecs[i] = stored[c.sentence_id]
    if missing:
        vecs[missing] = library.embedder.embed([cands[i].text for i in missing])
    return vecs @ q


_ORDINAL = re.compile(r"\b(\d{1,4})(?:st|nd|rd|th)\b")


def editions(text: str) -> set[str]:
    """The ordinals a text names ("the 97th Academy Awards", "47th president"): which edition it is about."""
    return set(_ORDINAL.findall(text))


_NAME_OR_NUMBER = re.compile(r"\b[A-Z][\w'’-]+|\b\d[\d,.]*")


def names_something_new(text: str, question_terms: set[str]) -> bool:
    """True when the sentence has a proper name or number (not its first word) that the question lacks."""
    found = _NAME_OR_NUMBER.findall(text)
    if found and text[:1].isupper():
        found = found[1:]  # the sentence's first word is capitalised anyway
    for tok in found:
        w = fold(tok).strip(".,")
        if w not in STOPWORDS and stem(w) not in question_terms:
            return True
    return False
