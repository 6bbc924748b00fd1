"""The chat page's HTML helpers: everything escaped, the cited span highlighted at its exact offsets."""

from __future__ import annotations

import re

from rag.models import Answer, AnswerSentence, Article, Citation, Timings
from ui import render
from ui.render import Turn

EVIL = "<script>alert(1)</script> & <img src=x onerror=alert(2)> \"quoted\" 'single'"
TEXT = (
    "First paragraph, one sentence.\n"
    "Second paragraph. It has <b>two</b> sentences.\n"
    "Third paragraph closes."
)


def untag(html: str) -> str:
    """The text a browser would show (tags removed, entities decoded)."""
    import html as h

    return h.unescape(re.sub(r"<[^>]+>", "", html))


def citation(text: str, quote: str, n: int = 1, **kw) -> Citation:
    start = text.index(quote)
    return Citation(n=n, article_id="a1", quote=quote, start=start, end=start + len(quote), **kw)


def test_esc_leaves_no_markup():
    out = render.esc(EVIL)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    assert untag(out) == EVIL


def test_safe_url_allows_only_http_links():
    assert render.safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert render.safe_url("http://example.org") == "http://example.org"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>", "//example.org", "", "example.org"):
        assert render.safe_url(bad) is None


def test_highlight_marks_exactly_the_cited_span():
    quote = "It has <b>two</b> sentences."
    start = TEXT.index(quote)
    html = render.highlight_html(TEXT, start, start + len(quote))
    marked = re.findall(r'<mark class="nq-quote">(.*?)</mark>', html)
    assert [untag(m) for m in marked] == [quote]
    assert "<b>" not in html  # the article's tags are shown, not applied
    # The whole surrounding passage is there, paragraph by paragraph.
    assert untag(html) == TEXT.replace("\n", "")
    assert html.count("<p>") == 3


def test_paragraph_bounds_take_whole_short_neighbours():
    quote = "Second paragraph."
    start = TEXT.index(quote)
    assert render.paragraph_bounds(TEXT, start, start + len(quote), context=300) == (0, len(TEXT))
    # A window too small for the neighbours keeps the cited sentence's own paragraph ...
    a, b = render.paragraph_bounds(TEXT, start, start + len(quote), context=30)
    assert TEXT[a:b] == "Second paragraph. It has <b>two</b> sentences."
    # ... and one smaller still cuts even that at a word break.
    a, b = render.paragraph_bounds(TEXT, start, start + len(quote), context=5)
    assert TEXT[a:b] == "Second paragraph. It"


def test_long_paragraph_is_cut_at_word_breaks_with_ellipses():
    words = " ".join(f"w{i}" for i in range(400))
    text = words + " The cited sentence is here. " + words
    quote = "The cited sentence is here."
    start = text.index(quote)
    a, b = render.paragraph_bounds(text, start, start + len(quote), context=60)
    assert 0 < a < start and start + len(quote) < b < len(text)
    assert text[a - 1] == " " and text[b] == " "  # whole words only
    assert start - a <= 60 and b - (start + len(quote)) <= 60
    html = render.highlight_html(text, start, start + len(quote), context=60)
    assert untag(html).startswith("… ") and untag(html).endswith(" …")
    assert untag(re.search(r"<mark[^>]*>(.*?)</mark>", html).group(1)) == quote


def test_highlight_at_the_very_start_and_end_of_the_text():
    text = "Only sentence."
    html = render.highlight_html(text, 0, len(text))
    assert html == '<p><mark class="nq-quote">Only sentence.</mark></p>'


def test_citation_card_escapes_everything_and_drops_script_links():
    text = f"Intro.\nThe harbour said {EVIL} today.\nOutro."
    c = citation(text, f"The harbour said {EVIL} today.", title=EVIL, source=EVIL, published="2025-03-01", url="javascript:alert(3)")
    card = render.citation_card(c, text, turn=0)
    assert "<script" not in card and "<img" not in card and "javascript:" not in card
    assert EVIL in untag(card)
    assert 'id="src-0-1"' in card
    linked = render.citation_card(citation(text, "Outro.", url="https://news.example/x?a=1&b=2"), text, 0)
    assert 'href="https://news.example/x?a=1&amp;b=2"' in linked


def test_citation_card_finds_quote_when_offsets_are_stale():
    text = "Alpha. Beta gamma. Delta."
    c = Citation(n=2, article_id="a", quote="Beta gamma.", start=0, end=11)  # wrong offsets
    card = render.citation_card(c, "New lead. " + text, turn=3)
    assert untag(re.search(r"<mark[^>]*>(.*?)</mark>", card).group(1)) == "Beta gamma."
    missing = render.citation_card(c, None, turn=3)  # article deleted since: the quote alone
    assert untag(re.search(r"<mark[^>]*>(.*?)</mark>", missing).group(1)) == "Beta gamma."


def answer(**kw) -> Answer:
    base = dict(question="Q?", text="", timings=Timings(retrieve_ms=12.3, answer_ms=1500, total_ms=1512.3))
    base.update(kw)
    return Answer(**base)


