"""Answer-stage metrics: choice accuracy, accuracy by the kind of answer asked for, answer-stage
efficiency (answer accuracy over fused retrieval hit), the short answer's precision, where the gold answer sat
among the ranked evidence sentences, and the abstention trade-off curve."""

from __future__ import annotations

import numpy as np

from rag.gazetteer import DEMONYMS as _DEMONYMS, same_root
from rag.text import STOPWORDS, contains_answer, stem, words

THRESHOLDS = [round(t, 3) for t in np.arange(0.05, 0.951, 0.025)]


def _terms(text: str) -> set[str]:
    out = set()
    for w in words(text):
        if w in STOPWORDS:
            continue
        out.add(stem(_DEMONYMS.get(w, w)))
    return out


def _names(answer_terms: set[str], term: str) -> bool:
    """A choice's word is named by the answer: the same stem, or the same country or people
    (``rag.gazetteer.same_root``: "Ukrainian" names "Ukraine")."""
    return term in answer_terms or any(same_root(term, a) for a in answer_terms)


def choice_score(answer: str, choice: str) -> float:
    """Share of the choice's content words the answer names."""
    terms = _terms(choice)
    if not terms:
        return 0.0
    have = _terms(answer)
    return sum(1 for t in terms if _names(have, t)) / len(terms)


def choice_correct(answer: str, choices: list[str], gold: str) -> bool:
    """The answer names the gold choice better than any other choice."""
    scores = {c: choice_score(answer, c) for c in choices}
    g = scores.get(gold, choice_score(answer, gold))
    return g > 0 and all(g > s for c, s in scores.items() if c != gold)


def tradeoff(scores, labels) -> list[dict]:
    """For each threshold: false abstention (label 1 below it) and abstention on unanswerable (label 0 below it)."""
    scores, labels = np.asarray(scores, dtype=float), np.asarray(labels)
    pos, neg = scores[labels == 1], scores[labels == 0]
    return [
        {"threshold": t,
         "false_abstention": round(float(np.mean(pos < t)), 4) if len(pos) else None,
         "unanswerable_abstention": round(float(np.mean(neg < t)), 4) if len(neg) else None}
        for t in THRESHOLDS
    ]


def answer_stage(records, backend: str, k: int = 5) -> dict:
    """Choice accuracy, per-kind accuracy, efficiency and the confidence trade-off of one backend."""
    rows = [(q, q.results[backend]) for q in records if backend in q.results]
    inside = [(q, r) for q, r in rows if q.answerable and q.in_corpus is not False]
    una = [(q, r) for q, r in rows if not q.answerable]
    out: dict = {}
    chosen = [r.choice_correct for q, r in rows if q.answerable and r.choice_correct is not None]
    out["choice_accuracy"] = round(sum(chosen) / len(chosen), 4) if chosen else None
    # the bold short answer a reader sees first: how often it is shown, and how often it names the gold answer
    shorts = [(q, r) for q, r in rows if q.answerable and not r.abstained and r.short]
    out["short_answers"] = len(shorts)
    out["short_precision"] = (
        round(sum(1 for q, r in shorts if contains_answer(r.short, q.gold) or contains_answer(q.gold, r.short)) / len(shorts), 4)
        if shorts else None
    )
    kinds: dict[str, dict] = {}
    for q, r in inside:
        d = kinds.setdefault(r.answer_kind or "unknown", {"questions": 0, "correct": 0, "abstained": 0})
        d["questions"] += 1
        d["correct"] += bool(r.correct)
        d["abstained"] += r.abstained
    out["by_kind"] = {
        kind: {"questions": d["questions"], "accuracy": round(d["correct"] / d["questions"], 4),
               "false_abstention": round(d["abstained"] / d["questions"], 4)}
        for kind, d in sorted(kinds.items(), key=lambda kv: -kv[1]["questions"])
    }
    hits = [q for q, _ in inside if q.retrieval.get("fused") is not None and q.retrieval["fused"] <= k]
    acc = sum(1 for _, r in inside if r.correct) / len(inside) if inside else None
    out[f"fused_top{k}"] = round(len(hits) / len(inside), 4) if inside else None
    out["efficiency"] = round(acc / (len(hits) / len(inside)), 4) if inside and hits else None
    if any(q.evidence_rank is not None for q, _ in inside):
        out["evidence"] = evidence_table(inside)
    conf = [(r.confidence, 1) for _, r in inside if r.confidence is not None]
    conf += [(r.confidence, 0) for _, r in una if r.confidence is not None]
    if conf and len({lab for _, lab in conf}) == 2:
        out["tradeoff"] = tradeoff([c for c, _ in conf], [lab for _, lab in conf])
    return out


# Where the gold answer sat among the sentences the answer stage ranked: the first, the rest of what an extractive
# answer can show (rag.tuning.MAX_ANSWER_SENTENCES = 3), further down, or in none of them (retrieval or the corpus)
EVIDENCE_BUCKETS = (("1", 1, 1), ("2-3", 2, 3), ("4-10", 4, 10), ("11+", 11, 10**9), ("none", 0, 0))


def evidence_table(rows) -> dict[str, dict[str, int]]:
    """For each bucket of the gold answer's evidence rank: how many answers were right, wrong, or abstentions.
    Separates the losses of retrieval (no sentence holds the gold), of ranking (it sits below the answer's
    sentences) and of the answer stage itself (it leads, yet the answer is wrong or abstains)."""
    out = {name: {"right": 0, "wrong": 0, "abstained": 0} for name, _, _ in EVIDENCE_BUCKETS}
    for q, r in rows:
        if q.evidence_rank is None:
            continue
        name = next(n for n, lo, hi in EVIDENCE_BUCKETS if lo <= q.evidence_rank <= hi)
        out[name]["abstained" if r.abstained else "right" if r.correct else "wrong"] += 1
    return out


def disagreement_metrics(records, backend: str) -> dict:
    """How often an answer reports sources that disagree: when they do, when they do not (datasets with a
    ``disagree`` flag per question), and how often at all (any dataset)."""
    rs = [(q, q.results[backend]) for q in records if backend in q.results]
    flagged = [(q.disagree, r.disagreement is not None) for q, r in rs if q.disagree is not None]
    present = [got for want, got in flagged if want]
    absent = [got for want, got in flagged if not want]
    return {
        "reported": sum(1 for _, r in rs if r.disagreement is not None),
        "cases_with": len(present),
        "cases_without": len(absent),
        "reported_when_present": round(sum(present) / len(present), 4) if present else None,
        "reported_when_absent": round(sum(absent) / len(absent), 4) if absent else None,
    }
