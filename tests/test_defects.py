"""Regression tests for the defects found by trying to break newsqa (bad input, the store's life)."""

from __future__ import annotations

import gzip
import json
import time

import pytest
from fastapi.testclient import TestClient

from conftest import SEED

from ingest.loaders import Loaded
from ingest.pipeline import ingest_items, ingest_paths
from rag.models import Article
from rag.retrieve import Filters, retrieve
from rag.service import AskRequest, QuestionError, answer, validate

FERRY = "The harbour council approved a ferry line to Belle Island on Monday. Tickets will cost 340 krona each."


def _orphans(lib) -> int:
    """Chunks whose article has no record: what a failed write must never leave behind."""
    ids = set(lib.store.articles.get(include=[])["ids"])
    return sum(1 for _, _, m in lib.store.iter_chunks() if m["article_id"] not in ids)


@pytest.fixture
def client(library):
    from newsqa.api import create_app

    ingest_paths(library, [str(SEED)])
    with TestClient(create_app(library.settings, library, mount_ui=False)) as c:
        yield c


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize("bad", ["2025-W01-1", "20250101", "2025-13-01", "yesterday", "2025-02-30"])
def test_only_plain_iso_days_are_accepted_everywhere(client, bad):
    for path, body in [
        ("/v1/ask", {"question": "What does Russia demand?", "since": bad}),
        ("/v1/search", {"query": "Russia", "filters": {"until": bad}}),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": "What does Russia demand?"}], "since": bad}),
    ]:
        r = client.post(path, json=body)
        assert r.status_code == (400 if "chat" in path else 422), (path, bad, r.status_code, r.text)  # 400: OpenAI's
        assert "YYYY-MM-DD" in r.json()["error"]["message"] or "calendar day" in r.json()["error"]["message"]


# ------------------------------------------------------------------ unicode


