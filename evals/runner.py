"""Run an evaluation: ingest the dataset's corpus into its own store, then ask every question.

Retrieval is measured through ``rag.retrieve.retrieve`` and answers through ``rag.service.answer``,
the same calls the CLI, API and UI make.
"""

from __future__ import annotations

import re
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

from ingest.pipeline import ingest_items
from rag import tuning
from rag.confidence import load_model
from rag.library import Library
from rag.llm import LLMError
from rag.models import Answer, is_verbatim
from rag.retrieve import Filters, retrieve
from rag.service import AskRequest, QuestionError, answer, gather_evidence
from rag.settings import Settings
from rag.text import plain_text

from .dataset import Dataset, Question
from .answer_metrics import choice_correct
from .gold import corpus_articles, question_as_of, recent_gold, stated_gold
from .metrics import RETRIEVAL_METHODS, BackendResult, CitationCheck, QuestionRecord, answer_text, first_hit_rank, is_correct, summarise

RETRIEVAL_DEPTH = 10


def eval_settings(dataset: Dataset, out_dir: Path, base: Settings | None = None) -> Settings:
    """Settings for the dataset's own embedded store under ``out_dir`` (LLM and embedding settings kept)."""
    base = base or Settings()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", dataset.name).strip("-") or "dataset"
    return base.model_copy(update={"data_dir": out_dir / "store", "chroma_url": None, "collection": f"eval_{slug}"[:60]})


def prepare_store(library: Library, dataset: Dataset, progress: bool = True) -> dict:
    """Make the store hold exactly the dataset's corpus (idempotent: unchanged articles are skipped)."""
    items = dataset.corpus_items()
    wanted = {i.article.id for i in items if i.article is not None}
    stale = [a.id for a in library.store.list_articles() if a.id not in wanted]
    if stale:
        library.delete(stale)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(wanted), unit="article", desc="ingest", file=sys.stderr, leave=False)
    report = ingest_items(library, items, (lambda n, _c: bar.update(n)) if bar else None)
    if bar:
        bar.close()
    return {
        "articles": len(wanted),
        "added": len(report.added) + len(report.updated),
        "unchanged": len(report.unchanged),
        "removed": len(stale),
        "skipped": [{"item": o, "reason": r} for o, r in report.skipped],
        "seconds": round(report.seconds, 2),
    }


class CitationChecker:
    """Checks ``article.text[start:end] == quote`` against the stored articles (cached per run)."""

    def __init__(self, library: Library):
        self.library = library
        self._texts: dict[str, str | None] = {}

    def check(self, ans: Answer) -> list[CitationCheck]:
        out = []
        for c in ans.citations:
            if c.article_id not in self._texts:
                art = self.library.store.get_article(c.article_id)
                self._texts[c.article_id] = art.text if art else None
            text = self._texts[c.article_id]
            valid = is_verbatim(text, c)
            out.append(CitationCheck(n=c.n, article_id=c.article_id, title=c.title, quote=c.quote, start=c.start, end=c.end, valid=valid))
        return out


def backend_result(q: Question, backend: str, ans: Answer, checker: CitationChecker) -> BackendResult:
    """One Answer turned into the record the metrics read."""
    t = ans.timings
    return BackendResult(
        backend=backend,
        answered_by=ans.backend,
        text=ans.text,
        abstained=ans.abstained,
        correct=(not ans.abstained and is_correct(ans.text, q.answer)) if q.answerable else None,
        must_contain_found=[not ans.abstained and is_correct(ans.text, f) for f in q.must_contain],
        sentences=len(ans.sentences),
        supported_sentences=sum(1 for s in ans.sentences if s.supported),
        citations=checker.check(ans),
        fallback=ans.fallback,
        error=ans.error,
        confidence=ans.confidence,
        answer_kind=ans.answer_kind,
        short=ans.short.text if ans.short else None,
        choice_correct=_choice(q, ans),
        disagreement=[v.value for v in ans.disagreement.values] if ans.disagreement else None,
        retrieve_ms=t.retrieve_ms,
        answer_ms=t.answer_ms,
        total_ms=t.total_ms,
        first_token_ms=t.first_token_ms,
    )


