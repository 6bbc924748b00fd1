"""A question typed in lower case keeps the names it asks about (rag.truecase)."""

from __future__ import annotations

import pytest

from rag.service import answer
from rag.truecase import truecase

CHUNKS = [
    "MOSCOW, Dec 10 (Reuters) - Russia demands a bar on NATO membership for Ukraine, Deputy Russian Foreign Minister "
    "Alexander Grushko told the Izvestia media outlet. Demand for guarantees grew after talks with NATO stalled, "
    "and Russia said it would wait.",
]


def never_seen(term: str) -> int:
    return 0


def common(term: str) -> int:
    return 500


def test_words_the_chunks_capitalise_become_names():
    assert truecase("what does russia demand from nato?", CHUNKS, common) == "What does Russia demand from Nato?"
    # "demand" opens a sentence once ("Demand for …") and is written lower case elsewhere: not a name
    assert truecase("who is alexander grushko?", CHUNKS, common) == "Who is Alexander Grushko?"


def test_a_question_with_capitals_of_its_own_is_left_as_typed():
    for q in ("What does Russia demand?", "Which California city was hit by wildfires?"):
        assert truecase(q, CHUNKS, never_seen) == q


def test_an_unknown_rare_word_is_a_name_only_when_the_question_has_no_capitals_at_all():
    # "dujardin": neither in the chunks, nor an English word, nor in the archive; "horse" and "ride" are English
    assert truecase("which horse did dujardin ride?", CHUNKS, never_seen) == "Which horse did Dujardin ride?"
    assert truecase("which horse did dujardin ride?", CHUNKS, common) == "Which horse did dujardin ride?"
    # capitalised first letter: typed with care, maybe naming nothing; a rare word is not taken for a name
    assert truecase("Which horse did dujardin ride?", CHUNKS, never_seen) == "Which horse did dujardin ride?"


def test_lower_case_questions_over_the_seed_answer_like_cased_ones(seed_library):
    cased = answer("Who is Alexander Grushko?", seed_library)
    lower = answer("who is alexander grushko?", seed_library)
    assert lower.short is not None and lower.short.text == cased.short.text == "Deputy Russian Foreign Minister"
    outlet = answer("which media outlet did grushko speak to?", seed_library)
    assert outlet.short is not None and outlet.short.text == "Izvestia"


@pytest.mark.parametrize("question", ["who won the 2031 eurovision song contest?",
                                      "which striker did arsenal sign in january 2019?"])
def test_lower_case_unanswerable_questions_over_the_samples_abstain(samples_library, question):
    assert answer(question, samples_library).abstained


def test_a_question_copied_with_its_html_is_read_as_plain_text(seed_library):
    """News quizzes are copied from web pages with their links: the tags are not words to look for."""
    from rag.text import plain_text

    html_q = ('What does <a data-analytics-id="inline-link" href="https://example.com/tag/russia">Russia</a> '
              "<em>demand</em>?")
    assert plain_text(html_q) == "What does Russia demand?"
    assert plain_text("Is 3 < 5 &amp; 6 > 2?") == "Is 3 < 5 & 6 > 2?"
    ans = answer(html_q, seed_library)
    assert ans.question == "What does Russia demand?"
    assert "bar on NATO membership" in ans.citations[0].quote


def test_a_question_that_is_only_markup_is_empty(seed_library):
    from rag.service import QuestionError

    with pytest.raises(QuestionError, match="empty"):
        answer("<b> </b>", seed_library)


def test_search_ranks_a_lower_case_query_with_its_names(seed_library, monkeypatch):
    """/v1/search's second stage ranks sentences as the answer path does: with the query's names capitalised."""
    import rag.evidence
    from rag.retrieve import Filters, retrieve

    asked = []
    real = rag.evidence.rank_evidence
    monkeypatch.setattr(rag.evidence, "rank_evidence", lambda lib, q, *a, **kw: asked.append(q) or real(lib, q, *a, **kw))
    hits = retrieve(seed_library, "who is alexander grushko", 5, Filters(as_of="2026-11-26"))
    assert hits and asked == ["Who is Alexander Grushko"]


def test_a_story_that_names_only_wales_names_the_uk():
    from rag.gazetteer import names_place, place_qualifier
    from rag.text import content_terms

    uk = place_qualifier("British")
    assert names_place(uk, set(content_terms("Storm Darragh brought floods across Wales on Saturday.")))
    assert not names_place(uk, set(content_terms("Storm Darragh brought floods across Ireland on Saturday.")))
