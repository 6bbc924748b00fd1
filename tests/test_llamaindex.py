"""newsqa inside llama-index, tested with llama-index itself: NewsqaRetriever and NewsqaQueryEngine."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT, SEED, free_port

from ingest.pipeline import ingest_paths
from rag.library import Library
from rag.models import Citation, is_verbatim
from rag.retrieve import Filters
from rag.settings import Settings

from llama_index.core.base.response.schema import Response
from llama_index.core.postprocessor import SimilarityPostprocessor
from llama_index.core.schema import MetadataMode, NodeWithScore, QueryBundle, TextNode

from rag.integrations.llamaindex import NewsqaQueryEngine, NewsqaRetriever

QUESTION = "What does Russia demand?"
NATO = "a bar on NATO membership for Ukraine"
UNANSWERABLE = "What was the euro-zone inflation rate in March?"


def _run(coro):
    """Await in a thread of its own: earlier tests (the browser's) may leave this thread's event loop running."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@pytest.fixture(scope="module")
def seed_lib(tmp_path_factory, embedder):
    """The seed article alone, ingested once for this module (the tests only read it)."""
    lib = Library(Settings(data_dir=tmp_path_factory.mktemp("li-seed")), embedder)
    assert len(ingest_paths(lib, [str(SEED)]).added) == 1
    return lib


def _article(lib, node):
    return lib.store.get_article(node.metadata["article_id"])


def test_retriever_returns_the_nato_sentence_with_its_metadata(seed_lib):
    nodes = NewsqaRetriever(seed_lib, top_n=5).retrieve(QUESTION)
    assert 1 <= len(nodes) <= 5
    assert all(isinstance(n, NodeWithScore) and isinstance(n.node, TextNode) for n in nodes)
    assert [n.score for n in nodes] == sorted((n.score for n in nodes), reverse=True)
    nato = [n for n in nodes[:3] if NATO in n.text]
    assert nato, "the NATO sentence is among the top nodes"
    node = nato[0]
    art = _article(seed_lib, node)
    m = node.metadata
    assert (m["title"], m["source"], m["published"], m["url"]) == (art.title, art.source, art.published, art.url)
    assert m["published"] == "2026-02-09"
    assert node.text == art.text[m["start"] : m["end"]]  # the node is the article's exact words
    assert (node.node.start_char_idx, node.node.end_char_idx) == (m["start"], m["end"])
    assert node.node.ref_doc_id == art.id and m["chunk_id"].startswith(art.id)
    # Metadata never reaches an embedding; a model reading the node sees the article's name and day only.
    assert node.node.get_content(metadata_mode=MetadataMode.EMBED) == node.text
    llm_view = node.node.get_content(metadata_mode=MetadataMode.LLM)
    assert art.title in llm_view and "2026-02-09" in llm_view and "chunk_id" not in llm_view
    # Node ids are stable: the same sentence is the same node on every call.
    again = NewsqaRetriever(seed_lib, top_n=5).retrieve(QueryBundle(QUESTION))
    assert [n.node_id for n in again] == [n.node_id for n in nodes]


def test_retriever_honours_as_of_and_filters(seed_lib):
    assert NewsqaRetriever(seed_lib, as_of="2025-12-31").retrieve(QUESTION) == []
    assert NewsqaRetriever(seed_lib, filters=Filters(sources=["nobody.example"])).retrieve(QUESTION) == []
    by_source = NewsqaRetriever(seed_lib, filters=Filters(sources=["global banking & finance review"]))
    assert any(NATO in n.text for n in by_source.retrieve(QUESTION))
    nodes = _run(NewsqaRetriever(seed_lib, top_n=2).aretrieve(QUESTION))
    assert len(nodes) == 2


def test_query_engine_returns_the_verified_cited_answer(seed_lib):
    engine = NewsqaQueryEngine(seed_lib)
    response = engine.query(QUESTION)
    assert isinstance(response, Response)
    ans = response.metadata
    assert not ans["abstained"] and ans["confidence"] > 0 and ans["backend"] == "extractive"
    assert NATO in response.response and response.response == str(response)
    assert response.source_nodes and len(response.source_nodes) == len(ans["citations"])
    retrieved_ids = {n.node_id for n in engine.retrieve(QueryBundle(QUESTION))}
    for node, cited in zip(response.source_nodes, ans["citations"]):
        m = node.metadata
        assert m["n"] == cited["n"] and f"[{m['n']}]" in response.response
        art = _article(seed_lib, node)
        assert node.text == cited["quote"] == art.text[m["start"] : m["end"]]
        assert is_verbatim(art.text, Citation(**cited))
        assert (m["title"], m["source"], m["published"], m["url"]) == (art.title, art.source, art.published, art.url)
    nato = [n for n in response.source_nodes if NATO in n.text]
    assert nato and nato[0].node_id in retrieved_ids  # the cited node is the retriever's node
    assert _run(engine.aquery(QUESTION)).response == response.response


def test_unanswerable_question_abstains_with_no_source_nodes(seed_lib):
    response = NewsqaQueryEngine(seed_lib).query(UNANSWERABLE)
    assert response.metadata["abstained"] is True
    assert response.source_nodes == [] and response.metadata["citations"] == []
    assert "do not answer" in response.response and not re.search(r"\[\d+\]", response.response)


def test_retriever_composes_with_a_llama_index_postprocessor(seed_lib):
    nodes = NewsqaRetriever(seed_lib, top_n=5).retrieve(QUESTION)
    kept = SimilarityPostprocessor(similarity_cutoff=nodes[0].score).postprocess_nodes(nodes, query_str=QUESTION)
    assert [n.node_id for n in kept] == [nodes[0].node_id] and NATO in kept[0].text


def test_readme_example_runs(seed_lib, tmp_path):
    """The README's five lines, run as written in a fresh process over the seed library."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### Use from llama-index", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len(code.strip().splitlines()) == 5
    env = dict(os.environ, NEWSQA_DATA_DIR=str(seed_lib.settings.data_dir), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert NATO in out.stdout and "[1] " in out.stdout and "2026-02-09" in out.stdout


def test_extractive_path_never_imports_llama_index():
    code = "import sys, rag.service, newsqa.cli, newsqa.api; print(sorted(m for m in sys.modules if m.startswith('llama_index')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


def test_query_engine_llm_backend_is_a_settings_change(seed_lib):
    """backend="llm" goes to the endpoint the settings name (here one that is down: newsqa falls back, and says so)."""
    settings = Settings(data_dir=seed_lib.settings.data_dir, llm_base_url=f"http://127.0.0.1:{free_port()}/v1", llm_fallback=True)
    response = NewsqaQueryEngine(Library(settings, seed_lib.embedder), backend="llm").query(QUESTION)
    assert response.metadata["fallback"] is True and "failed" in response.metadata["error"]
    assert NATO in response.response and response.source_nodes


@pytest.mark.llm
def test_llama_index_query_engine_over_the_retriever(seed_lib, llm_server):
    """llama-index's own RetrieverQueryEngine, with a real model (llama.cpp's OpenAI-compatible server), runs over
    NewsqaRetriever; its text is the model's and unverified, which is what NewsqaQueryEngine is for."""
    from llama_index.core.query_engine import RetrieverQueryEngine
    from llama_index.llms.openai_like import OpenAILike

    llm = OpenAILike(model="smollm2", api_base=llm_server, api_key="none", is_chat_model=True,
                     context_window=4096, max_tokens=60, temperature=0.0, timeout=120)
    engine = RetrieverQueryEngine.from_args(NewsqaRetriever(seed_lib, top_n=3), llm=llm)
    response = engine.query(QUESTION)
    assert response.response and any(NATO in n.text for n in response.source_nodes)
