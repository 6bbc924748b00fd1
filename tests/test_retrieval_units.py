"""Unit tests of the retrieval pieces that had none: BM25, rank fusion, follow-up queries, Chroma filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.bm25 import BM25Index
from rag.retrieve import Filters, rrf
from rag.service import retrieval_query


@pytest.fixture
def index() -> BM25Index:
    idx = BM25Index()
    idx.add("a:0", "Russia demands a bar on NATO membership for Ukraine.", "a", "reuters.com", 20250301)
    idx.add("a:1", "The talks in Istanbul ended without a deal.", "a", "reuters.com", 20250301)
    idx.add("b:0", "NATO leaders met in Brussels to discuss membership.", "b", "bbc.co.uk", 20240110)
    idx.add("c:0", "A recipe for pancakes with maple syrup.", "c", "food.example", 0)
    return idx


def test_bm25_ranks_the_chunk_with_more_rare_query_words_first(index):
    hits = index.search("What does Russia demand about NATO membership?", 10)
    assert [c for c, _ in hits][:2] == ["a:0", "b:0"]
    assert all(s > 0 for _, s in hits) and "c:0" not in dict(hits)
    assert index.idf("russia") > index.idf("nato")  # in one chunk vs in two


def test_bm25_filters_by_source_dates_and_as_of(index):
    q = "NATO membership"
    assert [c for c, _ in index.search(q, 10, sources={"bbc.co.uk"})] == ["b:0"]
    assert [c for c, _ in index.search(q, 10, since=20250101)] == ["a:0"]
    assert [c for c, _ in index.search(q, 10, as_of=20241231)] == ["b:0"]
    # as_of keeps undated articles; until (a closed range) keeps only dated ones
    assert "c:0" in dict(index.search("pancakes", 10, as_of=20200101))
    assert index.search("pancakes", 10, until=20990101) == []


def test_bm25_removes_an_article_everywhere_and_survives_a_round_trip(index, tmp_path: Path):
    index.remove_articles(["a"])
    assert len(index) == 2 and "a" not in index.by_article
    assert all(not c.startswith("a:") for c, _ in index.search("Russia NATO Istanbul", 10))
    path = tmp_path / "bm25.pkl"
    index.save(path)
    loaded = BM25Index.load(path)
    assert loaded is not None and loaded.search("NATO", 5) == index.search("NATO", 5)
    (tmp_path / "bad.pkl").write_bytes(b"not a pickle")
    assert BM25Index.load(tmp_path / "bad.pkl") is None  # a damaged file is rebuilt, not trusted


def test_rank_fusion_rewards_agreement_and_respects_weights():
    dense = [("x", 0.9), ("y", 0.8), ("z", 0.7)]
    lexical = [("y", 12.0), ("w", 11.0), ("x", 3.0)]
    fused = [c for c, _ in rrf([(dense, 1.0), (lexical, 0.8)])]
    assert fused[0] in {"x", "y"} and set(fused) == {"x", "y", "z", "w"}
    assert fused.index("y") < fused.index("z") and fused.index("x") < fused.index("w")
    only_lexical = [c for c, _ in rrf([(dense, 0.0), (lexical, 1.0)])]
    assert only_lexical[:3] == ["y", "w", "x"]


@pytest.mark.parametrize(
    "question,history,expected",
    [
        ("and what about troops?", [("user", "What does Russia demand?"), ("assistant", "A bar on NATO.")],
         "What does Russia demand? and what about troops?"),
        ("Which city hosted the 2024 Summer Olympics and the closing ceremony?", [("user", "Who won?")],
         "Which city hosted the 2024 Summer Olympics and the closing ceremony?"),
        ("and troops?", [], "and troops?"),
    ],
)
def test_follow_ups_are_read_with_the_question_they_follow(question, history, expected):
    assert retrieval_query(question, history) == expected


def test_filters_translate_to_one_chroma_where():
    assert Filters().chroma_where() is None
    assert Filters(as_of="2025-03-01").chroma_where() == {"day": {"$lte": 20250301}}
    where = Filters(sources=["reuters.com"], since="2025-01-01", until="2025-02-01").chroma_where()
    assert where == {"$and": [
        {"source": {"$in": ["reuters.com"]}},
        {"day": {"$gte": 20250101}},
        {"day": {"$lte": 20250201}},
        {"day": {"$gt": 0}},  # a closed date range excludes undated articles
    ]}
