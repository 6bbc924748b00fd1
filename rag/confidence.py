"""How likely the best evidence answers the question: a small logistic model, fitted offline.

The features are what the answer stage already knows about its best sentence and the chunks around
it (meaning similarity, idf-weighted word coverage, whether it holds a span of the kind asked for, the
question's names found in it). Weights are non-negative: more support never lowers the confidence. The weights, the scaling and the
operating threshold live in ``rag/data/confidence.json``; ``python -m evals.fit_confidence`` refits
them on a dataset with cross-validation and writes that file. The same number is ``Answer.confidence``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from .question import analyse
from .text import contains_answer, content_terms, named_terms
from .tuning import CLIP, FULL_COVERAGE, FULL_COVERAGE_CONFIDENCE, TOP_NAMES  # why: rag/tuning.py

MODEL_FILE = Path(__file__).parent / "data" / "confidence.json"
FEATURES = (
    "chunk_coverage",  # idf-weighted share of the question's words in the best sentence's chunk
    "chunk_names",  # share of the question's names (capitalised words) in that chunk
    "sentence_names",  # the best share of the question's names in any of the top 20 sentences
    "dense",  # cosine similarity of question and best sentence
    "lexical",  # idf-weighted share of the question's words in the best sentence
    "type_fit",  # how well the best sentence's span fits the kind of answer asked for
    "score",  # the best sentence's combined score
    "max_dense",  # the highest similarity among all candidates
    "top5_type_fit",  # the best type fit among the top 5 sentences
    "span_echo",  # share of the next sentences that also name the best sentence's answer span (0 without a span)
)


@dataclass(frozen=True)
class Model:
    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float  # answer when the confidence is at least this

    def predict(self, x: Sequence[float]) -> float:
        z = self.bias + sum(w * max(-CLIP, min(CLIP, (v - m) / s)) for w, v, m, s in zip(self.weights, x, self.mean, self.scale))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def to_dict(self) -> dict:
        return {"features": list(FEATURES), "weights": list(self.weights), "bias": self.bias, "mean": list(self.mean),
                "scale": list(self.scale), "threshold": self.threshold}


@lru_cache(maxsize=4)
def load_model(path: str = str(MODEL_FILE)) -> Model:
    data = json.loads(Path(path).read_text())
    if list(data["features"]) != list(FEATURES):
        raise ValueError(f"{path} was fitted on other features; refit with python -m evals.fit_confidence")
    return Model(tuple(data["weights"]), float(data["bias"]), tuple(data["mean"]), tuple(data["scale"]), float(data["threshold"]))


def coverage(terms: set[str], text: str, idf: Callable[[str], float], have: set[str] | None = None) -> float:
    """idf-weighted share of ``terms`` that ``text`` contains (1 when there are none); ``have``: its terms, if known."""
    total = sum(idf(t) for t in terms)
    if not total:
        return 1.0
    have = have if have else set(content_terms(text))
    return sum(idf(t) for t in terms if t in have) / total


def features(question: str, evidence: Sequence, idf: Callable[[str], float]) -> list[float]:
    """The feature vector (in FEATURES order) of a question and its ranked evidence."""
    if not evidence:
        return [0.0] * len(FEATURES)
    best = evidence[0]
    q_terms = set(content_terms(question))
    names = named_terms(question)
    chunk = best.hit.chunk.text
    typed = analyse(question).typed
    return [
        coverage(q_terms, chunk, idf),
        coverage(names, chunk, idf),
        max(coverage(names, e.text, idf, e.terms) for e in evidence[:TOP_NAMES]),
        best.dense,
        best.lexical,
        best.type_fit,
        best.score,
        max(e.dense for e in evidence),
        max(e.type_fit for e in evidence[:5]) if typed else best.type_fit,
        span_echo(evidence),
    ]


def span_echo(evidence: Sequence) -> float:
    """Share of the TOP_NAMES - 1 sentences after the best that name its answer span again.

    An answer the retrieved news states in several sentences is corroborated; a span found once, in a sentence
    that only resembles the question, is usually a distractor (dev: 42 of 118 answerable questions have an echo,
    5 of 104 unanswerable ones do).
    """
    span = evidence[0].span
    if span is None:
        return 0.0
    return sum(contains_answer(e.text, span.text) for e in evidence[1:TOP_NAMES]) / (TOP_NAMES - 1)




def confidence(question: str, evidence: Sequence, idf: Callable[[str], float], model: Model | None = None) -> float:
    """Probability-like score (0..1) that the best evidence answers the question."""
    if not evidence:
        return 0.0
    x = features(question, evidence, idf)
    p = (model or load_model()).predict(x)
    f = dict(zip(FEATURES, x))
    if f["lexical"] >= FULL_COVERAGE and f["sentence_names"] >= 0.999 and f["type_fit"] >= 0.5:
        p = max(p, FULL_COVERAGE_CONFIDENCE)
    return p
