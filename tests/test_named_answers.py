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


def test_a_headline_s_opening_verb_is_no_part_of_the_name():
    """ "Meet Nikki Glaser, the host of the 2025 Golden Globes": the headline's "Meet" opened the span "Meet Nikki
    Glaser", which then disagreed with the "Nikki Glaser" of the sentences after it, and "Who hosted the Golden
    Globes?" had no bold answer."""
    from rag.spans import best_span, find_spans
    from rag.text import content_terms

    text = "Meet Nikki Glaser, the host of the 2025 Golden Globes"
    assert "Nikki Glaser" in {s.text for s in find_spans(text)}
    q = "Who hosted the Golden Globes?"
    sp = best_span(text, analyse(q), set(content_terms(q)), seen={"Nikki", "Glaser", "Golden", "Globes"})
    assert sp is not None and sp.text == "Nikki Glaser"


def test_a_place_named_by_the_question_with_its_common_noun_is_no_answer():
    """ "Where were the Yemeni detainees from Guantanamo sent?": "Guantanamo Bay" is the question's own place (it
    was the bold answer); "Oman" answers. A place whose own word the question does not name still answers."""
    from rag.spans import best_span, in_question
    from rag.text import content_terms

    q = "Where were the Yemeni detainees from Guantanamo sent?"
    terms = set(content_terms(q))
    assert in_question("Guantanamo Bay", terms)
    assert in_question("Gaza Strip", set(content_terms("Who will rebuild Gaza?")))
    assert not in_question("Santorini Island", set(content_terms("Which Greek island was hit by earthquakes?")))
    sp = best_span("Eleven detainees held at Guantanamo Bay were sent to Oman on Monday.", analyse(q), terms,
                   seen={"Guantanamo", "Bay", "Oman"})
    assert sp is not None and sp.text == "Oman"


