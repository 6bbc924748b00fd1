"""The article and chunk store on Chroma: embedded (PersistentClient) or a Chroma server (HttpClient).

Four collections under one prefix:
- ``<prefix>_chunks``: chunk text, its vector (the mean of its sentences'), and metadata (article id, offsets, source, date);
- ``<prefix>_sentences``: one vector per sentence, with its article, chunk, offsets, source and date;
- ``<prefix>_articles``: the full article text and metadata, so citations can be shown in context;
- ``<prefix>_meta``: a generation counter bumped on every write (other processes notice changes) and the layout.

An article record is written *after* its chunks and sentences; an article without a record, or
with another record hash, is (re)done by the next ingest. That keeps a killed ingest consistent.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from . import redact as _offline  # noqa: F401  (sets telemetry env before chromadb loads)
from .models import Article, ArticleInfo, Chunk, chunk_of, sentence_id
from .recent import Recent
from .redact import redact

from .chroma_client import GET_PAGE, PrecomputedEmbeddings, Rows, forget_embedded_client, make_client
from .datadir import StoreError, WriteLock, with_timeout  # noqa: F401  (StoreError re-exported)

# 2: every sentence has its own vector (``<prefix>_sentences``); chunk vectors are their mean.
LAYOUT = 2


def published_day(iso: str) -> int:
    """YYYYMMDD as an int (0 when unknown), for Chroma range filters."""
    return int(iso.replace("-", "")) if iso and len(iso) == 10 else 0


# Sentence vectors (1.5 KB each) and chunks kept in memory by the answer path: ~30 MB and ~10 MB at most.
CACHED_VECTORS = 20_000
CACHED_CHUNKS = 5_000


class Store:
    """Articles, chunks and vectors in Chroma; the one place that reads or writes them."""

    def __init__(self, settings, embed_model: str):
        self.settings = settings
        self.embed_model = embed_model
        self.lock = WriteLock(settings.data_dir)
        self._vectors: Recent[str, np.ndarray] = Recent(CACHED_VECTORS)
        self._chunks: Recent[str, Chunk] = Recent(CACHED_CHUNKS)
        self._open()

    def _open(self) -> None:
        if self.settings.chroma_url:
            with_timeout(self._open_collections, f"the Chroma server at {redact(self.settings.chroma_url)}")
        else:
            self._open_collections()

    def _open_collections(self) -> None:
        embed_model = self.embed_model
        self._layout: int | None = None
        self.client = make_client(self.settings)
        prefix = self.settings.collection
        try:
            self.chunks = self.client.get_or_create_collection(
                f"{prefix}_chunks",
                embedding_function=PrecomputedEmbeddings(embed_model),
                metadata={"hnsw:space": "cosine", "embed_model": embed_model},
            )
            self.articles = self.client.get_or_create_collection(
                f"{prefix}_articles", embedding_function=PrecomputedEmbeddings("none")
            )
            self.meta = self.client.get_or_create_collection(
                f"{prefix}_meta", embedding_function=PrecomputedEmbeddings("none")
            )
            self.sentences = self.client.get_or_create_collection(
                f"{prefix}_sentences",
                embedding_function=PrecomputedEmbeddings(embed_model),
                metadata={"hnsw:space": "cosine", "embed_model": embed_model},
            )
        except StoreError:
            raise
        except Exception as e:
            raise StoreError(f"cannot open the Chroma collections: {redact(str(e))}") from e
        stored = (self.chunks.metadata or {}).get("embed_model")
        if stored and stored != embed_model:
            raise StoreError(
                f"the store's vectors were made by {stored!r} but the embedder is {embed_model!r}; "
                "use the same NEWSQA_EMBED_* settings, or a new NEWSQA_COLLECTION / NEWSQA_DATA_DIR"
            )

    def layout(self) -> int:
        """The store's layout version: 1 = chunk vectors only (before the sentence index), 2 = sentence vectors."""
        if self._layout is None:
            got = self.meta.get(ids=["layout"], include=["metadatas"])
            if got["ids"]:
                self._layout = int(got["metadatas"][0]["value"])
            else:
                return LAYOUT if self.articles.count() == 0 else 1  # not cached: an empty store may fill
        return self._layout

    def _set_layout(self) -> None:
        if self._layout != LAYOUT:
            self.meta.upsert(ids=["layout"], embeddings=[[1.0]], metadatas=[{"value": LAYOUT}], documents=[""])
            self._layout = LAYOUT

    def check_layout(self) -> None:
        """Refuse to answer from a store of an older layout: it would be silently half-used."""
        if self.layout() < LAYOUT:
            raise StoreError(
                "this store was made by an older newsqa (no sentence index): run `newsqa ingest --migrate` once "
                f"to re-index its {self.articles.count()} articles (about a minute per 100)"
            )

    def reopen(self) -> None:
        """Open the collections anew so this process sees vectors another process wrote.

        An embedded Chroma client keeps its vector index in memory and does not notice
        another process's additions; a fresh client over the same folder loads them.
        """
        if self.settings.chroma_url:
            return  # a server is one process: every client sees every write
        forget_embedded_client(self.client)
        self._open_collections()

    # ------------------------------------------------------------ generation

    def generation(self) -> int:
        """A counter bumped on every write, to tell caches (and other processes) that the store changed.

        Read several times per question, so an embedded store also keeps it in a small file beside the
        Chroma folder (~20 µs to read against ~2 ms for a Chroma get); a Chroma server's is in the meta
        collection only (processes on other machines share nothing else).
        """
        if not self.settings.chroma_url:
            try:
                return int(self._generation_file.read_text())
            except (OSError, ValueError):
                pass  # a store written before the file existed: the meta record says
        got = self.meta.get(ids=["generation"], include=["metadatas"])
        return int(got["metadatas"][0]["value"]) if got["ids"] else 0

    @property
    def _generation_file(self) -> Path:
        return Path(self.settings.data_dir) / f".generation-{self.settings.collection}"

    def _bump(self) -> None:
        # Called under the write lock, so the read-increment-write cannot lose another process's bump.
        with self.lock.hold():
            g = self.generation() + 1
            self.meta.upsert(ids=["generation"], embeddings=[[1.0]], metadatas=[{"value": g}], documents=[""])
            if not self.settings.chroma_url:
                tmp = self._generation_file.with_name(self._generation_file.name + ".tmp")
                tmp.write_text(str(g))
                os.replace(tmp, self._generation_file)  # readers see the old number or the new, never half

    # ------------------------------------------------------------ writes

    def stored_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        """Record hash of each article already stored completely, by id."""
        out: dict[str, str] = {}
        for s in range(0, len(ids), GET_PAGE):
            got = self.articles.get(ids=list(ids[s : s + GET_PAGE]), include=["metadatas"])
            for i, m in zip(got["ids"], got["metadatas"]):
                out[i] = m.get("hash", "")
        return out

    def write(self, items: Sequence[tuple[Article, list[Chunk], np.ndarray, str, np.ndarray]]) -> None:
        """Replace these articles: new chunks and sentences first, then the records, then the old rows go.

        ``items`` are (article, chunks, chunk vectors, record hash, sentence vectors in chunk
        order). Row ids carry the record hash, so new rows never overwrite old ones: a failure
        before the records are written removes what it added and leaves the previous state
        whole, and a kill -9 leaves the old record (or none), which the next ingest redoes.
        """
        if not items:
            return
        with self.lock.hold():
            ids = [a.id for a, _, _, _, _ in items]
            chunk_rows = Rows()
            sent_rows = Rows()
            for art, chunks, vecs, _, svecs in items:
                day = published_day(art.published)
                j = 0
                for ch, v in zip(chunks, vecs):
                    chunk_rows.add(ch.id, v, {"article_id": art.id, "start": ch.start, "end": ch.end,
                                              "sentences": json.dumps(ch.sentences), "source": art.source, "day": day}, ch.text)
                    for n, (ss, se) in enumerate(ch.sentences):
                        sent_rows.add(sentence_id(ch.id, n), svecs[j], {"article_id": art.id, "chunk_id": ch.id, "start": ss, "end": se,
                                                                "source": art.source, "day": day})
                        j += 1
            try:
                chunk_rows.upsert(self.chunks)
                sent_rows.upsert(self.sentences)
                self.articles.upsert(
                    ids=ids,
                    documents=[a.text for a, _, _, _, _ in items],
                    embeddings=[[1.0]] * len(items),
                    metadatas=[
                        {
                            "title": a.title,
                            "source": a.source,
                            "published": a.published,
                            "day": published_day(a.published),
                            "url": a.url,
                            "authors": json.dumps(a.authors),
                            "hash": h,
                            "chunks": len(ch),
                            "chars": len(a.text),
                        }
                        for a, ch, _, h, _ in items
                    ],
                )
            except Exception as e:
                self._forget(self.chunks, chunk_rows.ids)
                self._forget(self.sentences, sent_rows.ids)
                raise StoreError(f"could not store {len(items)} article(s): {redact(str(e))}") from e
            for coll, keep in ((self.chunks, set(chunk_rows.ids)), (self.sentences, set(sent_rows.ids))):
                stale = [i for i in self._ids_of(coll, ids) if i not in keep]
                for s in range(0, len(stale), GET_PAGE):
                    coll.delete(ids=stale[s : s + GET_PAGE])
            self._set_layout()
            self._bump()

    @staticmethod
    def _forget(coll, row_ids: list[str]) -> None:
        try:
            for s in range(0, len(row_ids), GET_PAGE):
                coll.delete(ids=row_ids[s : s + GET_PAGE])
        except Exception:
            pass  # the store is failing; the next ingest removes these as stale rows

    @staticmethod
    def _ids_of(coll, article_ids: Sequence[str]) -> list[str]:
        out: list[str] = []
        for s in range(0, len(article_ids), 500):
            got = coll.get(where={"article_id": {"$in": list(article_ids[s : s + 500])}}, include=[])
            out.extend(got["ids"])
        return out

    def delete(self, ids: Iterable[str]) -> list[str]:
        """Delete articles and their chunks; returns the ids that existed."""
        ids = list(ids)
        with self.lock.hold():
            existing = self.articles.get(ids=ids, include=[])["ids"] if ids else []
            if existing:
                self.articles.delete(ids=existing)
                self.chunks.delete(where={"article_id": {"$in": existing}})
                self.sentences.delete(where={"article_id": {"$in": existing}})
                self._bump()
        return existing

    # ------------------------------------------------------------ reads

    def count(self) -> tuple[int, int]:
        """(articles, chunks)."""
        return self.articles.count(), self.chunks.count()

    def get_article(self, article_id: str) -> Article | None:
        got = self.articles.get(ids=[article_id], include=["documents", "metadatas"])
        if not got["ids"]:
            return None
        return _article(got["ids"][0], got["documents"][0], got["metadatas"][0])

    def get_articles(self, ids: Sequence[str]) -> dict[str, Article]:
        got = self.articles.get(ids=list(ids), include=["documents", "metadatas"])
        return {i: _article(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}

    def list_articles(self) -> list[ArticleInfo]:
        """Every article's metadata, newest first."""
        out: list[ArticleInfo] = []
        total = self.articles.count()
        for off in range(0, total, GET_PAGE):
            got = self.articles.get(include=["metadatas"], limit=GET_PAGE, offset=off)
            for i, m in zip(got["ids"], got["metadatas"]):
                out.append(ArticleInfo(id=i, chunks=int(m.get("chunks", 0)), chars=int(m.get("chars", 0)), **_metadata(m)))
        out.sort(key=lambda a: (a.published, a.title), reverse=True)
        return out

    def iter_chunks(self) -> Iterable[tuple[str, str, dict]]:
        """(id, text, metadata) of every chunk, in pages."""
        total = self.chunks.count()
        for off in range(0, total, GET_PAGE):
            got = self.chunks.get(include=["documents", "metadatas"], limit=GET_PAGE, offset=off)
            yield from zip(got["ids"], got["documents"], got["metadatas"])

    def sentence_search(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, str, float]]:
        """(sentence id, chunk id, cosine similarity) of the k sentences nearest the vector.

        Distances only: reading the rows' metadata costs three times the search (~8 of ~11 ms on the
        dev corpus); the chunk id is read from the sentence id (ingest.models.chunk_of)."""
        res = _nearest(self.sentences, vector, k, where, ["distances"])
        return [(i, chunk_of(i), 1.0 - d) for i, d in zip(res["ids"][0], res["distances"][0])]

    def sentence_vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors of these sentences, by id (missing ids are left out).

        Kept in a bounded cache: a sentence id names one version of an article's text (``article:version:i:n``),
        so its vector never changes, and the same sentences come back question after question."""
        return self._vectors.through(ids, self._read_vectors)

    def _read_vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        got = self.sentences.get(ids=ids, include=["embeddings"])
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], got["embeddings"])}

    def get_chunks(self, ids: Sequence[str]) -> dict[str, Chunk]:
        """These chunks by id (missing ids are left out); cached like the sentence vectors, and for the
        same reason: a chunk id names one version of its article's text."""
        return self._chunks.through(ids, self._read_chunks)

    def _read_chunks(self, ids: list[str]) -> dict[str, Chunk]:
        got = self.chunks.get(ids=ids, include=["documents", "metadatas"])
        return {i: chunk_from_record(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}


def chunk_from_record(cid: str, text: str, m: dict) -> Chunk:
    return Chunk(
        id=cid,
        article_id=m["article_id"],
        text=text,
        start=int(m["start"]),
        end=int(m["end"]),
        sentences=[tuple(x) for x in json.loads(m.get("sentences") or "[]")],
    )


def _metadata(m: dict) -> dict:
    """Article metadata fields from a Chroma record's metadata."""
    return {
        "title": m.get("title", ""),
        "source": m.get("source", ""),
        "published": m.get("published", ""),
        "url": m.get("url", ""),
        "authors": json.loads(m.get("authors") or "[]"),
    }


def _article(i: str, text: str, m: dict) -> Article:
    return Article(id=i, text=text, **_metadata(m))


def _nearest(collection, vector: np.ndarray, k: int, where: dict | None, include: list[str]):
    """Chroma's k nearest rows of a collection (fewer when it holds fewer; none when it is empty).

    No count() first: it costs as much as the query, and Chroma returns what there is."""
    return collection.query(
        query_embeddings=[np.asarray(vector, dtype=np.float32)], n_results=k, where=where or None, include=include
    )
