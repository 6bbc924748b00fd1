"""Generated bad input against ingest and the API: never a 5xx, never an orphan chunk, nothing stored lost.

The counts of generated cases and outcomes are written to ``test-artifacts/fuzz.json``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT

from ingest.loaders import load_file
from ingest.pipeline import ingest_items

pytestmark = pytest.mark.slow

ARTIFACT = ROOT / "test-artifacts" / "fuzz.json"
STATS: Counter = Counter()
KEEP_TEXT = "The harbour council approved a ferry line to Belle Island on Monday. Tickets will cost 340 krona each."

# Any code point, lone surrogates included (hypothesis leaves them out by default).
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
dates = st.one_of(st.just(""), st.just("2025-01-31"), st.just("2025-W01-1"), st.just("20250101"), any_text)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), any_text)


def _json(obj) -> bytes:
    # ensure_ascii writes lone surrogates as \\udXXX escapes: what an attacker's client sends
    return json.dumps(obj, ensure_ascii=True, allow_nan=True).encode()


@pytest.fixture(scope="module")
def app_client(tmp_path_factory, embedder):
    from newsqa.api import create_app
    from rag.library import Library
    from rag.settings import Settings

    lib = Library(Settings(data_dir=tmp_path_factory.mktemp("fuzz")), embedder)
    with TestClient(create_app(lib.settings, lib, mount_ui=False), raise_server_exceptions=False) as c:
        r = c.post("/v1/articles", json={"id": "keep", "title": "Ferry", "source": "coast.example", "text": KEEP_TEXT})
        assert r.status_code == 200
        yield c, lib
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps(dict(sorted(STATS.items())), indent=2))
    print("\nfuzz:", dict(sorted(STATS.items())))


def _check_store(lib) -> None:
    ids = set(lib.store.articles.get(include=[])["ids"])
    orphans = sum(1 for _, _, m in lib.store.iter_chunks() if m["article_id"] not in ids)
    STATS["orphan_chunks"] += orphans
    assert orphans == 0
    assert "keep" in ids, "a bad request lost an article that was stored"


article = st.fixed_dictionaries(
    {"text": st.one_of(any_text, st.just(KEEP_TEXT.replace("340", "350")))},
    optional={"id": st.one_of(any_text, st.just("keep")), "title": any_text, "source": any_text, "published": dates,
              "url": any_text, "authors": st.one_of(any_text, st.lists(any_text, max_size=3)), "extra": scalars},
)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.one_of(article, st.lists(article, max_size=3), scalars))
def test_fuzz_article_posts(app_client, body):
    c, lib = app_client
    r = c.post("/v1/articles", content=_json(body), headers={"content-type": "application/json"})
    STATS["articles_cases"] += 1
    STATS[f"articles_{r.status_code}"] += 1
    assert r.status_code < 500, r.text
    _check_store(lib)
    # an article posted under "keep" replaces it; put the original back for the next case
    if lib.store.get_article("keep").text != KEEP_TEXT:
        c.post("/v1/articles", json={"id": "keep", "title": "Ferry", "source": "coast.example", "text": KEEP_TEXT})


ask = st.fixed_dictionaries(
    {"question": any_text},
    optional={"k": scalars, "since": dates, "until": dates, "sources": st.one_of(scalars, st.lists(any_text, max_size=2)),
              "history": st.lists(st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant", "x"]), "content": any_text}), max_size=3),
              "backend": st.sampled_from(["extractive", "llm", "x"])},
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=ask, path=st.sampled_from(["/v1/ask", "/v1/search", "/v1/chat/completions"]))
def test_fuzz_questions(app_client, body, path):
    c, _ = app_client
    if path == "/v1/search":
        body = {"query": body["question"], "k": body.get("k"), "filters": {k: body[k] for k in ("since", "until", "sources") if k in body}}
    elif path == "/v1/chat/completions":
        body = {"messages": [*body.get("history", []), {"role": "user", "content": body["question"]}],
                **{k: body[k] for k in ("since", "until", "sources", "k") if k in body}}
    r = c.post(path, content=_json(body), headers={"content-type": "application/json"})
    STATS["questions_cases"] += 1
    STATS[f"questions_{r.status_code}"] += 1
    assert r.status_code < 500, (path, body, r.text)


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=st.one_of(st.binary(max_size=400), any_text.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       suffix=st.sampled_from([".jsonl", ".md", ".txt", ".html", ".jsonl.gz"]))
def test_fuzz_ingest_files(app_client, tmp_path_factory, raw, suffix):
    _, lib = app_client
    path = Path(tmp_path_factory.mktemp("in")) / f"x{suffix}"
    path.write_bytes(raw)
    report = ingest_items(lib, load_file(path))
    STATS["files_cases"] += 1
    STATS["files_stored"] += report.ingested
    STATS["files_skipped"] += len(report.skipped)
    _check_store(lib)
