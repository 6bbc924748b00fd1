"""Refit the answer stage's confidence model (rag/data/confidence.json) on a dataset, with cross-validation.

    python -m evals.fit_confidence --dataset ../shared/data/realtimeqa-dev --out-dir runs/dev

Each question goes through the same retrieval and evidence ranking as ``newsqa ask``; its feature vector
(``rag.confidence.FEATURES``) is labelled 1 when the dataset says the corpus answers it and 0 when it is
unanswerable (answerable questions whose answer is not in the corpus are left out). A logistic regression
(L2, non-negative weights, numpy) is fitted on standardised features. The operating threshold is the highest one
whose cross-validated false abstention stays within ``--max-false-abstention``: answering questions the
articles do answer comes first, and every point of the trade-off curve is printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

from .answer_metrics import tradeoff

CLIP = 3.0  # standardised features are clipped here and in rag.confidence: no extrapolation

def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 3000, lr: float = 0.5):
    """(mean, scale, weights, bias) of an L2-regularised logistic regression on standardised, clipped X.

    Weights are kept non-negative (projected gradient descent): every feature is built so that more of
    it means more support, so a negative weight would only be a collinearity artefact of this dataset
    and would turn against the user on other news.
    """
    mean, scale = X.mean(0), X.std(0) + 1e-9
    Z = np.clip((X - mean) / scale, -CLIP, CLIP)
    w, b = np.zeros(Z.shape[1]), 0.0
    n = len(y)
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(Z @ w + b)))
        w = np.maximum(0.0, w - lr * (Z.T @ (p - y) + l2 * w) / n)
        b -= lr * float(np.mean(p - y))
    return mean, scale, w, b


def predict(params, X: np.ndarray) -> np.ndarray:
    mean, scale, w, b = params
    return 1 / (1 + np.exp(-(np.clip((X - mean) / scale, -CLIP, CLIP) @ w + b)))


def cross_validated(X: np.ndarray, y: np.ndarray, folds: int = 5, seed: int = 0) -> np.ndarray:
    """Out-of-fold predictions: each question scored by a model that never saw it."""
    idx = np.random.default_rng(seed).permutation(len(y))
    out = np.zeros(len(y))
    for f in range(folds):
        test = idx[f::folds]
        train = np.setdiff1d(idx, test)
        out[test] = predict(fit_logistic(X[train], y[train]), X[test])
    return out


def auc(scores: np.ndarray, y: np.ndarray) -> float:
    pos, neg = scores[y == 1], scores[y == 0]
    return float(np.mean(pos[:, None] > neg[None, :]) + 0.5 * np.mean(pos[:, None] == neg[None, :]))


def feature_rows(dataset, library) -> tuple[np.ndarray, np.ndarray]:
    """Feature vectors and labels of the dataset's questions, through the answer path's own retrieval."""
    from tqdm import tqdm

    from rag.confidence import features
    from rag.retrieve import Filters
    from rag.service import gather_evidence
    from rag.text import plain_text

    from .runner import question_as_of

    rows, labels = [], []
    for q in tqdm(dataset.questions + dataset.unanswerable, unit="question", desc="features", file=sys.stderr):
        if q.answerable and (q.model_extra or {}).get("answer_in_corpus") is False:
            continue
        as_of = question_as_of(q) or date.today().isoformat()
        _hits, evidence, plain = gather_evidence(library, plain_text(q.question), library.settings.k, Filters(as_of=as_of))
        rows.append(features(plain, evidence, library.lexical().idf))
        labels.append(1.0 if q.answerable else 0.0)
    return np.array(rows, dtype=float), np.array(labels)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals.fit_confidence", description=__doc__.split("\n\n")[0])
    ap.add_argument("--dataset", required=True, help="dataset folder (articles.jsonl, questions.jsonl, unanswerable.jsonl)")
    ap.add_argument("--out-dir", required=True, type=Path, help="where the dataset's store lives (reused between runs)")
    ap.add_argument("--unanswerable-from", type=Path, action="append", default=[], metavar="DATASET",
                    help="also fit on another dataset's questions whose gold answer this corpus never mentions, as "
                    "unanswerable ones (repeatable; see newsqa eval --unanswerable-from)")
    ap.add_argument("--max-false-abstention", type=float, default=0.125,
                    help="highest cross-validated share of answerable questions it may abstain on (default 0.125)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--write", type=Path, default=None, help="model file to write (default: rag/data/confidence.json)")
    args = ap.parse_args(argv)

    from rag.confidence import FEATURES, MODEL_FILE, Model
    from rag.library import Library

    from .dataset import DatasetError, load_dataset
    from .runner import eval_settings, prepare_store

    try:
        ds = load_dataset(args.dataset)
        for other in args.unanswerable_from:
            ds.unanswerable += ds.borrowed_unanswerable(load_dataset(other))
    except DatasetError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    library = Library(eval_settings(ds, args.out_dir))
    prepare_store(library, ds)
    X, y = feature_rows(ds, library)
    if len(set(y)) < 2:
        print("error: the dataset needs both answerable and unanswerable questions to fit abstention", file=sys.stderr)
        return 2
    cv = np.mean([cross_validated(X, y, args.folds, seed) for seed in range(3)], axis=0)
    curve = tradeoff(cv, y)
    ok = [p for p in curve if p["false_abstention"] <= args.max_false_abstention]
    point = max(ok, key=lambda p: p["threshold"]) if ok else curve[0]
    mean, scale, w, b = fit_logistic(X, y)
    model = Model(tuple(map(float, w)), b, tuple(map(float, mean)), tuple(map(float, scale)), point["threshold"])
    out = args.write or MODEL_FILE
    doc = model.to_dict() | {
        "fitted_on": ds.name, "questions": int(len(y)), "answerable": int(y.sum()), "cv_auc": round(auc(cv, y), 4),
        "operating_point": point, "max_false_abstention": args.max_false_abstention,
        "command": "python -m evals.fit_confidence --dataset DATASET --out-dir DIR",
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"{len(y)} questions ({int(y.sum())} answerable); cross-validated AUC {doc['cv_auc']}")
    print("threshold  false-abstention  unanswerable-abstention")
    for p in curve:
        mark = "  <- operating point" if p is point else ""
        print(f"{p['threshold']:9.3f}  {p['false_abstention']:16.1%}  {p['unanswerable_abstention']:23.1%}{mark}")
    print("weights: " + ", ".join(f"{n} {v:+.2f}" for n, v in zip(FEATURES, w)) + f", bias {b:+.2f}")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
