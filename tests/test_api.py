"""The HTTP API through the real ASGI app: every endpoint, its error cases, auth and streaming."""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import SEED, SHARED_DATA, free_port, model_or_flagged_fallback

QUESTION = "What does Russia demand?"

EXTRA_ARTICLES = [
    {
        "id": "lighthouse-1",
        "title": "Harbour town restores its lighthouse",
        "source": "coast-herald.example",
        "published": "2025-01-10",
        "text": "The harbour town of Eastmere finished restoring its 1870 lighthouse on Friday. "
        "The restoration cost 2.4 million euros and took three years. "
        "The lamp will be lit again every night from March.",
    },
    {
        "id": "orchard-1",
        "title": "Apple harvest breaks record",
        "source": "farm-weekly.example",
        "published": "2024-10-02",
        "text": "Growers in the valley picked 41,000 tonnes of apples this autumn, a record. "
        "Warm spring weather and few late frosts helped the orchards.",
    },
]


def make_client(settings, library, **kw) -> TestClient:
    from newsqa.api import create_app

    return TestClient(create_app(settings, library, mount_ui=kw.pop("mount_ui", False)), **kw)


@pytest.fixture(scope="module")
def shared_library(tmp_path_factory, embedder):
    """The seed article plus two small articles from other sources and dates; read-only."""
    from ingest.loaders import Loaded, article_from_dict
    from ingest.pipeline import ingest_items, ingest_paths
    from rag.library import Library
    from rag.settings import Settings

    lib = Library(Settings(data_dir=tmp_path_factory.mktemp("api")), embedder)
    ingest_paths(lib, [str(SEED)])
    ingest_items(lib, [Loaded(a["id"], article=article_from_dict(a)) for a in EXTRA_ARTICLES])
    return lib


@pytest.fixture(scope="module")
def client(shared_library):
    with make_client(shared_library.settings, shared_library) as c:
        yield c


def error_of(resp) -> dict:
    body = resp.json()
    assert set(body) == {"error"}, body
    err = body["error"]
    assert err["message"] and err["request_id"] == resp.headers["x-request-id"]
    assert "Traceback" not in resp.text
    return err


def assert_citations_verbatim(client, answer: dict) -> None:
    for c in answer["citations"]:
        art = client.get(f"/v1/articles/{c['article_id']}").json()
        assert art["text"][c["start"] : c["end"]] == c["quote"]


def sse_events(text: str) -> list[tuple[str | None, str]]:
    """(event name, data) pairs of a Server-Sent Events body."""
    out = []
    for block in text.strip().split("\n\n"):
        event, data = None, []
        for line in block.split("\n"):
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data.append(line[6:])
        if data:
            out.append((event, "\n".join(data)))
    return out


# ------------------------------------------------------------------ ask


def test_ask_answers_with_verbatim_citations(client):
    r = client.post("/v1/ask", json={"question": QUESTION})
    assert r.status_code == 200
    ans = r.json()
    assert not ans["abstained"] and "NATO" in ans["text"] and "[1]" in ans["text"]
    assert ans["citations"] and ans["citations"][0]["title"].startswith("Senior Russian diplomat")
    assert_citations_verbatim(client, ans)
    assert r.headers["x-request-id"]


def test_ask_keeps_a_given_request_id(client):
    r = client.post("/v1/ask", json={"question": QUESTION}, headers={"X-Request-ID": "trace-42"})
    assert r.headers["x-request-id"] == "trace-42"


def test_ask_filters_restrict_sources_and_dates(client):
    r = client.post("/v1/ask", json={"question": "How much did the lighthouse restoration cost?", "sources": ["coast-herald.example"]})
    ans = r.json()
    assert r.status_code == 200 and "2.4 million" in ans["text"]
    assert {c["source"] for c in ans["citations"]} == {"coast-herald.example"}
    r = client.post("/v1/ask", json={"question": QUESTION, "until": "2024-12-31"})
    assert all(c["published"] <= "2024-12-31" for c in r.json()["citations"])


