"""``newsqa bench-lexical``: build a synthetic lexical index of N chunk rows and time BM25 queries on it.

Rows are ~130-word chunks cut from a news corpus (default: the scale corpus), repeated under new ids,
sources and days until N rows exist — the size a newsroom archive reaches (100k articles ≈ 1.5M
chunks). Queries are real news questions, top 30, as the answer path asks them (with an as-of date
filter, and once more without). The query side runs in a fresh process, so its memory figure is what
a server pays to search an index of that size.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .bench_ingest import peak_rss_mb

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
DEFAULT_CORPUS = DATA / "realtimeqa-scale" / "articles.jsonl.gz"
DEFAULT_QUESTIONS = DATA / "realtimeqa-dev" / "questions.jsonl"
CHUNK_WORDS = 130
TOP = 30


def _current_rss_mb(field: str = "VmRSS") -> float:
    """Resident memory now; ``RssAnon`` leaves out the index's memory-mapped files (page cache)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def chunk_terms(corpus: Path, limit_chunks: int) -> list[tuple[str, str]]:
    """(space-joined content terms, its article title's terms) of ~130-word chunks of the corpus's articles."""
    from ingest.loaders import load_paths
    from rag.text import content_terms

    out: list[tuple[str, str]] = []
    for item in load_paths([corpus]):
        if item.article is None:
            continue
        words = item.article.text.split()
        title = " ".join(content_terms(item.article.title or ""))
        for s in range(0, len(words), CHUNK_WORDS):
            out.append((" ".join(content_terms(" ".join(words[s : s + CHUNK_WORDS]))), title))
            if len(out) >= limit_chunks:
                return out
    return out


def build(folder: Path, unique: list[tuple[str, str]], rows: int, progress=None) -> float:
    """Write ``rows`` rows (the unique chunks repeated) into a lexical index at ``folder``; seconds taken."""
    from rag.lexical import LexicalIndex

    rnd = random.Random(7)
    sources = [f"source-{i}.example" for i in range(200)]
    idx = LexicalIndex(folder)
    t0 = time.perf_counter()
    batch = 100_000

    def rows_from(start: int):
        for i in range(start, min(start + batch, rows)):
            day = 20200101 + rnd.randrange(6) * 10000 + rnd.randrange(12) * 100 + rnd.randrange(28)
            terms, title = unique[i % len(unique)]
            yield f"a{i // 15}:{i % 15}", terms, f"a{i // 15}", rnd.choice(sources), day, title

    for start in range(0, rows, batch):
        idx.update((), rows_from(start), tokenized=True)
        if progress:
            progress(min(batch, rows - start))
    return time.perf_counter() - t0


def query_side(folder: str, questions: list[str], as_of: int) -> dict:
    """Open the index in this (fresh) process and time the questions; runs in a child process."""
    from rag.lexical import LexicalIndex

    base = _current_rss_mb("RssAnon")  # after the imports: what the index itself adds
    idx = LexicalIndex(Path(folder))
    for q in questions[:10]:
        idx.search(q, TOP, as_of=as_of)  # warm the page cache and the term dictionary
    out = {"rows": len(idx)}
    for name, limit in (("as_of", as_of), ("no_filter", 0)):
        times = []
        for _ in range(3):
            for q in questions:
                t = time.perf_counter()
                idx.search(q, TOP, as_of=limit)
                times.append((time.perf_counter() - t) * 1000)
        times.sort()
        out[f"{name}_p50_ms"] = round(times[len(times) // 2], 2)
        out[f"{name}_p95_ms"] = round(times[int(len(times) * 0.95)], 2)
    out["query_process_rss_mb"] = round(_current_rss_mb(), 1)
    out["index_mapped_files_mb"] = round(_current_rss_mb("RssFile"), 1)
    out["index_heap_mb"] = round(_current_rss_mb("RssAnon") - base, 1)  # memory the archive's size grows
    return out


def run(rows: int, corpus: Path, questions_path: Path, out: Path | None, keep: Path | None = None) -> dict:
    from tqdm import tqdm

    questions = [json.loads(line)["question"] for line in questions_path.open() if line.strip()][:60]
    t0 = time.perf_counter()
    unique = chunk_terms(corpus, min(rows, 60_000))
    terms_s = time.perf_counter() - t0
    tmp = Path(tempfile.mkdtemp(prefix="newsqa-lexical-")) if keep is None else keep
    folder = tmp / "lexical"
    try:
        bar = tqdm(total=rows, unit="row", desc="build", file=sys.stderr)
        build_s = build(folder, unique, rows, bar.update)
        bar.close()
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            q = pool.apply(query_side, (str(folder), questions, 20250101))
    finally:
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    result = {
        "rows": rows,
        "unique_chunks": len(unique),
        "corpus": str(corpus),
        "questions": len(questions),
        "top": TOP,
        "tokenize_s": round(terms_s, 1),
        "build_s": round(build_s, 1),
        "rows_per_s": round(rows / build_s),
        "index_mb": round(size / 1e6, 1),
        "build_peak_rss_mb": round(peak_rss_mb(), 1),
        **q,
    }
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2))
    return result


def cmd_bench_lexical(args) -> int:
    for what, path in (("corpus", Path(args.corpus)), ("questions", Path(args.questions))):
        if not path.exists():
            print(f"newsqa: no {what} at {path}", file=sys.stderr)
            return 2
    if args.rows < 1:
        print("newsqa: --rows must be at least 1", file=sys.stderr)
        return 2
    result = run(args.rows, Path(args.corpus), Path(args.questions), Path(args.out) if args.out else None)
    for k, v in result.items():
        print(f"{k:22} {v}")
    return 0


def register(sub) -> None:
    """Add ``bench-lexical`` to the CLI."""
    s = sub.add_parser(
        "bench-lexical",
        help="benchmark the lexical index: build N synthetic chunk rows, time BM25 queries (p50/p95), memory",
        description=__doc__.split("\n\n")[0],
    )
    s.add_argument("--rows", type=int, default=1_000_000, help="chunk rows in the synthetic index (default 1,000,000)")
    s.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="articles to cut chunks from (default: the scale corpus)")
    s.add_argument("--questions", default=str(DEFAULT_QUESTIONS), help="questions.jsonl whose questions are the queries")
    s.add_argument("--out", default="bench-results/lexical.json", help="write the numbers here as JSON")
    s.set_defaults(func=cmd_bench_lexical)
