"""Answer spans (rag.spans): which words of a sentence name the thing a question asks for, and of what kind."""

from __future__ import annotations

import pytest

from rag.question import analyse
from rag.spans import find_spans


def test_a_capitalised_adjective_is_not_part_of_a_name():
    """ "Oscar-winning actor Cillian Murphy": the short answer to "who" is the name, never "Oscar-winning …"."""
    from rag.spans import best_span

    sentence = "Oscar-winning actor Cillian Murphy and the Chicago-based Acme Corp unveiled the film."
    span = best_span(sentence, analyse("Which actor unveiled the film?"), set())
    assert span is not None and span.text == "Cillian Murphy"
    org = best_span(sentence, analyse("Which company unveiled the film?"), set())
    assert org is not None and org.text == "Acme Corp"
    rival = best_span("Rivals of U.S.-based Nimbus Labs cut prices.", analyse("Which company cut prices?"), {"cut", "price"})
    assert rival is not None and rival.text == "Nimbus Labs", rival  # "U.S.-based" describes it, it is not its name


def test_prizes_and_events_are_not_people():
    """ "Tony and Grammy Award winner Leslie Odom Jr.": "who" is answered by the person, never by the prize."""
    from rag.spans import best_span

    sentence = "At 9 p.m., Tony and Grammy Award winner Leslie Odom Jr. will host a live concert."
    span = best_span(sentence, analyse("Which singer will host the concert?"), set())
    assert span is not None and span.text.startswith("Leslie Odom"), span
    survey = "The quake was recorded off the island, according to the United States Geological Survey."
    org = best_span(survey, analyse("Which agency recorded the quake?"), set())
    assert org is not None and org.kind == "org" and org.text == "United States Geological Survey"


def test_the_source_a_sentence_cites_is_not_what_it_is_about():
    """ "…, according to NASA" says where a claim comes from: it does not answer "What is the name of November's
    supermoon?" (another sentence's "Beaver Moon" then leads), nor ", Bloomberg reported" "which company"; it does
    answer a question about who said or reported it."""
    from rag.spans import best_span
    from rag.tuning import MIN_FIT

    nasa = "On Wednesday, Nov. 5, the supermoon will take over the sky, according to NASA."
    span = best_span(nasa, analyse("What is the name of November's supermoon?"), {"novemb", "supermoon"})
    assert span is None or span.fit < MIN_FIT, span
    jobs = "The tech giant is cutting jobs in the division that builds its stores, Bloomberg reported."
    span = best_span(jobs, analyse("Which tech company is cutting jobs?"), {"tech", "cut", "job"})
    assert span is None or span.fit < MIN_FIT, span
    asked = best_span(jobs, analyse("Which news agency reported the job cuts?"), {"news", "job", "cut"})
    assert asked is not None and asked.text == "Bloomberg" and asked.fit >= MIN_FIT
    said = best_span(nasa, analyse("According to which agency will the supermoon take over the sky?"), {"supermoon", "sky"})
    assert said is not None and said.text == "NASA" and said.fit >= MIN_FIT


def test_how_many_is_answered_by_the_number_that_counts_the_thing_asked():
    """ "After how many nominations …?": the number beside "nominations" answers, not the other count nearer the
    question's words."""
    from rag.spans import best_span

    question = "Beyoncé won album of the year after how many nominations in the category?"
    sentence = "Beyoncé, who has 32 Grammy wins, won album of the year after five nominations in the category."
    assert analyse(question).units == ("nominations",)
    assert analyse("How many people died in the ferry fire?").units == ("people", "died")
    span = best_span(sentence, analyse(question), {"beyonc", "album", "year", "categori"})
    assert span is not None and span.text == "five", span
    chip = best_span("The 2025 chip, 104% faster, holds 8 qubits.", analyse("How many qubits does the chip hold?"), {"chip", "hold"})
    assert chip is not None and chip.text == "8", chip


