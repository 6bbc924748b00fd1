"""Rebuild evals/data/dev-slice from the full dev set: ``python -m evals.make_slice [DEV_DIR] [OUT_DIR]``.

Deterministic: the same dev set gives the same slice. It takes answerable questions whose gold
answer occurs in a short article (that article goes in, chosen by word overlap with the question),
unrelated distractor articles, and unanswerable questions, keeping the slice well under 1 MB.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from pathlib import Path

from rag.text import content_terms, contains_answer

from .cli import DEV_SET, DEV_SLICE

N_QUESTIONS = 40
N_DISTRACTORS = 30
N_UNANSWERABLE = 25
MAX_ARTICLE_CHARS = 12000
SEED = 5
QUESTION_FIELDS = ("id", "question", "answer", "date")


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def make_slice(dev: Path, out: Path) -> dict:
    """Write articles.jsonl.gz, questions.jsonl and unanswerable.jsonl to ``out``; returns counts."""
    rng = random.Random(SEED)
    articles = [a for a in _read(dev / "articles.jsonl") if len(a["text"]) <= MAX_ARTICLE_CHARS]
    questions = _read(dev / "questions.jsonl")
    chosen_q, chosen_a = [], {}
    candidates = []
    terms_of: dict[str, set[str]] = {}
    for q in questions:
        terms = set(content_terms(q["question"]))
        having = [a for a in articles if contains_answer(a["text"], q["answer"])]
        for a in having:
            if a["id"] not in terms_of:
                terms_of[a["id"]] = set(content_terms(a["title"] + " " + a["text"]))
        if having:
            best = max(having, key=lambda a: (len(terms & terms_of[a["id"]]), -len(a["text"])))
            candidates.append((q, best))
    for q, art in sorted(rng.sample(candidates, min(N_QUESTIONS, len(candidates))), key=lambda x: x[0]["id"]):
        chosen_q.append({k: q[k] for k in QUESTION_FIELDS if k in q})
        chosen_a[art["id"]] = art
    golds = [q["answer"] for q in chosen_q]
    others = [a for a in articles if a["id"] not in chosen_a and len(a["text"]) <= MAX_ARTICLE_CHARS // 2]
    others = [a for a in rng.sample(others, min(len(others), 4 * N_DISTRACTORS)) if not any(contains_answer(a["text"], g) for g in golds)]
    for a in others[:N_DISTRACTORS]:
        chosen_a[a["id"]] = a
    unanswerable = rng.sample(_read(dev / "unanswerable.jsonl"), N_UNANSWERABLE)
    unanswerable.sort(key=lambda q: q["id"])

    out.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(out / "articles.jsonl.gz", "wb", mtime=0) as f:  # mtime 0: same bytes every rebuild
        for a in sorted(chosen_a.values(), key=lambda a: a["id"]):
            f.write((json.dumps(a, ensure_ascii=False) + "\n").encode("utf-8"))
    for name, rows in (("questions.jsonl", chosen_q), ("unanswerable.jsonl", unanswerable)):
        with (out / name).open("w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps({k: r[k] for k in QUESTION_FIELDS if k in r} | {"answer": r.get("answer")}, ensure_ascii=False) + "\n")
    return {"articles": len(chosen_a), "questions": len(chosen_q), "unanswerable": len(unanswerable)}


if __name__ == "__main__":
    dev = Path(sys.argv[1]) if len(sys.argv) > 1 else DEV_SET
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else DEV_SLICE
    print(make_slice(dev, out))
