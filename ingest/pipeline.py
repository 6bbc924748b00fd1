"""Ingest: load → dedupe → chunk → embed → store, idempotent and safe to kill at any moment."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import numpy as np

from .models import Article, chunk_id, content_id, text_hash

from .chunking import chunk_article, record_hash
from .loaders import Loaded, SizeReason, check_article
from .store import LAYOUT, StoreError

BATCH_ARTICLES = 16


@dataclass
class IngestReport:
    """What an ingest did, item by item, with its speed."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (origin, reason)
    results: list[dict] = field(default_factory=list)  # per input item, in order
    migrated: int = 0  # articles of an older store re-indexed before this ingest
    too_large: int = 0  # items skipped for a size limit (the API answers 413 when nothing else was stored)
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
            "migrated": self.migrated,
            "skipped": [{"item": o, "reason": r} for o, r in self.skipped],
            "chunks": self.chunks,
            "tokens": self.tokens,
            "seconds": round(self.seconds, 3),
            "articles_per_s": round(self.ingested / s, 2),
            "chunks_per_s": round(self.chunks / s, 2),
            "results": self.results,
        }


def article_hash(art: Article) -> str:
    """What the store records per article: text, metadata and chunker version (any change re-stores it)."""
    meta = json.dumps([art.title, art.source, art.published, art.url, art.authors], ensure_ascii=False)
    return f"{record_hash(art.text)}:m{text_hash(meta)[:12]}"


def ingest_items(
    library,
    items: Iterable[Loaded],
    progress: Callable[[int, int], None] | None = None,
    on_wait: Callable[[], None] | None = None,
    migrate: bool = True,
    force: bool = False,
) -> IngestReport:
    """Store every article of ``items`` (read lazily, a batch at a time); skip bad ones with a reason.

    Holds the data folder's write lock throughout, so a second ingest waits (``on_wait`` is
    called once if it must) and then finds the articles unchanged. ``progress(articles,
    chunks)`` is called after each stored batch.
    """
    from .embeddings import count_tokens

    report = IngestReport()
    t0 = time.perf_counter()
    seen: dict[str, tuple[str, str]] = {}  # id -> (hash, origin) within this run

    def skip(origin: str, reason: str, **extra) -> None:
        report.skipped.append((origin, reason))
        report.results.append({"item": origin, "status": "skipped", "reason": reason, **extra})

    def flush(batch: list[tuple[str, Article, str]]) -> None:
        stored = library.store.stored_hashes([a.id for _, a, _ in batch])
        todo = []
        for origin, art, h in batch:
            old = stored.get(art.id)
            if old == h and not force:
                report.unchanged.append(art.id)
                report.results.append({"item": origin, "status": "unchanged", "id": art.id, "title": art.title})
                continue
            chunks = chunk_article(art.id, art.text)
            if not chunks:
                skip(origin, "no sentences in article text")
                continue
            version = h.split(":")[0][:8]
            for i, ch in enumerate(chunks):
                ch.id = chunk_id(art.id, version, i)
            todo.append((origin, art, chunks, h, old is not None))
        if not todo:
            return
        # One vector per sentence (the answer stage reads them back instead of embedding at
        # question time); a chunk's vector is the normalised mean of its sentences'.
        texts = [art.text[s:e] for _, art, chunks, _, _ in todo for c in chunks for s, e in c.sentences]
        te = time.perf_counter()
        svecs = library.embedder.embed(texts)
        report.embed_seconds += time.perf_counter() - te
        report.tokens += sum(count_tokens(texts))
        rows, pos = [], 0
        for origin, art, chunks, h, _ in todo:
            n = sum(len(c.sentences) for c in chunks)
            mine = svecs[pos : pos + n]
            rows.append((art, chunks, chunk_vectors(chunks, mine), h, mine))
            pos += n
        failed = _write(library, rows)
        for (origin, art, chunks, _, was_there), problem in zip(todo, failed):
            if problem:
                skip(origin, f"could not be stored: {problem}", id=art.id)
                continue
            (report.updated if was_there else report.added).append(art.id)
            report.results.append(
                {"item": origin, "status": "updated" if was_there else "added", "id": art.id, "title": art.title, "chunks": len(chunks)}
            )
            report.chunks += len(chunks)
        _drop_legacy_ids(library, [art for (_, art, _, _, _), problem in zip(todo, failed) if not problem])

    with library.write_lock(on_wait):
        if migrate and library.store.layout() < LAYOUT:
            # A store of an older layout: re-index what it holds first, from its stored text.
            done = ingest_items(library, stored_articles(library), progress, migrate=False, force=True)
            report.migrated = done.ingested
            report.skipped.extend(done.skipped)
        pending: list[tuple[str, Article, str]] = []
        try:
            for item in items:
                if item.article is None:
                    skip(item.origin, item.skipped or "skipped")
                    report.too_large += bool(getattr(item, "too_large", False))
                    continue
                art, problem = check_article(item.article)
                if art is None:
                    skip(item.origin, problem or "invalid article")
                    report.too_large += isinstance(problem, SizeReason)
                    continue
                h = article_hash(art)
                if art.id in seen:
                    first_hash, first_origin = seen[art.id]
                    reason = (
                        f"duplicate of {first_origin}"
                        if first_hash == h
                        else f"id {art.id} already used by {first_origin} with different text"
                    )
                    skip(item.origin, reason, id=art.id)
                    continue
                seen[art.id] = (h, item.origin)
                pending.append((item.origin, art, h))
                if len(pending) >= BATCH_ARTICLES:
                    flush(pending)
                    if progress:
                        progress(len(pending), report.chunks)
                    pending = []
            if pending:
                flush(pending)
                if progress:
                    progress(len(pending), report.chunks)
        finally:
            report.seconds = time.perf_counter() - t0
    return report


