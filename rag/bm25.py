"""An incremental BM25 index over chunks, kept beside the store and saved in the data folder."""

from __future__ import annotations

import math
import os
import pickle
import threading
from collections import Counter
from pathlib import Path
from typing import Iterable

from .text import content_terms

K1 = 1.2
B = 0.75


class BM25Index:
    """Okapi BM25 with add/remove per article, so ingest and delete update it in place."""

    def __init__(self):
        self.generation = -1
        self.postings: dict[str, dict[str, int]] = {}  # term -> {chunk id: tf}
        self.doc_len: dict[str, int] = {}
        self.doc_terms: dict[str, tuple[str, ...]] = {}
        self.doc_meta: dict[str, tuple[str, str, int]] = {}  # chunk id -> (article id, source, day)
        self.by_article: dict[str, list[str]] = {}
        self.total_len = 0
        self.lock = threading.RLock()

    def __len__(self) -> int:
        return len(self.doc_len)

    def add(self, chunk_id: str, text: str, article_id: str, source: str, day: int) -> None:
        terms = content_terms(text)
        with self.lock:
            if chunk_id in self.doc_len:
                self._remove_chunk(chunk_id)
            tf = Counter(terms)
            for t, n in tf.items():
                self.postings.setdefault(t, {})[chunk_id] = n
            self.doc_len[chunk_id] = len(terms)
            self.doc_terms[chunk_id] = tuple(tf)
            self.doc_meta[chunk_id] = (article_id, source, day)
            self.by_article.setdefault(article_id, []).append(chunk_id)
            self.total_len += len(terms)

    def remove_articles(self, article_ids: Iterable[str]) -> None:
        with self.lock:
            for a in article_ids:
                for cid in self.by_article.pop(a, []):
                    self._remove_chunk(cid, keep_article=True)

    def _remove_chunk(self, cid: str, keep_article: bool = False) -> None:
        for t in self.doc_terms.pop(cid, ()):
            p = self.postings.get(t)
            if p is not None:
                p.pop(cid, None)
                if not p:
                    del self.postings[t]
        self.total_len -= self.doc_len.pop(cid, 0)
        meta = self.doc_meta.pop(cid, None)
        if meta and not keep_article:
            lst = self.by_article.get(meta[0], [])
            if cid in lst:
                lst.remove(cid)

    def search(
        self, query: str, k: int, sources: set[str] | None = None, since: int = 0, until: int = 0, as_of: int = 0
    ) -> list[tuple[str, float]]:
        """(chunk id, score) of the k best chunks for the query, with source and date filters.

        ``until`` keeps dated articles only; ``as_of`` drops those published after it and keeps undated ones.
        """
        q = set(content_terms(query))
        with self.lock:
            n = len(self.doc_len)
            if not n or not q:
                return []
            avg = self.total_len / n or 1.0
            scores: dict[str, float] = {}
            for t in q:
                p = self.postings.get(t)
                if not p:
                    continue
                idf = math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5))
                for cid, tf in p.items():
                    dl = self.doc_len[cid]
                    scores[cid] = scores.get(cid, 0.0) + idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avg))
            if sources or since or until or as_of:
                scores = {c: s for c, s in scores.items() if _keep(self.doc_meta[c], sources, since, until, as_of)}
        return sorted(scores.items(), key=lambda x: -x[1])[:k]

    def idf(self, term: str) -> float:
        """Inverse document frequency of a stemmed term (unknown terms count as rare)."""
        n = max(len(self.doc_len), 1)
        df = len(self.postings.get(term, ()))
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    # ------------------------------------------------------------ persistence

    def save(self, path: Path) -> None:
        """Write atomically: a crash leaves the old file or the new one, never half of one."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with self.lock:
            state = {k: v for k, v in self.__dict__.items() if k != "lock"}
            with open(tmp, "wb") as f:
                pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> "BM25Index | None":
        try:
            with open(path, "rb") as f:
                state = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            return None
        idx = cls()
        idx.__dict__.update(state)
        return idx


def _keep(meta: tuple[str, str, int], sources: set[str] | None, since: int, until: int, as_of: int = 0) -> bool:
    _, source, day = meta
    if as_of and day > as_of:
        return False
    if sources and source not in sources:
        return False
    if since and day < since:
        return False
    if until and (not day or day > until):
        return False
    return True
