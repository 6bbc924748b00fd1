"""A SIGKILL in the middle of ingest leaves a store that the next run completes: no duplicate, no lost article."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter

from conftest import SAMPLES

from rag.library import Library
from rag.settings import Settings

CORPUS = SAMPLES / "realtimeqa-sample.jsonl"


def _ingest_cmd():
    return [sys.executable, "-m", "newsqa.cli", "ingest", "--progress", str(CORPUS)]


def test_kill_mid_ingest_then_rerun(tmp_path, embedder):
    env = dict(os.environ, NEWSQA_DATA_DIR=str(tmp_path))
    proc = subprocess.Popen(_ingest_cmd(), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Wait for the first batch to be stored (the progress bar moves), then kill mid-way.
    buf = ""
    deadline = time.time() + 300
    while time.time() < deadline:
        ch = proc.stderr.read(1)
        if not ch:
            break
        buf += ch
        if "16/30" in buf:
            break
    assert "16/30" in buf, f"ingest never progressed: {buf[-500:]}"
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL

    lib = Library(Settings(data_dir=tmp_path), embedder)
    partial = lib.store.count()[0]
    assert 16 <= partial < 30, "the kill should land after the first batch and before the end"

    done = subprocess.run(_ingest_cmd()[:-2] + ["--json", str(CORPUS)], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lib = Library(Settings(data_dir=tmp_path), embedder)
    n_articles, n_chunks = lib.store.count()
    assert n_articles == 30
    articles = {a.id: a for a in lib.store.list_articles()}
    per_article = Counter(meta["article_id"] for _, _, meta in lib.store.iter_chunks())
    assert set(per_article) == set(articles), "every chunk belongs to a stored article and every article has chunks"
    for aid, info in articles.items():
        assert per_article[aid] == info.chunks, f"article {aid} has stale or missing chunks"
    assert n_chunks == sum(per_article.values())
    # the lexical index agrees with the store
    assert len(lib.lexical()) == n_chunks and lib.lexical().generation == lib.store.generation()
    # the sentence index holds exactly the sentences of the stored chunks
    import json

    want = Counter()
    for _, _, meta in lib.store.iter_chunks():
        want[meta["article_id"]] += len(json.loads(meta["sentences"]))
    got = Counter(m["article_id"] for m in lib.store.sentences.get(include=["metadatas"])["metadatas"])
    assert got == want