@pytest.mark.parametrize(
    "sentence,amount",
    [
        ("Nvidia shares plunged, erasing half a trillion in market cap.", "half a trillion"),
        ("A million people marched on Sunday.", "A million"),
        ("The deal is worth two hundred thousand dollars.", "two hundred thousand"),
    ],
)
def test_a_scale_word_keeps_the_words_that_count_it(sentence, amount):
    """ "How much did Nvidia lose?": "half a trillion" is the amount; "trillion" alone (the bold answer it gave) is
    none."""
    from rag.spans import best_span

    span = best_span(sentence, analyse("How much did it lose?"), {"lose"})
    assert span is not None and span.text == amount, span


def test_the_person_the_question_names_by_surname_is_not_its_answer():
    """ "Who will meet Putin …?": "Vladimir Putin" is the question's own person (it was the bold answer); a whole
    name in the question ("Robert F. Kennedy Jr") leaves another of the family ("Caroline Kennedy") an answer."""
    putin = _answer_to("Who will meet Putin in Saudi Arabia?",
                       "On Thursday, Trump announced he would meet with Russian leader Vladimir Putin.")
    assert putin is None or "Putin" not in putin.text, putin
    titled = _answer_to("President Trump threatened to revoke which celebrity's citizenship?",
                        "Donald Trump unleashed on his longtime foe Rosie O'Donnell.")
    assert titled is not None and titled.text == "Rosie O'Donnell", titled
    kennedy = _answer_to("Who testified before the Senate, calling Robert F. Kennedy Jr a predator?",
                         "I have known Caroline Kennedy for a long time, he said.")
    assert kennedy is not None and kennedy.text == "Caroline Kennedy", kennedy
    # a surname in any script is one word, folded as the names it is compared with are
    assert "doncic" in analyse("Who joined Dončić at the Lakers?").people


def test_a_name_after_the_is_not_a_person():
    """ "… when he scored against the New Orleans Pelicans": a team, not the player asked for; and it answers
    "which team"."""
    from rag.spans import best_span

    sentence = "LeBron James reached the milestone Tuesday when he scored 50,000 points against the New Orleans Pelicans."
    who = best_span(sentence, analyse("Who became the first player to score 50,000 points?"), {"first", "player", "score", "point"})
    assert who is not None and who.text == "LeBron James", who
    team = best_span("The title went to the Oklahoma City Thunder after game seven.", analyse("Which team won the title?"), {"won", "titl"})
    assert team is not None and team.text == "Oklahoma City Thunder" and team.fit >= 0.85, team


def test_a_span_that_mostly_restates_the_question_is_not_the_answer():
    """ "The Department of Justice dropped charges against which company?": "U.S. Department of Justice" is mostly the
    question's own words; the company beside it answers."""
    from rag.spans import best_span
    from rag.text import content_terms

    question = "The Department of Justice dropped criminal charges against which company?"
    sentence = "The U.S. Department of Justice told the families it would drop criminal charges against Boeing."
    span = best_span(sentence, analyse(question), set(content_terms(question)))
    assert span is not None and span.text == "Boeing", span


def _answer_to(question: str, sentence: str):
    from rag.spans import best_span
    from rag.text import content_terms

    return best_span(sentence, analyse(question), set(content_terms(question)))


@pytest.mark.parametrize("question,sentence,answer", [
    # "… US warships": "the United States" in the answer sentence is the question's own country
    ("Which country launched a massive mobilization in response to the buildup of US warships?",
     "The United States has deployed warships in the Caribbean, and Venezuela answered with a massive mobilization.",
     "Venezuela"),
    # nor is the country (or state) whose people the question names, possessive or not
    ("Where did Colombian police find hidden cocaine on a traveller?",
     "A 2016 study from Colombia found that smugglers used the airport in Bogota.", "Bogota"),
    ("Ukraine's army captured soldiers from which nation fighting alongside the Russian army?",
     "Soldiers from Russia and China were captured near Pokrovsk.", "China"),
    ("Which Texan city flooded?", "Kerrville, Texas, flooded on Friday.", "Kerrville"),
    # a quoted title is the title without the comma inside its quotes
    ("Which movie won best picture?", "Last year's best picture, “Oppenheimer,” still sells.", "Oppenheimer"),
])
def test_what_the_question_already_names_is_not_its_answer(question, sentence, answer):
    span = _answer_to(question, sentence)
    assert span is not None and span.text == answer, span


