"""A name the sentence says withdrew from, pulled out of, skipped or missed the event asked about took no part in it:
it answers "who won" only in part (and still answers "who withdrew")."""

from __future__ import annotations

from rag.question import analyse
from rag.spans import best_span
from rag.text import content_terms


def _span(question: str, sentence: str):
    return best_span(sentence, analyse(question), set(content_terms(question)))


def test_who_withdrew_did_not_win():
    """ "Which professional golfer completed the career grand slam last weekend?" had the bold answer Tiger Woods,
    from "The last golfer to achieve the career Grand Slam was Tiger Woods, who withdrew his name from the 2025
    Masters Tournament …"."""
    q = "Which professional golfer completed the career grand slam last weekend?"
    sentence = ("The last golfer to achieve the career Grand Slam was Tiger Woods, who withdrew his name from the 2025 "
                "Masters Tournament due to an injury.")
    sp = _span(q, sentence)
    assert sp is None or sp.text != "Tiger Woods" or sp.fit < 1
    assert _span("Which golfer won the Masters?", "Rory McIlroy won the Masters on Sunday.").fit == 1
    assert _span("Which driver missed the race?", "Lando Norris missed the race with a fever.").fit == 1
    # "dropped" and "pulled" without "out" took part
    assert _span("Which player scored the most points?", "Jalen Brunson dropped 40 points on Boston.").fit == 1
    sp = _span("Which golfer withdrew from the Masters?", "Tiger Woods withdrew from the Masters on Friday.")
    assert sp.text == "Tiger Woods" and sp.fit == 1
