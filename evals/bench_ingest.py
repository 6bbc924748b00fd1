"""``newsqa bench-ingest``: ingest a corpus into a fresh store and print throughput and memory.

It also runs the same chunks through the embedding model alone, so the ratio of raw
embedding throughput to end-to-end ingest throughput shows what the rest costs.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "realtimeqa-dev" / "articles.jsonl"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(corpus: Path, limit: int | None, out: Path | None) -> dict:
    from rag.library import Library
    from rag.settings import Settings

    from ingest.chunking import chunk_article
    from ingest.embeddings import count_tokens
    from ingest.loaders import load_paths
    from ingest.pipeline import ingest_items

    items = [i for i in load_paths([corpus]) if i.article is not None]
    if limit:
        items = items[:limit]
    with tempfile.TemporaryDirectory(prefix="newsqa-bench-") as tmp:
        lib = Library(Settings(data_dir=Path(tmp)))
        lib.embedder.embed(["warm up"])  # model load is not ingest
        from tqdm import tqdm

        bar = tqdm(total=len(items), unit="article", desc="ingest", file=sys.stderr)
        t0 = time.perf_counter()
        report = ingest_items(lib, items, lambda n, c: bar.update(n))
        wall = time.perf_counter() - t0
        bar.close()

        # The same chunks through the model alone.
        texts = [c.text for i in items for c in chunk_article(i.article.id, i.article.text)]
        t1 = time.perf_counter()
        for s in range(0, len(texts), 256):
            lib.embedder.embed(texts[s : s + 256])
        raw = time.perf_counter() - t1
    tokens = sum(count_tokens(texts))
    result = {
        "corpus": str(corpus),
        "articles": report.ingested,
        "chunks": report.chunks,
        "tokens": tokens,
        "wall_s": round(wall, 2),
        "articles_per_s": round(report.ingested / wall, 2),
        "chunks_per_s": round(report.chunks / wall, 2),
        "tokens_per_s": round(tokens / wall, 1),
        "embed_only_s": round(raw, 2),
        "embed_only_chunks_per_s": round(len(texts) / raw, 2),
        "raw_embed_to_ingest_ratio": round((len(texts) / raw) / (report.chunks / wall), 3),
        "embed_share_of_ingest": round(report.embed_seconds / wall, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "skipped": len(report.skipped),
    }
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2))
    return result


def cmd_bench_ingest(args) -> int:
    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"newsqa: no corpus at {corpus}", file=sys.stderr)
        return 2
    result = run(corpus, args.limit, Path(args.out) if args.out else None)
    for k, v in result.items():
        print(f"{k:26} {v}")
    return 0


def register(sub) -> None:
    """Add ``bench-ingest`` to the CLI."""
    s = sub.add_parser("bench-ingest", help="benchmark ingest throughput and memory on a corpus (fresh temporary store)")
    s.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="JSONL corpus (default: the dev set's articles.jsonl)")
    s.add_argument("--limit", type=int, help="only the first N articles")
    s.add_argument("--out", default="bench-results/ingest.json", help="write the numbers here as JSON")
    s.set_defaults(func=cmd_bench_ingest)
