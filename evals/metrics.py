"""Per-question records and the metrics computed from them (pure functions, no store or model)."""

from __future__ import annotations

import re

import numpy as np
from pydantic import BaseModel, Field

from rag.text import contains_answer

from .answer_metrics import answer_stage, disagreement_metrics

RETRIEVAL_METHODS = ("fused", "bm25", "dense")
TOP_KS = (1, 3, 5, 10)
STAGES = ("retrieve_ms", "answer_ms", "total_ms", "first_token_ms")
_MARKER = re.compile(r"\[\d+(?:\s*[,;]\s*\d+)*\]")


class CitationCheck(BaseModel):
    """A citation of an answer and whether its quote is verbatim in its article at its offsets."""

    n: int
    article_id: str
    title: str = ""
    quote: str
    start: int
    end: int
    valid: bool


class BackendResult(BaseModel):
    """What one answerer did with one question."""

    backend: str  # the backend asked for: extractive or llm
    answered_by: str = ""  # Answer.backend (e.g. llm:smollm2, or extractive after a fallback)
    text: str = ""
    abstained: bool = False
    correct: bool | None = None  # gold answer in the answer text; None for unanswerable questions
    must_contain_found: list[bool] = Field(default_factory=list)
    sentences: int = 0
    supported_sentences: int = 0
    citations: list[CitationCheck] = Field(default_factory=list)
    fallback: bool = False
    error: str | None = None
    retrieve_ms: float = 0.0
    answer_ms: float = 0.0
    total_ms: float = 0.0
    first_token_ms: float = 0.0
    confidence: float | None = None  # Answer.confidence: the calibrated score abstention is decided on
    answer_kind: str | None = None  # the kind of answer the question asks for (rag.question)
    short: str | None = None  # Answer.short.text
    choice_correct: bool | None = None  # names the gold choice better than the others (datasets with choices)
    disagreement: list[str] | None = None  # the values of Answer.disagreement, when the answer reported one
    judge_recall: float | None = None  # ALCE-style, only with an LLM judge
    judge_precision: float | None = None

    @property
    def citations_valid(self) -> bool:
        return all(c.valid for c in self.citations)


RECENT_DAYS = 30  # news questions are about their week; a gold answer only in older stories is mostly a coincidence


class QuestionRecord(BaseModel):
    """One question, its retrieval ranks per method, and each backend's answer."""

    id: str
    question: str
    gold: str | None = None
    must_contain: list[str] = Field(default_factory=list)
    in_corpus: bool | None = None  # the dataset's answer_in_corpus flag, when it has one
    # the gold answer occurs in an article published in the RECENT_DAYS up to the question's date (None: no date or
    # no gold): "in corpus" also counts a name that a years-old story happens to mention
    recent_gold: bool | None = None
    # a sentence of an article up to the question's date holds the gold answer and some of the question's words
    # (evals.gold.stated_gold): the corpus states the answer; without one, only a coincidence answers it
    stated_gold: bool | None = None
    disagree: bool | None = None  # the dataset's disagree flag: its sources give different values (evals/data/disagreement)
    # 1-based rank of the first retrieved chunk containing the gold answer; None when none does.
    retrieval: dict[str, int | None] = Field(default_factory=dict)
    retrieval_ms: dict[str, float] = Field(default_factory=dict)
    # 1-based rank of the first candidate sentence holding the gold answer, in the answer stage's own order
    # (rag.service.gather_evidence); 0: no candidate sentence holds it; None: not measured (unanswerable questions)
    evidence_rank: int | None = None
    results: dict[str, BackendResult] = Field(default_factory=dict)

    @property
    def answerable(self) -> bool:
        return self.gold is not None

    def failures(self) -> list[str]:
        """Short reasons this question counts as a failure (empty when it passed)."""
        out = []
        if self.answerable and self.retrieval.get("fused", 1) is None:
            out.append("fused retrieval missed the answer")
        for name, r in self.results.items():
            if not r.citations_valid:
                out.append(f"{name}: INVALID CITATION")
            if self.answerable and r.abstained:
                out.append(f"{name}: abstained")
            elif self.answerable and not r.correct:
                out.append(f"{name}: wrong answer")
            elif not self.answerable and not r.abstained:
                out.append(f"{name}: answered an unanswerable question")
            if r.must_contain_found and not all(r.must_contain_found):
                out.append(f"{name}: {r.must_contain_found.count(False)} must_contain facts missing")
        return out


