"""Unit tests of the retrieval pieces that had none: BM25, rank fusion, follow-up queries, Chroma filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.lexical import LexicalIndex
from rag.retrieve import Filters, rrf
from rag.service import retrieval_query


ROWS = [
    ("a:0", "Russia demands a bar on NATO membership for Ukraine.", "a", "reuters.com", 20250301),
    ("a:1", "The talks in Istanbul ended without a deal.", "a", "reuters.com", 20250301),
    ("b:0", "NATO leaders met in Brussels to discuss membership.", "b", "bbc.co.uk", 20240110),
    ("c:0", "A recipe for pancakes with maple syrup.", "c", "food.example", 0),
]


@pytest.fixture
def index(tmp_path: Path) -> LexicalIndex:
    idx = LexicalIndex(tmp_path / "lexical")
    idx.update((), ROWS)
    return idx


def ids(hits) -> list[str]:
    return [c for c, *_ in hits]


def test_bm25_ranks_the_chunk_with_more_rare_query_words_first(index):
    hits = index.search("What does Russia demand about NATO membership?", 10)
    assert ids(hits)[:2] == ["a:0", "b:0"]
    assert all(s > 0 for _, s, _ in hits) and "c:0" not in ids(hits)
    assert index.idf("russia") > index.idf("nato")  # in one chunk vs in two
    assert hits[0][2] == 20250301  # the day comes back with the hit (news time needs it)


def test_bm25_filters_by_source_dates_and_as_of(index):
    q = "NATO membership"
    assert ids(index.search(q, 10, sources={"bbc.co.uk"})) == ["b:0"]
    assert ids(index.search(q, 10, since=20250101)) == ["a:0"]
    assert ids(index.search(q, 10, as_of=20241231)) == ["b:0"]
    # as_of keeps undated articles; until (a closed range) keeps only dated ones
    assert "c:0" in ids(index.search("pancakes", 10, as_of=20200101))
    assert index.search("pancakes", 10, until=20990101) == []
    # a filter only narrows: it never changes the score of what it keeps
    assert index.search(q, 10, sources={"bbc.co.uk"})[0][1] == pytest.approx(dict((c, s) for c, s, _ in index.search(q, 10))["b:0"])


def test_bm25_removes_an_article_everywhere_and_another_process_sees_each_commit(index, tmp_path: Path):
    other = LexicalIndex(tmp_path / "lexical")  # a second reader of the same folder, as another process opens it
    assert len(other) == 4
    index.update(["a"], ())
    index.set_generation(7)
    assert len(index) == 2
    assert all(not c.startswith("a:") for c in ids(index.search("Russia NATO Istanbul", 10)))
    assert other.refresh() == 7 and len(other) == 2 and ids(other.search("NATO", 5)) == ids(index.search("NATO", 5))
    index.update(["b"], [("b:0", "Brussels hosted NATO again.", "b", "bbc.co.uk", 20240111)])  # re-ingest: replaced
    assert ids(index.search("Brussels", 5)) == ["b:0"] and len(index) == 2


def test_bm25_reads_the_headline_of_a_chunks_article(tmp_path: Path):
    """A paragraph that says only "the prince" is found for a question about Prince William's beard through its
    article's headline; a chunk with the words in its own text still ranks above a headline-only match."""
    idx = LexicalIndex(tmp_path / "lexical")
    idx.update((), [
        ("w:1", "The prince has inspired a rise in hair transplants, surgeons in London said.", "w", "bbc.co.uk", 20250301,
         "Prince William's beard behind boom in beard transplants"),
        ("v:0", "Surgeons said hair transplants are rising among young men.", "v", "news.example", 20250301, "Clinics busy"),
        ("u:0", "A beard and a prince: William grew a beard, and beard transplants rose.", "u", "x.example", 20250301, "Style"),
    ])
    got = ids(idx.search("Which famous Brit is credited with a rise in beard transplants?", 10))
    assert got[0] == "u:0" and got.index("w:1") < got.index("v:0"), got
    old = LexicalIndex(tmp_path / "old")
    old.update((), [(c, t, a, s, d) for c, t, a, s, d, _ in [
        ("w:1", "The prince has inspired a rise in hair transplants.", "w", "bbc.co.uk", 20250301, "")]])
    assert ids(old.search("beard transplants", 5)) == ["w:1"]  # rows without a title still index


def test_the_rebuilt_index_carries_titles(library):
    """An index rebuilt from the store (another format, a killed ingest) reads the titles back from the articles."""
    from ingest.models import Article
    from ingest.loaders import Loaded
    from ingest.pipeline import ingest_items

    ingest_items(library, [Loaded("w", article=Article(
        id="w", title="Prince William's beard behind boom in transplants", source="bbc.co.uk", published="2025-03-01",
        text="Surgeons in London said the prince has inspired more men to ask for the procedure this year."))])
    idx = library.lexical()
    idx.clear()
    idx.set_generation(-1)
    library._rebuild(idx)
    got = ids(idx.search("beard", 5))
    assert got and all(c.startswith("w:") for c in got), got


def test_an_index_of_another_format_is_discarded_not_trusted(tmp_path: Path):
    folder = tmp_path / "lexical"
    LexicalIndex(folder).update((), ROWS)
    (folder / "format").write_text("0")
    fresh = LexicalIndex(folder)
    assert len(fresh) == 0 and fresh.generation == -1  # the library rebuilds it from the store