def test_how_many_counts_what_the_question_s_verb_did():
    """ "How many people were injured in the Toronto crash?": "injuring 18 of the 80 people on board" counts the
    injured, 18, not the 80 aboard (the bold answer was 80 for every sentence); "leaving nearly two dozen injured"
    counts them too. Without a verb asked ("how many people were on board") the count of people stands."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "How many people were injured in the Toronto crash?"
    qt, terms = analyse(q), set(content_terms(q))
    assert qt.acts == ("injured",) and analyse("How many people died in the crash?").acts == ("died",)
    sp = best_span("The jet crashed at Toronto Pearson, injuring 18 of the 80 people on board.", qt, terms)
    assert sp is not None and sp.text == "18"
    sp = best_span("A jet carrying 80 people crashed in Toronto, leaving nearly two dozen injured.", qt, terms)
    assert sp is not None and sp.text == "two dozen"
    q = "How many people were on board the plane that crashed in Toronto?"
    sp = best_span("The jet crashed at Toronto Pearson, injuring 18 of the 80 people on board.", analyse(q), set(content_terms(q)))
    assert sp is not None and sp.text == "80"


def test_how_much_asks_an_amount_not_a_count_of_something_else():
    """ "How much is Trump suing the BBC for?" had the bold answer "two" (of "spliced together two parts of his
    speech"); "How much did the LA deployment cost?" had "Hundreds" (arrested): with no noun counted, "how much" is an
    amount, in money or a measure."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "How much is Trump suing the BBC for?"
    qt, terms = analyse(q), set(content_terms(q))
    text = "Trump says the BBC spliced together two parts of his speech, and he is suing it for $10 billion."
    assert best_span(text, qt, terms).text == "$10 billion"
    sp = best_span("Trump says the BBC spliced together two parts of his speech.", qt, terms)
    assert sp is not None and sp.fit < 1.0
    # an amount in any currency, or a number right after the verb that prices it, is one
    q = "How much will ferry tickets to Belle Island cost?"
    assert best_span("Tickets will cost 340 krona each.", analyse(q), set(content_terms(q))).fit == 1.0
    assert best_span("The tickets cost 340 each, the council said.", analyse(q), set(content_terms(q))).fit == 1.0
    q = "How much has the price of eggs risen?"
    assert best_span("Eggs now cost 40 cents more than a year ago.", analyse(q), set(content_terms(q))).fit == 1.0


def test_a_name_whose_verb_is_denied_does_not_answer():
    """ "Who won artist of the year at the AMAs?" had the bold answer Taylor Swift, from "Taylor Swift did not win any
    of her six nominations". "X is not in the best interests …" or "X will not only be …" deny nothing X did; a
    question that asks who did not, takes it."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "Who won artist of the year at the AMAs?"
    terms = set(content_terms(q))
    assert best_span("Taylor Swift did not win any of her six nominations at the AMAs.", analyse(q), terms) is None
    sp = best_span("Taylor Swift did not win, and Billie Eilish won artist of the year.", analyse(q), terms)
    assert sp is not None and sp.text == "Billie Eilish"
    q = "Which singer did not win any of her nominations at the AMAs?"
    assert best_span("Taylor Swift did not win any of her six nominations at the AMAs.", analyse(q), set(content_terms(q))).text == "Taylor Swift"
    q = "What is the name of November’s supermoon?"
    sp = best_span("November's Beaver Moon will not only be a supermoon, but the biggest of the year.", analyse(q),
                   set(content_terms(q)), seen={"Beaver", "Moon", "November"})
    assert sp is not None and sp.text == "Beaver Moon"


def test_an_owner_s_name_stands_where_the_article_would():
    """ "What is Elon Musk's new party called?" asked for nothing in particular (the owner's name stood where "the"
    stands in "What is the new party called?"), so "the America Party" had no bold answer; "What is Cambridge
    Dictionary's 2025 word of the year?" asks for a word, quoted."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "What is Elon Musk's new party called?"
    assert (analyse(q).kind, analyse(q).head) == ("org", "party")
    assert analyse("What is Cambridge Dictionary's 2025 word of the year?").kind == "work"
    assert analyse("What is Trump's plan?").kind == "thing"
    sp = best_span("Musk said on Saturday he had formed the America Party.", analyse(q), set(content_terms(q)),
                   seen={"Musk", "Saturday", "America", "Party"})
    assert sp is not None and sp.text == "America Party"


def test_where_is_said_with_a_preposition_of_place():
    """ "Where did Trump and Putin meet?": "… met on the tarmac of a U.S. air base in Alaska and began a closed-door
    meeting over the Ukraine war" had the bold answer Ukraine; the place said with "in", "at", "near" … is where."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "Where did Trump and Putin meet?"
    text = ("President Donald Trump and Russian President Vladimir Putin met on the tarmac of a U.S. air base in Alaska "
            "and began a closed-door meeting over the Ukraine war.")
    assert best_span(text, analyse(q), set(content_terms(q))).text == "Alaska"


def test_a_headline_s_word_after_a_colon_and_a_newspaper_s_name_are_no_places():
    """ "Operation Midnight Hammer: Details of the US bombing in Iran" gave "Details of the US" as the bold answer to
    "Which sites did the US bomb in Iran?" (the word after a colon opens a clause, as a sentence's first word does);
    "read USA TODAY's coverage" gave "USA TODAY" for "Where did the Texas floods happen?" (a newspaper)."""
    from rag.spans import find_spans

    spans = {s.text: s.kind for s in find_spans("Operation Midnight Hammer: Details of the US bombing in Iran")}
    assert "Details of the US" not in spans and spans.get("Iran") == "country"
    spans = {s.text: s.kind for s in find_spans("For the latest news on the Texas flooding, read USA TODAY's coverage.")}
    assert spans.get("USA TODAY") == "org"


def test_who_is_x_reads_titles_in_lower_case_and_never_a_greeting():
    """ "Who is Kash Patel?" had the bold answer "Again, Mr." ('Again, Mr. Patel would fall under me …'): a comma
    ends a title and "Mr." alone says who, not what. The archive calls him "FBI nominee Kash Patel", "Trump FBI pick
    Kash Patel" and "Kash Patel, Trump's FBI pick": lower-case role nouns and an owner's apposition are titles."""
    from rag.names import role_span

    assert role_span("Again, Mr. Patel would fall under me and the Department of Justice.", "Kash Patel") is None
    assert role_span("At the hearing, focus moved to FBI nominee Kash Patel.", "Kash Patel").text == "FBI nominee"
    assert role_span("Dems sharpen knives for Kash Patel, Trump's FBI pick", "Kash Patel").text == "Trump's FBI pick"
    assert role_span("While I agree you would be the boss of Kash Patel, I am not sure.", "Kash Patel") is None
    assert role_span("Deputy Russian Foreign Minister Alexander Grushko told the Izvestia media outlet.",
                     "Alexander Grushko").text == "Deputy Russian Foreign Minister"


def test_a_plural_possessive_name_is_the_name():
    """ "the Golden Globes' first solo female host": the question names the Golden Globes, not "globes'", a word no
    article holds (so the confidence read the name as missing from every chunk)."""
    from rag.text import named_terms

    assert named_terms("Which comedian made history as the Golden Globes' first solo female host?") == {"golden", "globe"}
    assert named_terms("What is Trump's plan for the United States’ ports?") == {"trump", "unit", "state"}


def test_a_reason_ends_outside_its_quotation_marks():
    """ "Why did Sheinbaum threaten to sue Google?": the bold reason ended inside a quotation, '… to the "Gulf of
    America' (the clause stopped at the quoted period); it ends after the closing mark."""
    from rag.spans import find_spans

    text = ('Claudia Sheinbaum threatened legal action against Google after it changed the name of the body of water '
            'to the "Gulf of America." Mexico objected.')
    reasons = [s.text for s in find_spans(text) if s.kind == "reason"]
    assert reasons and reasons[0].endswith('"Gulf of America."')
    assert [s.text for s in find_spans("He resigned because of the scandal, officials said.") if s.kind == "reason"] == [
        "because of the scandal"]


def test_a_weekday_before_a_date_is_one_date():
    """ "When does Hanukkah start this year?" had the bold answer "Sunday" ('Hanukkah begins at sunset on Sunday,
    Dec. 14'): the weekday and the date it opens are one answer."""
    from rag.spans import best_span, find_spans
    from rag.text import content_terms

    assert [s.text for s in find_spans("It opens Monday, March 3, 2025, at noon.") if s.kind == "date"] == ["Monday, March 3, 2025"]
    assert [s.text for s in find_spans("It opened on Monday and closed May 2.") if s.kind == "date"] == ["Monday", "May 2"]
    q = "When does Hanukkah start this year?"
    assert best_span("Hanukkah begins at sunset on Sunday, Dec. 14.", analyse(q), set(content_terms(q))).text == "Sunday, Dec. 14"


def test_a_question_asking_who_did_not_takes_no_name_that_did():
    """ "Which of these women did not fly on Blue Origin's mission?" had the bold answer Gayle King, who flew: the one
    a sentence names without denying anything is no answer to a question asking who did not. Words the question
    quotes are someone's, not its own ("said, “I don't think …”" asks who said it)."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "Which of these women did not fly on Blue Origin's suborbital mission this week?"
    sp = best_span("Gayle King and Katy Perry flew on Blue Origin's suborbital mission on Monday.", analyse(q), set(content_terms(q)))
    assert sp is None or sp.fit < 0.7
    sp = best_span("Oprah Winfrey did not fly on the mission, though she was at the launch.", analyse(q), set(content_terms(q)))
    assert sp is not None and sp.text == "Oprah Winfrey" and sp.fit == 1.0
    assert not analyse("Which Cabinet member said, “I don’t think people should be taking advice from me”?").negated


def test_a_public_body_is_no_university():
    """ "Which US university announced it will ban transgender women from its women's sports teams?" had the bold
    answer "U.S. Department of Education", which the sentence credits with the deal; the university is Penn."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "Which US university announced it will ban transgender women from its women's sports teams?"
    text = ("The U.S. Department of Education said the University of Pennsylvania agreed to ban transgender women "
            "from its women's sports teams.")
    sp = best_span(text, analyse(q), set(content_terms(q)), seen={"Department", "Education", "University", "Pennsylvania"})
    assert sp is not None and sp.text == "University of Pennsylvania"