def answer_text(text: str) -> str:
    """The answer without its [n] markers, so a gold answer '3' does not match a citation number."""
    return _MARKER.sub(" ", text)


def is_correct(text: str, gold: str) -> bool:
    """Gold answer in the answer text: whole words, case- and punctuation-insensitive."""
    return contains_answer(answer_text(text), gold)


def first_hit_rank(chunk_texts: list[str], gold: str) -> int | None:
    """1-based rank of the first chunk containing the gold answer, or None."""
    for i, text in enumerate(chunk_texts, 1):
        if contains_answer(text, gold):
            return i
    return None


def _share(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def accuracy_at(ranks: list[int | None], k: int) -> float | None:
    """Share of questions whose first hit is within the top k."""
    return _share(sum(1 for r in ranks if r is not None and r <= k), len(ranks))


def mrr(ranks: list[int | None]) -> float | None:
    """Mean reciprocal rank of the first hit (0 for a miss)."""
    return round(sum(1.0 / r for r in ranks if r) / len(ranks), 4) if ranks else None


def percentile(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 2) if values else None


def retrieval_metrics(records: list[QuestionRecord], depth: int = 10) -> dict[str, dict]:
    """Per method: top-k accuracy for TOP_KS, the full accuracy@1..depth curve, MRR, latency."""
    answerable = [r for r in records if r.answerable]
    out: dict[str, dict] = {}
    for m in RETRIEVAL_METHODS:
        ranks = [r.retrieval[m] for r in answerable if m in r.retrieval]
        if not ranks:
            continue
        ms = [r.retrieval_ms[m] for r in records if m in r.retrieval_ms]
        out[m] = {
            **{f"top{k}": accuracy_at(ranks, k) for k in TOP_KS if k <= depth},
            "mrr": mrr(ranks),
            "curve": [accuracy_at(ranks, k) for k in range(1, depth + 1)],
            "latency_ms": {"p50": percentile(ms, 50), "p95": percentile(ms, 95)},
            "questions": len(ranks),
        }
    return out


def backend_metrics(records: list[QuestionRecord], backend: str) -> dict:
    """Answer, citation, abstention and latency metrics of one backend."""
    rs = [(q, q.results[backend]) for q in records if backend in q.results]
    ans = [(q, r) for q, r in rs if q.answerable]
    una = [(q, r) for q, r in rs if not q.answerable]
    facts = [r.must_contain_found for _, r in ans if r.must_contain_found]
    cites = [c for _, r in rs for c in r.citations]
    answered = [r for _, r in rs if not r.abstained]
    n_sent = sum(r.sentences for r in answered)
    recall = [r.judge_recall for _, r in rs if r.judge_recall is not None]
    precision = [r.judge_precision for _, r in rs if r.judge_precision is not None]
    out = {
        "answerable": len(ans),
        "unanswerable": len(una),
        "answer_accuracy": _share(sum(1 for _, r in ans if r.correct), len(ans)),
        # Accuracy over the questions it did answer: how far to trust a non-abstention.
        "precision_when_answered": _share(sum(1 for _, r in ans if r.correct), sum(1 for _, r in ans if not r.abstained)),
        "must_contain": round(float(np.mean([sum(f) / len(f) for f in facts])), 4) if facts else None,
        "citations": len(cites),
        "citation_validity": _share(sum(1 for c in cites if c.valid), len(cites)) if cites else 1.0,
        "invalid_citations": sum(1 for c in cites if not c.valid),
        "support": _share(sum(r.supported_sentences for r in answered), n_sent),
        "abstention_unanswerable": _share(sum(1 for _, r in una if r.abstained), len(una)),
        "false_abstention": _share(sum(1 for _, r in ans if r.abstained), len(ans)),
        "fallbacks": sum(1 for _, r in rs if r.fallback),
        "latency_ms": {
            stage.removesuffix("_ms"): {
                "p50": percentile([getattr(r, stage) for _, r in rs], 50),
                "p95": percentile([getattr(r, stage) for _, r in rs], 95),
            }
            for stage in STAGES
        },
    }
    out["answer_stage"] = answer_stage(records, backend)
    out["disagreement"] = disagreement_metrics(records, backend)
    if recall or precision:
        out["judge_citation_recall"] = round(float(np.mean(recall)), 4) if recall else None
        out["judge_citation_precision"] = round(float(np.mean(precision)), 4) if precision else None
    return out


def summarise(records: list[QuestionRecord], backends: list[str], depth: int = 10) -> dict:
    """Every metric of a run, nested by area."""
    out = {
        "questions": sum(1 for r in records if r.answerable),
        "unanswerable": sum(1 for r in records if not r.answerable),
        "retrieval": retrieval_metrics(records, depth),
        "backends": {b: backend_metrics(records, b) for b in backends},
    }
    if any(r.answerable and r.in_corpus is False for r in records):
        # Gold answers that occur nowhere in the corpus cap every score: also report without them.
        out["in_corpus"] = _subset_metrics([r for r in records if r.answerable and r.in_corpus is not False], backends, depth)
    if any(r.recent_gold is not None for r in records):
        # ... and "in corpus" also counts a name an older story happens to mention: report the recent-article ones
        out["recent_gold"] = _subset_metrics([r for r in records if r.answerable and r.recent_gold], backends, depth)
    if any(r.stated_gold is not None for r in records):
        # ... or the questions whose answer a sentence of the corpus states in the question's words
        out["stated_gold"] = _subset_metrics([r for r in records if r.answerable and r.stated_gold], backends, depth)
    return out


def _subset_metrics(subset: list[QuestionRecord], backends: list[str], depth: int) -> dict:
    """The headline numbers of some of the answerable questions: retrieval, accuracy, false abstention."""
    if not subset:
        return {"questions": 0, "retrieval": {}, "answer_accuracy": {}, "false_abstention": {}}
    ret = retrieval_metrics(subset, depth)
    per = {b: backend_metrics(subset, b) for b in backends}
    return {
        "questions": len(subset),
        "retrieval": {m: {k: d[k] for k in ("top1", "top5", "top10", "mrr")} for m, d in ret.items()},
        "answer_accuracy": {b: d["answer_accuracy"] for b, d in per.items()},
        "false_abstention": {b: d["false_abstention"] for b, d in per.items()},
    }


def flatten(metrics: dict) -> dict[str, float]:
    """Dotted names for the gate: ``retrieval.fused.top5``, ``extractive.answer_accuracy``, ``extractive.latency_ms.total.p95``,
    ``extractive.in_corpus.false_abstention`` (over the answerable questions whose gold answer the corpus holds),
    ``extractive.stated_gold.answer_accuracy`` (over those whose answer it states, evals.gold)."""
    flat: dict[str, float] = {}

    def walk(prefix: str, obj):
        if isinstance(obj, dict):
            for k, v in obj.items():
                walk(f"{prefix}.{k}" if prefix else k, v)
        elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
            flat[prefix] = obj

    walk("retrieval", {m: {k: v for k, v in d.items() if k != "curve"} for m, d in metrics["retrieval"].items()})
    for b, d in metrics["backends"].items():
        walk(b, d)
        # without the questions whose gold answer is nowhere in the corpus; only those whose answer it states
        for subset in ("in_corpus", "stated_gold"):
            sub = metrics.get(subset) or {}
            for name in ("answer_accuracy", "false_abstention"):
                if sub.get(name, {}).get(b) is not None:
                    flat[f"{b}.{subset}.{name}"] = sub[name][b]
    return flat
