"""newsqa inside llama-index: a retriever of evidence sentences and a query engine of verified answers.

``NewsqaRetriever`` is a llama-index ``BaseRetriever`` whose nodes are the article *sentences* newsqa's
answer stage ranks best (not whole chunks): each node's text is ``article.text[start:end]`` and its
metadata carry the article (id, title, source, published, url), the offsets and the chunk, so whatever
llama-index builds on top can still cite exact words. ``NewsqaQueryEngine`` answers through
``rag.service.answer`` — the one answer path, whose citations are checked against the article text —
and hands back a llama-index ``Response`` whose source nodes are the cited sentences.

Model access stays where it is: ``backend="llm"`` uses newsqa's llama-index ``OpenAILike`` client, so
pointing it at Ollama, vLLM or llama.cpp (``NEWSQA_LLM_BASE_URL``) is a settings change, not code.

This module imports llama-index at the top on purpose; nothing else in newsqa imports this module, so
the CLI, the API and the extractive path never load llama-index's modules at start-up.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date
from typing import Any

from llama_index.core.base.base_query_engine import BaseQueryEngine
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.response.schema import Response
from llama_index.core.callbacks import CallbackManager
from llama_index.core.schema import NodeRelationship, NodeWithScore, QueryBundle, RelatedNodeInfo, TextNode

from ..evidence import Evidence
from ..library import Library, get_library
from ..models import Answer, Citation
from ..retrieve import Filters
from ..service import AskRequest, QuestionError, answer, check_text, gather_evidence

# Only the article's name and day help a model read a sentence; ids and offsets are for citing, and
# any metadata in an embedding blurs ranking (measured: see DESIGN.md), so none of it is embedded.
_LLM_HIDDEN = ["article_id", "url", "start", "end", "chunk_id", "n"]
_METADATA_KEYS = ["article_id", "title", "source", "published", "url", "start", "end", "chunk_id"]


def node_id(article_id: str, start: int, end: int) -> str:
    """A sentence's node id: the same for the retriever's node and the query engine's cited node."""
    return f"{article_id}:{start}-{end}"


def sentence_node(
    article_id: str, title: str, source: str, published: str, url: str, text: str, start: int, end: int, **extra: Any
) -> TextNode:
    """A TextNode holding one article sentence verbatim, with what it takes to cite it."""
    metadata = dict(article_id=article_id, title=title, source=source, published=published, url=url, start=start, end=end)
    metadata.update(extra)
    return TextNode(
        id_=node_id(article_id, start, end),
        text=text,
        metadata=metadata,
        start_char_idx=start,  # llama-index's own fields for offsets into the source document
        end_char_idx=end,
        excluded_embed_metadata_keys=list(metadata),
        excluded_llm_metadata_keys=[k for k in _LLM_HIDDEN if k in metadata],
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=article_id)},  # node.ref_doc_id
    )


def evidence_node(ev: Evidence) -> NodeWithScore:
    """An evidence sentence as a scored node (the score is newsqa's sentence score, higher is better)."""
    h = ev.hit
    node = sentence_node(
        h.chunk.article_id, h.title, h.source, h.published, h.url, ev.text, ev.start, ev.end, chunk_id=h.chunk.id
    )
    return NodeWithScore(node=node, score=round(float(ev.score), 6))


def citation_node(c: Citation, ans: Answer) -> NodeWithScore:
    """A verified citation as a node; its score is the best support of the answer sentences that cite it.

    Same id and metadata as the retriever's node for that sentence, plus the marker number ``n``; no
    ``chunk_id``, which the Citation contract does not carry.
    """
    support = [s.support for s in ans.sentences if c.n in s.citations]
    node = sentence_node(c.article_id, c.title, c.source, c.published, c.url, c.quote, c.start, c.end, n=c.n)
    return NodeWithScore(node=node, score=max(support) if support else None)


def _filters(filters: Filters | None, as_of: str | None) -> Filters:
    """The filters to ask with: ``as_of`` (default today) overrides the filters' own; bad values are QuestionError."""
    f = filters or Filters()
    if as_of or not f.as_of:
        f = replace(f, as_of=as_of or f.as_of or date.today().isoformat())
    try:
        f.validate()
    except ValueError as e:
        raise QuestionError(str(e)) from None
    return f


