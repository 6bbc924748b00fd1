"""Hybrid retrieval and the extractive answer: what a reader of `newsqa ask` sees."""

import json

import pytest
from conftest import SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.pipeline import ingest_items
from ingest.loaders import Loaded
from rag.models import Article, is_verbatim
from rag.retrieve import Filters, retrieve
from rag.service import AskRequest, QuestionError, answer

NATO = "a bar on NATO membership for Ukraine"
SEED_TITLE = "Senior Russian diplomat says Moscow also needs security guarantees"


def assert_citations_verbatim(library, ans):
    for c in ans.citations:
        art = library.store.get_article(c.article_id)
        assert is_verbatim(art.text, c)
        assert (c.title, c.source, c.published, c.url) == (art.title, art.source, art.published, art.url)


def test_russia_demands_over_the_seed(seed_library):
    ans = answer("What does Russia demand?", seed_library)
    assert not ans.abstained
    assert NATO in ans.text
    cited = [c for c in ans.citations if NATO in c.quote]
    assert cited and cited[0].title == SEED_TITLE and cited[0].published == "2026-02-09"
    assert f"[{cited[0].n}]" in ans.text
    assert_citations_verbatim(seed_library, ans)
    assert ans.backend == "extractive"
    assert ans.timings.total_ms > 0 and ans.timings.retrieve_ms > 0


def test_unanswerable_question_abstains(seed_library):
    ans = answer("What is the inflation rate in the euro zone?", seed_library)
    assert ans.abstained
    assert ans.citations == [] and "do not answer" in ans.text


def test_russia_demands_among_the_samples(samples_library):
    ans = answer("What does Russia demand?", samples_library)
    assert NATO in ans.text
    assert_citations_verbatim(samples_library, ans)


def test_sample_questions_answered(samples_library):
    ans = answer("Which chain is ending a policy that lets anyone use its restrooms without making a purchase?", samples_library)
    assert not ans.abstained and "Starbucks" in ans.text
    assert_citations_verbatim(samples_library, ans)


def test_filters_on_source_and_date(samples_library):
    hits = retrieve(samples_library, "Russia security guarantees", 5, Filters(sources=["Global Banking & Finance Review"]))
    assert hits and all(h.source == "Global Banking & Finance Review" for h in hits)
    hits = retrieve(samples_library, "Russia security guarantees", 5, Filters(until="2025-12-31"))
    assert all(h.published <= "2025-12-31" and h.published for h in hits)
    hits = retrieve(samples_library, "Russia security guarantees", 5, Filters(since="2026-01-01"))
    assert hits and all(h.published >= "2026-01-01" for h in hits)
    ans = answer("What does Russia demand?", samples_library, filters=Filters(until="2025-12-31"))
    assert NATO not in ans.text


def test_syndicated_copies_do_not_crowd_out_results(library):
    body = SEED.read_text()
    story = "Flood defences along the river were raised by two metres after the storm, officials said. " * 3
    items = [Loaded(f"copy{i}", Article(id=f"copy{i}", title=f"Flood story {i}", source=f"outlet{i}.com", text=story)) for i in range(5)]
    items.append(Loaded("other", Article(id="other", title="River cruise", source="x.com", text="River cruises resumed after the storm on the river.")))
    ingest_items(library, items)
    hits = retrieve(library, "river storm flood", 3)
    assert len({h.chunk.text for h in hits}) == len(hits)
    assert "other" in {h.chunk.article_id for h in hits}
    assert body  # the seed file is readable


def test_bad_questions_are_clear_errors(seed_library):
    with pytest.raises(QuestionError, match="empty"):
        answer("   ", seed_library)
    with pytest.raises(QuestionError, match="limit is 2000"):
        answer("why? " * 500, seed_library)
    with pytest.raises(QuestionError, match="since must be a date"):
        answer("What does Russia demand?", seed_library, filters=Filters(since="last week"))


def test_cli_ask(seed_library, monkeypatch, capsys):
    from newsqa import cli
    from rag import library as library_module

    monkeypatch.setattr(library_module, "get_library", lambda settings=None: seed_library)
    monkeypatch.setenv("NEWSQA_DATA_DIR", str(seed_library.settings.data_dir))
    assert cli.main(["ask", "What does Russia demand?"]) == 0
    out = capsys.readouterr().out
    assert NATO in out and SEED_TITLE in out and "2026-02-09" in out and "[1]" in out
    assert cli.main(["ask", "--json", "What does Russia demand?"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["citations"][0]["quote"] in data["text"]
    assert cli.main(["ask", ""]) == 2
    assert "empty" in capsys.readouterr().err


questions = st.one_of(
    st.sampled_from(["What does Russia demand?", "Who said Moscow needs guarantees?", "NATO", "Ukraine talks in the UAE",
                     "Wer hat was gesagt?", "\"quoted\" words 'here'", "1234", "Zelenskiy’s documents"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80).filter(lambda s: s.strip()),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(q=questions)
def test_every_citation_follows_the_contract(samples_library, q):
    ans = answer(q, samples_library)
    assert ans.abstained == (not ans.citations)
    assert_citations_verbatim(samples_library, ans)
    assert sorted(n for s in ans.sentences for n in s.citations) == [c.n for c in ans.citations]