def test_rank_fusion_rewards_agreement_and_respects_weights():
    dense = [("x", 0.9, 0), ("y", 0.8, 0), ("z", 0.7, 0)]
    lexical = [("y", 12.0, 0), ("w", 11.0, 0), ("x", 3.0, 0)]
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
        # an earlier question typed without its question mark still ends there: "and who won" asks for a person
        ("and who won", [("user", "which city hosted the super bowl"), ("assistant", "New Orleans")],
         "which city hosted the super bowl? and who won"),
        # "he" is the one person the earlier question named, and the question is then whole on its own; with two
        # names, or a title, it stays "he"
        ("and who is he?", [("user", "Which media outlet did Grushko speak to?")], "and who is Grushko?"),
        ("what did he say?", [("user", "Did Trump meet Putin?")], "Did Trump meet Putin? what did he say?"),
        ("who is he?", [("user", "What did the Deputy Foreign Minister say?")],
         "What did the Deputy Foreign Minister say? who is he?"),
        # a chain of follow-ups keeps its subject: each earlier question is read as it was when asked
        ("and which neighborhoods burned?",
         [("user", "What happened in the Los Angeles fires?"), ("assistant", "…"), ("user", "how many people died?")],
         "What happened in the Los Angeles fires? how many people died? and which neighborhoods burned?"),
        ("and who nominated him?",
         [("user", "Who is Pete Hegseth?"), ("assistant", "…"), ("user", "what did he say about the troops?")],
         "and who nominated Pete Hegseth?"),
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


TUNA = (
    "Canned tuna sold at Costco and Walmart is being pulled from shelves, its maker said on Friday.\n\n"
    + "\n\n".join(
        f"Paragraph {i}: the seafood company said the lots were packed at its plant in the spring and shipped in cartons "
        "of twelve, and that customers can bring them back to the store where they bought them for their money."
        for i in range(1, 6)
    )
    + "\n\nThe recall covers stores at major US retailers in twenty states, including Ohio and Texas, because a faulty "
    "seal could let in bacteria that cause botulism, a rare but serious illness. Food safety officials said the "
    "recall at major retailers was voluntary and that no botulism illness had been reported."
)


def test_the_best_articles_lead_joins_the_hits_right_after_it(library):
    """News puts its main fact first: the question's words are in the last paragraph, the answer in the lead."""
    from ingest.loaders import Loaded
    from ingest.pipeline import ingest_items
    from rag.models import Article
    from rag.retrieve import retrieve

    ingest_items(library, [
        Loaded("tuna", article=Article(id="tuna", title="Recall", source="news.example", published="2025-02-11", text=TUNA)),
        Loaded("waffles", article=Article(id="waffles", title="Waffles", source="isle.example", published="2025-02-10", text=(
            "Frozen waffles were recalled at major US retailers over a listeria risk last spring."))),
    ])
    hits = retrieve(library, "Which food was recalled at major US retailers due to botulism risk?", 3, Filters(as_of="2025-02-13"),
                    rerank=False)  # the fused order, before the second stage
    first = hits[0].chunk
    assert first.article_id == "tuna" and not first.id.endswith(":0"), "the last paragraph matches the question best"
    lead = hits[1]
    assert lead.chunk.id.endswith(":0") and lead.chunk.text.startswith("Canned tuna")
    assert (lead.title, lead.published) == ("Recall", "2025-02-11")
    assert [h.chunk.id for h in hits].count(lead.chunk.id) == 1


def test_nothing_retrieved_is_no_lead_either(library):
    """An empty library (or filters that match nothing) leaves no ranked chunk to take a lead from."""
    from rag.retrieve import retrieve

    assert retrieve(library, "Which food was recalled?", 3, Filters(as_of="2025-02-13")) == []


def test_search_moves_up_the_chunk_whose_sentence_answers(library):
    """The second stage: among chunks about the question, the one whose sentence names the asked kind (a city)
    moves up, past chunks that only restate the question's words."""
    from ingest.loaders import Loaded
    from ingest.pipeline import ingest_items
    from rag.models import Article
    from rag.retrieve import retrieve

    restating = [
        "The UK opened its first legal drugs consumption room this week, officials confirmed, the first legal drugs consumption room in the UK.",
        "The UK opened its first legal drugs consumption room this week after years of debate about legal drugs consumption rooms.",
        "Campaigners said the UK opened its first legal drugs consumption room this week, a room for drugs consumption.",
        "Police in the UK said the first legal drugs consumption room opened this week and that drugs consumption is legal there.",
        "The first legal drugs consumption room in the UK opened, and ministers said drugs consumption rooms may follow.",
    ]
    ingest_items(library, [
        Loaded(f"restate{i}", article=Article(id=f"restate{i}", title="Rooms", source="a.example", published="2025-01-14", text=t))
        for i, t in enumerate(restating)
    ] + [Loaded("answer", article=Article(id="answer", title="Facility", source="b.example", published="2025-01-14", text=(
        "The facility in Glasgow is the first of its kind in Britain, where people can use drugs under supervision.")))])
    q = "The UK opened its first legal drugs consumption room in which city?"
    fused = [h.chunk.article_id for h in retrieve(library, q, 6, Filters(as_of="2025-01-15"), rerank=False)]
    hits = [h.chunk.article_id for h in retrieve(library, q, 6, Filters(as_of="2025-01-15"))]
    assert sorted(hits) == sorted(fused), "the same chunks, in another order"
    assert fused.index("answer") >= 2 and hits.index("answer") < fused.index("answer"), (fused, hits)