def test_ask_abstains_when_the_articles_do_not_answer(client):
    ans = client.post("/v1/ask", json={"question": "Who won the 1998 chess olympiad in Elista?"}).json()
    assert ans["abstained"] and ans["citations"] == []


@pytest.mark.parametrize(
    "body, status, words",
    [
        ({"question": ""}, 422, "empty"),
        ({"question": "   "}, 422, "empty"),
        ({"question": "x" * 2001}, 422, "2000"),
        ({"question": QUESTION, "since": "31/01/2025"}, 422, "since must be a date"),
        ({"question": QUESTION, "since": "2025-02-01", "until": "2025-01-01"}, 422, "since is after until"),
        ({"question": QUESTION, "k": 0}, 422, "k"),
        ({"question": QUESTION, "backend": "gpt-9"}, 422, "backend"),
        ({"question": QUESTION, "sorces": ["x"]}, 422, "unknown field 'sorces'"),
        ({}, 422, "question is required"),
        ([1, 2], 422, "valid dictionary"),
    ],
)
def test_ask_rejects_bad_input_with_a_readable_message(client, body, status, words):
    r = client.post("/v1/ask", json=body)
    assert r.status_code == status
    assert words in error_of(r)["message"]


def test_malformed_or_missing_json_is_a_400_or_422(client):
    r = client.post("/v1/ask", content=b'{"question": "x",', headers={"content-type": "application/json"})
    assert r.status_code == 400 and "not valid JSON" in error_of(r)["message"]
    r = client.post("/v1/ask")
    assert r.status_code == 422 and "body is missing" in error_of(r)["message"]


def test_ask_streams_tokens_then_the_verified_answer(client):
    r = client.post("/v1/ask", json={"question": QUESTION, "stream": True})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = sse_events(r.text)
    kinds = [e for e, _ in events]
    assert kinds[-1] == "answer" and set(kinds[:-1]) == {"token"} and len(kinds) >= 2
    final = json.loads(events[-1][1])
    plain = client.post("/v1/ask", json={"question": QUESTION}).json()
    assert final["text"] == plain["text"] and final["citations"] == plain["citations"]


def test_a_bad_streamed_question_is_an_error_status_not_a_stream(client):
    r = client.post("/v1/ask", json={"question": "", "stream": True})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/json")


def test_follow_up_question_uses_the_history(client):
    body = {"question": "and what about troops?", "history": [{"role": "user", "content": QUESTION}]}
    ans = client.post("/v1/ask", json=body).json()
    assert not ans["abstained"] and "troops" in ans["text"]


# ------------------------------------------------------------------ LLM endpoint down / real


def dead_llm_settings(tmp_path, fallback: bool):
    from rag.settings import Settings

    return Settings(data_dir=tmp_path, backend="llm", llm_base_url=f"http://127.0.0.1:{free_port()}/v1", llm_fallback=fallback, llm_timeout=5)


def test_llm_down_without_fallback_is_a_503(seed_library, tmp_path):
    settings = dead_llm_settings(tmp_path, fallback=False)
    seed_library.settings = settings
    with make_client(settings, seed_library) as c:
        for body in ({"question": QUESTION}, {"question": QUESTION, "stream": True}):
            r = c.post("/v1/ask", json=body)
            assert r.status_code == 503 and "model is unavailable" in error_of(r)["message"]
        r = c.post("/v1/chat/completions", json={"model": "newsqa", "messages": [{"role": "user", "content": QUESTION}]})
        assert r.status_code == 503
        health = c.get("/healthz")
        assert health.status_code == 503 and health.json()["llm"]["reachable"] is False


def test_llm_down_with_fallback_answers_extractively_and_says_so(seed_library, tmp_path):
    settings = dead_llm_settings(tmp_path, fallback=True)
    seed_library.settings = settings
    with make_client(settings, seed_library) as c:
        ans = c.post("/v1/ask", json={"question": QUESTION}).json()
        assert ans["fallback"] is True and ans["backend"] == "extractive" and "failed" in ans["error"]
        assert "NATO" in ans["text"]
        health = c.get("/healthz")
        assert health.status_code == 200 and health.json()["status"] == "degraded"


