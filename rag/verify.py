"""Citation checks: parse ``[n]`` markers, drop invented numbers, score each sentence's support.

Support of a claim by the sentences it cites combines
- weighted content-word recall: the share of the claim's content words (idf-weighted)
  found in the cited sentences;
- meaning similarity: the cosine of MiniLM embeddings of claim and best cited sentence;
and two vetoes that overlap scores miss:
- polarity: a cited word that the source negates ("a *bar* on NATO membership")
  but the claim asserts ("demands NATO membership") is a contradiction;
- numbers: a figure in the claim that none of the cited sentences contains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .text import NEGATORS, STOPWORDS, content_terms, stem, words

from .tuning import SUPPORT_THRESHOLD, VETO_FACTOR, W_SUPPORT_DENSE, W_SUPPORT_LEXICAL  # noqa: E402,F401  (why: rag/tuning.py)
_MARKER = re.compile(r"\[(\s*\d+(?:\s*[,;]\s*\d+)*\s*)\]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass
class ParsedSentence:
    text: str  # the sentence with its markers removed
    cited: list[int]  # valid source numbers, in order, no repeats
    invalid: list[int]  # numbers that name no source


def parse_citations(reply: str, n_sources: int) -> list[ParsedSentence]:
    """Split a reply into sentences with the ``[n]``, ``[n, m]``, ``[n][m]`` markers each carries.

    A marker that opens a sentence (``"… membership. [2] Next"``) belongs to the sentence before.
    """
    from ingest.chunking import sentence_spans

    out: list[ParsedSentence] = []
    for s, e in sentence_spans(reply):
        sent = reply[s:e]
        nums = [int(n) for m in _MARKER.finditer(sent) for n in re.split(r"[,;]", m.group(1))]
        lead = re.match(r"^(\s*\[[\d,;\s]+\])+", sent)
        text = _MARKER.sub("", sent)
        text = re.sub(r"\s+([.,;:!?])", r"\1", text).strip()
        if lead and out:
            lead_nums = [int(n) for m in _MARKER.finditer(lead.group()) for n in re.split(r"[,;]", m.group(1))]
            _add(out[-1], lead_nums, n_sources)
            nums = nums[len(lead_nums) :]
        if not re.search(r"\w", text):
            continue
        ps = ParsedSentence(text=text, cited=[], invalid=[])
        _add(ps, nums, n_sources)
        out.append(ps)
    return out


def _add(ps: ParsedSentence, nums: list[int], n_sources: int) -> None:
    for n in nums:
        if 1 <= n <= n_sources:
            if n not in ps.cited:
                ps.cited.append(n)
        elif n not in ps.invalid:
            ps.invalid.append(n)


class SupportScorer:
    """Scores how well source sentences support a claim, from 0 (not at all) to 1."""

    def __init__(self, idf: Callable[[str], float] | None = None, embed: Callable[[Sequence[str]], np.ndarray] | None = None):
        self.idf = idf or (lambda t: 1.0)
        self.embed = embed

    def score(self, claim: str, sources: Sequence[str]) -> float:
        if not sources:
            return 0.0
        return self.score_many([claim], [list(sources)])[0]

    def score_many(self, claims: Sequence[str], sources: Sequence[Sequence[str]]) -> list[float]:
        """Support of each claim by its own list of source sentences."""
        sims = self._similarities(claims, sources)
        out = []
        for claim, srcs, sim in zip(claims, sources, sims):
            if not srcs:
                out.append(0.0)
                continue
            lex = self.lexical(claim, srcs)
            s = W_SUPPORT_LEXICAL * lex + W_SUPPORT_DENSE * sim if self.embed else lex
            if contradicts(claim, srcs) or missing_numbers(claim, srcs):
                s *= VETO_FACTOR
            out.append(round(float(min(max(s, 0.0), 1.0)), 3))
        return out

    def lexical(self, claim: str, sources: Sequence[str]) -> float:
        terms = set(content_terms(claim))
        if not terms:
            return 0.0
        have = set(t for s in sources for t in content_terms(s))
        total = sum(self.idf(t) for t in terms)
        return sum(self.idf(t) for t in terms if t in have) / total if total else 0.0

    def _similarities(self, claims, sources) -> list[float]:
        if not self.embed:
            return [0.0] * len(claims)
        flat = [s for srcs in sources for s in srcs]
        if not flat:
            return [0.0] * len(claims)
        vecs = self.embed(list(claims) + flat)
        cv, sv = vecs[: len(claims)], vecs[len(claims) :]
        out, pos = [], 0
        for i, srcs in enumerate(sources):
            if srcs:
                out.append(float(np.max(sv[pos : pos + len(srcs)] @ cv[i])))
            else:
                out.append(0.0)
            pos += len(srcs)
        return out


def _negated_stems(text: str, window: int = 4) -> tuple[set[str], set[str]]:
    """(stems under a negator within ``window`` words before them, all content stems)."""
    ws = words(text)
    negated, all_ = set(), set()
    for i, w in enumerate(ws):
        if w in STOPWORDS or w in NEGATORS:
            continue
        st = stem(w)
        all_.add(st)
        if any(x in NEGATORS for x in ws[max(0, i - window) : i]):
            negated.add(st)
    return negated, all_


def contradicts(claim: str, sources: Sequence[str]) -> bool:
    """True when every cited source sharing words with the claim negates a word the claim asserts."""
    c_neg, c_all = _negated_stems(claim)
    c_pos = c_all - c_neg
    conflict = False
    for src in sources:
        s_neg, s_all = _negated_stems(src)
        if not (c_all & s_all):
            continue
        s_pos = s_all - s_neg
        # Asserted in the claim but only ever negated in the source: the way small models
        # flip meaning is by dropping a negation. (The reverse direction misfires too often
        # when the source's negator sits outside the window.)
        if c_pos & (s_neg - s_pos):
            conflict = True
        else:
            return False  # one consistent source is enough
    return conflict


def missing_numbers(claim: str, sources: Sequence[str]) -> bool:
    """True when the claim states a figure that no cited source contains."""
    nums = set(_NUMBER.findall(claim))
    if not nums:
        return False
    have = set(n for s in sources for n in _NUMBER.findall(s))
    return bool(nums - have)
