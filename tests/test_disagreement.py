"""Sources that disagree: the constructed pairs of evals/data/disagreement, the eval metric, the page, and no
false disagreement on the seed question."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.dataset import load_dataset
from evals.runner import run_eval
from ingest.loaders import load_paths
from ingest.pipeline import ingest_items
from rag.library import Library
from rag.retrieve import Filters
from rag.service import AskRequest, answer
from ui.render import answer_html

DATA = Path(__file__).resolve().parent.parent / "evals" / "data" / "disagreement"
QUESTIONS = [json.loads(line) for line in (DATA / "questions.jsonl").read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def pairs(tmp_path_factory, embedder):
    from rag.settings import Settings

    lib = Library(Settings(data_dir=tmp_path_factory.mktemp("disagree")), embedder)
    ingest_items(lib, list(load_paths([DATA / "articles.jsonl"])))
    return lib


@pytest.mark.parametrize("q", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_a_disagreement_is_reported_exactly_when_the_sources_give_different_values(pairs, q):
    ans = answer(AskRequest(question=q["question"], filters=Filters(as_of=q["date"])), pairs)
    assert (ans.disagreement is not None) == q["disagree"], ans.text
    if not q["disagree"]:
        return
    d = ans.disagreement
    by_n = {c.n: c for c in ans.citations}
    assert len(d.values) >= 2 and len({v.value for v in d.values}) == len(d.values)
    for v in d.values:
        cited = by_n[v.citation]
        assert v.value in cited.quote and v.source == cited.source and v.published == cited.published  # each value in its own words
        assert f"{v.value} [{v.citation}]" in ans.text  # and named, with its marker, in the answer
    days = [v.published for v in d.values]
    assert days == sorted(days, reverse=True)  # newest first
    if q["id"] == "d5":  # one publisher, two days: an update, not a quarrel
        assert d.update and "first reported 12,000" in ans.text and "later 30,000" in ans.text
    else:
        assert not d.update and ans.text.startswith("Sources disagree:")


def test_the_page_shows_the_values_side_by_side(pairs):
    q = QUESTIONS[0]
    ans = answer(AskRequest(question=q["question"], filters=Filters(as_of=q["date"])), pairs)
    page = answer_html(ans, 0)
    assert "The sources disagree" in page and page.count('class="nq-value"') == len(ans.disagreement.values)
    assert "Harbor Times" in page and "Coastal Wire" in page and "2026-03-02" in page


def test_newsqa_eval_measures_how_often_a_disagreement_is_reported(pairs):
    ds = load_dataset(DATA)
    results = run_eval(ds, pairs, ["extractive"], k=8, progress=False)
    m = results["metrics"]["backends"]["extractive"]["disagreement"]
    assert m["cases_with"] == 5 and m["cases_without"] == 4
    assert m["reported_when_present"] == 1.0 and m["reported_when_absent"] == 0.0


def test_the_seed_question_reports_no_disagreement(samples_library):
    ans = answer("What does Russia demand?", samples_library)
    assert ans.disagreement is None and "bar on NATO membership" in ans.text


def _said(text: str, value: str, kind: str, source: str, day: str, article: str) -> "Evidence":
    """One evidence sentence whose answer span is ``value``, from ``source`` on ``day``."""
    from rag.evidence import Evidence
    from rag.models import Chunk, ScoredChunk
    from rag.spans import Span

    chunk = Chunk(id=f"{article}:0", article_id=article, text=text, start=0, end=len(text))
    hit = ScoredChunk(chunk=chunk, score=1.0, title=article, source=source, published=day)
    at = text.index(value)
    span = Span(start=at, end=at + len(value), text=value, kind=kind, fit=1.0)
    return Evidence(hit=hit, start=0, end=len(text), text=text, chunk_rank=0, lexical=0.8, type_fit=1.0,
                    span=span, score=1.0)


def test_one_publisher_naming_two_holders_over_time_is_no_disagreement():
    from rag.disagree import find

    new = _said("Kirsty Coventry was elected president of the International Olympic Committee.",
                "Kirsty Coventry", "person", "usatoday.com", "2025-03-20", "a")
    old = _said("Thomas Bach was elected president of the International Olympic Committee.",
                "Thomas Bach", "person", "usatoday.com", "2013-09-10", "b")
    assert find([new, old], new) == []
    other = _said("Thomas Bach was elected president of the International Olympic Committee.",
                  "Thomas Bach", "person", "Coastal Wire", "2025-03-20", "c")
    assert find([new, other], new) == [new, other]  # two publishers naming two winners do disagree


def test_one_publisher_on_one_day_gives_two_facts_not_two_versions():
    from rag.disagree import find

    a = _said("The storm cut power to 12,000 homes in Drayton.", "12,000", "number", "Gazette", "2026-01-10", "a")
    b = _said("The storm cut power to 30,000 homes in Drayton.", "30,000", "number", "Gazette", "2026-01-10", "b")
    assert find([a, b], a) == []
    later = _said("The storm cut power to 30,000 homes in Drayton.", "30,000", "number", "Gazette", "2026-01-12", "c")
    assert find([a, later], a) == [a, later]  # the next day's figure is an update


def test_a_number_in_words_is_the_same_number():
    from rag.disagree import find

    a = _said("The first US flag had 13 stars on it.", "13", "number", "Harbor Times", "2025-07-01", "a")
    b = _said("The first US flag had thirteen stars on it.", "thirteen", "number", "Coastal Wire", "2025-07-02", "b")
    assert find([a, b], a) == []
    c = _said("Fifty people were rescued from the ferry.", "Fifty", "number", "Harbor Times", "2025-07-01", "c")
    d = _said("The coast guard rescued 50 people from the ferry.", "50", "number", "Coastal Wire", "2025-07-02", "d")
    assert find([c, d], c) == []  # the tens too: one table of number words (rag.text.NUMBER_WORDS)


def test_a_year_and_a_weekday_are_not_two_answers_to_one_when():
    from rag.disagree import find

    a = _said("Elon Musk's X was hit by waves of outages in 2022.", "2022", "date", "Harbor Times", "2025-03-10", "a")
    b = _said("Elon Musk's X was hit by waves of outages on Thursday.", "Thursday", "date", "Coastal Wire", "2025-03-11",
              "b")
    assert find([a, b], a) == []


def test_a_vague_count_is_no_version_of_a_number():
    """ "How many people died in the Texas floods?" answered "usatoday.com first reported hundreds [1], later 100":
    "hundreds" (of people saved) is no figure anyone revises or disputes. Two figures still are."""
    from rag.disagree import find

    a = _said("Authorities said hundreds of people died in the floods.", "hundreds", "number", "Gazette",
              "2025-07-06", "a")
    b = _said("Authorities said 100 people died in the floods.", "100", "number", "Gazette", "2025-07-09", "b")
    assert find([a, b], a) == [] and find([b, a], b) == []
    c = _said("Authorities said 80 people died in the floods.", "80", "number", "Gazette", "2025-07-07", "c")
    assert find([b, c], b) == [b, c]