@pytest.mark.parametrize("sentence,span", [
    ("Refugee status was fast-tracked for farmers arriving in the U.S. on Monday.", "U.S."),
    ("Trump met Starmer on his state visit to the U.K.", "U.K."),
    ("Tony winner Leslie Odom Jr. will host the ceremony.", "Leslie Odom Jr."),
    ("The award went to Demi Moore.", "Demi Moore"),  # a sentence's own period is not the name's
])
def test_an_abbreviated_name_keeps_its_final_period(sentence, span):
    """A short answer reads as the article writes it: "U.S.", not "U.S"."""
    from rag.spans import find_spans

    assert span in [s.text for s in find_spans(sentence)]


def test_a_union_that_said_something_is_not_a_person():
    from rag.spans import find_spans

    spans = {s.text: s.kind for s in find_spans("The charge was filed, a press release from the Starbucks Workers United said.")}
    assert spans.get("Starbucks Workers United") == "org"


def test_an_english_city_is_not_answered_from_a_story_about_scotland():
    """ "Which English city": a story naming England, or only the UK, can answer; one about Scotland cannot."""
    from rag.gazetteer import names_place, place_qualifier
    from rag.text import content_terms

    english = place_qualifier("English")
    assert names_place(english, set(content_terms("A bin strike in Birmingham, England, entered its fifth week.")))
    assert names_place(english, set(content_terms("A bin strike in Birmingham, UK, entered its fifth week.")))
    assert not names_place(english, set(content_terms("A bin strike in Edinburgh, Scotland, left rubbish in the UK city.")))
    assert names_place(place_qualifier("British"), set(content_terms("A bin strike in Edinburgh, Scotland.")))


def test_a_capitalised_opening_word_is_a_name_only_where_the_text_writes_it_so_mid_sentence():
    """ "Big tech peers …", "Addressing senators …": sentence openers are not answers (they were shown in bold as
    the short answer); "Halvorsen said …" is a name, because the text around writes "Halvorsen" mid-sentence."""
    from rag.spans import best_span, names_seen

    company = "Big tech peers including Volkara and Tessly cut 9,000 jobs this year."
    around = [company, "Shares of Volkara fell after the cuts."]
    question = analyse("Which tech company cut 9,000 jobs?")
    assert best_span(company, question, {"tech", "compani", "cut", "9", "000", "job"}).text == "Big"  # capitals alone
    span = best_span(company, question, {"tech", "compani", "cut", "9", "000", "job"}, names_seen(around))
    assert span is not None and span.text in ("Volkara", "Tessly"), span
    said = "Halvorsen said the harbour plan would pass."
    who = best_span(said, analyse("Who said the harbour plan would pass?"), {"harbour", "plan", "pass"},
                    names_seen([said, "The council thanked Halvorsen on Monday."]))
    assert who is not None and who.text == "Halvorsen", who
    opener = "Addressing senators on Tuesday, the minister said the plan would pass."
    assert best_span(opener, analyse("Who said the plan would pass?"), {"plan", "pass"}, names_seen([opener])) is None
    quoted = "Trump joked, “Good luck getting a turkey this year."  # the quote closes in a later sentence
    names = best_span(quoted, analyse("What are the names of the turkeys Trump pardoned?"), {"turkey", "trump", "pardon"},
                      names_seen([quoted]))
    assert names is None, names  # a quote's first word is no name either
    colon = "Pro tip: Maybe book early, says Lina Ortiz of Travelwise."
    tip = best_span(colon, analyse("Who gave the pro tip?"), {"pro", "tip"}, names_seen([colon]))
    assert tip is not None and tip.text.startswith("Lina Ortiz"), tip


