"""The extractive answerer: the best one to three article sentences, each cited. Offline and deterministic.

When the question asks for a kind of thing (a city, a company, a number, who someone is) and the
leading sentence holds a span of that kind, the answer opens with it ("Izvestia — …") and carries it
as ``Answer.short`` — unless the retrieved news names it once while its next best sentences name other
candidates (``unsettled``). Whether to answer at all is the calibrated confidence (rag.confidence).
"""

from __future__ import annotations

import re

from . import disagree
from .confidence import span_echo
from .evidence import Evidence
from .models import Answer, AnswerSentence, ShortAnswer
from .question import analyse

from .text import contains_answer
from .tuning import (MAX_ANSWER_SENTENCES, MIN_FIT, RELATIVE, RIVAL_SENTENCES, SAME_STATEMENT, SHORT_MIN_CONFIDENCE,
                     SHORT_MIN_FIT)

NOT_ANSWERED = "The ingested articles do not answer this question."
# a sentence that supposes rather than reports: "A win … would make the Chiefs the first team …"
_SUPPOSES = re.compile(r"\b(?:would|could|might)\b|(?:^|,\s*)[Ii]f\b")
# what someone merits, not what they got: "… worthy of Nobel Peace Prize", "deserves the award", "should win"
_MERITS = re.compile(r"\b(?:worthy of|deserv(?:e|es|ed|ing)|should (?:win|get|receive|be awarded))\b", re.I)
# a question about what may or will be ("Which city may soon see …", "is set to be published", "will Apple buy")
_ASKS_AHEAD = re.compile(r"\b(?:would|could|might|may|will|if|plans?|planned|planning|set to|expected)\b", re.I)


def abstention(question: str, backend: str, reason: str | None = None) -> Answer:
    """The plain 'articles do not say' answer: no citations."""
    return Answer(question=question, text=NOT_ANSWERED, abstained=True, backend=backend, error=reason)


def extractive_answer(
    question: str, evidence: list[Evidence], confidence: float = 1.0, threshold: float = 0.0, avoid: str = ""
) -> Answer:
    """Pick the sentences that answer the question, or abstain when the confidence is below the threshold.

    ``avoid`` is the previous answer of a conversation: its sentences are not repeated.
    """
    if avoid:
        evidence = [ev for ev in evidence if ev.text not in avoid] or evidence
    if not evidence or confidence < threshold:
        ans = abstention(question, "extractive")
        ans.confidence = round(confidence, 4)
        return ans
    best = evidence[0]
    chosen = [best]
    chosen_terms = [best.content_terms()]
    for ev in evidence[1:]:
        if len(chosen) >= MAX_ANSWER_SENTENCES or ev.score < RELATIVE * best.score:
            break
        terms = ev.content_terms()
        if any(len(terms & t) >= SAME_STATEMENT * max(1, min(len(terms), len(t))) for t in chosen_terms):
            continue  # says the same thing again
        chosen.append(ev)
        chosen_terms.append(terms)
    # Sources that give another value of the thing asked are cited too, side by side (rag.disagree).
    rival = disagree.find(evidence, best)
    chosen += [ev for ev in rival if ev not in chosen]
    # The best sentence is [1]; the others follow in article order when they come from its article.
    if len({c.hit.chunk.article_id for c in chosen}) == 1:
        chosen = [best] + sorted((c for c in chosen if c is not best), key=lambda c: c.start)
    citations = [ev.citation(i + 1) for i, ev in enumerate(chosen)]
    sentences = [
        AnswerSentence(text=ev.text, citations=[i + 1], support=1.0, supported=True) for i, ev in enumerate(chosen)
    ]
    text = " ".join(f"{ev.text} [{i + 1}]" for i, ev in enumerate(chosen))
    short = None
    # a span that does not fit the kind asked is no answer, nor one the sources leave unsettled or only suppose; and
    # below SHORT_MIN_CONFIDENCE only a span the sentence names with the question's own head noun ("the Izvestia
    # media outlet" for "which media outlet") is put in bold (the sentences stay cited either way)
    fits = best.span is not None and best.type_fit >= SHORT_MIN_FIT
    fits = fits and (confidence >= SHORT_MIN_CONFIDENCE or best.span.headed)
    asked = analyse(question)
    fits = fits and (best.span.headed or best.span.kind == "quote" or asked.kind not in _NAMED_WITH_HEAD or not asked.head)
    # "Who …?": a person the text knows as one ("Broadway's biggest prize" is a capitalised name, not a winner)
    fits = fits and not (asked.kind == "person" and best.span.kind == "name" and not best.span.headed)
    if (fits and not unsettled(evidence)
            and not supposes(best.text[: best.span.start], question, best.text[best.span.end :])
            and not earlier_edition(best.text, question)):
        n = chosen.index(best) + 1
        shown = best.span.listed or best.span  # "which two actors": both
        short = ShortAnswer(text=shown.text, citation=n, start=shown.start, end=shown.end, kind=shown.kind)
        text = f"{short.text}{_BOLD_LEAD}{text}"
    conflict = None
    if rival:
        conflict = disagree.describe(rival, [chosen.index(ev) + 1 for ev in rival])
        text = disagree.sentence(conflict) + " " + " ".join(f"{ev.text} [{i + 1}]" for i, ev in enumerate(chosen))
    return Answer(
        question=question, text=text, sentences=sentences, citations=citations, short=short,
        confidence=round(confidence, 4), backend="extractive", disagreement=conflict,
    )


