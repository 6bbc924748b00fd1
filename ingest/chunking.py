"""Sentence-aligned chunks with character offsets that fit the embedding model's window."""

from __future__ import annotations

import re
from functools import lru_cache

from .models import Chunk, text_hash

from .embeddings import MAX_TOKENS, count_tokens

# Leave room under the 256-token window for [CLS]/[SEP] and tokenizer drift.
TARGET_TOKENS = 180
HARD_MAX_TOKENS = MAX_TOKENS - 6

_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"\S+")


# Bump when chunk boundaries change: stored articles are then re-chunked and re-embedded.
CHUNKER_VERSION = 3  # 3: sentence vectors (layout 2)

# News abbreviations that English punkt does not know, so "Gov. Newsom" stays one sentence.
EXTRA_ABBREVIATIONS = {
    "no", "nos", "gov", "govs", "sen", "sens", "rep", "reps", "gen", "lt", "sgt", "capt", "cmdr", "adm", "supt",
    "jr", "sr", "st", "ste", "mt", "ft", "vs", "approx", "dept", "est", "inc", "ltd", "corp", "u.k", "u.n", "e.u",
    "p.m", "a.m", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "pres", "prof",
}


def record_hash(text: str) -> str:
    """What the store records per article: its text hash and the chunker version that cut it."""
    return f"{text_hash(text)}:c{CHUNKER_VERSION}"


@lru_cache(maxsize=1)
def _punkt():
    """NLTK's trained English punkt model, which llama-index ships in its package (works offline)."""
    import os

    import llama_index.core
    import nltk
    from nltk.tokenize.punkt import PunktTokenizer

    cache = os.path.join(os.path.dirname(llama_index.core.__file__), "_static", "nltk_cache")
    if cache not in nltk.data.path:
        nltk.data.path.append(cache)
    tok = PunktTokenizer("english")
    tok._params.abbrev_types.update(EXTRA_ABBREVIATIONS)
    return tok


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence; a line break always ends a sentence; spans are stripped."""
    spans: list[tuple[int, int]] = []
    tok = _punkt()
    for line in _LINE.finditer(text):
        base = line.start()
        seg = line.group()
        for s, e in tok.span_tokenize(seg):
            s, e = _strip(seg, s, e)
            if e > s:
                spans.append((base + s, base + e))
    return spans


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _split_long(text: str, start: int, end: int, max_tokens: int) -> list[tuple[int, int]]:
    """Split one over-long sentence at word boundaries into pieces that fit the window."""
    words = [(start + m.start(), start + m.end()) for m in _WORD.finditer(text[start:end])]
    if not words:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    counts = count_tokens([text[s:e] for s, e in words])
    cur_s, cur_e, cur_n = words[0][0], words[0][1], 0
    for (s, e), n in zip(words, counts):
        n = max(n - 2, 1)  # without [CLS]/[SEP]
        if cur_n and cur_n + n > max_tokens:
            pieces.append((cur_s, cur_e))
            cur_s, cur_n = s, 0
        if n > max_tokens:  # one absurd "word": cut it by characters
            step = max(1, (e - s) * max_tokens // n)
            for cs in range(s, e, step):
                pieces.append((cs, min(e, cs + step)))
            cur_s, cur_e, cur_n = e, e, 0
            continue
        cur_e = e
        cur_n += n
    if cur_e > cur_s:
        pieces.append((cur_s, cur_e))
    return [p for p in pieces if p[1] > p[0]]


def chunk_article(article_id: str, text: str, target_tokens: int = TARGET_TOKENS) -> list[Chunk]:
    """Group whole sentences into chunks of about ``target_tokens``; never beyond the model window."""
    spans = sentence_spans(text)
    if not spans:
        return []
    counts = [max(c - 2, 1) for c in count_tokens([text[s:e] for s, e in spans])]
    units: list[tuple[int, int, int]] = []
    for (s, e), n in zip(spans, counts):
        if n > HARD_MAX_TOKENS:
            for ps, pe in _split_long(text, s, e, target_tokens):
                units.append((ps, pe, count_tokens([text[ps:pe]])[0] - 2))
        else:
            units.append((s, e, n))

    chunks: list[Chunk] = []
    group: list[tuple[int, int, int]] = []
    total = 0

    def flush():
        if not group:
            return
        s, e = group[0][0], group[-1][1]
        chunks.append(
            Chunk(
                id=f"{article_id}:{len(chunks)}",
                article_id=article_id,
                text=text[s:e],
                start=s,
                end=e,
                sentences=[(u[0], u[1]) for u in group],
            )
        )

    for u in units:
        # Separators between sentences cost about a token each.
        if group and total + u[2] + 1 > target_tokens:
            flush()
            group, total = [], 0
        group.append(u)
        total += u[2] + 1
    flush()
    return chunks
