"""News time (as_of and time words) and the sentence index kept in step with the article store."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from fastapi.testclient import TestClient

from ingest.loaders import Loaded
from ingest.pipeline import ingest_items
from ingest.store import StoreError
from rag.models import Article
from rag.retrieve import Filters
from rag.service import QuestionError, answer
from rag.timewords import resolve

AS_OF = date(2026, 1, 8)  # a Thursday


@pytest.mark.parametrize(
    "question, window",
    [
        ("What happened today?", "2026-01-08..2026-01-08"),
        ("What did the council decide yesterday?", "2026-01-07..2026-01-07"),
        ("Who won this week?", "2026-01-05..2026-01-08"),
        ("Who won last week?", "2025-12-29..2026-01-04"),
        ("What rose this month?", "2026-01-01..2026-01-08"),
        ("What fell last month?", "2025-12-01..2025-12-31"),
        ("Who resigned last year?", "2025-01-01..2025-12-31"),
        ("What did he say on Tuesday?", "2026-01-06..2026-01-07"),
        ("What happened in March?", "2025-03-01..2025-03-31"),
        ("What happened in March 2024?", "2024-03-01..2024-03-31"),
        ("Who won in 2024?", "2024-01-01..2024-12-31"),
        ("What is the latest on the strike?", "2025-12-25..2026-01-08"),
    ],
)
def test_time_words_resolve_against_as_of(question, window):
    w = resolve(question, AS_OF)
    assert w is not None and w.label() == window


def test_no_time_words_no_window():
    assert resolve("What does Russia demand?", AS_OF) is None


def test_new_of_a_name_is_no_time():
    """ "Who won the New York mayoral race?" named no time, yet read "new" (as in recent) and searched for "York
    mayoral race": the winner's sentence was cited under "The question says “new”; these sources are from …" and
    had no bold answer. "New" before a capitalised word begins a name; "the new mayor of New York" still asks."""
    from rag.timewords import without

    for q in ("Who won the New York mayoral race?", "Who won New Zealand's election?",
              "A driver rammed a truck into a crowd of New Year’s revelers in which city?"):
        assert resolve(q, AS_OF) is None, q
    q = "Who is the new mayor of New York?"
    assert resolve(q, AS_OF).words == "new" and without(q, resolve(q, AS_OF)) == "Who is the mayor of New York?"


def _art(aid, published, text, source="town.example"):
    return Loaded(aid, article=Article(id=aid, title=aid, source=source, published=published, text=text))


@pytest.fixture
def timed_library(library):
    ingest_items(library, [
        _art("old", "2025-06-02", "The harbour council approved the ferry budget of 340 million krona for the ferry line."),
        _art("week", "2026-01-06", "The council approved a ferry budget of 410 million on Tuesday."),
        _art("future", "2026-03-01", "The harbour council approved the ferry budget of 999 million krona for the ferry line."),
        _art("undated", "", "The lighthouse keeper retired after forty years at Belle Point lighthouse."),
    ])
    return library


def test_nothing_after_as_of_is_ever_cited(timed_library):
    ans = answer("What ferry budget did the harbour council approve?", timed_library, filters=Filters(as_of="2026-01-08"))
    assert ans.as_of == "2026-01-08"
    assert all(c.article_id != "future" for c in ans.citations)
    assert "999" not in ans.text
    # as of a later day the newer article is there
    later = answer("What ferry budget did the harbour council approve?", timed_library, filters=Filters(as_of="2026-03-02"))
    assert any(c.article_id == "future" for c in later.citations)


def test_this_week_prefers_that_weeks_article(timed_library):
    ans = answer("What ferry budget did the harbour council approve this week?", timed_library, filters=Filters(as_of="2026-01-08"))
    assert ans.window == "2026-01-05..2026-01-08"
    assert ans.citations and ans.citations[0].article_id == "week", [c.article_id for c in ans.citations]
    assert ans.time_note is None


def test_older_sources_are_said_to_be_older(timed_library):
    ans = answer("What ferry budget did the harbour council approve last week?", timed_library, filters=Filters(as_of="2026-01-20"))
    assert not ans.abstained
    assert ans.time_note and "2026-01-12..2026-01-18" in ans.time_note


def test_a_time_the_archive_has_no_news_from_is_not_answered_from_older_news(timed_library):
    """ "This week" asked weeks after the archive's newest story: the articles cannot say what happened then, so the
    answer abstains and says why (a time within STALE_DAYS of the archive is answered, with the older-sources note:
    test above); the same question without a time is answered."""
    stale = answer("What ferry budget did the harbour council approve this week?", timed_library, filters=Filters(as_of="2026-02-20"))
    assert stale.abstained and stale.citations == []
    assert "the question says “this week”, and the archive has no article from within 30 days of 2026-02-16..2026-02-20" in stale.text
    assert "newest before then is from 2026-01-06" in stale.text
    plain = answer("What ferry budget did the harbour council approve?", timed_library, filters=Filters(as_of="2026-02-20"))
    assert not plain.abstained and plain.citations
    # "the latest" means the latest the archive knows, not the last two weeks of the calendar
    latest = answer("What ferry budget did the harbour council approve at its latest meeting?", timed_library,
                    filters=Filters(as_of="2026-02-20"))
    assert not latest.abstained and latest.citations
    assert latest.time_note and latest.time_note.startswith("The question says “latest”; these sources are from")


def test_dateless_article_answers_a_dateless_question(timed_library):
    ans = answer("How long was the keeper at Belle Point lighthouse?", timed_library, filters=Filters(as_of="2026-01-08"))
    assert not ans.abstained and ans.citations[0].article_id == "undated"


@pytest.mark.parametrize("bad", ["2026-W02-4", "20260108", "tomorrow", "2999-01-01"])
def test_bad_as_of_is_a_clear_error(timed_library, bad):
    with pytest.raises(QuestionError, match="as_of"):
        answer("What ferry budget?", timed_library, filters=Filters(as_of=bad))
    from newsqa.api import create_app

    with TestClient(create_app(timed_library.settings, timed_library, mount_ui=False)) as c:
        for path, body in [("/v1/ask", {"question": "ferry?", "as_of": bad}), ("/v1/search", {"query": "ferry", "as_of": bad}),
                           ("/v1/chat/completions", {"messages": [{"role": "user", "content": "ferry?"}], "as_of": bad})]:
            r = c.post(path, json=body)
            assert r.status_code == (400 if "chat" in path else 422) and "as_of" in r.json()["error"]["message"], (path, r.text)


def _sentence_rows(lib) -> Counter:
    got = lib.store.sentences.get(include=["metadatas"])
    return Counter(m["article_id"] for m in got["metadatas"])


def _expected_rows(lib) -> Counter:
    out: Counter = Counter()
    for _, _, m in lib.store.iter_chunks():
        import json

        out[m["article_id"]] += len(json.loads(m["sentences"]))
    return out


def test_sentence_index_follows_ingest_reingest_and_delete(timed_library):
    lib = timed_library
    assert _sentence_rows(lib) == _expected_rows(lib) and sum(_sentence_rows(lib).values()) > 0
    ingest_items(lib, [_art("week", "2026-01-06", "The council approved a ferry budget of 420 million on Tuesday. Fares rise in May.")])
    assert _sentence_rows(lib) == _expected_rows(lib)
    assert _sentence_rows(lib)["week"] == 2
    lib.delete(["week"])
    assert _sentence_rows(lib) == _expected_rows(lib) and "week" not in _sentence_rows(lib)


def test_answering_embeds_only_the_question(timed_library, monkeypatch):
    calls = []
    real = timed_library.embedder.embed
    monkeypatch.setattr(timed_library.embedder, "embed", lambda texts: calls.append(len(texts)) or real(texts))
    answer("What ferry budget did the harbour council approve in June?", timed_library, filters=Filters(as_of="2026-01-08"))
    assert calls == [1], calls


def test_a_store_of_the_older_layout_is_refused_then_migrated(timed_library):
    lib = timed_library
    lib.store.meta.delete(ids=["layout"])
    lib.store.sentences.delete(ids=lib.store.sentences.get(include=[])["ids"])
    lib.store._layout = None
    with pytest.raises(StoreError, match="newsqa ingest --migrate"):
        answer("What ferry budget?", lib)
    report = ingest_items(lib, [])
    assert report.migrated == 4
    assert _sentence_rows(lib) == _expected_rows(lib)
    assert not answer("What ferry budget did the harbour council approve?", lib, filters=Filters(as_of="2026-01-08")).abstained


def test_cached_answer_path_follows_a_redated_and_a_deleted_article(timed_library):
    """The answer path keeps chunks and sentence vectors in memory; the article's date and existence are still
    read as they are now: same text re-dated past as_of is no longer cited, a deleted article never."""
    q = "What ferry budget did the harbour council approve?"
    before = answer(q, timed_library, filters=Filters(as_of="2026-03-02"))
    assert any(c.article_id == "future" for c in before.citations)
    text = "The harbour council approved the ferry budget of 999 million krona for the ferry line."
    ingest_items(timed_library, [_art("future", "2026-04-01", text)])  # same words, a later day
    redated = answer(q, timed_library, filters=Filters(as_of="2026-03-02"))
    assert all(c.article_id != "future" for c in redated.citations) and "999" not in redated.text
    timed_library.delete(["future"])
    gone = answer(q, timed_library, filters=Filters(as_of="2026-05-01"))
    assert all(c.article_id != "future" for c in gone.citations) and "999" not in gone.text


def test_no_bold_answer_from_a_story_far_from_the_time_asked(timed_library):
    """ "Which country elected its first female prime minister this week?" was answered in bold 'Italy' from a 2022
    story: an answer from more than STALE_DAYS outside the days the question names keeps its cited sentences (and
    their dates) but asserts nothing in bold. The same answer asked without a time, or from that week, keeps it."""
    from rag.models import Answer, Citation, ShortAnswer
    from rag.service import _unbold_other_time

    def made(published):
        quote = "Lund approved a ferry budget of 340 million krona."
        return Answer(question="q", text=f"340 million krona — {quote} [1]", short=ShortAnswer(
            text="340 million krona", citation=1, start=26, end=43, kind="money"), citations=[Citation(
                n=1, article_id="a", title="t", quote=quote, start=0, end=len(quote), published=published)])

    as_of = date(2026, 1, 8)
    for words, published, bold in [("this week", "2025-06-02", False), ("this week", "2026-01-06", True),
                                    ("latest", "2025-06-02", False), ("in 2025", "2025-06-02", True), (None, "2025-06-02", True)]:
        ans = made(published)
        _unbold_other_time(ans, resolve(f"What was approved {words}?", as_of) if words else None)
        assert (ans.short is not None) == bold, (words, published)
        assert ans.text.startswith("340 million krona — ") == bold
        assert ans.citations and "Lund approved" in ans.text  # the sentence stays, cited


def test_no_bold_answer_from_a_sentence_that_dates_itself_far_from_the_time_asked():
    """ "Who died this week?" was answered in bold 'Dori Connor' from a story of that week whose sentence says
    "Dori Connor died on June 30, 2024": the sentence's own date tells when it happened. "Recently" leaves it (a
    recent story dates its background: "… for certifying the 2020 election on Jan. 6, 2021")."""
    from rag.models import Answer, Citation, ShortAnswer
    from rag.service import _unbold_other_time
    from rag.timewords import stated_days

    assert stated_days("Connor died on June 30, 2024, after a long illness.") == [date(2024, 6, 30)]
    assert stated_days("In March 2023 it rained; on Jan. 8, 2026, it snowed.") == [date(2023, 3, 15), date(2026, 1, 8)]

    def made(quote):
        return Answer(question="q", text=f"Dori Connor — {quote} [1]", short=ShortAnswer(
            text="Dori Connor", citation=1, start=0, end=11, kind="person"), citations=[Citation(
                n=1, article_id="a", title="t", quote=quote, start=0, end=len(quote), published="2026-01-06")])

    as_of = date(2026, 1, 8)
    for words, quote, bold in [("this week", "Dori Connor died on June 30, 2024, after a long illness.", False),
                               ("this week", "Dori Connor died on Jan. 6, 2026, after a long illness.", True),
                               ("this week", "Dori Connor died on Tuesday after a long illness.", True),
                               ("recently", "Dori Connor died on June 30, 2024, after a long illness.", True)]:
        ans = made(quote)
        _unbold_other_time(ans, resolve(f"Who died {words}?", as_of))
        assert (ans.short is not None) == bold, (words, quote)
        assert "Dori Connor died" in ans.text


def test_how_a_later_year_turned_out_is_not_answered(library):
    """ "Who won the 2030 World Cup?" asked in 2026: no article up to then can say; the answer says why instead of
    citing the bidding for it. What is planned for that year is still answered."""
    from rag.timewords import year_ahead

    ingest_items(library, [Loaded("wc", article=Article(
        id="wc", title="World Cup hosts", source="a.example", published="2026-11-20",
        text="FIFA confirmed that Spain, Portugal and Morocco will host the 2030 World Cup, the first on three continents. "
             "Argentina won the 2022 World Cup in Qatar."))])
    as_of = Filters(as_of="2026-11-26")
    gone = answer("Who won the 2030 World Cup?", library, filters=as_of)
    assert gone.abstained and not gone.citations and "2030" in gone.text, gone.text
    assert not answer("Who won the 2022 World Cup?", library, filters=as_of).abstained
    assert not answer("Which countries will host the 2030 World Cup?", library, filters=as_of).abstained
    assert year_ahead("Who was elected president in 2028?", date(2026, 11, 26)) == 2028
    assert year_ahead("The release was delayed until May 2027. Which game?", date(2026, 11, 26)) is None
