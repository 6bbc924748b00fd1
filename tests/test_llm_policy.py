"""When the LLM answerer asks the model, and what it makes of replies that say nothing usable.

The model is scripted here (unit tests); tests/test_llm_integration.py runs the same path against llama.cpp.
"""

import pytest

import rag.llm as llm_module
from rag.service import AskRequest, answer

ANSWERABLE = "What does Russia demand?"
# (no later year: "Who won the 2031 Tour de France?" is not answered before any confidence is asked, rag.service._why_ahead)
UNANSWERABLE = "Which cyclist won the Tour de France?"
# A sentence of the seed article, word for word.
SEED_SENTENCE = "These included demands long called for by Moscow, including a bar on NATO membership for Ukraine"


@pytest.fixture
def scripted(seed_library, monkeypatch):
    """The seed library answering with a model whose reply is ``scripted.reply``; ``scripted.asked`` counts calls."""

    class Script:
        reply = ""
        asked = 0

    def stream(self, question, sources, history=(), instructions=""):
        Script.asked += 1
        self.usage = None
        yield from Script.reply.split(" ")[:1] + [" " + w for w in Script.reply.split(" ")[1:]]

    monkeypatch.setattr(llm_module.LLMAnswerer, "stream", stream)
    seed_library.settings = seed_library.settings.model_copy(
        update={"backend": "llm", "llm_base_url": "http://127.0.0.1:9/v1", "llm_model": "scripted"}
    )
    Script.library = seed_library
    return Script


def ask(script, question):
    return answer(AskRequest(question=question), script.library)


def test_the_model_is_not_asked_when_the_articles_do_not_answer(scripted):
    scripted.reply = "Tadej Pogacar won the Tour de France [1]."
    ans = ask(scripted, UNANSWERABLE)
    assert scripted.asked == 0
    assert ans.abstained and ans.citations == [] and ans.backend == "llm:scripted"
    assert "not asked" in ans.error and "Pogacar" not in ans.text


def test_a_confidence_floor_of_zero_always_asks_the_model(scripted):
    scripted.library.settings = scripted.library.settings.model_copy(update={"llm_min_confidence": 0.0})
    scripted.reply = "The articles do not answer this question."
    ans = ask(scripted, UNANSWERABLE)
    assert scripted.asked == 1 and ans.abstained and not ans.fallback


def test_an_answerable_question_asks_the_model_and_keeps_its_supported_reply(scripted):
    scripted.reply = f"Russia demands {SEED_SENTENCE[38:]} [2]."
    ans = ask(scripted, ANSWERABLE)
    assert scripted.asked == 1
    assert not ans.abstained and not ans.fallback and ans.backend == "llm:scripted"
    assert "NATO" in ans.text and ans.sentences[0].supported


@pytest.mark.parametrize("reply", ["The answer is:", "Russia wants peace talks in Istanbul next week and a new currency."])
def test_a_reply_that_cites_nothing_no_source_supports_falls_back_to_the_extractive_answer(scripted, reply):
    scripted.reply = reply
    ans = ask(scripted, ANSWERABLE)
    extractive = answer(AskRequest(question=ANSWERABLE, backend="extractive"), scripted.library)
    assert ans.fallback and ans.backend == "extractive" and "cited no source" in ans.error
    assert ans.text == extractive.text and "NATO" in ans.text


def test_an_uncited_reply_a_source_supports_is_kept_and_cited(scripted):
    scripted.reply = SEED_SENTENCE + "."
    ans = ask(scripted, ANSWERABLE)
    assert not ans.fallback and not ans.abstained and ans.backend == "llm:scripted"
    assert ans.citations and "bar on NATO membership" in ans.citations[0].quote


def test_a_reply_whose_citations_do_not_support_it_still_ends_as_an_abstention(scripted):
    scripted.reply = "The moon is made of green cheese [1]. Penguins sing opera in Lisbon every spring [2]."
    ans = ask(scripted, ANSWERABLE)
    assert ans.abstained and not ans.fallback and ans.citations == []
    assert "green cheese" not in ans.text


