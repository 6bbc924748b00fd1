"""Follow-ups whose "he" or "she" is the person the conversation's answer named, not its question."""

from __future__ import annotations

from ingest.loaders import Loaded
from ingest.pipeline import ingest_items
from rag.models import Article
from rag.retrieve import Filters
from rag.service import AskRequest, answer, retrieval_query

AS_OF = Filters(as_of="2026-11-26")


def test_he_is_the_person_the_last_who_question_got_in_bold():
    history = [("user", "Who won the mayoral race?"), ("assistant", "Zohran Mamdani — Zohran Mamdani has won the race. [1]"),
               ("user", "how old is he?"), ("assistant", "34 — Mamdani, 34, won. [1]")]
    assert "Zohran Mamdani" in retrieval_query("who did he beat?", history)
    # a question since that names its person wins; an answer without a bold person leaves the pronoun alone
    named = history + [("user", "What did Andrew Cuomo say?"), ("assistant", "Cuomo conceded. [1]")]
    assert "Andrew Cuomo" in retrieval_query("and where was he born?", named)
    assert retrieval_query("who did he beat?", [("user", "Who won?"), ("assistant", "Nobody knows yet. [1]")]) == \
        retrieval_query("who did he beat?", [("user", "Who won?")])


def test_who_did_he_beat_does_not_answer_with_him(library):
    ingest_items(library, [Loaded("race", article=Article(
        id="race", title="Mamdani wins mayoral race", source="a.example", published="2026-11-25",
        text="Zohran Mamdani won the mayoral race on Tuesday, defeating former governor Andrew Cuomo by nine points. "
             "Zohran Mamdani, 34, will take office in January."))])
    first = answer(AskRequest(question="Who won the mayoral race?", filters=AS_OF), library)
    assert first.short is not None and first.short.text == "Zohran Mamdani", first.text
    follow = answer(AskRequest(question="who did he beat?", filters=AS_OF,
                               history=[("user", "Who won the mayoral race?"), ("assistant", first.text)]), library)
    assert follow.short is None or follow.short.text != "Zohran Mamdani", follow.text