def chunk_vectors(chunks: list, sentence_vectors: np.ndarray) -> np.ndarray:
    """Each chunk's vector: the L2-normalised mean of its sentences' vectors (in chunk order)."""
    out = np.zeros((len(chunks), sentence_vectors.shape[1] if len(sentence_vectors) else 384), dtype=np.float32)
    j = 0
    for i, c in enumerate(chunks):
        n = len(c.sentences)
        v = sentence_vectors[j : j + n].mean(axis=0)
        out[i] = v / (np.linalg.norm(v) or 1.0)
        j += n
    return out


def stored_articles(library) -> Iterable[Loaded]:
    """Every article the store holds, as ingest input (to re-index a store of an older layout)."""
    ids = [a.id for a in library.store.list_articles()]
    for s in range(0, len(ids), BATCH_ARTICLES):
        arts = library.store.get_articles(ids[s : s + BATCH_ARTICLES])
        for i in ids[s : s + BATCH_ARTICLES]:
            if i in arts:
                yield Loaded(f"stored article {i}", article=arts[i])


def _write(library, rows: list) -> list[str | None]:
    """Write a batch; if the batch fails, write its articles one by one so one bad article costs only itself.

    Returns, per row, None (stored) or the one-line reason it could not be stored.
    """
    try:
        library.write(rows)
        return [None] * len(rows)
    except StoreError as e:
        if len(rows) == 1:
            return [str(e)]
        first = str(e)
    out: list[str | None] = []
    for row in rows:
        try:
            library.write([row])
            out.append(None)
        except StoreError as e:
            out.append(str(e))
    if all(out):
        raise StoreError(first)  # the store itself is failing, not one article
    return out


def _drop_legacy_ids(library, arts: list[Article]) -> None:
    """Articles once keyed by their text hash and now by their file or url: remove the old copy."""
    legacy = {content_id(a.text): a.id for a in arts}
    legacy = {old: new for old, new in legacy.items() if old != new}
    if legacy:
        present = library.store.stored_hashes(list(legacy))
        if present:
            library.delete(list(present))


def ingest_paths(library, paths: Sequence[str], progress=None, on_wait=None) -> IngestReport:
    """Ingest files and folders (recursively), one file at a time."""
    from .loaders import load_paths

    return ingest_items(library, load_paths(paths), progress, on_wait)
