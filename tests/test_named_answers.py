"""Bold answers to questions that ask for a name ("what is the name of the boat …?") or a work ("which film …?").

Any capitalised name can stand in a sentence about a boat or a film (Hamas, Hulu, Earth), so only a quoted title or
a name the sentence writes beside the question's own noun ("the aid boat Madleen", "the film Anora") is put in
bold; the sentences are cited either way.
"""

from __future__ import annotations

from ingest.loaders import Loaded
from ingest.pipeline import ingest_items
from rag.models import Article
from rag.question import analyse
from rag.retrieve import Filters
from rag.service import answer

AS_OF = Filters(as_of="2026-11-26")


def _add(library, aid: str, title: str, text: str, day: str = "2026-11-24") -> None:
    ingest_items(library, [Loaded(aid, article=Article(id=aid, title=title, source="a.example", published=day, text=text))])


def test_the_name_of_a_thing_reads_its_noun():
    """ "the name of the glacier that collapsed": a name whose noun is "glacier"; a known kind keeps its kind."""
    assert (analyse("What is the name of the glacier that collapsed in Switzerland?").kind,
            analyse("What is the name of the glacier that collapsed in Switzerland?").head) == ("name", "glacier")
    assert analyse("What was the name of the boat that was halted by Israeli forces?").head == "boat"
    assert analyse("What is the name of the megarocket tasked with a moon landing?").head == "megarocket"
    assert analyse("What is the name of the new political party announced by Elon Musk?").kind == "org"


def test_a_name_beside_another_noun_is_cited_not_put_in_bold(library):
    _add(library, "boat1", "Aid boat halted", "Greta Thunberg was among twelve activists on the aid boat halted by Israeli forces "
         "on Monday. Greta Thunberg said the activists had been kidnapped in international waters.")
    ans = answer("What was the name of the aid boat halted by Israeli forces?", library, filters=AS_OF)
    assert not ans.abstained and "Greta Thunberg" in ans.text, ans.text
    assert ans.short is None, ans.text


def test_a_name_beside_the_question_s_noun_is_the_bold_answer(library):
    _add(library, "boat2", "Aid boat Madleen halted", "Israeli forces halted the aid boat Madleen bound for Gaza on Monday, "
         "officials said. Hamas condemned the interception of the boat and its twelve activists.")
    ans = answer("What was the name of the aid boat halted by Israeli forces?", library, filters=AS_OF)
    assert ans.short is not None and ans.short.text == "Madleen", ans.text


def test_a_film_question_bolds_a_quoted_title_not_another_name(library):
    _add(library, "oscars", "Oscars night", "Ahead of the ceremony, Disney took home five trophies at the 97th Academy "
         "Awards for its animated shorts and visual effects, the studio said on Monday.")
    ans = answer("Which film took home five trophies at the 97th Academy Awards?", library, filters=AS_OF)
    assert not ans.abstained and ans.short is None, ans.text
    _add(library, "anora", "Anora wins best picture", "The comedy \"Anora\" won best picture on Sunday night, one of "
         "the five trophies the film took home at the 97th Academy Awards. Sean Baker, who wrote \"Anora\", also won "
         "best director.", day="2026-11-25")
    ans = answer("Which film took home five trophies at the 97th Academy Awards?", library, filters=AS_OF)
    assert ans.short is not None and ans.short.text == "Anora", ans.text


def _evidence(sentence: str, span: str, kind: str, fit: float):
    from rag.evidence import Evidence
    from rag.models import Chunk, ScoredChunk
    from rag.names import Span

    hit = ScoredChunk(chunk=Chunk(id="t:1:0", article_id="t", text=sentence, start=0, end=len(sentence)), score=1.0, title="Tonys")
    at = sentence.index(span)
    return [Evidence(hit=hit, start=0, end=len(sentence), text=sentence, chunk_rank=0, span=Span(at, at + len(span), span, kind, fit),
                     type_fit=fit, score=1.0)]