@pytest.mark.parametrize("name", ["Santorini", "Erdogan", "Ferrari", "Scorsese", "Morgan"])
def test_a_name_that_ends_like_a_demonym_is_a_name(name):
    """ "Santorini", "Erdogan": ending in -i or -an does not make a word a people's name; only a word whose stem
    begins a country's, a US state's or a region's name is one ("Iraqi", "Texan")."""
    from rag.spans import find_spans

    assert name in [s.text for s in find_spans(f"The reporters met near the harbour, where {name} stood on Tuesday.")]


@pytest.mark.parametrize("word", ["Brazilian", "Texan", "Iraqi", "Congolese", "Peruvian", "Korean", "European", "French"])
def test_demonyms_are_not_names(word):
    from rag.spans import find_spans

    assert word not in [s.text for s in find_spans(f"The reporters said {word} officials stood on the bridge on Tuesday.")]


def test_an_island_whose_name_ends_like_a_demonym_answers_which_island():
    from rag.gazetteer import place_words
    from rag.spans import best_span
    from rag.text import content_terms

    q = "Which Greek island was shaken by earthquakes this week?"
    qt = analyse(q)
    named = set(content_terms(q)) | {w for x in qt.qualifiers for w in place_words(x)}
    s = "The government of Greece declared an emergency after earthquakes near Santorini prompted residents to flee."
    span = best_span(s, qt, named)
    assert span is not None and span.text == "Santorini", span


def test_what_colour_is_answered_by_a_colour():
    """Colours are a closed class: "what colour" asks for one, and the Red Sox are not one."""
    from rag.spans import best_span, find_spans

    question = analyse("What colour shirts will the home team wear on Sunday?")
    assert question.kind == "colour"
    span = best_span("The Harbour Reds will wear navy blue and white on Sunday, the club said.", question, {"home", "team", "wear", "sunday"})
    assert span is not None and span.text == "navy blue and white", span
    assert not [s for s in find_spans("The Red Sox beat the Blue Jays.") if s.kind == "colour"]


@pytest.mark.parametrize("sentence", [
    "OROVILLE, Calif. – Wildfires raced through a dozen Western states on Thursday.",
    "LOS ANGELES (AP) — Wildfires raced through a dozen Western states on Thursday.",
    "WASHINGTON ― Wildfires raced through a dozen Western states on Thursday.",
])
def test_a_dateline_is_never_the_answer(sentence):
    """Where a story was filed from is not what it reports: "OROVILLE, Calif. –" was the bold answer to "which
    California city was hit by wildfires" from a 2020 story."""
    from rag.spans import best_span, names_seen

    span = best_span(sentence, analyse("Which California city was hit by wildfires?"), {"california", "citi", "hit", "wildfir"},
                     names_seen([sentence]))
    assert span is None, span


def test_a_place_that_opens_a_sentence_keeps_its_first_word():
    """ "New" starts many sentences ("New research shows …") but "New York City" after a dateline is one place."""
    from rag.spans import find_spans

    assert ("New York City", "city") in [(s.text, s.kind) for s in find_spans("NEW YORK (AP) — New York City is set to act.")]
    assert "New" not in [s.text for s in find_spans("New research shows that milk helps.")]
    # … and a name that starts with such a place keeps it too: the bold answer was "York Giants"
    spans = {s.text: s.kind for s in find_spans("New York Giants (4), last coming in the 2011 season, won one Super Bowl.")}
    assert "New York Giants" in spans and "York Giants" not in spans
    assert spans["New York Giants"] != "person"  # a team named after its city: three capitalised words, no person
    assert "New Orleans Saints" in [s.text for s in find_spans("New Orleans Saints fans cheered the win.")]