@pytest.mark.llm
def test_real_llm_answer_is_verified(seed_library, llm_server, tmp_path):
    from rag.settings import Settings

    settings = Settings(data_dir=tmp_path, backend="llm", llm_base_url=llm_server, llm_model="smollm2", llm_fallback=False)
    seed_library.settings = settings
    with make_client(settings, seed_library) as c:
        assert c.get("/healthz").json()["llm"]["reachable"] is True
        r = c.post("/v1/ask", json={"question": QUESTION, "stream": True})
        assert r.status_code == 200
        events = sse_events(r.text)
        assert events[-1][0] == "answer" and any(e == "token" for e, _ in events)
        ans = json.loads(events[-1][1])
        # the model's verified answer, or (flagged) the extractive one when its reply cites nothing that supports it
        assert model_or_flagged_fallback(ans)
        # Whatever the small model wrote, every citation that survived is verbatim.
        assert_citations_verbatim(c, ans)
        assert ans["abstained"] or ans["citations"]


# ------------------------------------------------------------------ search


def test_search_returns_ranked_chunks_with_metadata(client):
    r = client.post("/v1/search", json={"query": "NATO membership Ukraine", "k": 3})
    assert r.status_code == 200
    res = r.json()["results"]
    assert 1 <= len(res) <= 3 and res[0]["source"] == "Global Banking & Finance Review"
    assert [x["score"] for x in res] == sorted((x["score"] for x in res), reverse=True)
    art = client.get(f"/v1/articles/{res[0]['chunk']['article_id']}").json()
    ch = res[0]["chunk"]
    assert art["text"][ch["start"] : ch["end"]] == ch["text"]


def test_search_filters_and_errors(client):
    r = client.post("/v1/search", json={"query": "record harvest", "filters": {"since": "2025-01-01"}})
    assert all(x["published"] >= "2025-01-01" for x in r.json()["results"])
    r = client.post("/v1/search", json={"query": "apples", "filters": {"sources": ["farm-weekly.example"]}, "method": "bm25"})
    assert [x["chunk"]["article_id"] for x in r.json()["results"]] == ["orchard-1"]
    for body, words in [({"query": " "}, "query is empty"), ({"query": "x", "filters": {"until": "soon"}}, "until must be a date")]:
        r = client.post("/v1/search", json=body)
        assert r.status_code == 422 and words in error_of(r)["message"]


# ------------------------------------------------------------------ articles


def test_list_articles_pages_and_filters(client):
    page = client.get("/v1/articles", params={"limit": 2}).json()
    assert page["total"] == 3 and len(page["articles"]) == 2
    assert page["articles"][0]["published"] >= page["articles"][1]["published"]  # newest first
    rest = client.get("/v1/articles", params={"offset": 2, "limit": 2}).json()
    assert len(rest["articles"]) == 1
    found = client.get("/v1/articles", params={"q": "LIGHTHOUSE"}).json()
    assert [a["id"] for a in found["articles"]] == ["lighthouse-1"]
    r = client.get("/v1/articles", params={"limit": 0})
    assert r.status_code == 422 and "limit" in error_of(r)["message"]


def test_get_article_and_unknown_id(client):
    art = client.get("/v1/articles/orchard-1").json()
    assert art["title"] == "Apple harvest breaks record" and art["text"].startswith("Growers")
    r = client.get("/v1/articles/no-such-id")
    assert r.status_code == 404 and "no article with id 'no-such-id'" in error_of(r)["message"]