def test_who_questions_bold_a_person_not_any_capitalised_name():
    """ "Who took home her first Tony …?": "Broadway" in "Broadway's biggest prize" is a capitalised name that may be a
    person's (it fits 0.7), but no person the text knows: the sentence is cited, nothing is put in bold."""
    from rag.extractive import extractive_answer

    q = "Who took home her first Tony for best performance by a lead actress?"
    name = _evidence("The actress picked up her first Tony as a producer of a show that took home Broadway's biggest prize.",
                     "Broadway", "name", 0.7)
    ans = extractive_answer(q, name, confidence=0.95)
    assert not ans.abstained and ans.short is None and ans.text.startswith("The actress picked up"), ans.text
    person = _evidence("Sarah Snook took home her first Tony for best performance by a lead actress.", "Sarah Snook", "person", 1.0)
    assert extractive_answer(q, person, confidence=0.95).short.text == "Sarah Snook"


def test_what_happened_asks_for_no_kind_of_name():
    """ "What happened near Reagan National Airport?": "happened" is the verb, not a head noun, and "Airport" only
    ends the place's name: the question asks for an event, so no name is put in bold ("Investigators" was)."""
    assert not analyse("What happened near Reagan National Airport?").typed
    assert not analyse("What caused the fire at the Louvre Museum?").typed
    assert analyse("What percentage of voters backed it?").kind == "percent"
    assert analyse("What red fruit is in season?").kind == "thing"


def test_a_league_is_not_the_team_that_won(library):
    _add(library, "sb", "Super Bowl history", "No NFL team has ever won three straight Super Bowls, and the Chiefs "
         "tried again on Sunday.", day="2026-11-23")
    ans = answer("Which team won the Super Bowl on Sunday?", library, filters=AS_OF)
    assert ans.short is None or ans.short.text != "NFL", ans.text


def test_what_is_a_name_answers_with_what_the_news_calls_it(library):
    """ "What is DOGE?" asks what "Who is Grushko?" asks of a person: the words the news writes for it, spelled out
    before its letters or in apposition; a sentence that only mentions it does not lead."""
    assert (analyse("What is DOGE?").kind, analyse("What is DOGE?").subject) == ("role", "DOGE")
    _add(library, "doge", "Musk's cost-cutting team", "Exactly who makes up DOGE is unclear, officials said on Monday. "
         "The Department of Government Efficiency (DOGE) was created by an executive order in January. "
         "Its staff have clashed with security officials at several agencies.")
    ans = answer("What is DOGE?", library, filters=AS_OF)
    assert ans.short is not None and ans.short.text == "Department of Government Efficiency", ans.text
    _add(library, "deepseek", "A Chinese startup", "Investors sold chip stocks on Monday. DeepSeek, a Hangzhou-based "
         "startup founded in 2023, released a new AI model last week.")
    ans = answer("What is DeepSeek?", library, filters=AS_OF)
    assert ans.short is not None and ans.short.text == "a Hangzhou-based startup founded in 2023", ans.text


def test_a_number_in_a_name_is_no_count():
    """ "American Airlines Flight 5342 was involved in a mid-air collision" answers no "how many people were killed":
    a bare number after a name's capitalised word names a flight, a Super Bowl, an Apollo mission."""
    from rag.spans import find_spans

    def numbers(text):
        return [sp.text for sp in find_spans(text) if sp.kind == "number"]

    assert numbers("American Airlines Flight 5342 was involved in a mid-air collision.") == []
    assert numbers("The Eagles won Super Bowl 59 on Sunday.") == []
    assert numbers("Officials said 67 people were killed on Jan. 29.") == ["67"]
    assert numbers("In 2024, 67 people died.") == ["67"]
    assert numbers("Trump signed 26 orders.") == ["26"]


