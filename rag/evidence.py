"""Candidate evidence sentences from retrieved chunks, ranked against the question.

Both answerers start here: the extractive one returns the best sentences as the
answer, the LLM one numbers them as its sources.
"""

from __future__ import annotations

from dataclasses import dataclass

import re

from .models import Citation, ScoredChunk
from .text import STOPWORDS, content_terms, fold, stem

# Weights of the sentence score; see evals for how they were measured.
W_DENSE = 0.5
W_LEXICAL = 0.5
W_RANK = 0.05
# A sentence that names something the question does not (a name, a number) can
# answer it; one that only restates the question cannot.
W_NEW_INFO = 0.1
MAX_SENTENCES = 80


@dataclass
class Evidence:
    """One sentence of an article, where it comes from, and how well it matches the question."""

    hit: ScoredChunk
    start: int  # offsets into the article text
    end: int
    text: str
    chunk_rank: int
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
        for s, e in ch.sentences or [(ch.start, ch.end)]:
            text = ch.text[s - ch.start : e - ch.start]
            key = " ".join(fold(text).split())
            if key in seen or not any(c.isalnum() for c in text) or is_question(text):
                continue
            seen.add(key)
            out.append(Evidence(hit=hit, start=s, end=e, text=text, chunk_rank=rank))
            if len(out) >= MAX_SENTENCES:
                return out
    return out


def rank_evidence(library, question: str, hits: list[ScoredChunk]) -> list[Evidence]:
    """Candidate sentences scored by meaning similarity and idf-weighted word overlap, best first."""
    cands = candidate_sentences(hits)
    if not cands:
        return []
    idx = library.bm25()
    q_terms = set(content_terms(question))
    q_weight = sum(idx.idf(t) for t in q_terms)
    vecs = library.embedder.embed([question] + [c.text for c in cands])
    sims = vecs[1:] @ vecs[0]
    for c, sim in zip(cands, sims):
        terms = set(content_terms(c.text))
        c.dense = float(sim)
        c.lexical = sum(idx.idf(t) for t in q_terms & terms) / q_weight if q_weight else 0.0
        c.new_info = 1.0 if names_something_new(c.text, q_terms) else 0.0
        c.score = W_DENSE * c.dense + W_LEXICAL * c.lexical + W_RANK / (1 + c.chunk_rank) + W_NEW_INFO * c.new_info
    cands.sort(key=lambda c: -c.score)
    return cands


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