def test_add_articles_reports_each_item_and_is_idempotent(library):
    with make_client(library.settings, library) as c:
        r = c.post("/v1/articles", json=EXTRA_ARTICLES[0])
        assert r.status_code == 200 and r.json()["added"] == 1
        assert r.json()["results"][0] == {"item": "item 0", "status": "added", "id": "lighthouse-1",
                                          "title": "Harbour town restores its lighthouse", "chunks": 1, "reason": None}
        batch = [EXTRA_ARTICLES[0], EXTRA_ARTICLES[1], {"title": "no body"}, {"text": "Dated badly.", "published": "next week"}]
        out = c.post("/v1/articles", json=batch).json()
        statuses = [(x["status"], x["reason"]) for x in out["results"]]
        assert ("unchanged", None) in statuses and ("added", None) in statuses
        reasons = [x["reason"] for x in out["results"] if x["status"] == "skipped"]
        assert any("text is required" in x for x in reasons) and any("published must be a date" in x for x in reasons)
        q = c.post("/v1/ask", json={"question": "How many tonnes of apples were picked?"}).json()
        assert "41,000 tonnes" in q["text"]


@pytest.mark.parametrize(
    "payload, words",
    [({"title": "t"}, "text is required"), ([], "non-empty list"), ("just a string", "article object"), ([{"text": " "}], "no text")],
)
def test_add_articles_with_nothing_storable_is_a_422(library, payload, words):
    with make_client(library.settings, library) as c:
        r = c.post("/v1/articles", json=payload)
        assert r.status_code == 422 and words in error_of(r)["message"]


def test_delete_article(seed_library):
    with make_client(seed_library.settings, seed_library) as c:
        aid = c.get("/v1/articles").json()["articles"][0]["id"]
        assert c.delete(f"/v1/articles/{aid}").json() == {"deleted": aid}
        assert c.get(f"/v1/articles/{aid}").status_code == 404
        assert c.post("/v1/ask", json={"question": QUESTION}).json()["abstained"]
        r = c.delete(f"/v1/articles/{aid}")
        assert r.status_code == 404 and "no article" in error_of(r)["message"]


# ------------------------------------------------------------------ upload


def test_upload_files_of_each_format(library):
    md = b"---\ntitle: Bridge reopens\nsource: river-news.example\npublished: 2025-03-04\n---\nThe old bridge reopened to traffic on Tuesday after repairs.\n"
    jsonl = (json.dumps(EXTRA_ARTICLES[1]) + "\n{broken\n").encode()
    files = [
        ("files", ("seed.txt", SEED.read_bytes(), "text/plain")),
        ("files", ("bridge.md", md, "text/markdown")),
        ("files", ("more.jsonl", jsonl, "application/octet-stream")),
        ("files", ("notes.rtf", b"{\\rtf1 notes}", "application/rtf")),
    ]
    with make_client(library.settings, library) as c:
        r = c.post("/v1/articles/upload", files=files)
        assert r.status_code == 200
        out = r.json()
        assert out["added"] == 3
        by_item = {x["item"]: x for x in out["results"]}
        assert by_item["bridge.md"]["title"] == "Bridge reopens"
        assert by_item["more.jsonl:2"]["status"] == "skipped" and "malformed JSON" in by_item["more.jsonl:2"]["reason"]
        assert by_item["notes.rtf"]["status"] == "skipped" and "unsupported file type .rtf" in by_item["notes.rtf"]["reason"]
        assert c.get("/v1/articles", params={"q": "river-news"}).json()["articles"][0]["published"] == "2025-03-04"


def test_upload_of_only_unsupported_files_is_a_415(library):
    with make_client(library.settings, library) as c:
        r = c.post("/v1/articles/upload", files=[("files", ("report.odt", b"PK\x03\x04", "application/octet-stream"))])
        assert r.status_code == 415 and "unsupported file type .odt" in error_of(r)["message"]
        r = c.post("/v1/articles/upload")
        assert r.status_code == 422 and "files is required" in error_of(r)["message"]


def test_uploaded_file_names_never_become_paths_outside_the_data_folder(library, tmp_path):
    with make_client(library.settings, library) as c:
        evil = "../../../evil.txt"
        r = c.post("/v1/articles/upload", files=[("files", (evil, SEED.read_bytes(), "text/plain"))])
        assert r.status_code == 200 and r.json()["results"][0]["item"] == "evil.txt"
    assert not list(tmp_path.parent.rglob("evil.txt")) and not Path("/evil.txt").exists()
    # Uploads are read and dropped: nothing stays behind in the data folder.
    assert not any(p.is_file() for p in (library.settings.data_dir / "uploads").rglob("*"))