def test_an_acronym_of_the_question_s_words_is_no_answer():
    """ "AI" in the answer sentence is the question's own "artificial intelligence": the model's name answers."""
    from rag.text import acronyms
    from rag.spans import best_span
    from rag.text import content_terms

    q = "Which artificial intelligence model topped the app store charts?"
    s = "The AI model Nimbus topped the charts, beating rivals."
    assert {"ai", "fda"} <= acronyms(q) | acronyms("What did the Food and Drug Administration ban?")
    span = best_span(s, analyse(q), set(content_terms(q)) | acronyms(q))
    assert span is not None and span.text == "Nimbus", span


def test_an_acronym_that_spells_the_question_s_connecting_word_is_no_answer():
    """ "DOJ" is the question's own "Department of Justice" (the "of" written into it): the company answers.
    It was the answer span of the sentence naming Boeing."""
    from rag.text import acronyms
    from rag.spans import best_span
    from rag.text import content_terms

    q = "The Department of Justice recently dropped criminal charges against which company?"
    s = "The lawyers said they learned of the DOJ's intent to dismiss the case against Boeing during a meeting."
    assert {"doj", "dj"} <= acronyms(q)
    assert "dod" in acronyms("What did the Department of Defense buy?")
    assert "o" not in acronyms(q) and not any(a.startswith("o") for a in acronyms("Bank of America"))
    span = best_span(s, analyse(q), set(content_terms(q)) | acronyms(q))
    assert span is not None and span.text == "Boeing", span


def test_a_surname_the_text_gives_a_title_elsewhere_is_a_person():
    """ "… as Trump spoke": a one-word name the retrieved text also writes after a title ("President Donald Trump")
    is a person, so it does not answer "which town" (it was the bold answer to "which party", "which Dutch city")."""
    from rag.spans import best_span

    sentence = "Leaders gathered as Trump spoke to them in Varnhold."
    around = "President Donald Trump arrived on Monday. " + sentence
    question = analyse("In which town did the leaders gather?")
    assert best_span(sentence, question, {"leader", "gather"}).text == "Trump"  # capitals alone: a name, nearest
    span = best_span(sentence, question, {"leader", "gather"}, None, around)
    assert span is not None and span.text == "Varnhold", span
    who = best_span(sentence, analyse("Who spoke to the leaders?"), {"spoke", "leader"}, None, around)
    assert who is not None and who.text == "Trump", who


@pytest.mark.parametrize(
    "sentence,reason",
    [
        ("Shortly after 8 a.m. Tuesday, the waves lapped at the dune.", None),  # a clock time says when
        ("Police arrived after Tuesday, officials said.", None),
        ("The game was called off after heavy rain flooded the pitch.", "after heavy rain flooded the pitch"),
        ("The match was moved after Tuesday's storm.", "after Tuesday's storm"),  # the storm is the cause
    ],
)
def test_after_a_time_is_no_reason(sentence, reason):
    found = [sp.text for sp in find_spans(sentence) if sp.kind == "reason"]
    assert found == ([reason] if reason else [])


@pytest.mark.parametrize(
    "sentence,name",
    [
        ("He was named the state's Player of the Year on Monday.", "Player of the Year"),  # "of the" inside a name
        ("They toured the Museum of the Moving Image.", "Museum of the Moving Image"),
        ("He met Secretary of State Marco Rubio.", "Marco Rubio"),  # a title's domain is not the name
        ("Minister of Foreign Affairs Wang Yi said talks went well.", "Wang Yi"),
        ("Bank of America said so.", "Bank of America"),
    ],
)
def test_names_with_of_inside_and_titles_with_of_before(sentence, name):
    names = [sp.text for sp in find_spans(sentence) if sp.kind not in ("number", "date")]
    assert name in names
    assert not any(n.startswith(("of ", "State ")) for n in names)


def test_a_sentence_opener_does_not_swallow_the_name_after_of_the():
    names = [sp.text for sp in find_spans("Members of the European Parliament voted on Tuesday.")]
    assert "European Parliament" in names