_BOLD_LEAD = " — "  # "Izvestia — … [1]": the short answer opens the text
# "Which film …", "what is the name of the boat …": any capitalised name can stand in a sentence about them (Hulu,
# Hamas, Earth), so only a quoted title or a name beside the question's own noun ("the Birch glacier", "the film
# Anora") is put in bold ("What was its name?" names no noun: any name may answer it).
_NAMED_WITH_HEAD = ("work", "name")


# "… won Best Picture at the Oscars last year": the sentence's own time puts its event a year before its story
# (said in the sentence's own clause: not "Avelo Airlines, which served Redding before pulling out last year, will …")
_EARLIER = re.compile(r"(?:^|[,;—–])(?:(?!\b(?:which|who|whom|that|before|after|since|when|while|than)\b)[^,;—–])*?"
                      r"\b(?:last (?:year|season)|a year (?:ago|earlier))\b", re.I)
_DATED = re.compile(r"\b(?:19|20)\d\d\b|\b(?:last|previous|past) (?:year|season)\b|\bago\b", re.I)


def earlier_edition(sentence: str, question: str) -> bool:
    """True when the sentence says its event was last year's and the question names no time of its own: "Which
    film won best picture at the Oscars?" asks for this year's winner, not "'Oppenheimer' … won Best Picture at the
    Oscars last year". No bold answer then (the sentence stays cited)."""
    return bool(_EARLIER.search(sentence)) and not _DATED.search(question)


def bold_lead(text: str) -> str | None:
    """The bold short answer an answer's text opens with ("Izvestia" of "Izvestia — … [1]"), if any."""
    lead, sep, _ = text.partition(_BOLD_LEAD)
    return lead if sep else None


def drop_short(answer: Answer) -> None:
    """Take the bold short answer off an answer (and off the front of its text); its sentences stay cited."""
    if answer.short is None:
        return
    lead = f"{answer.short.text}{_BOLD_LEAD}"
    if answer.text.startswith(lead):
        answer.text = answer.text[len(lead) :]
    answer.short = None


def unsettled(evidence: list[Evidence]) -> bool:
    """True when no other retrieved sentence names the best sentence's span while one of the next few names
    another span of the kind asked: the sources offer several candidates and repeat none, so none is stated in bold.

    Such short answers named the gold answer 17 times in 156 on the held-out scale set and 4 in 33 on dev; the ones
    kept 91 in 246 and 28 in 63 (`newsqa eval`'s short-answer precision, extractive). The sentences stay cited."""
    best = evidence[0]
    if best.span is None or span_echo(evidence) > 0:
        return False
    named = best.span.text
    return any(
        ev.span is not None and ev.type_fit >= MIN_FIT
        and not contains_answer(ev.span.text, named) and not contains_answer(named, ev.span.text)
        for ev in evidence[1:RIVAL_SENTENCES]
    )


def supposes(before: str, question: str, after: str = "") -> bool:
    """True when the words of a sentence before its answer span suppose (would, could, might, if) and the question
    asks about what is or was, not what may or will be. The span is then what might be, and is not put in bold:
    "Which NFL team won the Super Bowl?" got "Chiefs" from "A win against the Philadelphia Eagles … would make …
    the Chiefs the first team …". A modal after the span reports and keeps it ("Joann announced that it would be
    closing …"). Dev: that one bold answer goes; scale: none changes. Nor is a name the words after it call worthy
    of what the question asks about ("Trump's Israel, Hamas agreement is … worthy of Nobel Peace Prize" for "Who won
    the Nobel Peace Prize?")."""
    if _MERITS.search(after) and not _MERITS.search(question):
        return True
    return bool(_SUPPOSES.search(before)) and not _ASKS_AHEAD.search(question)