def test_upload_over_the_size_limit_is_a_413(library, tmp_path):
    from rag.settings import Settings

    settings = Settings(data_dir=tmp_path, max_upload_mb=1)
    with make_client(settings, library) as c:
        big = b"A sentence about nothing in particular. " * 30_000  # 1.2 MB
        r = c.post("/v1/articles/upload", files=[("files", ("big.txt", big, "text/plain"))])
        assert r.status_code == 413 and "limit of 1 MB" in error_of(r)["message"]
        r = c.post("/v1/articles", content=json.dumps({"text": big.decode()}), headers={"content-type": "application/json"})
        assert r.status_code == 413
        # Without a Content-Length (chunked), the limit is enforced while reading.
        chunks = (b'{"text": "' if i == 0 else b"word " * 20_000 for i in range(15))
        r = c.post("/v1/articles", content=chunks, headers={"content-type": "application/json"})
        assert r.status_code == 413 and "limit of 1 MB" in error_of(r)["message"]
    assert library.store.count() == (0, 0)


# ------------------------------------------------------------------ OpenAI-compatible


def test_chat_completion_carries_the_answer_and_its_citations(client):
    body = {"model": "newsqa", "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": QUESTION}], "temperature": 0.2}
    r = client.post("/v1/chat/completions", json=body)
    assert r.status_code == 200
    out = r.json()
    assert out["object"] == "chat.completion" and out["model"] == "newsqa"
    msg = out["choices"][0]["message"]
    assert msg["role"] == "assistant" and "NATO" in msg["content"] and out["choices"][0]["finish_reason"] == "stop"
    assert msg["content"] == out["newsqa"]["text"]
    assert out["citations"] == out["newsqa"]["citations"] and out["citations"][0]["n"] == 1
    assert_citations_verbatim(client, out["newsqa"])


def test_chat_completion_follow_up_and_content_parts(client):
    messages = [
        {"role": "user", "content": [{"type": "text", "text": QUESTION}]},
        {"role": "assistant", "content": "Russia demands a bar on NATO membership for Ukraine. [1]"},
        {"role": "user", "content": [{"type": "text", "text": "and what about troops?"}]},
    ]
    out = client.post("/v1/chat/completions", json={"model": "newsqa-extractive", "messages": messages}).json()
    assert "troops" in out["choices"][0]["message"]["content"] and out["citations"]


