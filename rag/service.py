"""The one question-answering service: CLI, API, UI and evals all call ``answer`` / ``answer_stream``."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Iterator, Literal, Sequence

from ingest.embeddings import count_tokens
from ingest.limits import is_valid_text

from . import timewords
from .confidence import confidence, load_model
from .evidence import plain_question, rank_evidence
from .extractive import abstention, bold_lead, drop_short, extractive_answer
from .library import Library, get_library
from .llm import LLMAnswerer, LLMError, misses_what_was_asked, read_reply, select_sources
from .models import Answer, Usage
from .question import analyse, with_names
from .retrieve import Filters, retrieve, source_key
from .text import content_terms, plain_text
from .truecase import truecase_with
from .tuning import KEEP_TOP, STALE_DAYS
from .verify import SupportScorer

MAX_QUESTION_CHARS = 2000
# A conversation's earlier turns: enough for follow-ups, bounded so a huge history cannot stall a worker.
MAX_TURNS = 20
MAX_TURN_CHARS = 8000
EMPTY_LIBRARY = "The library is empty — ingest articles first (newsqa ingest PATH, or upload files on the page's Library tab)."
Backend = Literal["extractive", "llm"]

FOLLOW_UP_TURNS = 3  # a follow-up leans on at most the last three questions of a conversation


class QuestionError(ValueError):
    """The request cannot be answered as asked (empty question, bad dates, …)."""


@dataclass
class Event:
    """A streaming event: a piece of text (``token``) or the final verified ``answer``."""

    kind: Literal["token", "answer"]
    token: str = ""
    answer: Answer | None = None
    source: str = ""  # "llm" for a model's words as it writes them (unverified until the answer event)


@dataclass
class AskRequest:
    """Everything a question needs; the defaults come from settings."""

    question: str
    k: int | None = None
    filters: Filters = field(default_factory=Filters)
    backend: Backend | None = None
    history: Sequence[tuple[str, str]] = ()  # earlier (role, content) turns, oldest first
    instructions: str = ""  # the asker's words about form ("Answer in French"): the LLM follows them


def check_text(text: str, what: str = "question") -> str:
    """The question (or search query) as plain text (``rag.text.plain_text``: HTML tags dropped, spaces
    collapsed), or QuestionError saying what is wrong with it."""
    q = plain_text(text or "")
    if not q:
        raise QuestionError(f"the {what} is empty")
    if len(q) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the {what} is {len(q)} characters long; the limit is {MAX_QUESTION_CHARS}")
    if not is_valid_text(q):
        raise QuestionError(f"the {what} holds invalid Unicode (a lone surrogate such as \\ud800)")
    return q


def validate(req: AskRequest) -> None:
    check_text(req.question)
    if len(req.history) > MAX_TURNS:
        raise QuestionError(f"the history has {len(req.history)} turns; the limit is {MAX_TURNS} (send only the latest)")
    for i, (role, content) in enumerate(req.history):
        if not isinstance(content, str) or len(content) > MAX_TURN_CHARS:
            raise QuestionError(f"history turn {i + 1} is longer than {MAX_TURN_CHARS} characters")
        if not is_valid_text(content):
            raise QuestionError(f"history turn {i + 1} holds invalid Unicode (a lone surrogate)")
    if len(req.instructions) > MAX_TURN_CHARS or not is_valid_text(req.instructions):
        raise QuestionError(f"the instructions (system message) must be valid text of at most {MAX_TURN_CHARS} characters")
    if req.k is not None and not 1 <= req.k <= 50:
        raise QuestionError("k must be between 1 and 50")
    if req.backend not in (None, "extractive", "llm"):
        raise QuestionError(f"unknown backend {req.backend!r}; use extractive or llm")
    try:
        req.filters.validate()
    except ValueError as e:
        raise QuestionError(str(e)) from None


def retrieval_query(question: str, history: Sequence[tuple[str, str]]) -> str:
    """The question, with the previous user question added when this one leans on it (that one read the same way,
    so a chain of follow-ups keeps its subject: "What happened in the Los Angeles fires?", "how many people died?",
    "and which neighborhoods burned?")."""
    earlier = [c.strip() for r, c in history if r == "user" and c.strip()]
    return _read_with(_answered_person(question, history), earlier[-FOLLOW_UP_TURNS:])


def _answered_person(question: str, history: Sequence[tuple[str, str]]) -> str:
    """ "Who won the mayoral race?" — "Zohran Mamdani — …", "how old is he?", "who did he beat?": "he" is the person
    the latest "who" question before got as its bold answer, unless a question since names someone itself."""
    pairs, asked = [], None
    for role, content in history:
        if role == "user":
            asked = content
        elif asked is not None:
            pairs.append((asked, content))
            asked = None
    for asked, answered in reversed(pairs):
        if with_names(question, asked) != question:
            return question  # that question names its person: rag.question.with_names reads it from there
        lead = bold_lead(answered)
        if lead and _NAME.fullmatch(lead) and analyse(asked).kind == "person":
            return with_names(question, f"It was {lead}.")
    return question


_NAME = re.compile(r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}")  # a bold lead that is a name: "Zohran Mamdani"


def _read_with(question: str, earlier: list[str]) -> str:
    if not earlier:
        return question
    before = _read_with(earlier[-1], earlier[:-1])
    named = with_names(question, before)  # "and who is he?" after a question about Grushko: "and who is Grushko?"
    if named != question:
        return named  # a whole question now, asked on its own (the earlier one's words would only dilute it)
    words = question.lower().split()
    follow_up = len(content_terms(question)) <= 4 or (words and words[0] in {"and", "what", "how", "why", "also"} and len(words) <= 8)
    if not follow_up:
        return question
    # the earlier question ends with its question mark, typed or not: the follow-up's own words say what it asks
    return f"{before}{'' if before[-1:] in '.?!' else '?'} {question}"


def gather_evidence(library: Library, query: str, k: int, filters: Filters):
    """(hits, ranked evidence sentences, the query without its time words) for a query asked as of ``filters.as_of``.

    The answer path's own retrieval; the confidence refit (evals.fit_confidence) reads its features through it too.
    """
    as_of = date.fromisoformat(filters.as_of)
    hits = retrieve(library, query, k, filters, keep_top=KEEP_TOP, rerank=False)  # its sentences are ranked next
    # "what does russia demand?": names are read from capitals from here on, so a lower-case query gets them back
    query = truecase_with(library, query, hits)
    return hits, rank_evidence(library, query, hits, as_of), plain_question(query, as_of)


def answer_stream(req: AskRequest, library: Library | None = None) -> Iterator[Event]:
    """Retrieve, answer and verify; yields text tokens, then one final ``answer`` event."""
    validate(req)
    library = library or get_library()
    settings = library.settings
    backend = req.backend or settings.backend
    k = req.k or settings.k
    question = check_text(req.question)
    if not req.filters.as_of:
        req.filters = replace(req.filters, as_of=date.today().isoformat())
    t0 = time.perf_counter()
    # A follow-up ("and what about troops?") is read with the question it follows,
    # for finding chunks and for ranking their sentences alike.
    query = retrieval_query(question, req.history)
    hits, evidence, plain = gather_evidence(library, query, k, req.filters)
    conf = confidence(plain, evidence, library.lexical().idf)
    previous = next((c for r, c in reversed(req.history) if r == "assistant"), "")
    t1 = time.perf_counter()

    window = timewords.resolve(query, date.fromisoformat(req.filters.as_of))
    why = _why_nothing(library, req.filters) if not hits else (_why_stale(library, window, evidence)
                                                               or _why_ahead(question, req.filters.as_of))
    first = None  # when the first words went out
    if why:
        answer = abstention(question, "extractive" if backend != "llm" else f"llm:{settings.llm_model}", why)
        answer.text = why if why == EMPTY_LIBRARY else f"{answer.text} ({why})"
        first = time.perf_counter()
        yield Event("token", token=answer.text)
    elif backend == "llm":
        answer = None
        for ev in _llm_events(library, question, evidence, req.history, conf, req.instructions, previous):
            if ev.kind == "token":
                first = first or time.perf_counter()
                yield ev
            else:
                answer = ev.answer
                _unbold_other_time(answer, window)  # an extractive fallback's bold answer
    else:
        answer = extractive_answer(question, evidence, conf, load_model().threshold, avoid=previous)
        _unbold_other_time(answer, window)
        first = time.perf_counter()
        yield Event("token", token=answer.text)
    t2 = time.perf_counter()
    answer.answer_kind = analyse(plain).kind
    if answer.confidence is None:
        answer.confidence = round(conf, 4)
    _stamp_time(answer, window, req.filters.as_of)
    if answer.usage is None:
        answer.usage = counted_usage([req.instructions, *(c for _, c in req.history), question], answer.text)
    answer.timings.retrieve_ms = round((t1 - t0) * 1000, 2)
    answer.timings.answer_ms = round((t2 - t1) * 1000, 2)
    answer.timings.total_ms = round((t2 - t0) * 1000, 2)
    answer.timings.first_token_ms = round(((first or t2) - t0) * 1000, 2)
    yield Event("answer", answer=answer)


def _stamp_time(answer: Answer, window: timewords.Window | None, as_of: str) -> None:
    """Say what the answer was asked as of, which days the question named, and when its sources are older."""
    answer.as_of = as_of
    answer.window = window.label() if window else None
    if window is None or not answer.citations:
        return
    days = sorted({c.published for c in answer.citations if c.published})
    if not days:
        return
    if window.explicit and not any(window.contains(date.fromisoformat(d)) for d in days):
        answer.time_note = (
            f"No article from {window.label()} ({window.words}) answers this; "
            f"these sources are from {', '.join(days[-3:])}."
        )
    elif not window.explicit and all(window.distance(date.fromisoformat(d)) > STALE_DAYS for d in days):
        # "the latest" is the latest the archive knows (no abstention), but the reader learns how old that is
        answer.time_note = f"The question says “{window.words}”; these sources are from {', '.join(days[-3:])}."


def _unbold_other_time(answer: Answer, window: timewords.Window | None) -> None:
    """No bold short answer from a story more than STALE_DAYS away from the days the question names ("this week",
    "today", "on Monday", or the vaguer "latest", "recent", "new"): the sentences stay cited, with their dates, but
    the answer does not assert a name or a number from another time. Held-out scale set: such bold answers named the
    gold answer 8 times in 38 (the others 92 in 174); dev: 1 in 4."""
    if answer.short is None or window is None or not answer.citations:
        return
    if window.explicit and (window.end - window.start).days > timewords.SHORT_WINDOW_DAYS:
        return  # "this year", "in March": a long window, whose older stories may well be the answer
    cited = answer.citations[answer.short.citation - 1]
    days = [date.fromisoformat(cited.published[:10])] if cited.published else []
    # … nor, for "this week", "today", "on Monday", from a sentence that says when it happened, at another time
    # ("Dori Connor died on June 30, 2024" in a story of this week, for "Who died this week?"; "recently" is left
    # out: a recent story's sentence dates its background, "Mike Pence … for certifying the 2020 election")
    stated = timewords.stated_days(cited.quote) if window.explicit else []
    if stated and all(window.distance(d) > STALE_DAYS for d in stated):
        days = stated
    if not days or any(window.distance(d) <= STALE_DAYS for d in days):
        return
    drop_short(answer)


def _why_stale(library: Library, window: timewords.Window | None, evidence) -> str | None:
    """Why the archive cannot answer about the time the question names: its newest story before that time is more
    than STALE_DAYS older ("this week" over an archive that ends in February). None when the question names no time
    or only a vague one, or when the best evidence is from an article without a date (a dateless article is never
    excluded by a window)."""
    if window is None or not window.explicit or not evidence or not evidence[0].hit.published:
        return None  # "the latest", "recent", "new" mean the latest the archive knows ("their latest meeting")
    newest = library.newest_day(window.end)
    if newest is None or (window.start - newest).days <= STALE_DAYS:
        return None
    return (f"the question says “{window.words}”, and the archive has no article from within {STALE_DAYS} days of "
            f"{window.label()}; its newest before then is from {newest.isoformat()}")


def _why_ahead(question: str, as_of: str) -> str | None:
    """Why no article can say how an event of a later year turned out ("Who won the 2030 World Cup?")."""
    year = timewords.year_ahead(question, date.fromisoformat(as_of))
    return f"the question asks how {year} turned out, and the articles go up to {as_of}" if year else None


def _why_nothing(library: Library, filters: Filters) -> str | None:
    """Why retrieval found nothing at all: an empty library, or the filter that matched no article."""
    if library.store.count()[0] == 0:
        return EMPTY_LIBRARY
    if filters.sources:
        known = {source_key(s) for s in library.sources()}
        missing = [s for s in filters.sources if source_key(s) not in known]
        if missing and len(missing) == len(filters.sources):
            return f"no article is from {', '.join(repr(m) for m in missing)}; `newsqa list` shows the sources"
    if filters.since or filters.until:
        span = " and ".join(x for x in (filters.since and f"on or after {filters.since}", filters.until and f"on or before {filters.until}") if x)
        return f"no article{' of the chosen sources' if filters.sources else ''} was published {span}"
    if filters.as_of:
        return f"no article was published on or before {filters.as_of} (as of)"
    return None


def counted_usage(prompt: Sequence[str], completion: str) -> Usage:
    """Token counts by newsqa's own (WordPiece) tokenizer, for answers no model server counted."""
    p, c = sum(count_tokens([t for t in prompt if t])), sum(count_tokens([completion]))
    return Usage(prompt_tokens=p, completion_tokens=c, total_tokens=p + c, counted_by="newsqa")