def _choice(q: Question, ans: Answer) -> bool | None:
    """Whether the answer names the gold choice best, for questions with ``choices``."""
    choices = (q.model_extra or {}).get("choices")
    if not q.answerable or not isinstance(choices, list) or not choices:
        return None
    return not ans.abstained and choice_correct(answer_text(ans.text), [str(c) for c in choices], q.answer)


def evaluate_question(
    library: Library, q: Question, backends: list[str], k: int, checker: CitationChecker, judge=None
) -> QuestionRecord:
    """Retrieval ranks for every method (answerable questions) and each backend's verified answer."""
    extra = q.model_extra or {}
    rec = QuestionRecord(
        id=q.id, question=q.question, gold=q.answer, must_contain=q.must_contain, in_corpus=extra.get("answer_in_corpus"),
        disagree=extra.get("disagree") if isinstance(extra.get("disagree"), bool) else None,
    )
    as_of = question_as_of(q)
    if q.answerable:
        for method in RETRIEVAL_METHODS:
            t0 = time.perf_counter()
            # as /v1/search reads it: plain text (a quiz question copied with its links is not searched for its tags)
            hits = retrieve(library, plain_text(q.question), RETRIEVAL_DEPTH, Filters(as_of=as_of), method=method)
            rec.retrieval_ms[method] = round((time.perf_counter() - t0) * 1000, 2)
            rec.retrieval[method] = first_hit_rank([h.chunk.text for h in hits], q.answer)
        # the sentences the answer stage ranks, in its order (what both backends answer from)
        _, evidence, _ = gather_evidence(library, plain_text(q.question), k, Filters(as_of=as_of or date.today().isoformat()))
        rec.evidence_rank = first_hit_rank([e.text for e in evidence], q.answer) or 0
    for b in backends:
        try:
            ans = answer(AskRequest(question=q.question, k=k, backend=b, filters=Filters(as_of=as_of)), library)
        except (QuestionError, LLMError) as e:
            rec.results[b] = BackendResult(backend=b, answered_by=b, abstained=True, correct=False if q.answerable else None, error=str(e))
            continue
        res = backend_result(q, b, ans, checker)
        if judge is not None and not ans.abstained:
            res.judge_recall, res.judge_precision = judge.score(ans)
        rec.results[b] = res
    return rec


def run_eval(
    dataset: Dataset,
    library: Library,
    backends: list[str],
    k: int,
    progress: bool = True,
    judge=None,
    on_record: Callable[[QuestionRecord], None] | None = None,
) -> dict:
    """Evaluate every question of the dataset; returns the results document (metrics + records)."""
    checker = CitationChecker(library)
    questions = dataset.questions + dataset.unanswerable
    it = questions
    if progress:
        from tqdm import tqdm

        it = tqdm(questions, unit="question", desc=f"eval {dataset.name}", file=sys.stderr)
    records = []
    t0 = time.perf_counter()
    articles = corpus_articles(dataset)
    recent, stated = recent_gold(dataset, articles), stated_gold(dataset, articles)
    for q in it:
        rec = evaluate_question(library, q, backends, k, checker, judge)
        rec.recent_gold = recent.get(q.id) if q.answerable else None
        rec.stated_gold = stated.get(q.id) if q.answerable else None
        records.append(rec)
        if on_record:
            on_record(rec)
    metrics = summarise(records, backends, RETRIEVAL_DEPTH)
    s = library.settings
    return {
        "dataset": dataset.name,
        "dataset_path": str(dataset.path),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - t0, 2),
        "config": {
            "backends": backends,
            "k": k,
            "retrieval_depth": RETRIEVAL_DEPTH,
            "embedding_model": library.embedder.name,
            "llm_model": s.llm_model if "llm" in backends else None,
            "judge": judge.model if judge is not None else None,
            "confidence_threshold": load_model().threshold,
            "tuning": tuning.values(),
        },
        "metrics": metrics,
        "records": [r.model_dump() for r in records],
    }