def test_lone_surrogate_question_is_a_422_not_a_500(client):
    r = client.post("/v1/ask", content='{"question": "Russia \\ud800"}', headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    r = client.post("/v1/search", content='{"query": "Russia \\ud800"}', headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    with pytest.raises(QuestionError):
        validate(AskRequest(question="Russia \ud800"))


def test_surrogate_article_is_skipped_and_leaves_no_orphan_chunks(client, library):
    body = '{"title": "Bad \\ud800 title", "source": "x.example", "text": "%s"}' % FERRY
    r = client.post("/v1/articles", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert "surrogate" in r.text.lower() or "unicode" in r.text.lower()
    assert _orphans(library) == 0


def test_reposting_a_known_article_with_a_bad_source_keeps_the_old_one_whole(client, library):
    good = {"id": "ferry", "title": "Ferry", "source": "coast.example", "text": FERRY}
    assert client.post("/v1/articles", json=good).status_code == 200
    chunks_before = library.store.count()[1]
    bad = '{"id": "ferry", "title": "Ferry", "source": "coast \\udfff", "text": "%s"}' % FERRY.replace("340", "350")
    r = client.post("/v1/articles", content=bad, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert library.store.count()[1] == chunks_before
    ans = answer("How much will ferry tickets to Belle Island cost?", library)
    assert not ans.abstained and "340" in ans.text
    # the original text is still "unchanged", and still answerable
    again = client.post("/v1/articles", json=good).json()
    assert again["unchanged"] == 1 and _orphans(library) == 0


def test_jsonl_with_one_bad_line_stores_the_rest(library, tmp_path):
    f = tmp_path / "mixed.jsonl"
    rows = [json.dumps({"id": f"a{i}", "title": f"Story {i}", "source": "x.example", "text": f"Story number {i} is about ports and trains."}) for i in range(3)]
    rows.insert(1, '{"id": "bad", "title": "T", "source": "s\\ud800", "text": "Surrogates in the source field."}')
    f.write_text("\n".join(rows))
    report = ingest_paths(library, [str(f)])
    assert sorted(report.added) == ["a0", "a1", "a2"]
    assert [o for o, _ in report.skipped] == [f"{f}:2"]
    assert _orphans(library) == 0


# ------------------------------------------------------------------ history


def test_history_is_capped_in_turns_and_size(client):
    t0 = time.perf_counter()
    big = {"question": "and troops?", "history": [{"role": "user", "content": "x" * 8_000_000}]}
    r = client.post("/v1/ask", json=big)
    assert r.status_code == 422 and "history" in r.json()["error"]["message"]
    many = {"question": "and troops?", "history": [{"role": "user", "content": "hi"}] * 500}
    r = client.post("/v1/ask", json=many)
    assert r.status_code == 422 and "turns" in r.json()["error"]["message"]
    assert time.perf_counter() - t0 < 10


# ------------------------------------------------------------------ the store's life


def test_an_edited_file_replaces_its_article(library, tmp_path):
    f = tmp_path / "ferry.md"
    f.write_text("---\ntitle: Ferry fares\nsource: Coastal Times\n---\n" + FERRY)
    first = ingest_paths(library, [str(f)])
    assert len(first.added) == 1
    f.write_text("---\ntitle: Ferry fares\nsource: Coastal Times\n---\n" + FERRY.replace("340", "350"))
    second = ingest_paths(library, [str(f)])
    assert len(second.updated) == 1 and not second.added
    assert library.store.count()[0] == 1
    ans = answer("How much will ferry tickets to Belle Island cost?", library)
    assert "350" in ans.text and "340" not in ans.text
    assert _orphans(library) == 0


def test_two_writers_on_one_folder_take_turns(settings, embedder):
    """Two libraries (as two processes would) on one data folder: the second waits, then finds the work done."""
    import threading

    from rag.library import Library

    a, b = Library(settings, embedder), Library(settings, embedder)
    arts = [Loaded(f"n{i}", article=Article(id=f"n{i}", title=f"N{i}", text=f"News item {i} about harbours and ferries.")) for i in range(20)]
    reports, waited = [], []

    def run(lib):
        reports.append(ingest_items(lib, arts, on_wait=lambda: waited.append(True)))

    ts = [threading.Thread(target=run, args=(lib,)) for lib in (a, b)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    added = sorted(len(r.added) for r in reports)
    assert added == [0, 20], added
    assert sorted(len(r.unchanged) for r in reports) == [0, 20]
    assert a.store.count()[0] == 20
    # every write bumped the counter exactly once (20 articles = 2 batches of 16 + 4)
    assert a.store.generation() == 2


def test_source_filter_ignores_case_and_www(library):
    ingest_items(library, [Loaded("r", article=Article(id="r", title="Ports", source="www.Reuters.com", text=FERRY))])
    for name in ("reuters.com", "REUTERS.COM", "www.reuters.com"):
        hits = retrieve(library, "ferry tickets Belle Island", 4, Filters(sources=[name]))
        assert hits and hits[0].source == "www.Reuters.com", name


def test_empty_library_and_unmatched_filters_say_so(library):
    ans = answer("What does Russia demand?", library)
    assert ans.abstained and "library is empty" in ans.text
    ingest_items(library, [Loaded("r", article=Article(id="r", title="Ports", source="coast.example", published="2025-02-03", text=FERRY))])
    ans = answer("What does the ferry cost?", library, filters=Filters(sources=["nowhere.example"]))
    assert ans.abstained and "'nowhere.example'" in ans.text
    ans = answer("What does the ferry cost?", library, filters=Filters(since="2026-01-01"))
    assert ans.abstained and "2026-01-01" in ans.text


def test_upload_of_a_decompression_bomb_is_refused_with_a_reason(client, library, tmp_path):
    bomb = tmp_path / "bomb.jsonl.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as f:
        block = b" " * (1 << 20)
        for _ in range(300):  # 300 MB of spaces, about 300 kB compressed
            f.write(block)
    t0 = time.perf_counter()
    with open(bomb, "rb") as fh:
        r = client.post("/v1/articles/upload", files=[("files", ("bomb.jsonl.gz", fh, "application/gzip"))])
    assert r.status_code == 413, r.text
    assert "MB" in r.json()["error"]["message"]
    assert time.perf_counter() - t0 < 60
    assert _orphans(library) == 0