def test_chat_completion_stream_follows_openai_chunks(client):
    r = client.post("/v1/chat/completions", json={"model": "newsqa", "stream": True, "messages": [{"role": "user", "content": QUESTION}]})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = sse_events(r.text)
    assert events[-1][1] == "[DONE]"
    chunks = [json.loads(d) for _, d in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" and c["id"] == chunks[0]["id"] for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    final = chunks[-1]
    assert final["choices"][0]["finish_reason"] == "stop"
    assert text == final["newsqa"]["text"] and final["citations"] and "NATO" in text


@pytest.mark.parametrize(
    "body, words",
    [
        ({"model": "newsqa", "messages": []}, "messages"),
        ({"model": "newsqa", "messages": [{"role": "system", "content": "hi"}]}, "user message"),
        ({"model": "newsqa", "messages": [{"role": "user", "content": ""}]}, "question is empty"),
        ({"model": "newsqa", "messages": [{"role": "user", "content": "x" * 2001}], "stream": True}, "limit is 2000"),
    ],
)
def test_chat_completion_errors_use_the_openai_error_shape(client, body, words):
    r = client.post("/v1/chat/completions", json=body)
    assert r.status_code == 400  # OpenAI's status for a bad request (newsqa's own routes say 422)
    err = error_of(r)
    assert words in err["message"] and err["type"] == "invalid_request_error"
    assert "param" in err and (err["code"] is None or isinstance(err["code"], str))
    if words == "messages":
        assert err["param"] == "messages"


def test_models_pick_the_answerer_and_unknown_models_are_openai_404s(client):
    cards = client.get("/v1/models").json()["data"]
    assert [m["id"] for m in cards] == ["newsqa", "newsqa-extractive"]  # no LLM configured: no newsqa-llm
    assert all(m["created"] > 1_700_000_000 and m["object"] == "model" for m in cards)
    assert client.get("/v1/models/newsqa").json()["id"] == "newsqa"
    for path, kw in [("/v1/models/gpt-4", None),
                     ("/v1/chat/completions", {"model": "gpt-4", "messages": [{"role": "user", "content": QUESTION}]}),
                     ("/v1/chat/completions", {"model": "newsqa-llm", "messages": [{"role": "user", "content": QUESTION}]})]:
        r = client.post(path, json=kw) if kw else client.get(path)
        err = error_of(r)
        assert r.status_code == 404 and err["code"] == "model_not_found" and err["param"] == "model", r.text
    assert "NEWSQA_LLM_BASE_URL" in error_of(client.post("/v1/chat/completions", json={
        "model": "newsqa-llm", "messages": [{"role": "user", "content": QUESTION}]}))["message"]
    out = client.post("/v1/chat/completions", json={"model": "newsqa-extractive", "messages": [{"role": "user", "content": QUESTION}]}).json()
    assert out["model"] == "newsqa-extractive" and out["newsqa"]["backend"] == "extractive"


def test_chat_completion_reports_usage_and_url_citation_annotations(client):
    out = client.post("/v1/chat/completions", json={"model": "newsqa", "messages": [{"role": "user", "content": QUESTION}]}).json()
    u = out["usage"]
    assert u["prompt_tokens"] > 3 and u["completion_tokens"] > 10 and u["total_tokens"] == u["prompt_tokens"] + u["completion_tokens"]
    assert out["newsqa"]["usage"]["counted_by"] == "newsqa"  # no model server counted an extractive answer
    msg = out["choices"][0]["message"]
    notes = msg["annotations"]
    assert notes and all(a["type"] == "url_citation" for a in notes)
    for a in notes:
        c = a["url_citation"]
        n = int(msg["content"][c["start_index"] + 1 : c["end_index"] - 1])  # the [n] marker it points at
        cited = out["citations"][n - 1]
        assert msg["content"][c["start_index"]] == "[" and c["quote"] == cited["quote"] and c["title"] == cited["title"]
    # streamed, with stream_options.include_usage: one more chunk, no choices, the usage
    r = client.post("/v1/chat/completions", json={"model": "newsqa", "stream": True, "stream_options": {"include_usage": True},
                                                  "messages": [{"role": "user", "content": QUESTION}]})
    chunks = [json.loads(d) for _, d in sse_events(r.text)[:-1]]
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] == u["total_tokens"]
    assert all(c["usage"] is None for c in chunks[:-1])


# ------------------------------------------------------------------ health, docs, faults


def test_healthz_reports_store_and_backend(client):
    r = client.get("/healthz")
    h = r.json()
    assert r.status_code == 200 and h["status"] == "ok"
    assert h["store"]["reachable"] and h["store"]["articles"] == 3 and h["store"]["chunks"] >= 3
    assert h["backend"] == "extractive"


def test_docs_and_root_redirect_without_ui(client):
    assert client.get("/openapi.json").json()["info"]["title"] == "newsqa"
    assert client.get("/docs").status_code == 200
    r = client.get("/", follow_redirects=False)
    assert r.status_code in (302, 307) and r.headers["location"] == "/docs"
    r = client.get("/v1/nowhere")
    assert r.status_code == 404 and "no such endpoint" in error_of(r)["message"]


def test_unexpected_error_is_a_500_with_request_id_and_no_traceback(seed_library, caplog, monkeypatch):
    def broken():
        raise RuntimeError("disk on fire at /secret/path")

    monkeypatch.setattr(seed_library.store, "list_articles", broken)
    with make_client(seed_library.settings, seed_library, raise_server_exceptions=False) as c:
        with caplog.at_level(logging.ERROR, logger="newsqa.api"):
            r = c.get("/v1/articles")
    assert r.status_code == 500
    err = error_of(r)
    assert "/secret/path" not in r.text and err["request_id"] in err["message"]
    assert any(err["request_id"] in rec.getMessage() and rec.exc_info for rec in caplog.records)


