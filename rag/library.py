"""The opened collection: settings, embedder, Chroma store and the lexical index, kept in step."""

from __future__ import annotations

import threading
from datetime import date
from typing import Callable, Sequence

import numpy as np

from ingest.embeddings import Embedder, get_embedder
from ingest.recent import Recent
from ingest.store import Store, StoreError, published_day  # noqa: F401  (StoreError re-exported)
from rag.models import Article, Chunk

from .lexical import LexicalIndex, rows_of
from .settings import Settings, get_settings
from .timewords import day_of


META_CACHE = 50_000  # article records kept in memory (a few hundred bytes each)


class Library:
    """Everything a question or an ingest needs; one per process and settings."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.embedder = embedder or get_embedder(settings)
        self.store = Store(settings, self.embedder.name)
        self._lexical: LexicalIndex | None = None
        self._lock = threading.Lock()
        self._query_cache: Recent[str, np.ndarray] = Recent(256)
        self._cache_lock = threading.Lock()
        self._meta_cache: dict[str, dict] = {}
        self._meta_gen = -1
        # The store generation our open Chroma client is known to see (other processes bump it).
        self._fresh_gen = self.store.generation()

    @property
    def lexical_path(self):
        return self.settings.data_dir / f"lexical-{self.settings.collection}"

    def lexical(self) -> LexicalIndex:
        """The lexical (BM25) index, in step with the store: reloaded when another process committed to
        it, rebuilt from the store when it is out of step and no writer is busy (see rag.lexical)."""
        gen = self.store.generation()
        idx = self._lexical
        if idx is None:
            with self._lock:
                if self._lexical is None:
                    self._lexical = _open_lexical(self.lexical_path)
            idx = self._lexical
        if idx.generation == gen or idx.refresh() == gen:
            return idx
        try:
            with self.store.lock.try_hold() as mine:
                if mine and idx.refresh() != self.store.generation():
                    self._rebuild(idx)
        except StoreError:
            if idx.path is None:  # a read-only data folder: kept in memory, rebuilt per process
                with self._lock:
                    if idx.generation != self.store.generation():
                        self._rebuild(idx)
        return idx

    def _rebuild(self, idx: LexicalIndex) -> None:
        gen = self.store.generation()
        idx.clear()
        idx.update((), self._index_rows())
        idx.set_generation(gen)
        legacy = self.settings.data_dir / f"bm25-{self.settings.collection}.pkl"  # the index before tantivy
        legacy.unlink(missing_ok=True)

    def _index_rows(self):
        """Every stored chunk as a lexical index row, with its article's title (read a page of chunks at a time)."""
        page: list = []
        for row in self.store.iter_chunks():
            page.append(row)
            if len(page) >= 2000:
                yield from self._with_titles(page)
                page = []
        yield from self._with_titles(page)

    def _with_titles(self, page: list):
        metas = self.article_meta({m["article_id"] for _, _, m in page})
        for cid, text, m in page:
            title = metas.get(m["article_id"], {}).get("title", "")
            yield cid, text, m["article_id"], m.get("source", ""), int(m.get("day", 0)), title

    def embed_query(self, text: str) -> np.ndarray:
        """The vector of a question or query (the last few are cached: retrieval and evidence share it)."""
        # Embedded without its question mark: answers are statements, and with the "?" a question's vector leans
        # toward other questions (headlines such as "Who was Jimmy Carter?"). Measured with CANDIDATES_MIN 50
        # (rag/tuning.py): dev fused top-5 46.0% -> 48.7%, held-out scale set answers 27.7% -> 28.2%.
        text = text.rstrip().rstrip("?").rstrip() or text
        # An uncased model gives "russia" and "Russia" one vector: a question re-capitalised (rag.truecase) is not re-embedded
        key = text.lower() if getattr(self.embedder, "uncased", False) else text
        vec = self._query_cache.get(key)
        if vec is None:
            vec = self.embedder.embed([text])[0]
            self._query_cache.put(key, vec)
        return vec

    def article_meta(self, ids: set[str]) -> dict[str, dict]:
        """Title, source, date and url of these articles, by id (kept per store generation: the same
        articles answer many questions, and a Chroma read costs ~0.1 ms a row)."""
        gen = self.store.generation()
        with self._cache_lock:
            if self._meta_gen != gen:
                self._meta_cache, self._meta_gen = {}, gen
            out = {i: self._meta_cache[i] for i in ids if i in self._meta_cache}
        missing = [i for i in ids if i not in out]
        if missing:
            got = self.store.articles.get(ids=missing, include=["metadatas"])
            out.update(zip(got["ids"], got["metadatas"]))
            with self._cache_lock:
                if self._meta_gen == gen:
                    if len(self._meta_cache) > META_CACHE:
                        self._meta_cache.clear()
                    self._meta_cache.update(zip(got["ids"], got["metadatas"]))
        return out

    def sources(self) -> set[str]:
        """Every publisher name in the store, as stored (for matching source filters)."""
        gen = self.store.generation()
        if getattr(self, "_sources_gen", None) != gen:
            self._sources = {a.source for a in self.store.list_articles() if a.source}
            self._sources_gen = gen
        return self._sources

    def newest_day(self, day: date) -> date | None:
        """The newest publication day in the store on or before ``day``; None when no dated article is (read from
        the lexical index's day field: one look-up, whatever the archive's size)."""
        return day_of(self.lexical().newest_day(published_day(day.isoformat())))

    def refresh(self) -> None:
        """See other processes' writes: reopen the store when someone else changed it since we last looked."""
        gen = self.store.generation()
        if gen != self._fresh_gen:
            self.store.reopen()
            self._fresh_gen = gen

    def write_lock(self, on_wait: Callable[[], None] | None = None):
        """The data folder's one-writer lock (re-entrant): ``with library.write_lock(): ...``."""
        return self.store.lock.hold(on_wait)

    def write(self, items: Sequence[tuple[Article, list[Chunk], np.ndarray, str, np.ndarray]]) -> None:
        """Store articles (article, chunks, chunk vectors, record hash, sentence vectors) and index their chunks."""
        with self.write_lock():
            self.refresh()  # never write through a stale index over another process's vectors
            idx = self.lexical()
            before = idx.generation
            self.store.write(items)
            idx.update([a.id for a, *_ in items], rows_of(items))
            self._after_write(idx, before)

    def delete(self, ids: Sequence[str]) -> list[str]:
        """Delete articles from the store and the lexical index; returns the ids that existed."""
        with self.write_lock():
            self.refresh()
            idx = self.lexical()
            before = idx.generation
            gone = self.store.delete(ids)
            if gone:
                idx.update(gone, ())
                self._after_write(idx, before)
            return gone

    def _after_write(self, idx: LexicalIndex, before: int) -> None:
        gen = self.store.generation()
        if self._fresh_gen == gen - 1:
            self._fresh_gen = gen  # only our own write since we last looked: the client sees it
        # Only our own write happened in between: the in-place update is exact (else the next reader rebuilds).
        if gen == before + 1:
            idx.set_generation(gen)


_libraries: dict[tuple, Library] = {}
_open_lock = threading.Lock()


def get_library(settings: Settings | None = None) -> Library:
    """The process-wide Library for these settings (opened once)."""
    settings = settings or get_settings()
    key = (str(settings.data_dir.resolve()), settings.chroma_url, settings.collection, settings.embed_backend, settings.embed_model)
    with _open_lock:
        lib = _libraries.get(key)
        if lib is None:
            lib = _libraries[key] = Library(settings)
        return lib


def _open_lexical(path) -> LexicalIndex:
    """The on-disk index, or one in memory when the data folder cannot hold it (read-only)."""
    try:
        return LexicalIndex(path)
    except (OSError, ValueError):
        return LexicalIndex(None)