def test_a_refusal_over_evidence_that_answers_falls_back(scripted):
    scripted.reply = "The articles do not answer this question."
    ans = ask(scripted, ANSWERABLE)
    assert ans.fallback and "gave no answer" in ans.error and "NATO" in ans.text


def test_a_fallback_to_a_follow_up_never_repeats_the_previous_answer(scripted):
    first = answer(AskRequest(question=ANSWERABLE, backend="extractive"), scripted.library)
    scripted.reply = "The articles do not answer this question."
    follow = answer(
        AskRequest(question="and what about troops?", history=[("user", ANSWERABLE), ("assistant", first.text)]),
        scripted.library,
    )
    assert follow.fallback and follow.citations
    assert not any(c.quote in first.text for c in follow.citations)


def test_the_cli_says_why_the_model_was_not_asked_and_what_replaced_its_reply(scripted, monkeypatch, capsys):
    from newsqa import cli
    from rag import library as library_module

    monkeypatch.setattr(library_module, "get_library", lambda settings=None: scripted.library)
    monkeypatch.setenv("NEWSQA_DATA_DIR", str(scripted.library.settings.data_dir))
    assert cli.main(["ask", "--backend", "llm", UNANSWERABLE]) == 0
    assert "(why: the confidence that the articles answer this" in capsys.readouterr().out
    scripted.reply = "The answer is:"
    assert cli.main(["ask", "--backend", "llm", ANSWERABLE]) == 0
    out = capsys.readouterr().out
    assert "(the extractive answer instead of the LLM's: the model's reply cited no source" in out and "NATO" in out


def test_a_reply_that_only_restates_the_question_falls_back_to_the_extractive_answer(scripted):
    """ "Russia has demands, as mentioned earlier [1][2][3]": every word it shares with its source is the question's own,
    so it says nothing the source says (item 0: such a sentence is never "supported"); it is a non-answer, like a
    refusal, and the extractive answer stands in, flagged."""
    scripted.reply = "Russia has demands, as mentioned earlier [1][2][3]."
    ans = ask(scripted, ANSWERABLE)
    assert scripted.asked == 1
    assert ans.fallback and ans.backend == "extractive" and "restates the question" in ans.error
    assert "NATO" in ans.text


def test_a_reply_that_names_nothing_of_the_kind_asked_falls_back_to_the_extractive_answer(scripted):
    """ "Which media outlet …?": a supported reply that names no outlet, where the best source names one ("told the
    Izvestia media outlet"), answers something else; the extractive answer, which leads with Izvestia, stands in."""
    question = "Which media outlet did Grushko speak to?"
    scripted.reply = "Grushko said a peace settlement in Ukraine must take account of Russia's security interests [1]."
    ans = ask(scripted, question)
    assert scripted.asked == 1
    assert ans.fallback and ans.backend == "extractive" and "names nothing of the kind asked" in ans.error
    assert ans.short is not None and ans.short.text == "Izvestia"
    # a reply that names it is the model's answer
    scripted.reply = "Grushko spoke to the Izvestia media outlet [1]."
    ans = ask(scripted, question)
    assert not ans.fallback and ans.backend == "llm:scripted" and "Izvestia" in ans.text