def test_where_a_company_is_based_is_a_place():
    """ "DeepSeek, a Hangzhou-based startup, … rivals OpenAI's work": for "Where is DeepSeek based?" the place is
    Hangzhou ('OpenAI' was the bold answer); "AI-based" names no place the gazetteer knows."""
    from rag.spans import find_spans

    def places(text):
        return [(sp.text, sp.kind) for sp in find_spans(text) if sp.kind in ("city", "state", "country", "place")]

    assert places("DeepSeek, a Hangzhou-based startup, says its model rivals OpenAI's work.") == [("Hangzhou", "city")]
    assert places("The Seattle-based retailer cut jobs.") == [("Seattle", "city")]
    assert places("An AI-based tool was released.") == []


def test_how_old_is_answered_in_years():
    """ "How old is Pope Leo XIV?" was answered in bold '1.4' (of 'the 1.4-billion-member Church'): an age is a
    number of years; a number's span ends at its last digit ("Prevost, 69, was elected": '69', not '69,')."""
    from rag.spans import best_span, find_spans

    qt = analyse("How old is Pope Leo XIV?")
    named = {"pope", "leo", "xiv"}
    church = best_span("Pope Leo XIV led the 1.4-billion-member Roman Catholic Church in prayer.", qt, named)
    assert church is not None and church.fit < 0.7  # cited, never bold
    assert best_span("The 69-year-old pope was elected on Thursday.", qt, named).fit == 1.0
    assert [sp.text for sp in find_spans("Prevost, 69, was elected.") if sp.kind == "number"] == ["69"]


def test_a_dateline_or_a_faith_is_no_place():
    """ "NEW YORK − Zohran Mamdani … has won" filed the story in New York; "the first Muslim mayor-elect" names his
    faith: neither says where he was born (page furniture is never an answer, a faith is no place)."""
    from rag.spans import best_span

    qt = analyse("Where was he born?")
    dateline = best_span("NEW YORK − Zohran Mamdani, a democratic socialist, has won the race for mayor.", qt, {"born"})
    assert dateline is None or dateline.text != "NEW YORK"
    faith = best_span("Mamdani made history as the first Muslim mayor-elect.", qt, {"born"})
    assert faith is None or faith.text != "Muslim"
    assert best_span("Mamdani was born in Kampala, Uganda.", qt, {"born"}) is not None


def test_a_participle_or_adverb_before_the_noun_is_not_the_head():
    """ "the erupting volcano", "the newly discovered species": the noun comes after them."""
    assert (analyse("What is the name of the erupting volcano in Italy?").kind,
            analyse("What is the name of the erupting volcano in Italy?").head) == ("place", "volcano")
    assert analyse("What is the name of the newly discovered species?").head == "species"


def test_a_page_s_summary_label_is_no_part_of_the_sentence():
    """ "AI-assisted summary Conservative activist Charlie Kirk was …": the label is the page's; "Conservative" opens
    the sentence (a capitalised opener, not a name) and was the bold answer to "Which university …?"."""
    from rag.names import first_word_start
    from rag.spans import best_span

    text = "AI-assisted summary Conservative activist Charlie Kirk was shot while speaking at a university in Utah."
    assert text[first_word_start(text):].startswith("Conservative activist")
    qt = analyse("Which university was Charlie Kirk speaking at when he was shot?")
    sp = best_span(text, qt, {"univers", "charli", "kirk", "speak", "shot"}, seen=set(), around="a conservative activist")
    assert sp is None or sp.text != "Conservative"


def test_a_university_named_after_its_place_answers_which_university():
    """ "Utah Valley University" reads as a place (its words name a valley in Utah); for "which university" it is one
    (after the page label was read as such, the question had no bold answer at all)."""
    from rag.spans import best_span

    text = "Conservative activist Charlie Kirk was fatally shot while speaking at Utah Valley University on Wednesday."
    terms = {"univers", "charli", "kirk", "speak", "shot"}
    sp = best_span(text, analyse("Which university was Charlie Kirk speaking at when he was shot?"), terms)
    assert sp is not None and sp.text == "Utah Valley University" and sp.fit == 1.0
