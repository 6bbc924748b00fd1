"""HTML for the chat page, built only from escaped text.

Everything that comes from an article, a question or a model goes through
``esc`` before it meets markup: the browser must show ``<script>`` as
characters, never run it. Gradio's ``gr.HTML`` sets ``innerHTML`` without
sanitising, so this module is the only guard.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Mapping, Sequence
from urllib.parse import urlsplit

from rag.models import Answer, Article, ArticleInfo, Citation, is_verbatim

# Characters of context shown on each side of a cited sentence when its
# paragraph is long (some articles have no paragraph breaks at all).
CONTEXT_CHARS = 300


def esc(value: object) -> str:
    """Text made safe to place in HTML content or a quoted attribute."""
    return html.escape(str(value), quote=True)


def safe_url(url: str) -> str | None:
    """The URL if it is a plain http(s) link, else None (no ``javascript:`` links)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url
    return None


def locate_quote(text: str, c: Citation) -> tuple[int, int] | None:
    """Where a citation's quote sits in the article text (its offsets, or a fresh search if the text changed)."""
    if is_verbatim(text, c):
        return c.start, c.end
    at = text.find(c.quote) if c.quote else -1
    return (at, at + len(c.quote)) if at >= 0 else None


def paragraph_bounds(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> tuple[int, int]:
    """The passage around ``text[start:end]``: its paragraph plus whole neighbouring paragraphs
    within ``context`` characters each side; a long paragraph is cut at a word break."""
    lo = max(0, start - context)
    para_start = text.rfind("\n", 0, start) + 1
    if para_start >= lo:
        # Take in earlier paragraphs that fit wholly into the window.
        p_start = para_start
        while p_start > 0:
            prev = text.rfind("\n", 0, p_start - 1) + 1
            if prev < lo:
                break
            p_start = prev
    else:
        space = text.find(" ", lo, start)
        p_start = space + 1 if space != -1 else lo
    hi = min(len(text), end + context)
    para_end = text.find("\n", end)
    para_end = len(text) if para_end == -1 else para_end
    if para_end <= hi:
        p_end = para_end
        while p_end < len(text):
            nxt = text.find("\n", p_end + 1)
            nxt = len(text) if nxt == -1 else nxt
            if nxt > hi:
                break
            p_end = nxt
    else:
        space = text.rfind(" ", end, hi)
        p_end = space if space != -1 else hi
    return p_start, p_end


def highlight_html(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> str:
    """The passage around ``text[start:end]`` as escaped ``<p>`` paragraphs, that span in ``<mark>``."""
    p_start, p_end = paragraph_bounds(text, start, end, context)
    lead = "… " if p_start > 0 and text[p_start - 1] != "\n" else ""
    tail = " …" if p_end < len(text) and text[p_end] != "\n" else ""
    out = ["<p>", esc(lead)]
    for piece, marked in ((text[p_start:start], False), (text[start:end], True), (text[end:p_end], False)):
        open_, close = ('<mark class="nq-quote">', "</mark>") if marked else ("", "")
        lines = piece.split("\n")
        out.append(open_)
        for j, line in enumerate(lines):
            if j:
                out.append(f"{close}</p><p>{open_}")
            out.append(esc(line))
        out.append(close)
    out += [esc(tail), "</p>"]
    return "".join(out).replace("<p></p>", "")


# ------------------------------------------------------------------ the conversation


@dataclass
class Turn:
    """One question of the chat and what came back: an Answer, or an error message."""

    question: str
    answer: Answer | None = None
    error: str | None = None
    sources: str = ""  # rendered sources-panel section, built once when the answer arrives
    filters: str = ""  # the filters in force, in words


def sentence_html(text: str, citations: Sequence[int], support: float, supported: bool, turn: int) -> str:
    """One answer sentence with its clickable [n] markers; unsupported ones marked, score on hover."""
    if supported:
        cls, tip = "nq-sent", f"Checked against its sources (support {support:.2f})"
    elif citations:
        cls, tip = "nq-sent nq-unsupported", f"Not supported by its sources (support {support:.2f})"
    else:
        cls, tip = "nq-sent nq-unsupported", f"No source cited for this sentence (support {support:.2f})"
    refs = "".join(
        f' <button type="button" class="nq-cite" data-turn="{turn}" data-n="{n}" '
        f'title="Show source {n}" aria-label="Show source {n}">[{n}]</button>'
        for n in citations
    )
    flag = "" if supported else ' <span class="nq-flag" aria-hidden="true">unverified</span>'
    return f'<span class="{cls}" title="{esc(tip)}">{esc(text)}</span>{refs}{flag}'


def short_html(answer: Answer, turn: int) -> str:
    """The answering words in bold, with the [n] of the sentence they come from, above the sentences."""
    sh = answer.short
    return (
        f'<div class="nq-short"><strong>{esc(sh.text)}</strong> <button type="button" class="nq-cite" '
        f'data-turn="{turn}" data-n="{sh.citation}" title="Show source {sh.citation}" '
        f'aria-label="Show source {sh.citation}">[{sh.citation}]</button></div>'
    )


def disagreement_html(answer: Answer, turn: int) -> str:
    """Sources that give different values, side by side, newest first, each with its source, date and [n]."""
    d = answer.disagreement
    head = "Updated by the source" if d.update else "The sources disagree"
    cells = "".join(
        f'<div class="nq-value"><strong>{esc(v.value)}</strong> <button type="button" class="nq-cite" data-turn="{turn}" '
        f'data-n="{v.citation}" title="Show source {v.citation}" aria-label="Show source {v.citation}">[{v.citation}]</button>'
        f'<div class="nq-value-src">{esc(v.source)}{" · " + esc(v.published) if v.published else ""}</div></div>'
        for v in d.values
    )
    return f'<div class="nq-disagree" role="note"><div class="nq-disagree-head">{head}</div><div class="nq-values">{cells}</div></div>'


def answer_html(answer: Answer, turn: int) -> str:
    """The body of an answer bubble: sentences, notices and small print."""
    parts: list[str] = []
    if answer.abstained:
        reason = f'<div class="nq-abstain-why">{esc(answer.error)}</div>' if answer.error and not answer.fallback else ""
        parts.append(
            '<div class="nq-abstain" role="note"><span class="nq-abstain-icon" aria-hidden="true">i</span>'
            f'<div><div class="nq-abstain-text">{esc(answer.text)}</div>'
            '<div class="nq-abstain-hint">Nothing in the library supports an answer, so none is given. '
            "Try other words, widen the filters, or add articles in the Library tab.</div>"
            f"{reason}</div></div>"
        )
    elif answer.sentences:
        if answer.disagreement is not None:
            parts.append(disagreement_html(answer, turn))
        elif answer.short is not None:
            parts.append(short_html(answer, turn))
        body = " ".join(sentence_html(s.text, s.citations, s.support, s.supported, turn) for s in answer.sentences)
        parts.append(f'<div class="nq-answer-text">{body}</div>')
    else:
        parts.append(f'<div class="nq-answer-text">{esc(answer.text)}</div>')
    if answer.fallback:
        why = f": {esc(answer.error.rstrip('. '))}" if answer.error else ""
        parts.append(
            '<div class="nq-notice nq-fallback" role="note">The language model could not answer'
            f"{why}. This is the extractive answer instead.</div>"
        )
    if any(not s.supported for s in answer.sentences) and not answer.abstained:
        parts.append(
            '<div class="nq-notice nq-legend">Sentences marked <span class="nq-flag">unverified</span> '
            "are not supported by the sources they cite; hover for the support score.</div>"
        )
    if answer.time_note:
        parts.append(f'<div class="nq-notice nq-time-note" role="note">{esc(answer.time_note)}</div>')
    parts.append(f'<div class="nq-meta">{esc(meta_line(answer))}</div>')
    return "".join(parts)


def meta_line(answer: Answer) -> str:
    """Which backend answered and how long each stage took, in words."""
    t = answer.timings
    backend = answer.backend + (" (fallback)" if answer.fallback else "")
    when = ""
    if answer.as_of:
        when = f"as of {answer.as_of}" + (f", window {answer.window}" if answer.window else "") + " · "
    if answer.confidence is not None and not answer.abstained:
        when += f"confidence {answer.confidence:.2f} · "
    return (
        f"{when}{backend} · retrieval {_ms(t.retrieve_ms)} · answering {_ms(t.answer_ms)} · total {_ms(t.total_ms)}"
    )


def _ms(ms: float) -> str:
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms"


def turn_html(t: Turn, i: int, streaming: str | None = None) -> str:
    """A question and its answer (or the answer streaming in, or an error)."""
    filters = f'<div class="nq-filters-used">{esc(t.filters)}</div>' if t.filters else ""
    user = f'<div class="nq-row nq-row-user"><div class="nq-bubble nq-user">{esc(t.question)}{filters}</div></div>'
    if t.answer is not None:
        cls = "nq-bot nq-abstained" if t.answer.abstained else "nq-bot"
        bot = answer_html(t.answer, i)
    elif t.error is not None:
        cls = "nq-bot nq-error"
        bot = f'<div class="nq-error-text" role="alert">{esc(t.error)}</div>'
    else:
        cls = "nq-bot nq-streaming"
        text = streaming or ""
        bot = f'<div class="nq-answer-text">{esc(text)}<span class="nq-caret" aria-hidden="true"></span></div>'
        if not text:
            bot = '<div class="nq-answer-text nq-thinking">Searching the articles…</div>'
    return f'<div class="nq-turn" data-turn="{i}">{user}<div class="nq-row nq-row-bot"><div class="nq-bubble {cls}">{bot}</div></div></div>'


def conversation_html(turns: Sequence[Turn], streaming: str | None = None) -> str:
    """The whole chat log; the last turn shows ``streaming`` text while its answer is pending."""
    if not turns:
        return (
            '<div class="nq-chat nq-chat-empty"><div class="nq-welcome">'
            "<h3>Ask about the news in your library</h3>"
            "<p>Every sentence of an answer cites the article it comes from. "
            "Click a <span class=\"nq-cite-sample\">[1]</span> to read the source, highlighted, on the right.</p>"
            "</div></div>"
        )
    rows = [turn_html(t, i, streaming if i == len(turns) - 1 else None) for i, t in enumerate(turns)]
    return f'<div class="nq-chat">{"".join(rows)}</div>'


# ------------------------------------------------------------------ the sources panel


def citation_card(c: Citation, article_text: str | None, turn: int) -> str:
    """One source: number, title, source, date, link, and the cited sentence inside its paragraph."""
    title = c.title or "(untitled)"
    meta = [esc(c.source)] if c.source else []
    if c.published:
        meta.append(f"<time>{esc(c.published)}</time>")
    url = safe_url(c.url)
    if url:
        meta.append(f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">original article ↗</a>')
    at = locate_quote(article_text, c) if article_text else None
    if at is not None:
        body = f'<div class="nq-src-para">{highlight_html(article_text, *at)}</div>'
    else:
        body = f'<div class="nq-src-para"><p><mark class="nq-quote">{esc(c.quote)}</mark></p></div>'
    return (
        f'<article class="nq-src" id="src-{turn}-{c.n}" data-turn="{turn}" data-n="{c.n}">'
        f'<div class="nq-src-head"><span class="nq-src-n">[{c.n}]</span>'
        f'<span class="nq-src-title">{esc(title)}</span></div>'
        f'<div class="nq-src-meta">{" · ".join(meta)}</div>{body}</article>'
    )


def sources_section(answer: Answer, texts: Mapping[str, str], turn: int) -> str:
    """All citations of one answer, in order, as a panel section."""
    if answer.abstained or not answer.citations:
        note = "No sources: the articles do not answer this question." if answer.abstained else "This answer cites no sources."
        cards = f'<p class="nq-src-none">{note}</p>'
    else:
        cards = "".join(citation_card(c, texts.get(c.article_id), turn) for c in sorted(answer.citations, key=lambda c: c.n))
    return (
        f'<section class="nq-turn-sources" data-turn="{turn}">'
        f'<div class="nq-src-q">Sources for “{esc(answer.question)}”</div>{cards}</section>'
    )


def sources_html(turns: Sequence[Turn]) -> str:
    """The panel: one section per answered turn, the latest shown; clicking [n] switches sections."""
    sections = [t.sources for t in turns if t.sources]
    if not sections:
        return (
            '<div class="nq-sources nq-sources-empty"><div class="nq-panel-title">Sources</div>'
            "<p>The articles an answer cites appear here, with the cited sentence highlighted.</p></div>"
        )
    last = sections[-1].replace('class="nq-turn-sources"', 'class="nq-turn-sources nq-active"', 1)
    return f'<div class="nq-sources"><div class="nq-panel-title">Sources</div>{"".join(sections[:-1])}{last}</div>'


# ------------------------------------------------------------------ the library


def article_html(article: Article | None, chunks: int | None = None) -> str:
    """An article to read: title, metadata, link and full text, all escaped."""
    if article is None:
        return '<div class="nq-reader nq-reader-empty">Select an article in the list to read it.</div>'
    meta = [esc(x) for x in (article.source, article.published) if x]
    if article.authors:
        meta.append(esc(", ".join(article.authors)))
    if chunks is not None:
        meta.append(f"{chunks} chunk{'s' if chunks != 1 else ''}")
    meta.append(f"id <code>{esc(article.id)}</code>")
    url = safe_url(article.url)
    link = f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">original article ↗</a>' if url else ""
    paras = "".join(f"<p>{esc(p)}</p>" for p in article.text.split("\n") if p.strip())
    return (
        f'<div class="nq-reader"><h2 class="nq-reader-title">{esc(article.title or "(untitled)")}</h2>'
        f'<div class="nq-reader-meta">{" · ".join(meta)} {link}</div>'
        f'<div class="nq-reader-text">{paras}</div></div>'
    )


def library_rows(infos: Sequence[ArticleInfo]) -> list[list]:
    """Table rows (title, source, date, chunks, id) for the library list."""
    return [[a.title, a.source, a.published, a.chunks, a.id] for a in infos]


def matches(info: ArticleInfo, query: str) -> bool:
    """Whether an article's title, source, date or id contains every word of ``query``."""
    hay = f"{info.title} {info.source} {info.published} {info.id}".lower()
    return all(w in hay for w in query.lower().split())


STATUS_WORDS = {"added": "ingested", "updated": "updated", "unchanged": "already in the library", "skipped": "skipped"}


def upload_results_html(results: Sequence[Mapping]) -> str:
    """Per-file ingest results: what was added, what was skipped and why."""
    if not results:
        return ""
    rows = []
    for r in results:
        status = str(r.get("status", ""))
        detail = r.get("reason") or r.get("title") or ""
        if r.get("chunks"):
            detail = f"{detail} ({r['chunks']} chunk{'s' if r['chunks'] != 1 else ''})"
        rows.append(
            f'<tr class="nq-up-{esc(status)}"><td class="nq-up-item">{esc(r.get("item", ""))}</td>'
            f'<td class="nq-up-status">{esc(STATUS_WORDS.get(status, status))}</td>'
            f'<td class="nq-up-detail">{esc(detail)}</td></tr>'
        )
    counts: dict[str, int] = {}
    for r in results:
        counts[r.get("status", "")] = counts.get(r.get("status", ""), 0) + 1
    summary = ", ".join(f"{n} {STATUS_WORDS.get(s, s)}" for s, n in counts.items())
    return (
        f'<div class="nq-upload"><div class="nq-up-summary">{esc(summary)}</div>'
        '<table class="nq-up-table"><thead><tr><th>File</th><th>Result</th><th>Details</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div>'
    )


def notice_html(text: str, kind: str = "info") -> str:
    """A one-line message box."""
    return f'<div class="nq-msg nq-msg-{esc(kind)}">{esc(text)}</div>'
