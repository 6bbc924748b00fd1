"""Candidate evidence sentences from retrieved chunks, ranked against the question.

Both answerers start here: the extractive one returns the best sentences as the
answer, the LLM one numbers them as its sources.
"""

from __future__ import annotations

from dataclasses import dataclass

import re
from datetime import date

import numpy as np

from . import timewords
from .models import Citation, ScoredChunk
from .text import STOPWORDS, content_terms, fold, stem

# Weights of the sentence score; see evals for how they were measured.
W_DENSE = 0.5
W_LEXICAL = 0.5
W_RANK = 0.05
# A sentence that names something the question does not (a name, a number) can
# answer it; one that only restates the question cannot.
W_NEW_INFO = 0.1
# The question's time (rag.timewords.boost: up to 0.35 inside a named window) counts at half weight.
W_TIME = 0.5
# Candidates are scored from stored vectors (no embedding at question time), so all sentences
# of the retrieved chunks can be weighed; the cap only bounds pathological chunks.
MAX_SENTENCES = 400


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
    score: float = 0.0

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


def candidate_sentences(hits: list[ScoredChunk]) -> list[Evidence]:
    """Every sentence of the retrieved chunks, once (syndicated copies dropped)."""
    out: list[Evidence] = []
    seen: set[str] = set()
    for rank, hit in enumerate(hits):
        ch = hit.chunk
        for n, (s, e) in enumerate(ch.sentences or [(ch.start, ch.end)]):
            text = ch.text[s - ch.start : e - ch.start]
            key = " ".join(fold(text).split())
            if key in seen or not any(c.isalnum() for c in text) or is_question(text):
                continue
            seen.add(key)
            out.append(Evidence(hit=hit, start=s, end=e, text=text, chunk_rank=rank, sentence_id=f"{ch.id}:{n}"))
            if len(out) >= MAX_SENTENCES:
                return out
    return out


def rank_evidence(library, question: str, hits: list[ScoredChunk], as_of: date | None = None) -> list[Evidence]:
    """Candidate sentences scored by meaning similarity, idf-weighted word overlap and news time, best first."""
    cands = candidate_sentences(hits)
    if not cands:
        return []
    window = timewords.resolve(question, as_of) if as_of is not None else None
    question = timewords.without(question, window)
    idx = library.bm25()
    q_terms = set(content_terms(question))
    q_weight = sum(idx.idf(t) for t in q_terms)
    sims = sentence_similarities(library, question, cands)
    for c, sim in zip(cands, sims):
        terms = set(content_terms(c.text))
        c.dense = float(sim)
        c.lexical = sum(idx.idf(t) for t in q_terms & terms) / q_weight if q_weight else 0.0
        c.new_info = 1.0 if names_something_new(c.text, q_terms) else 0.0
        c.score = W_DENSE * c.dense + W_LEXICAL * c.lexical + W_RANK / (1 + c.chunk_rank) + W_NEW_INFO * c.new_info
        if as_of is not None:
            day = date.fromisoformat(c.hit.published) if c.hit.published else None
            c.score += W_TIME * timewords.boost(window, day, as_of)
    cands.sort(key=lambda c: -c.score)
    return cands


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
