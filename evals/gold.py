"""Where a question's gold answer occurs in the corpus: what the report's subsets of "in corpus" rest on.

A dataset's ``answer_in_corpus`` says only that the gold string occurs somewhere in the corpus, and a news corpus
mentions "India", "Paris" or "8" in many stories that are not about the question. Two stricter readings, computed
from the dataset alone (no store, no model), separate corpus gaps from what retrieval and answering lose:

- ``recent_gold``: the gold answer occurs in an article of the RECENT_DAYS up to the question's date;
- ``stated_gold``: a sentence of an article published up to the question's date (or undated) holds the gold answer
  and at least STATED_TERMS of the question's own words (the gold's words aside) — the corpus states the answer
  in the question's terms somewhere. A question without such a sentence can be answered only by a coincidence.
"""

from __future__ import annotations

from datetime import date, timedelta

from ingest.chunking import sentence_spans
from rag.retrieve import Filters
from rag.text import content_terms, normalise_answer, plain_text

from .dataset import Dataset, Question
from .metrics import RECENT_DAYS

STATED_TERMS = 2  # of the question's content words, in the sentence that holds the gold answer


def question_as_of(q: Question) -> str | None:
    """The question's own date as its ``as_of`` (None, i.e. today, when it has none or it is not a plain day)."""
    if not q.date:
        return None
    try:
        Filters(as_of=q.date).validate()
        return q.date
    except ValueError:
        return None


def question_day(q: Question) -> date | None:
    """The question's ``as_of`` as a day (None: no date, or not a plain day)."""
    as_of = question_as_of(q)
    return date.fromisoformat(as_of) if as_of else None


def corpus_articles(dataset: Dataset) -> list[tuple[date | None, str, str]]:
    """(published day or None, text, normalised text) of every article of the corpus (read once for both checks)."""
    out = []
    for item in dataset.corpus_items():
        a = item.article
        if a is None:
            continue
        try:
            day = date.fromisoformat(a.published[:10]) if a.published else None
        except ValueError:
            day = None
        out.append((day, a.text, f" {normalise_answer(a.text)} "))
    return out


def recent_gold(dataset: Dataset, articles: list | None = None) -> dict[str, bool]:
    """For each dated answerable question (by id): does its gold answer occur in an article published in the
    RECENT_DAYS up to the question's date? The match is ``rag.text.contains_answer``'s (normalised, whole words)."""
    dated = [(q, question_day(q)) for q in dataset.questions if q.answer]
    dated = [(q, d) for q, d in dated if d is not None]
    if not dated:
        return {}
    by_day: dict[date, list[str]] = {}
    for day, _, norm in articles if articles is not None else corpus_articles(dataset):
        if day is not None:
            by_day.setdefault(day, []).append(norm)
    out = {}
    for q, day in dated:
        gold = f" {normalise_answer(q.answer)} "
        texts = (t for n in range(RECENT_DAYS + 1) for t in by_day.get(day - timedelta(days=n), ()))
        out[q.id] = gold.strip() != "" and any(gold in t for t in texts)
    return out


def stated_gold(dataset: Dataset, articles: list | None = None) -> dict[str, bool]:
    """For each answerable question (by id): does a sentence of an article published up to its date (any date for
    an undated question; undated articles always count) hold the gold answer and STATED_TERMS of its words?"""
    questions = [q for q in dataset.questions if q.answer]
    if not questions:
        return {}
    articles = articles if articles is not None else corpus_articles(dataset)
    by_word: dict[str, set[int]] = {}  # normalised word -> articles holding it (candidates before the exact match)
    for i, (_, _, norm) in enumerate(articles):
        for w in set(norm.split()):
            by_word.setdefault(w, set()).add(i)
    sentences: dict[int, list[tuple[str, str]]] = {}  # read once per article, when a gold answer is in it
    out = {}
    for q in questions:
        gold = normalise_answer(q.answer)
        day = question_day(q)
        own = set(content_terms(plain_text(q.question))) - set(content_terms(q.answer))  # (quiz questions hold links)
        hits = set.intersection(*(by_word.get(w, set()) for w in gold.split())) if gold else set()
        found = False
        for i in sorted(hits):
            published, text, norm = articles[i]
            if f" {gold} " not in norm or (day is not None and published is not None and published > day):
                continue
            if i not in sentences:  # the sentences the answer stage reads (punkt), normalised as answers are
                sentences[i] = [(f" {normalise_answer(text[s:e])} ", text[s:e]) for s, e in sentence_spans(text)]
            if any(f" {gold} " in n and len(own & set(content_terms(s))) >= STATED_TERMS for n, s in sentences[i]):
                found = True
                break
        out[q.id] = found
    return out
