"""Chunks are exact slices of the article text, never cut a normal sentence, and fit the model window."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.chunking import HARD_MAX_TOKENS, chunk_article, sentence_spans
from ingest.embeddings import MAX_TOKENS, count_tokens

odd_text = st.one_of(
    st.text(min_size=0, max_size=3000),
    st.lists(
        st.sampled_from(
            ["Hello world.", "“Quoted,” she said.", "Zelenskiy’s plan", "no punctuation at all", "\n", "\n\n",
             "Mr. Smith went to Washington.", "ÅÄÖ ñ 東京 🙂.", "  ", "3.5 percent", '"Why?" he asked.', "\t"]
        ),
        max_size=400,
    ).map(" ".join),
    st.builds(lambda w, n: " ".join([w] * n), st.sampled_from(["word", "très", "x1"]), st.integers(300, 1500)),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(odd_text)
def test_chunks_are_exact_slices_within_the_window(text):
    chunks = chunk_article("a", text)
    for i, c in enumerate(chunks):
        assert text[c.start : c.end] == c.text
        assert c.id == f"a:{i}"
        assert c.text.strip()
        for s, e in c.sentences:
            assert c.start <= s < e <= c.end
    for c in chunks:
        assert count_tokens([c.text])[0] <= MAX_TOKENS
    # chunks are in order and do not overlap
    assert all(a.end <= b.start for a, b in zip(chunks, chunks[1:]))


def test_one_huge_sentence_is_split_into_windows():
    text = "The " + " and ".join(f"minister{i} spoke" for i in range(800)) + "."
    chunks = chunk_article("h", text)
    assert len(chunks) > 3
    assert all(count_tokens([c.text])[0] <= HARD_MAX_TOKENS + 2 for c in chunks)
    assert all(text[c.start : c.end] == c.text for c in chunks)


def test_normal_sentences_are_never_cut():
    sents = [f"Sentence number {i} says something about the harbour and the ferry line." for i in range(60)]
    text = " ".join(sents)
    spans = set(sentence_spans(text))
    for c in chunk_article("n", text):
        for s in c.sentences:
            assert s in spans
        assert c.text.startswith("Sentence number") and c.text.endswith("line.")


def test_line_breaks_end_sentences():
    text = "A headline without a full stop\nThe body begins here. It goes on."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "A headline without a full stop",
        "The body begins here.",
        "It goes on.",
    ]
