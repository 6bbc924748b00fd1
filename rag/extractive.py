"""The extractive answerer: the best one to three article sentences, each cited. Offline and deterministic."""

from __future__ import annotations

from .evidence import Evidence
from .models import Answer, AnswerSentence
from .text import content_terms

# Abstain when the best sentence covers too little of the question's (idf-weighted)
# words, or means something too different. Calibrated on the dev set's 150 answerable
# and 104 unanswerable questions (see the closing notes of issue 3 and evals/).
MIN_LEXICAL = 0.3
MIN_DENSE = 0.45
# Further sentences must come close to the best one.
RELATIVE = 0.75
MAX_ANSWER_SENTENCES = 3
NOT_ANSWERED = "The ingested articles do not answer this question."


def is_weak(best: Evidence | None) -> bool:
    """True when even the best evidence does not look like an answer."""
    return best is None or best.lexical < MIN_LEXICAL or best.dense < MIN_DENSE


def abstention(question: str, backend: str, reason: str | None = None) -> Answer:
    """The plain 'articles do not say' answer: no citations."""
    return Answer(question=question, text=NOT_ANSWERED, abstained=True, backend=backend, error=reason)


def extractive_answer(question: str, evidence: list[Evidence]) -> Answer:
    """Pick the sentences that answer the question, or abstain when the evidence is weak."""
    if not evidence or is_weak(evidence[0]):
        return abstention(question, "extractive")
    best = evidence[0]
    chosen = [best]
    chosen_terms = [set(content_terms(best.text))]
    for ev in evidence[1:]:
        if len(chosen) >= MAX_ANSWER_SENTENCES or ev.score < RELATIVE * best.score:
            break
        terms = set(content_terms(ev.text))
        if any(len(terms & t) >= 0.7 * max(1, min(len(terms), len(t))) for t in chosen_terms):
            continue  # says the same thing again
        chosen.append(ev)
        chosen_terms.append(terms)
    # Read in article order when the sentences come from one article.
    if len({c.hit.chunk.article_id for c in chosen}) == 1:
        chosen.sort(key=lambda c: c.start)
    citations = [ev.citation(i + 1) for i, ev in enumerate(chosen)]
    sentences = [
        AnswerSentence(text=ev.text, citations=[i + 1], support=1.0, supported=True) for i, ev in enumerate(chosen)
    ]
    text = " ".join(f"{ev.text} [{i + 1}]" for i, ev in enumerate(chosen))
    return Answer(question=question, text=text, sentences=sentences, citations=citations, backend="extractive")