def test_a_country_is_seldom_the_island_asked_for():
    from rag.spans import best_span

    sentence = ("The government of Greece declared a state of emergency Thursday after a series of earthquakes near "
                "Santorini have prompted people to flee.")
    span = best_span(sentence, analyse("Which popular tourist island declared a state of emergency?"), {"declar", "emerg"})
    assert span is not None and span.text == "Santorini"
    # "which country" still takes the country
    span = best_span(sentence, analyse("Which country declared a state of emergency?"), {"declar", "emerg"})
    assert span is not None and span.text == "Greece"


def test_an_organisation_with_and_inside_is_one_name():
    spans = find_spans("The Climate Crisis and Civil Protection Ministry declared a state of emergency.")
    assert [(sp.kind, sp.text) for sp in spans if sp.kind == "org"] == [("org", "Climate Crisis and Civil Protection Ministry")]
    assert [sp.text for sp in find_spans("Biden and Harris spoke.")] == ["Biden", "Harris"]  # two names
    two = "It told the Department of Defense and Department of Homeland Security to act."
    assert "Department of Homeland Security" in [sp.text for sp in find_spans(two)]
    assert "United Airlines" in [sp.text for sp in find_spans("They flew American Airlines and United Airlines.")]


@pytest.mark.parametrize(
    "sentence,person",
    [
        ("He praised Supreme Court Justice Clarence Thomas on Monday.", "Clarence Thomas"),  # was an organisation
        ("Tesla CEO Elon Musk said so.", "Elon Musk"),
        ("Russian Foreign Minister Wang Yi spoke.", "Wang Yi"),
    ],
)
def test_the_person_a_title_inside_a_name_introduces(sentence, person):
    spans = [(sp.kind, sp.text) for sp in find_spans(sentence)]
    assert ("person", person) in spans


def test_a_title_word_inside_an_occasion_is_part_of_it():
    spans = [(sp.kind, sp.text) for sp in find_spans("He is sworn in on Martin Luther King Jr. Day this year.")]
    assert ("event", "Martin Luther King Jr. Day") in spans


@pytest.mark.parametrize(
    "sentence,name,kind",
    [
        ("In Britain, a poll by the national Daily Telegraph newspaper found that 53% agree.", "Daily Telegraph", "org"),
        ("The Israeli Defense Forces ordered thousands of troops to the border.", "Israeli Defense Forces", "org"),
        ("The golfer won a Grand Slam event in Augusta.", "Grand Slam", "event"),
        ("Actress Demi Moore won her first acting award.", "Demi Moore", "person"),
    ],
)
def test_what_a_name_is_called_by_the_words_around_it(sentence, name, kind):
    """A two-word name followed by "newspaper" (an organisation's head noun) is no person's name; armed forces
    are an organisation and a Grand Slam an event, never the answer to "who" or "which city"."""
    from rag.names import find_names

    found = {n.text: n.kind for n in find_names(sentence, [])}
    assert found.get(name) == kind, found


def test_a_question_about_the_us_government_asks_for_another_country():
    """ "The Trump administration … fleeing which country?": the US is named by its government, so the answer is
    the other country the sentence names."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "The Trump administration fast-tracked refugee status for white farmers fleeing which country?"
    sentence = "The farmers, who fled South Africa, were granted refugee status in the United States."
    span = best_span(sentence, analyse(q), set(content_terms(q)))
    assert span is not None and span.text == "South Africa", span


@pytest.mark.parametrize("sentence,expected", [
    ("Flames tore through the Pacific Palisades on Tuesday, the worst fire in California in years.", "Pacific Palisades"),
    ("The fire burned through Altadena, destroying homes across Los Angeles County, California.", "Altadena"),
])
def test_a_neighborhood_is_not_answered_by_its_state(sentence, expected):
    """ "which neighborhood burned" was answered "California": a state or a country is not a place inside a city."""
    from rag.spans import best_span, names_seen
    from rag.text import content_terms

    q = "Which neighborhood burned in the fire?"
    span = best_span(sentence, analyse(q), set(content_terms(q)), names_seen([sentence]))
    assert span is not None and span.text == expected
