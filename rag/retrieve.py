"""Hybrid retrieval: dense (Chroma) and BM25 ranked lists fused by reciprocal rank, with filters."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Iterable, Literal

from ingest.limits import is_valid_text
from ingest.models import article_of as article_id_of, lead_chunk
from ingest.store import published_day

from . import timewords
from .models import Chunk, ScoredChunk
from .text import content_terms

from .tuning import (  # why: rag/tuning.py
    BM25_WEIGHT, CANDIDATES_MIN, DENSE_WEIGHT, LEAD_ARTICLES, NEAR_DUPLICATE, RERANK_FUSED_WEIGHT, RERANK_K, RRF_K,
    SENTENCES_PER_CHUNK,
)

Method = Literal["fused", "dense", "bm25"]
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(value: str, name: str = "date") -> date:
    """A calendar day written exactly YYYY-MM-DD; ValueError says what is accepted otherwise.

    ``date.fromisoformat`` alone also takes ``2025-W01-1`` and ``20250101``, which the
    filters cannot use: only the one spelling is accepted.
    """
    if not isinstance(value, str) or not _DAY.match(value.strip()):
        raise ValueError(f"{name} must be a date written YYYY-MM-DD (like 2025-01-31), not {value!r}")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{name} is not a real calendar day: {value!r}") from None


def source_key(source: str) -> str:
    """A publisher name as sources are compared: lower case, no ``www.``, no surrounding spaces."""
    s = source.strip().lower()
    return s[4:] if s.startswith("www.") else s


@dataclass
class Filters:
    """Source and published-date filters (dates as ISO strings)."""

    sources: list[str] | None = None
    since: str | None = None
    until: str | None = None
    as_of: str | None = None  # nothing published after this day; undated articles stay

    def as_of_day(self) -> date:
        return date.fromisoformat(self.as_of) if self.as_of else date.today()

    def validate(self) -> None:
        for name in ("since", "until"):
            v = getattr(self, name)
            if v:
                parse_day(v, name)
        if self.since and self.until and self.since > self.until:
            raise ValueError("since is after until")
        if self.as_of:
            d = parse_day(self.as_of, "as_of")
            if d > date.today() + timedelta(days=1):
                raise ValueError(f"as_of is in the future ({self.as_of}); ask as of today or an earlier day")
        for s in self.sources or ():
            if not isinstance(s, str) or not s.strip() or len(s) > 200 or not is_valid_text(s):
                raise ValueError(f"sources must be publisher names of 1 to 200 characters, not {s!r}")

    def resolved(self, known_sources: Iterable[str]) -> "Filters":
        """These filters with each source name replaced by the stored spellings it matches.

        Sources match case-insensitively and without ``www.``: ``Reuters.com`` finds
        ``www.reuters.com`` and ``reuters.com``. A name that matches nothing stays as given.
        """
        if not self.sources:
            return self
        by_key: dict[str, list[str]] = {}
        for s in known_sources:
            by_key.setdefault(source_key(s), []).append(s)
        out: list[str] = []
        for s in self.sources:
            out.extend(by_key.get(source_key(s), [s]))
        return replace(self, sources=sorted(set(out)))

    def chroma_where(self) -> dict | None:
        conds = []
        if self.sources:
            conds.append({"source": {"$in": list(self.sources)}})
        if self.since:
            conds.append({"day": {"$gte": published_day(self.since)}})
        if self.until:
            conds.append({"day": {"$lte": published_day(self.until)}})
            conds.append({"day": {"$gt": 0}})
        if self.as_of:
            conds.append({"day": {"$lte": published_day(self.as_of)}})
        if not conds:
            return None
        return conds[0] if len(conds) == 1 else {"$and": conds}


def retrieve(
    library, question: str, k: int = 8, filters: Filters | None = None, method: Method = "fused", keep_top: int = 0,
    rerank: bool = True,
) -> list[ScoredChunk]:
    """The k best chunks for a question; near-identical chunks do not crowd out the rest.

    With ``keep_top``, each list's own top hits are kept beside the fused top k (so up to
    k + 2 * keep_top chunks come back): a chunk that only one retriever ranks high can
    still hold the answer sentence ("a bar on NATO membership" is BM25's 5th, dense's 88th).
    The fused top k is then reordered by its fused rank and its best sentence's rank together (``rerank``, see
    ``by_best_sentence``); the answer path ranks those sentences itself and asks for the fused order.
    """
    filters = filters or Filters()
    hits = _retrieve(library, question, k, filters, method, keep_top)
    if rerank and method == "fused":
        hits = by_best_sentence(library, question, hits, k, filters.as_of_day())
    return hits


def by_best_sentence(library, question: str, hits: list[ScoredChunk], k: int, as_of: date) -> list[ScoredChunk]:
    """The first k hits reordered by two ranks fused: their fused rank and the rank of their best sentence as
    the answer stage ranks sentences (meaning, the question's words, a span of the asked kind, news time);
    the rest keep their place after them. Scores stay the fused ones.

    A chunk's fused rank says it is about the question, its best sentence whether it answers it. Either
    order alone loses questions the other keeps (the sentence order alone: dev top-1 +3 questions, the
    40-question slice -4), the two together lose none on either set (see RERANK_K in rag/tuning.py)."""
    from .evidence import rank_evidence  # the answer stage's scoring; imported here, retrieval stands without it
    from .truecase import truecase_with

    head, tail = hits[:k], hits[k:]
    question = truecase_with(library, question, head)  # names are read from capitals, as on the answer path
    order: dict[str, int] = {}
    for ev in rank_evidence(library, question, head, as_of):
        order.setdefault(ev.hit.chunk.id, len(order))
    score = {h.chunk.id: RERANK_FUSED_WEIGHT / (RERANK_K + i + 1) + 1 / (RERANK_K + order.get(h.chunk.id, len(head)) + 1)
             for i, h in enumerate(head)}
    return sorted(head, key=lambda h: -score[h.chunk.id]) + tail


def _retrieve(library, question: str, k: int, filters: Filters, method: Method, keep_top: int) -> list[ScoredChunk]:
    if filters.sources:
        filters = filters.resolved(library.sources())
    library.refresh()
    library.store.check_layout()
    ranked = ranked_ids(library, question, k, filters, method, keep_top)
    want = k + 2 * keep_top
    out: list[ScoredChunk] = []
    kept_terms: list[set[str]] = []
    lead_wanted = lead_ids(ranked, LEAD_ARTICLES)
    leads: dict[str, Chunk] = {}  # lead chunk id -> chunk, read with the first page
    # Chunks are read in pages, a few more than needed: most candidates past the first page are never used.
    page = want + 6
    for at in range(0, len(ranked), page):
        part = ranked[at : at + page]
        ask = [cid for cid, _ in part]
        chunks = library.store.get_chunks(ask + ([c for c in lead_wanted if c not in ask] if at == 0 else []))
        if at == 0:
            leads = {cid: chunks[cid] for cid in lead_wanted if cid in chunks}
        metas = library.article_meta({c.article_id for c in chunks.values()})
        for cid, score in part:
            ch = chunks.get(cid)
            if ch is None or ch.article_id not in metas:
                continue  # a chunk whose article record is not written yet (ingest in progress)
            terms = set(content_terms(ch.text))
            if any(_overlap(terms, t) >= NEAR_DUPLICATE for t in kept_terms):
                continue
            kept_terms.append(terms)
            m = metas[ch.article_id]
            out.append(ScoredChunk(chunk=ch, score=score, title=m["title"], source=m["source"], published=m["published"], url=m["url"]))
            if len(out) >= want:
                return with_leads(out, leads)
    return with_leads(out, leads)


def lead_ids(ranked: list[tuple[str, float]], n_articles: int) -> list[str]:
    """The lead (first) chunk id of each of the best ``n_articles`` articles."""
    out: list[str] = []
    for cid, _ in ranked:
        if len(out) >= n_articles:
            break
        lead = lead_chunk(cid)
        if lead not in out:
            out.append(lead)
    return out


def with_leads(hits: list[ScoredChunk], leads: dict[str, Chunk]) -> list[ScoredChunk]:
    """Each lead chunk placed right after its article's first hit (moved up when it is a later hit).

    News states its main fact first: a question matched by a later paragraph ("… recalled at Costco,
    Walmart …") is often answered by the lead ("Canned tuna sold at …").
    """
    out = list(hits)
    for lead_id, lead in leads.items():
        at = next((i for i, h in enumerate(out) if h.chunk.article_id == lead.article_id), None)
        if at is None or out[at].chunk.id == lead_id:
            continue
        was = next((i for i, h in enumerate(out) if h.chunk.id == lead_id), None)
        moved = out.pop(was) if was is not None else out[at].model_copy(update={"chunk": lead, "dense_rank": None, "bm25_rank": None})
        out.insert(at + 1, moved)
    return out


def ranked_ids(library, question: str, k: int, filters: Filters, method: Method, keep_top: int = 0) -> list[tuple[str, float]]:
    """(chunk id, score) candidates, best first, more than k so duplicates can be dropped."""
    n_cand = max(3 * k, CANDIDATES_MIN)
    window = timewords.resolve(question, filters.as_of_day())
    question = timewords.without(question, window)  # "this week" is a time, not words to match
    dense: list[tuple[str, float, int]] = []
    lexical: list[tuple[str, float, int]] = []
    if method in ("fused", "dense"):
        dense = dense_ranked(library, question, n_cand, filters)
    if method in ("fused", "bm25"):
        sources = set(filters.sources) if filters.sources else None
        lexical = library.lexical().search(
            question, n_cand, sources, published_day(filters.since or ""), published_day(filters.until or ""),
            published_day(filters.as_of or ""),
        )
    days = {cid: day for cid, _, day in dense + lexical}
    when = (window, filters.as_of_day(), days)
    if method == "dense":
        return prefer_time([(c, s) for c, s, _ in dense], *when)
    if method == "bm25":
        return prefer_time([(c, s) for c, s, _ in lexical], *when)
    fused = prefer_time(rrf([(dense, DENSE_WEIGHT), (lexical, BM25_WEIGHT)]), *when)
    if keep_top:
        # the fused order, with each list's own top hits moved up to just after the top k
        top = {c for c, _ in fused[:k]}
        own = {c for c, *_ in dense[:keep_top]} | {c for c, *_ in lexical[:keep_top]}
        fused = [x for x in fused if x[0] in top] + [x for x in fused if x[0] in own - top] + [
            x for x in fused if x[0] not in top | own
        ]
    return fused


def prefer_time(ranked: list[tuple[str, float]], window, as_of: date, days: dict[str, int]) -> list[tuple[str, float]]:
    """Reorder by the question's time: scores grow for articles in (or near) its window, or, without
    time words, slightly for newer articles. A preference, never a filter (see rag.timewords)."""
    out = [(cid, score * (1.0 + timewords.boost(window, timewords.day_of(days.get(cid, 0)), as_of))) for cid, score in ranked]
    return sorted(out, key=lambda x: -x[1])


def dense_ranked(library, question: str, n: int, filters: Filters) -> list[tuple[str, float, int]]:
    """(chunk id, similarity, published day) best first: each chunk scored by its sentence nearest the question.

    The as-of rule is applied to the nearest sentences afterwards: a Chroma query with a
    metadata filter searches by brute force (~0.6 s on the dev corpus's 120k sentences against
    ~10 ms without). Only when too little survives is the filtered query run.
    """
    vec = library.embed_query(question)
    limit = published_day(filters.as_of or "")
    where = replace(filters, as_of=None).chroma_where()
    rows = library.store.sentence_search(vec, n * SENTENCES_PER_CHUNK, where)
    best = _best_per_chunk(rows, chunk_days(library, {cid for _, cid, _ in rows}), limit)
    if limit and len(best) < n and len(rows) >= n * SENTENCES_PER_CHUNK:
        rows = library.store.sentence_search(vec, n * SENTENCES_PER_CHUNK, filters.chroma_where())
        best = _best_per_chunk(rows, chunk_days(library, {cid for _, cid, _ in rows}), 0)
    return sorted(((cid, sim, day) for cid, (sim, day) in best.items()), key=lambda x: -x[1])[:n]


def chunk_days(library, chunk_ids: set[str]) -> dict[str, int]:
    """Published day (YYYYMMDD, 0 unknown) of each chunk's article, from the cached article metadata;
    a chunk whose article record is not written yet is left out."""
    article_of = {cid: article_id_of(cid) for cid in chunk_ids}
    metas = library.article_meta(set(article_of.values()))
    return {cid: published_day(metas[a].get("published", "")) for cid, a in article_of.items() if a in metas}


def _best_per_chunk(rows, days: dict[str, int], limit: int) -> dict[str, tuple[float, int]]:
    best: dict[str, tuple[float, int]] = {}
    for _, cid, sim in rows:
        if cid not in days:
            continue  # its article is being written (ingest in progress)
        day = days[cid]
        if limit and day and day > limit:
            continue
        if sim > best.get(cid, (-2.0, 0))[0]:
            best[cid] = (sim, day)
    return best


def rrf(lists: list[tuple[list[tuple], float]]) -> list[tuple[str, float]]:
    """Weighted reciprocal rank fusion of (ranked list of (chunk id, score, …), weight) pairs."""
    scores: dict[str, float] = {}
    for lst, weight in lists:
        for rank, (cid, *_) in enumerate(lst):
            scores[cid] = scores.get(cid, 0.0) + weight / (RRF_K + rank + 1)
    return sorted(scores.items(), key=lambda x: -x[1])


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