class NewsqaRetriever(BaseRetriever):
    """The best evidence sentences for a query, as llama-index nodes.

    ``k`` chunks are retrieved (hybrid dense + BM25, as for answering; default ``NEWSQA_K``) and their
    sentences ranked by newsqa's evidence stage; the best ``top_n`` come back. ``filters`` (sources,
    since, until) and ``as_of`` (default today: nothing published later) work as in ``newsqa ask``.
    The library defaults to the one ``NEWSQA_DATA_DIR`` names.
    """

    def __init__(
        self,
        library: Library | None = None,
        k: int | None = None,
        top_n: int = 5,
        filters: Filters | None = None,
        as_of: str | None = None,
        callback_manager: CallbackManager | None = None,
        verbose: bool = False,
    ) -> None:
        if k is not None and not 1 <= k <= 50:
            raise QuestionError("k must be between 1 and 50")
        if top_n < 1:
            raise QuestionError("top_n must be at least 1")
        self._library = library
        self._k = k
        self._top_n = top_n
        self._filters = filters
        self._as_of = as_of
        super().__init__(callback_manager=callback_manager, verbose=verbose)

    @property
    def library(self) -> Library:
        """Opened at first use, so building a retriever costs nothing."""
        if self._library is None:
            self._library = get_library()
        return self._library

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        query = check_text(query_bundle.query_str, "query")
        library = self.library
        filters = _filters(self._filters, self._as_of)  # per call: "today" moves
        _, evidence, _ = gather_evidence(library, query, self._k or library.settings.k, filters)
        return [evidence_node(ev) for ev in evidence[: self._top_n]]

    async def _aretrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        """Off the event loop: retrieval is blocking (store reads, embedding)."""
        return await asyncio.to_thread(self._retrieve, query_bundle)


class NewsqaQueryEngine(BaseQueryEngine):
    """Verified, cited answers as llama-index Responses, through ``rag.service.answer``.

    ``Response.response`` is the answer text with its ``[n]`` markers; ``source_nodes`` are the cited
    sentences (metadata as ``NewsqaRetriever``'s plus the marker number ``n``), none when newsqa
    abstains; ``Response.metadata`` is the whole Answer (``abstained``, ``confidence``, ``citations``,
    ``short``, ``timings`` …). ``backend`` is ``extractive`` or ``llm`` (default ``NEWSQA_BACKEND``).
    """

    def __init__(
        self,
        library: Library | None = None,
        k: int | None = None,
        filters: Filters | None = None,
        as_of: str | None = None,
        backend: str | None = None,
        callback_manager: CallbackManager | None = None,
    ) -> None:
        self._library = library
        self._k = k
        self._filters = filters
        self._as_of = as_of
        self._backend = backend
        super().__init__(callback_manager=callback_manager)

    @property
    def library(self) -> Library:
        if self._library is None:
            self._library = get_library()
        return self._library

    def _get_prompt_modules(self) -> dict:
        """No llama-index prompts: newsqa builds and verifies its own."""
        return {}

    def retriever(self, top_n: int = 5) -> NewsqaRetriever:
        """A retriever over the same library, k and filters."""
        return NewsqaRetriever(self.library, self._k, top_n, self._filters, self._as_of, self.callback_manager)

    def retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return self.retriever().retrieve(query_bundle)

    def _query(self, query_bundle: QueryBundle) -> Response:
        req = AskRequest(
            question=query_bundle.query_str,
            k=self._k,
            filters=_filters(self._filters, self._as_of),
            backend=self._backend,
        )
        ans = answer(req, self.library)
        nodes = [citation_node(c, ans) for c in ans.citations]
        return Response(response=ans.text, source_nodes=nodes, metadata=ans.model_dump())

    async def _aquery(self, query_bundle: QueryBundle) -> Response:
        return await asyncio.to_thread(self._query, query_bundle)
