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