def test_a_reply_that_names_another_answer_than_the_best_source_gives_way():
    """ "What colour Gatorade …?": the best source says yellow/green; a supported reply saying blue (or orange,
    however often other sentences say it) names another answer than the evidence gives, and one naming no colour
    answers another question (pure function, no model)."""
    from types import SimpleNamespace as NS

    from rag.llm import NAMES_ANOTHER, NOT_NAMED, OFF_BEST, misses_what_was_asked
    from rag.models import Answer, AnswerSentence, Citation

    def ev(text, span=None, fit=0.0):
        return NS(text=text, span=NS(text=span) if span else None, type_fit=fit)

    question = "What colour Gatorade did the Eagles dump on their coach?"
    evidence = [ev("The Eagles opted for yellow/green when they won.", "yellow/green", 1.0),
                ev("Bettors liked yellow/green again."), ev("It was yellow/green, as in 2018."), ev("Fans cheered.")]

    def reply(*texts, quote=None):
        cited = Citation(n=1, article_id="a", quote=quote or evidence[0].text, start=0, end=1)
        return Answer(question=question, text=" ".join(texts), citations=[cited],
                      sentences=[AnswerSentence(text=t, citations=[1], support=0.9, supported=True) for t in texts])

    assert misses_what_was_asked(reply("The Gatorade colour was blue."), question, evidence) == NAMES_ANOTHER
    assert misses_what_was_asked(reply("They chose yellow/green Gatorade."), question, evidence) is None
    both = evidence + [ev("Some said orange."), ev("Orange was the favourite."), ev("It was orange after all.")]
    assert misses_what_was_asked(reply("The Gatorade colour was orange."), question, both) == NAMES_ANOTHER
    assert misses_what_was_asked(reply("The Eagles won the game."), question, evidence) == NOT_NAMED
    # a best sentence whose span fits weakly is no answer a reply must agree with
    weak = [ev("The Eagles opted for yellow/green when they won.", "yellow/green", 0.5)] + evidence[1:]
    assert misses_what_was_asked(reply("The Gatorade colour was blue."), question, weak) is None
    # an untyped question is not judged by the kind of what the reply names, only by the source it rests on
    assert misses_what_was_asked(reply("Russia wants talks."), "What does Russia demand?", evidence) is None
    # a reply resting on a source the evidence ranks lower answers from there, whatever the question
    # ("… recalled due to botulism risk is cucumbers [1]", cited to an earlier cucumber recall)
    lower = reply("They chose yellow/green Gatorade.", quote=evidence[1].text)
    assert misses_what_was_asked(lower, question, evidence) == OFF_BEST
    assert misses_what_was_asked(reply("Russia wants talks.", quote=evidence[2].text), "What does Russia demand?",
                                 evidence) == OFF_BEST


def test_a_reply_that_names_nothing_the_question_does_not_name_gives_way():
    """ "What is the new owner of … Granogue?" answered "… is the family legacy of the late Irénée du Pont Jr. [1]":
    a du Pont is the question's own family, so the reply names nothing new and has not said who the owner is; the
    extractive answer stands in. A reply naming the buyer stands, and so does one to a question asking what someone
    said or did, whose answer is words (pure function, no model)."""
    from types import SimpleNamespace as NS

    from rag.llm import NOTHING_NEW, asks_for_a_name, misses_what_was_asked
    from rag.models import Answer, AnswerSentence, Citation
    from rag.question import analyse

    best = ("The late Irénée du Pont Jr.'s choice to offer Longwood Gardens the opportunity to buy his historic "
            "Granogue mansion is continuing the family tradition.")
    evidence = [NS(text=best, span=None, type_fit=0.0), NS(text="Other news.", span=None, type_fit=0.0)]

    def reply(question, text):
        cited = Citation(n=1, article_id="a", quote=best, start=0, end=1)
        return misses_what_was_asked(Answer(question=question, text=text, citations=[cited], sentences=[
            AnswerSentence(text=text, citations=[1], support=0.9, supported=True)]), question, evidence)

    q = "What is the new owner of the historic du Pont estate Granogue?"
    assert reply(q, "The new owner of Granogue is the family legacy of the late Irénée du Pont Jr.") == NOTHING_NEW
    assert reply(q, "Longwood Gardens is buying Granogue.") is None
    assert reply("What did the du Pont family decide about Granogue?", "They chose to keep the estate as open space.") is None
    assert asks_for_a_name("Which food was recalled?", analyse("Which food was recalled?"))
    assert not asks_for_a_name("What does Russia demand?", analyse("What does Russia demand?"))
    assert not asks_for_a_name("Who is Alexander Grushko?", analyse("Who is Alexander Grushko?"))
