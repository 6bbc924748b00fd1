"""Answer spans (rag.spans), continued: what a name is not (a league for "which team", a court for "which app"),
and the names read whole or split (an owner then a place, a surname named in full nearby)."""

from __future__ import annotations

from rag.question import analyse
from rag.spans import find_spans


def test_a_name_ending_in_apostrophe_s_that_opens_a_sentence_as_its_subject_answers():
    """ "Denny's has implemented a surcharge …": the chain's name, written nowhere else in the retrieved text, is
    the sentence's subject (a verb follows its 's), not a capitalised opening word; its 's belongs to it."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "Which American restaurant chain added a surcharge to egg-based meals due to bird flu shortages?"
    terms = set(content_terms(q))
    span = best_span("Denny's has implemented a temporary surcharge to every meal that includes eggs.", analyse(q), terms, seen=set())
    assert span is not None and span.text == "Denny's", span
    # an opening word with a possessive before a noun stays an opening word
    assert best_span("Today's surcharge hits every meal that includes eggs at the chain.", analyse(q), terms, seen=set()) is None


def test_a_word_grown_from_the_question_s_own_word_is_no_answer():
    """ "Olympians" is the question's own "Olympics", grown: it was the bold answer to "What is the motto for the
    2024 Paris Olympics?" (an unanswerable question). A short word is not stretched: "Paris" still answers a
    question about "pairs"."""
    from rag.spans import in_question
    from rag.text import content_terms

    q = "What is the motto for the 2024 Paris Olympics?"
    assert in_question("Olympians", set(content_terms(q)))
    assert not in_question("Paris", set(content_terms("Which city hosted the pairs final?")))
    assert not in_question("Olympians", set(content_terms("Who carried the flag at the opening ceremony?")))


def test_a_sentence_giving_another_figure_of_what_the_question_counts_tells_of_another_event():
    """ "Which tech company cut 9,000 jobs?": "Meta … plans to cut more than 11,000 jobs" gives another figure of
    the jobs counted, so it is about another round of cuts; a sentence giving the question's own figure (about, to
    within 5%), or no figure of it, is not held against."""
    from rag.figures import conflicts, figures

    q = figures("Which tech company cut 9,000 jobs as part of cost-reduction measures?")
    assert q == {(9000.0, "job")}
    assert conflicts(q, "Meta has confirmed it plans to cut more than 11,000 jobs globally.")
    assert not conflicts(q, "Microsoft is cutting about 9,000 jobs, or 4% of its staff, and 11,000 jobs went last year.")
    assert not conflicts(q, "Apple is cutting jobs in its retail division.")
    assert conflicts(figures("Which luxury automaker recalled nearly 200,000 vehicles?"), "Ford has recalled nearly 700,000 vehicles.")
    assert conflicts(figures("a new £2 billion stadium"), "a shared $1.78 billion stadium in Carson")
    assert figures("the 2024 Paris Olympics") == frozenset()  # a year dates, it does not count


def test_a_continent_answers_only_which_continent_and_mount_names_a_place():
    """ "Europe’s largest and most active volcano …" does not name the volcano (it was the bold answer to "Which
    Italian volcano erupted?"); "Mount Etna" is a place, not a person, and answers it. A continent still answers
    "which continent"."""
    from rag.spans import best_span, find_spans
    from rag.text import content_terms

    kinds = {s.text: s.kind for s in find_spans("Europe’s largest volcano, Mount Etna, erupted near Lake Como and Asia.")}
    assert kinds["Europe"] == "continent" and kinds["Asia"] == "continent"
    assert kinds["Mount Etna"] == "place" and kinds["Lake Como"] == "place"
    q = "Which Italian volcano erupted on Monday?"
    assert best_span("Europe’s largest and most active volcano erupted on Monday.", analyse(q), set(content_terms(q)), seen={"Europe"}) is None
    span = best_span("Mount Etna, an active volcano on the coast of Sicily, erupted.", analyse(q), set(content_terms(q)), seen={"Mount", "Etna", "Sicily"})
    assert span is not None and span.text == "Mount Etna"
    q = "Which continent has the most active volcanoes?"
    assert best_span("Asia has more active volcanoes than any other region.", analyse(q), set(content_terms(q)), seen={"Asia"}).text == "Asia"


def test_a_league_or_trophy_does_not_answer_which_team():
    """ "Which team won the Carabao Cup?": the Premier League, the Lombardi Trophy, the Saudi Pro League are what
    teams play in or for (they were bold answers); "Newcastle United" is a club, not a person."""
    from rag.spans import best_span, find_spans
    from rag.text import content_terms

    q = "Which team won the Carabao Cup with a 2-1 victory over Liverpool?"
    terms = set(content_terms(q))
    assert best_span("The Premier League side won its first trophy in 70 years.", analyse(q), terms, seen={"Premier", "League"}) is None
    span = best_span("Newcastle United beat Liverpool 2-1 to give the Premier League side its first major trophy.", analyse(q),
                     terms, seen={"Newcastle", "United", "Premier", "League"})
    assert span is not None and span.text == "Newcastle United"
    assert {s.text: s.kind for s in find_spans("He met Manchester United and the United States.")} == {
        "Manchester United": "org", "United States": "country"}
    q = "Cristiano Ronaldo will stay with which Saudi football club?"
    span = best_span("Ronaldo ends his run in the Saudi Pro League with Al-Nassr.", analyse(q), set(content_terms(q)),
                     seen={"Saudi", "Pro", "League", "Al-Nassr", "Ronaldo"})
    assert span is not None and span.text == "Al-Nassr"


def test_a_motto_or_slogan_is_answered_only_by_quoted_words():
    """ "What is the motto for the 2024 Paris Olympics?" had the bold answer "Team USA" from a sentence about the
    opening ceremony: a motto, slogan or catchphrase is words someone wrote or said, so only a quoted phrase answers
    it; a sentence that quotes none has no short answer."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "What is the motto for the 2024 Paris Olympics?"
    terms = set(content_terms(q))
    assert best_span("Thousands of Olympians, including Team USA athletes, cruised down the Seine.", analyse(q), terms,
                     seen={"Olympians", "Team", "USA", "Seine"}) is None
    span = best_span("The motto of the Games, “Games Wide Open”, was unveiled by Tony Estanguet.", analyse(q), terms,
                     seen={"Games", "Wide", "Open", "Tony", "Estanguet"})
    assert span is not None and span.text == "Games Wide Open"


def test_a_court_or_a_ministry_does_not_answer_which_company_or_app():
    """ "Which app has soared in popularity amid a prospective ban on TikTok?" had the bold answer "Supreme Court"
    (the sentence was about the court upholding the ban): a public body is not a company, an app or a newspaper.
    A company the sentence names still answers, and a court still answers "which court"."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "Which app has soared in popularity in the US in light of a prospective ban on TikTok?"
    terms = set(content_terms(q))
    assert best_span("On Friday, the Supreme Court upheld the decision to ban TikTok in the U.S.", analyse(q), terms,
                     seen={"Supreme", "Court", "TikTok", "U.S.", "Friday"}) is None
    span = best_span("Americans flocked to RedNote, a Chinese app, as the TikTok ban loomed.", analyse(q), terms,
                     seen={"RedNote", "Chinese", "TikTok", "Americans"})
    assert span is not None and span.text == "RedNote"
    q = "Which court upheld the ban on TikTok?"
    span = best_span("On Friday, the Supreme Court upheld the decision to ban TikTok.", analyse(q), set(content_terms(q)),
                     seen={"Supreme", "Court", "TikTok", "Friday"})
    assert span is not None and span.text == "Supreme Court"


def test_an_owner_then_a_place_are_two_names():
    """ "Rupert Murdoch's UK newspaper group" was read as one organisation, "Rupert Murdoch's UK", and put in bold for
    "Prince Harry settled with the publishers of which UK newspaper?". A possessive name followed by a place is an
    owner and a place; names that hold a possessive stay whole."""
    kinds = {s.text: s.kind for s in find_spans("Harry settled his claim against Rupert Murdoch's UK newspaper group.")}
    assert kinds.get("Rupert Murdoch") == "person" and kinds.get("UK") == "country" and "Rupert Murdoch's UK" not in kinds
    assert {s.text for s in find_spans("It is Putin's Russia now.")} >= {"Putin", "Russia"}
    # the owner of a place is a person ("Klopp's Liverpool"), not the team asked for by "which team won …?"
    assert {s.text: s.kind for s in find_spans("Klopp's Liverpool has won the Carabao Cup.")}.get("Klopp") == "person"
    assert "McDonald's Corp" in {s.text for s in find_spans("McDonald's Corp said so.")}
    assert "Delaware Women's Hall of Fame" in {s.text for s in find_spans("The Delaware Women's Hall of Fame named four.")}


def test_a_surname_of_a_person_named_in_full_nearby_does_not_answer_which_film():
    """ "Which film has been nominated for 10 Oscars?" had the bold answer "Scorsese" from "The fact-based movie,
    which Scorsese directed …": the text around names him in full (Martin Scorsese), so the bare surname is a person,
    and a person is not a film. A one-word title the text never writes after a first name still answers."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "Which film has been nominated for 10 Oscars?"
    terms = set(content_terms(q))
    s = "The fact-based movie, which Scorsese directed in Osage County, received 10 Oscar nominations."
    seen = {"Scorsese", "Osage", "County", "Oscar"}
    assert best_span(s, analyse(q), terms, seen=seen, around=s + " Martin Scorsese said he was proud.") is None
    assert best_span(s, analyse(q), terms, seen=seen, around=s).text == "Scorsese"  # nothing says it is a person
    s = "Anora received 10 Oscar nominations on Thursday."
    around = s + " Sean Baker's Anora, starring Mikey Madison, won in Cannes."
    assert best_span(s, analyse(q), terms, seen={"Anora", "Oscar", "Thursday"}, around=around).text == "Anora"


def test_a_wire_service_answers_only_a_question_about_news_sources():
    """ "Israel launched air strikes on Damascus in support of which Syrian minority group?" had the bold answer "Reuters":
    a wire service is whom the story credits. It still answers "which news agency …"."""
    from rag.spans import best_span
    from rag.text import content_terms

    s = ("DAMASCUS/JERUSALEM, July 16 (Reuters) - Israel launched powerful airstrikes in Damascus on Wednesday, vowing "
         "to destroy government forces attacking Druze in southern Syria.")
    seen = {"Israel", "Damascus", "Reuters", "Wednesday", "Syria", "Druze", "DAMASCUS", "JERUSALEM"}
    q = "Israel launched air strikes on Damascus in support of which Syrian minority group?"
    span = best_span(s, analyse(q), set(content_terms(q)), seen=seen)
    assert span is None or span.text != "Reuters"
    q = "Which news agency first reported the strikes on Damascus?"
    assert best_span(s, analyse(q), set(content_terms(q)), seen=seen).text == "Reuters"


def test_a_venue_is_a_place_not_the_show_held_there():
    """ "Which award show recently took place in Los Angeles?" had the bold answer "Microsoft Theater": a theatre,
    auditorium or ballpark is where an event is held (a place), not the event."""
    from rag.spans import best_span
    from rag.text import content_terms

    assert {s.text: s.kind for s in find_spans("The stars gathered at the Microsoft Theater.")}["Microsoft Theater"] == "place"
    q = "Which award show recently took place in Los Angeles?"
    s = "The ceremony took place at the Microsoft Theater in Los Angeles on Sunday."
    span = best_span(s, analyse(q), set(content_terms(q)), seen={"Microsoft", "Theater", "Los", "Angeles", "Sunday"})
    assert span is None or span.text != "Microsoft Theater"


def test_a_title_of_a_department_then_a_person_names_the_person_not_the_department():
    """ "Secretary of Health and Human Services Robert F. Kennedy, Jr. …" made 'Health' a person, the bold answer to
    "Which member of President Trump's Cabinet said …?"; the department's name ends on its body word ("Services")
    and the person after it is the name. The department alone names no one."""
    from rag.names import find_names

    def names(s):
        return [(n.text, n.kind) for n in find_names(s, [])]

    assert names("Secretary of Health and Human Services Robert F. Kennedy, Jr. made the remark.")[0] == ("Robert F. Kennedy", "person")
    assert names("Health and Human Services Secretary Robert F. Kennedy Jr. said so.") == [("Robert F. Kennedy Jr.", "person")]
    assert names("The Secretary of Health and Human Services said so.") == []
    assert names("The Secretary of Health said so.") == []
    assert names("He met Secretary of State Marco Rubio.") == [("Marco Rubio", "person")]
    assert names("The Department of Health and Human Services said so.") == [("Department of Health and Human Services", "org")]


def test_the_question_s_own_body_with_a_country_code_before_it_is_no_answer():
    """ "U.S. Navy" was the bold answer to "Hegseth has ordered the Navy to rename which ship?": a country code before
    the question's own name only says where it is. A country that is part of a name ("America Party") is not a code."""
    from rag.spans import best_span, in_question
    from rag.text import content_terms

    q = "Defense Secretary Pete Hegseth has ordered the Navy to rename which ship?"
    terms = set(content_terms(q))
    assert in_question("U.S. Navy", terms) and in_question("US Navy", terms)
    assert not in_question("U.S. Army", terms) and not in_question("U.K.", terms)
    assert not in_question("America Party", set(content_terms("What is the name of Musk's new party?")))
    s = "Hegseth has ordered the U.S. Navy to remove Harvey Milk's name from a ship."
    assert best_span(s, analyse(q), terms).text == "Harvey Milk"


def test_of_two_numbers_the_one_whose_own_words_are_the_question_s_answers():
    """ "62% of U.S. adults identify as Christian, … and 7% identify as other religions": 7% stood nearer the
    question's word "identify" and was the bold answer; the clause after 62% holds "identify" and "Christian"."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "According to a Pew Research Center study, what percentage of Americans currently identify as Christian?"
    s = ("According to the new study, 62% of U.S. adults identify as Christian, 29% are religiously unaffiliated, and "
         "7% identify as other religions.")
    assert best_span(s, analyse(q), set(content_terms(q))).text == "62%"
    q2 = "What percentage of Americans identify as other religions?"
    assert best_span(s, analyse(q2), set(content_terms(q2))).text == "7%"


def test_a_competition_s_plural_last_word_still_says_it_is_no_team():
    """ "Little League World Series" was the bold answer to "Which two teams played in this year's World Series?":
    the rule that a series, cup or league is no team read "Series" as "serie" (its possessive strip ate the s)."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "Which two teams played in this year's championship?"
    s = "Fans watched the Little League World Series and the NBA Playoffs on the same night."
    assert best_span(s, analyse(q), set(content_terms(q)), seen=set()) is None


def test_the_pronoun_i_a_clock_time_and_one_of_the_are_no_answers():
    """ "I'm" was the bold answer to "Which movie is considered the first summer blockbuster?", the "9" of "9:15 p.m."
    to "How many House Republicans voted …?", and "One" of "One of the largest icebergs" to "How big is it now?"."""
    kinds = lambda s: [(x.text, x.kind) for x in find_spans(s)]  # noqa: E731
    assert kinds("We will probably have packed theaters, I'm presuming.") == []
    assert kinds("Trump wrote at 9:15 p.m. on Sunday.") == [("Sunday", "date"), ("Trump", "person")]
    assert kinds("One of the largest icebergs ever recorded broke off.") == []
    assert kinds("Two of the five justices dissented.") == [("Two", "number"), ("five", "number")]  # still counts


def test_where_something_was_posted_is_not_who_posted_it():
    """ "In a Truth Social post July 12, Trump said that Rosie O'Donnell …": 'Truth Social' read as a person was the bold
    answer to "Trump has threatened to revoke which celebrity's US citizenship?"."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "President Trump has threatened to revoke which celebrity's US citizenship?"
    s = "In a Truth Social post July 12, Trump said that Rosie O'Donnell is not in the best interests of the country."
    assert best_span(s, analyse(q), set(content_terms(q))).text == "Rosie O'Donnell"
    assert [x.kind for x in find_spans(s) if x.text == "Truth Social"] == ["name"]  # a platform, not a person


def test_a_place_word_before_a_thing_noun_only_modifies_it():
    """ "billions of which sea creature?" asked for a place ("sea") and got 'Pacific Coast' in bold; "which country
    music star" asks for a person."""
    assert analyse("A bacteria has killed billions of which sea creature?").kind == "thing"
    assert analyse("Which country music star died this week?").kind == "person"
    assert analyse("Which island nation declared an emergency?").kind == "country"
    assert analyse("Which country won the most medals?").kind == "country"


def test_a_one_word_name_that_says_something_may_be_a_company():
    """ "…, Nestlé said in a news release" read 'Nestlé' as a person (a name before "said"), so it fitted "Which company
    ousted its CEO …?" at 0.3 and another story led. For a company question a one-word name that says something is a
    name (0.85) unless the text around writes it after a first name or a title ("CEO John Smith … Smith said")."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "Which company ousted its CEO this week over a code of conduct violation?"
    terms = set(content_terms(q))
    s = "His relationship with a subordinate violated the food brand's code of conduct, Nestlé said in a news release."
    span = best_span(s, analyse(q), terms, None, s)
    assert span.text == "Nestlé" and span.fit >= 0.85
    around = "CEO John Smith resigned on Monday. Smith said the company would not comment."
    assert best_span("Smith said the company would not comment.", analyse(q), terms, None, around).fit < 0.5


def test_which_group_asks_for_people_of_a_kind_not_for_a_name():
    """ "Which group received $0 paychecks this week?" (air traffic controllers), "a tentative deal with which group of
    employees?" (flight attendants): the answer is seldom a name, so "group" is no organisation head and a sentence
    naming no organisation may lead (held-out scale: 1 more right answer, 2 wrong ones abstain)."""
    assert analyse("Which group received $0 paychecks this week in the US?").kind == "thing"
    assert analyse("Which company received $0 paychecks this week?").kind == "org"


def test_a_team_named_after_its_place_is_no_person():
    """ "… the Lakers, Dallas Mavericks and Utah Jazz agreeing to one of the biggest trades …" made 'Utah Jazz' a person
    and the bold answer to "Which NBA superstar was traded this week?". A place then a plural (or a team word like
    Jazz or Heat) is a team; a place-like first name before a surname is still a person."""
    from rag.names import find_names

    kinds = {n.text: n.kind for n in find_names("The Lakers, Dallas Mavericks and Utah Jazz agreed to the trade.", [])}
    assert kinds["Dallas Mavericks"] != "person" and kinds["Utah Jazz"] != "person"
    for who in ("Paris Hilton", "Sydney Sweeney", "Florence Pugh"):
        assert [(n.text, n.kind) for n in find_names(f"{who} starred in it.", [])] == [(who, "person")]


def test_an_adjective_before_country_is_no_country_and_a_rank_is_no_count():
    """ "… other cities in the Himalayan country": 'Himalayan' beside the head noun was the bold answer to "Which
    country has been rocked by deadly protests …?"; the gazetteer knows every country, so a word it does not know is
    not made one by the noun after it. "the youngest world No. 1" gave '1' for a how-many question."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "Which country has been rocked by deadly protests led by young people?"
    s = "Organisers of the protests, which spread to other cities in the Himalayan country, called them Gen Z protests."
    span = best_span(s, analyse(q), set(content_terms(q)))
    assert span is None or span.fit < 0.5
    assert best_span("The protests spread in the country of Nepal.", analyse(q), set(content_terms(q))).text == "Nepal"
    nums = [x.text for x in find_spans("Alcaraz is now the youngest world No. 1, one of 3 players to do it.") if x.kind == "number"]
    assert "1" not in nums and "3" in nums


def test_the_name_after_the_head_noun_is_the_one_it_names():
    """ "Fabrics retailer Joann has started going-out-of-business sales": 'Fabrics' stood right before "retailer" and
    was the bold answer to "Which US retailer is going out of business?"; the name after the noun is the retailer. A
    name before the noun with no name after it still is ("the Izvestia media outlet")."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "Which US retailer is going out of business and shuttering all its stores?"
    s = "Fabrics retailer Joann has started going-out-of-business sales at some locations."
    assert best_span(s, analyse(q), set(content_terms(q)), seen={"Fabrics", "Joann"}).text == "Joann"
    q2 = "Which media outlet did Grushko speak to?"
    s2 = "Russia wants guarantees, Deputy Russian Foreign Minister Alexander Grushko told the Izvestia media outlet."
    assert best_span(s2, analyse(q2), set(content_terms(q2))).text == "Izvestia"
    # a league named anywhere in the span is no team ("the Major League Baseball team's rent payments")
    q3 = "Which baseball team is facing criticism over its spending spree?"
    s3 = "The Baltimore Sun reports the Major League Baseball team's rent payments have dropped."
    span = best_span(s3, analyse(q3), set(content_terms(q3)), seen=set())
    assert span is None or "League" not in span.text


def test_a_city_whose_name_starts_with_the_and_a_term_asked_for():
    """ "Nato leaders met in which Dutch city …?" abstained over "… met in The Hague": the gazetteer keyed the city
    "the hague" while names are looked up without their "The". "What is the branding term …?" asks for quoted words,
    like a slogan ("Liberation Day")."""
    from rag.gazetteer import place_kind
    from rag.spans import best_span
    from rag.text import content_terms

    assert place_kind("The Hague") == place_kind("Hague") == "city"
    q = "Nato leaders met in which Dutch city to formalise a new agreement on defence spending?"
    s = "Nato leaders met in The Hague on Tuesday to agree on spending."
    assert best_span(s, analyse(q), set(content_terms(q))).text == "Hague"
    t = analyse("What is the branding term that President Trump is using to refer to 2 April?")
    assert (t.kind, t.head) == ("work", "term")


def test_a_country_code_used_as_an_adjective_half_fits():
    """ "At last, a U.S. pope" was the bold answer to "Where is Pope Leo XIV spending his summer vacation?", "any US
    lottery game" to "A punter from which country won the Euromillions jackpot?": a code before a noun says American
    of something else. Before a verb it is the subject and still answers ("the U.S. could lose its status")."""
    from rag.spans import best_span
    from rag.text import content_terms

    q = "Which country may soon no longer be classified as measles-free?"
    t = set(content_terms(q))
    assert best_span("At last, a U.S. pope was elected.", analyse(q), t).fit == 0.5
    assert best_span("If the outbreak goes on, the U.S. could lose its measles-free status.", analyse(q), t).fit == 1.0