def test_answer_marks_unsupported_sentences_with_their_score():
    a = answer(
        text="Checked <i>claim</i>. [1] Invented claim. [2] Uncited claim.",
        sentences=[
            AnswerSentence(text="Checked <i>claim</i>.", citations=[1], support=0.91, supported=True),
            AnswerSentence(text="Invented claim.", citations=[2], support=0.12, supported=False),
            AnswerSentence(text="Uncited claim.", citations=[], support=0.0, supported=False),
        ],
        backend="llm:smollm2",
    )
    html = render.answer_html(a, turn=4)
    assert html.count("nq-unsupported") == 2
    assert 'title="Not supported by its sources (support 0.12)"' in html
    assert 'title="No source cited for this sentence (support 0.00)"' in html
    assert 'title="Checked against its sources (support 0.91)"' in html
    assert '<i>' not in html and "&lt;i&gt;claim&lt;/i&gt;" in html
    assert re.findall(r'data-turn="4" data-n="(\d)"', html) == ["1", "2"]
    assert "llm:smollm2 · retrieval 12 ms · answering 1.50 s · total 1.51 s" in untag(html)


def test_abstention_and_fallback_have_their_own_notices():
    ab = render.answer_html(answer(text="The ingested articles do not answer this question.", abstained=True), 0)
    assert "nq-abstain" in ab and "nq-cite" not in ab
    fb = render.answer_html(
        answer(
            text="S. [1]",
            sentences=[AnswerSentence(text="S.", citations=[1], support=1, supported=True)],
            fallback=True,
            error="connection refused <b>",
            backend="extractive",
        ),
        0,
    )
    assert "nq-fallback" in fb and "extractive answer instead" in fb and "&lt;b&gt;" in fb
    assert "extractive (fallback)" in untag(fb)


def test_conversation_escapes_questions_and_streaming_text():
    turns = [Turn(question=EVIL), Turn(question="next <b>")]
    html = render.conversation_html(turns, streaming="partial <script>x</script>")
    assert "<script" not in html and "<b>" not in html
    assert "partial <script>x</script>" in untag(html)
    assert "nq-caret" in html


def test_sources_panel_shows_the_latest_answer_and_keeps_earlier_ones():
    text = "One. Two."
    first = answer(question="first", text="One. [1]", citations=[citation(text, "One.")])
    second = answer(question="second", text="Two. [1]", citations=[citation(text, "Two.")])
    turns = [
        Turn("first", answer=first, sources=render.sources_section(first, {"a1": text}, 0)),
        Turn("second", answer=second, sources=render.sources_section(second, {"a1": text}, 1)),
    ]
    html = render.sources_html(turns)
    assert html.count("nq-turn-sources nq-active") == 1
    assert re.search(r'class="nq-turn-sources nq-active" data-turn="1"', html)
    assert 'id="src-0-1"' in html and 'id="src-1-1"' in html


def test_sources_are_listed_in_citation_order():
    text = "A one. B two. C three."
    a = answer(citations=[citation(text, "C three.", n=3), citation(text, "A one.", n=1), citation(text, "B two.", n=2)])
    html = render.sources_section(a, {"a1": text}, 0)
    assert re.findall(r'id="src-0-(\d)"', html) == ["1", "2", "3"]


def test_article_reader_and_upload_results_are_escaped():
    art = Article(id="x<1>", title=EVIL, source="S", published="2025-01-01", url="javascript:x", text=f"P1 {EVIL}\nP2")
    html = render.article_html(art, chunks=2)
    assert "<script" not in html and "javascript:" not in html and html.count("<p>") == 2
    res = render.upload_results_html([
        {"item": "<x>.md", "status": "skipped", "reason": "unsupported file type .pdf"},
        {"item": "a.txt", "status": "added", "title": EVIL, "chunks": 3},
    ])
    assert "<x>" not in res and "<script" not in res
    assert "1 skipped, 1 ingested" in untag(res)


def test_follow_ups_carry_the_earlier_answered_turns():
    from rag.retrieve import Filters
    from ui.app import filters_in_words, history_of

    done = answer(question="What does Russia demand?", text="A bar on NATO membership. [1]")
    turns = [Turn("What does Russia demand?", answer=done), Turn("broken", error="That question cannot be asked")]
    assert history_of(turns) == [("user", "What does Russia demand?"), ("assistant", "A bar on NATO membership. [1]")]
    assert filters_in_words(Filters(sources=["Reuters", "AP"], since="2025-01-01")) == "sources: Reuters, AP · from 2025-01-01"
    assert filters_in_words(Filters()) == ""


def test_short_answer_is_bold_above_the_cited_sentence_and_escaped():
    from rag.models import ShortAnswer

    sent = "Deputy Russian Foreign Minister Alexander Grushko told the <Izvestia> media outlet."
    a = answer(
        text=f"<Izvestia> — {sent} [1]",
        sentences=[AnswerSentence(text=sent, citations=[1], support=1.0, supported=True)],
        short=ShortAnswer(text="<Izvestia>", citation=1, start=59, end=69, kind="name"),
        confidence=0.62,
    )
    html = render.answer_html(a, turn=2)
    assert html.index("nq-short") < html.index("nq-answer-text")
    assert "<strong>&lt;Izvestia&gt;</strong>" in html
    assert re.findall(r'data-turn="2" data-n="(\d)"', html) == ["1", "1"]
    assert "confidence 0.62" in untag(html)