def test_store_down_is_reported_by_healthz(seed_library, monkeypatch):
    def down():
        raise ConnectionError("chroma gone")

    monkeypatch.setattr(seed_library.store, "count", down)
    with make_client(seed_library.settings, seed_library) as c:
        r = c.get("/healthz")
    assert r.status_code == 503 and r.json()["store"]["reachable"] is False and "chroma gone" in r.json()["store"]["error"]


# ------------------------------------------------------------------ auth


@pytest.fixture
def token_client(shared_library, tmp_path):
    from rag.settings import Settings

    settings = Settings(data_dir=tmp_path, api_token="s3cret-token")
    with make_client(settings, shared_library) as c:
        yield c


@pytest.mark.parametrize(
    "method, path, body",
    [("post", "/v1/ask", {"question": QUESTION}), ("get", "/v1/articles", None), ("get", "/v1/models", None),
     ("post", "/v1/chat/completions", {"model": "newsqa", "messages": [{"role": "user", "content": QUESTION}]}),
     ("delete", "/v1/articles/orchard-1", None)],
)
def test_token_is_required_everywhere_but_healthz_and_the_docs(token_client, method, path, body):
    kw = {"json": body} if body else {}
    r = getattr(token_client, method)(path, **kw)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert "bearer token" in error_of(r)["message"]
    r = getattr(token_client, method)(path, headers={"Authorization": "Bearer wrong"}, **kw)
    assert r.status_code == 401 and error_of(r)["message"] == "wrong API token"
    if method != "delete":
        r = getattr(token_client, method)(path, headers={"Authorization": "Bearer s3cret-token"}, **kw)
        assert r.status_code == 200


def test_healthz_and_the_docs_need_no_token(token_client):
    for path in ("/healthz", "/openapi.json", "/docs"):  # no data in them; Swagger UI sends the token itself
        assert token_client.get(path).status_code == 200, path


def test_chat_page_is_mounted_and_checks_the_token_itself(shared_library, tmp_path):
    pytest.importorskip("ui.app")
    import ui.app

    if not hasattr(ui.app, "build_blocks"):
        pytest.skip("ui.app has no build_blocks yet")
    from rag.settings import Settings

    settings = Settings(data_dir=tmp_path, api_token="s3cret-token")
    with make_client(settings, shared_library, mount_ui=True) as c:
        page = c.get("/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]  # Gradio's own login page
        assert c.get("/v1/models").status_code == 401
        login = c.post("/login", data={"username": "me", "password": "s3cret-token"})
        assert login.status_code == 200
        bad = c.post("/login", data={"username": "me", "password": "nope"})
        assert bad.status_code >= 400


# ------------------------------------------------------------------ reads during an ingest


@pytest.mark.slow
def test_reads_are_served_while_an_ingest_runs(seed_library):
    lines = (SHARED_DATA / "realtimeqa-dev" / "articles.jsonl").read_text().splitlines()[:40]
    batch = [json.loads(x) for x in lines]
    with make_client(seed_library.settings, seed_library) as c:
        done = {}

        def ingest():
            done["resp"] = c.post("/v1/articles", json=batch)
            done["at"] = time.monotonic()

        t = threading.Thread(target=ingest)
        t.start()
        time.sleep(0.5)
        reads = []
        while t.is_alive() and len(reads) < 5:
            r = c.post("/v1/search", json={"query": "NATO membership", "k": 2})
            h = c.get("/healthz")
            reads.append((r.status_code, h.status_code, time.monotonic()))
        t.join()
    assert done["resp"].status_code == 200 and done["resp"].json()["added"] == 40
    answered_during = [x for x in reads if x[2] < done["at"]]
    assert answered_during and all(s == 200 and hs == 200 for s, hs, _ in reads)
