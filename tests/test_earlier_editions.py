"""A sentence that dates its own event a year before its story is last year's edition of a recurring event, and one
that calls a name worthy of a prize does not say it won: both stay cited, neither gives a bold answer."""

from __future__ import annotations

from rag.extractive import earlier_edition


def test_last_year_s_winner_is_no_bold_answer_to_who_won():
    """ "Which film won best picture at the Oscars?" (asked in March 2025) had the bold answer Oppenheimer, from
    '"Oppenheimer," a film about the creation of the atomic bomb, won Best Picture at the Oscars last year.'"""
    q = "Which film won best picture at the Oscars?"
    assert earlier_edition('"Oppenheimer," a film about the atomic bomb, won Best Picture at the Oscars last year.', q)
    assert earlier_edition("The Chiefs won the title a year ago.", "Which team won the Super Bowl?")
    assert not earlier_edition('"Anora" won best picture at the Oscars on Sunday.', q)
    # the question's own time decides: it asks about last year, or names a year
    assert not earlier_edition("Oppenheimer won Best Picture last year.", "Which film won best picture last year?")
    assert not earlier_edition("Oppenheimer won Best Picture last year.", "Which film won best picture in 2024?")
    # "this year's" is not last year's
    assert earlier_edition("Oppenheimer won Best Picture last year.", "Which movie won best picture at this year's Oscars?")


def test_last_year_in_another_clause_dates_something_else():
    """ "Budget carrier Avelo Airlines, which served Redding before pulling out last year, will start deportation
    flights …" answers which airline will assist deportations (it stayed in bold); comparisons are no edition."""
    q = "Which airline will begin assisting with the US' deportation efforts?"
    assert not earlier_edition("Budget carrier Avelo Airlines, which served Redding before pulling out last year, will "
                               "start deportation flights for the U.S. government next month.", q)
    assert not earlier_edition("Sales rose more than they did last year.", "Which company's sales rose?")
    assert not earlier_edition("Costs were up 20% from the previous year.", "How much does a penny cost to make?")


def test_the_answer_cites_last_year_s_winner_without_putting_it_in_bold(library):
    from ingest.loaders import Loaded
    from ingest.pipeline import ingest_items
    from rag.models import Article
    from rag.retrieve import Filters
    from rag.service import AskRequest, answer

    text = ("The Harbor Film Awards return on Sunday with ten films nominated. "
            '"Stillwater Lane," a film about a lighthouse keeper, won best picture at the Harbor Film Awards last year. '
            "Tickets for the ceremony sold out within an hour.")
    ingest_items(library, [Loaded("a", Article(id="a", title="Harbor Film Awards", source="example.org",
                                               published="2026-03-01", text=text))])
    ans = answer(AskRequest(question="Which film won best picture at the Harbor Film Awards?",
                            filters=Filters(as_of="2026-03-02")), library)
    assert not ans.abstained and "Stillwater Lane" in ans.citations[0].quote
    assert ans.short is None and not ans.text.startswith("Stillwater Lane")


def test_worthy_of_a_prize_is_no_winner():
    """ "Who won the Nobel Peace Prize this year?" had the bold answer Trump, from an opinion headline: "Trump's
    Israel, Hamas agreement is extraordinary – and worthy of Nobel Peace Prize"."""
    from rag.extractive import supposes

    q = "Who won the Nobel Peace Prize this year?"
    assert supposes("", q, "'s Israel, Hamas agreement is extraordinary – and worthy of Nobel Peace Prize")
    assert supposes("", "Which film won best picture?", " deserves best picture, critics say.")
    assert not supposes("", q, " won the Nobel Peace Prize on Friday.")
    assert not supposes("", "Who do critics say deserves the prize?", " deserves the prize, critics say.")
