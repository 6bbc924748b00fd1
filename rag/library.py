"""The opened collection: settings, embedder, Chroma store and the BM25 index, kept in step."""

from __future__ import annotations

import threading
from typing import Callable, Sequence

import numpy as np

from ingest.embeddings import Embedder, get_embedder
from ingest.store import Store, StoreError, published_day  # noqa: F401  (StoreError re-exported)
from rag.models import Article, Chunk

from .bm25 import BM25Index
from .settings import Settings, get_settings


class Library:
    """Everything a question or an ingest needs; one per process and settings."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.embedder = embedder or get_embedder(settings)
        self.store = Store(settings, self.embedder.name)
        self._bm25: BM25Index | None = None
        self._lock = threading.Lock()
        self._query_cache: dict[str, np.ndarray] = {}
        self._cache_lock = threading.Lock()
        # The store generation our open Chroma client is known to see (other processes bump it).
        self._fresh_gen = self.store.generation()

    @property
    def bm25_path(self):
        return self.settings.data_dir / f"bm25-{self.settings.collection}.pkl"

    def bm25(self) -> BM25Index:
        """The BM25 index, rebuilt only when another process changed the store."""
        gen = self.store.generation()
        if self._bm25 is not None and self._bm25.generation == gen:
            return self._bm25
        with self._lock:
            if self._bm25 is not None and self._bm25.generation == gen:
                return self._bm25
            idx = BM25Index.load(self.bm25_path)
            if idx is None or idx.generation != gen:
                idx = BM25Index()
                for cid, text, m in self.store.iter_chunks():
                    idx.add(cid, text, m["article_id"], m.get("source", ""), int(m.get("day", 0)))
                idx.generation = gen
                self._save(idx)
            self._bm25 = idx
            return idx

    def embed_query(self, text: str) -> np.ndarray:
        """The vector of a question or query (the last few are cached: retrieval and evidence share it)."""
        with self._cache_lock:
            hit = self._query_cache.get(text)
        if hit is not None:
            return hit
        vec = self.embedder.embed([text])[0]
        with self._cache_lock:
            self._query_cache[text] = vec
            while len(self._query_cache) > 256:
                self._query_cache.pop(next(iter(self._query_cache)))
        return vec

    def sources(self) -> set[str]:
        """Every publisher name in the store, as stored (for matching source filters)."""
        idx = self.bm25()
        if getattr(self, "_sources_gen", None) != idx.generation or idx.generation < 0:
            self._sources = {m[1] for m in list(idx.doc_meta.values()) if m[1]}
            self._sources_gen = idx.generation
        return self._sources

    def refresh(self) -> None:
        """See other processes' writes: reopen the store when someone else changed it since we last looked."""
        gen = self.store.generation()
        if gen != self._fresh_gen:
            self.store.reopen()
            self._fresh_gen = gen

    def _save(self, idx: BM25Index) -> None:
        try:
            idx.save(self.bm25_path)
        except OSError:
            pass  # a read-only data folder only costs a rebuild next time

    def write_lock(self, on_wait: Callable[[], None] | None = None):
        """The data folder's one-writer lock (re-entrant): ``with library.write_lock(): ...``."""
        return self.store.lock.hold(on_wait)

    def write(self, items: Sequence[tuple[Article, list[Chunk], np.ndarray, str, np.ndarray]], save_index: bool = True) -> None:
        """Store articles (article, chunks, chunk vectors, record hash, sentence vectors); update BM25 in place."""
        with self.write_lock():
            self.refresh()  # never write through a stale index over another process's vectors
            idx = self.bm25()
            before = idx.generation
            self.store.write(items)
            idx.remove_articles(a.id for a, *_ in items)
            for art, chunks, *_ in items:
                for ch in chunks:
                    idx.add(ch.id, ch.text, art.id, art.source, published_day(art.published))
            self._after_write(idx, before, save_index)

    def delete(self, ids: Sequence[str]) -> list[str]:
        """Delete articles from the store and the BM25 index; returns the ids that existed."""
        with self.write_lock():
            self.refresh()
            idx = self.bm25()
            before = idx.generation
            gone = self.store.delete(ids)
            if gone:
                idx.remove_articles(gone)
                self._after_write(idx, before, True)
            return gone

    def _after_write(self, idx: BM25Index, before: int, save: bool) -> None:
        gen = self.store.generation()
        if self._fresh_gen == gen - 1:
            self._fresh_gen = gen  # only our own write since we last looked: the client sees it
        # Only our own write happened in between: the in-place update is exact.
        idx.generation = gen if gen == before + 1 else -1
        if save:
            self._save(idx)

    def save_index(self) -> None:
        if self._bm25 is not None:
            self._save(self._bm25)


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