def _llm_events(
    library: Library, question: str, evidence, history, conf: float, instructions: str = "", avoid: str = ""
) -> Iterator[Event]:
    """The LLM answer's events; ``avoid`` (the previous answer) is never repeated by an extractive fallback."""
    settings = library.settings
    sources = select_sources(evidence)
    threshold = load_model().threshold
    floor = threshold if settings.llm_min_confidence is None else settings.llm_min_confidence
    name = f"llm:{settings.llm_model}"
    try:
        if settings.llm_base_url and conf < floor:
            # The same calibrated decision the extractive answer makes: small models answer whatever they are
            # shown, and asking costs a minute of CPU on a small machine. (Before the client is built: its
            # import alone takes seconds; an unconfigured endpoint is still reported as such, below.)
            why = f"the confidence that the articles answer this ({conf:.2f}) is below {floor:.2f}; the model was not asked"
            yield Event("answer", answer=abstention(question, name, why))
            return
        llm = LLMAnswerer(settings)
        if not sources:
            yield Event("answer", answer=abstention(question, name))
            return
        reply = []
        for tok in llm.stream(question, sources, history, instructions):
            reply.append(tok)
            yield Event("token", token=tok, source="llm")
    except LLMError as e:
        if not settings.llm_fallback:
            raise
        ans = extractive_answer(question, evidence, conf, threshold, avoid=avoid)
        ans.fallback = True
        ans.error = str(e)
        yield Event("answer", answer=ans)
        return
    idx = library.lexical()
    scorer = SupportScorer(idf=idx.idf, embed=library.embedder.embed)
    text = "".join(reply)
    verified, nothing = read_reply(question, text, sources, scorer, name)
    if not nothing:
        nothing = misses_what_was_asked(verified, question, sources)  # the best source the model was shown
    if nothing and conf >= threshold:
        # The model said nothing usable where the evidence answers: bare markers, "the articles do not answer",
        # the question restated, or sentences that cite no source and that no source supports (it ignored the
        # answer format). The extractive answer for this question, flagged, is better than an abstention. A reply
        # that cites sources which do not support what it claims still ends as an abstention (read_reply).
        ans = extractive_answer(question, evidence, conf, threshold, avoid=avoid)
        ans.fallback = True
        ans.error = nothing
        yield Event("answer", answer=ans)
        return
    if llm.usage:
        verified.usage = Usage(**llm.usage, counted_by="model server")
    yield Event("answer", answer=verified)


def answer(req: AskRequest | str, library: Library | None = None, **kw) -> Answer:
    """The verified Answer to a question (``answer("What does Russia demand?")``)."""
    if isinstance(req, str):
        req = AskRequest(question=req, **kw)
    final = None
    for ev in answer_stream(req, library):
        if ev.kind == "answer":
            final = ev.answer
    return final
