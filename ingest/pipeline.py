"""Ingest: load → dedupe → chunk → embed → store, idempotent and safe to kill at any moment."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from rag.models import Article, text_hash

from .chunking import chunk_article, record_hash
from .loaders import Loaded

BATCH_ARTICLES = 16


@dataclass
class IngestReport:
    """What an ingest did, item by item, with its speed."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (origin, reason)
    results: list[dict] = field(default_factory=list)  # per input item, in order
    chunks: int = 0
    tokens: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0

    @property
    def ingested(self) -> int:
        return len(self.added) + len(self.updated)

    @property
    def ok(self) -> bool:
        """False only when there was input and none of it could be stored."""
        return bool(self.added or self.updated or self.unchanged) or not self.skipped

    def summary(self) -> dict:
        s = max(self.seconds, 1e-9)
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "skipped": [{"item": o, "reason": r} for o, r in self.skipped],
            "chunks": self.chunks,
            "tokens": self.tokens,
            "seconds": round(self.seconds, 3),
            "articles_per_s": round(self.ingested / s, 2),
            "chunks_per_s": round(self.chunks / s, 2),
            "results": self.results,
        }


def ingest_items(
    library,
    items: Iterable[Loaded],
    progress: Callable[[int, int], None] | None = None,
) -> IngestReport:
    """Store every article of ``items``; skip bad ones with a reason; ``progress(articles, chunks)`` per batch."""
    from .embeddings import count_tokens

    report = IngestReport()
    t0 = time.perf_counter()
    seen: dict[str, tuple[str, str]] = {}  # id -> (hash, origin) within this run
    pending: list[tuple[str, Article]] = []

    for item in items:
        if item.article is None:
            report.skipped.append((item.origin, item.skipped or "skipped"))
            report.results.append({"item": item.origin, "status": "skipped", "reason": item.skipped})
            continue
        art = item.article
        h = text_hash(art.text)
        if art.id in seen:
            first_hash, first_origin = seen[art.id]
            reason = (
                f"duplicate of {first_origin}"
                if first_hash == h
                else f"id {art.id} already used by {first_origin} with different text"
            )
            report.skipped.append((item.origin, reason))
            report.results.append({"item": item.origin, "status": "skipped", "reason": reason, "id": art.id})
            continue
        seen[art.id] = (h, item.origin)
        pending.append((item.origin, art))

    def flush(batch: list[tuple[str, Article]]):
        stored = library.store.stored_hashes([a.id for _, a in batch])
        todo = []
        for origin, art in batch:
            old = stored.get(art.id)
            if old == record_hash(art.text):
                report.unchanged.append(art.id)
                report.results.append({"item": origin, "status": "unchanged", "id": art.id, "title": art.title})
                continue
            chunks = chunk_article(art.id, art.text)
            if not chunks:
                report.skipped.append((origin, "no sentences in article text"))
                report.results.append({"item": origin, "status": "skipped", "reason": "no sentences"})
                continue
            todo.append((origin, art, chunks, old is not None))
        if not todo:
            return
        texts = [c.text for _, _, chunks, _ in todo for c in chunks]
        te = time.perf_counter()
        vecs = library.embedder.embed(texts)
        report.embed_seconds += time.perf_counter() - te
        report.tokens += sum(count_tokens(texts))
        items_, pos = [], 0
        for origin, art, chunks, _ in todo:
            items_.append((art, chunks, vecs[pos : pos + len(chunks)]))
            pos += len(chunks)
        library.write(items_, save_index=False)
        for origin, art, chunks, was_there in todo:
            (report.updated if was_there else report.added).append(art.id)
            report.results.append(
                {"item": origin, "status": "updated" if was_there else "added", "id": art.id, "title": art.title, "chunks": len(chunks)}
            )
            report.chunks += len(chunks)

    try:
        for s in range(0, len(pending), BATCH_ARTICLES):
            batch = pending[s : s + BATCH_ARTICLES]
            flush(batch)
            if progress:
                progress(len(batch), report.chunks)
    finally:
        library.save_index()
        report.seconds = time.perf_counter() - t0
    return report


def ingest_paths(library, paths: Sequence[str], progress=None) -> IngestReport:
    """Ingest files and folders (recursively)."""
    from .loaders import load_paths

    return ingest_items(library, list(load_paths(paths)), progress)
