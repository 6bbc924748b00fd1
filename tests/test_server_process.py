"""A real ``newsqa serve`` process on a free loopback port, driven by the official ``openai`` client."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import free_port, model_or_flagged_fallback, wait_http

TOKEN = "test-token-123"
QUESTION = "What does Russia demand?"

pytestmark = pytest.mark.slow


def newsqa_cmd() -> list[str]:
    exe = shutil.which("newsqa")
    return [exe] if exe else [sys.executable, "-m", "newsqa.cli"]


def start_server(data_dir, *args, **env_extra) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, NEWSQA_DATA_DIR=str(data_dir), NEWSQA_API_TOKEN=TOKEN, **env_extra)
    log = open(data_dir / f"serve-{port}.log", "wb")
    proc = subprocess.Popen([*newsqa_cmd(), "serve", "--port", str(port), *args], stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/healthz", 240, proc)
    except Exception:
        stop(proc)
        raise AssertionError((data_dir / f"serve-{port}.log").read_text(errors="replace")[-3000:])
    return proc, base


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("serve")


@pytest.fixture(scope="module")
def server(data_dir):
    """``newsqa serve --ingest-samples`` with a token: the README's first command."""
    proc, base = start_server(data_dir, "--ingest-samples")
    yield base
    stop(proc)


@pytest.fixture
def client(server):
    from openai import OpenAI

    return OpenAI(base_url=f"{server}/v1", api_key=TOKEN, max_retries=0, timeout=120)


def test_health_is_open_and_counts_the_samples(server):
    import httpx

    h = httpx.get(f"{server}/healthz").json()
    assert h["status"] == "ok" and h["store"]["articles"] >= 30


def test_openai_client_chat_completion_with_citations(client, server):
    assert [m.id for m in client.models.list()] == ["newsqa", "newsqa-extractive"]  # no LLM configured
    resp = client.chat.completions.create(model="newsqa", messages=[{"role": "user", "content": QUESTION}])
    content = resp.choices[0].message.content
    assert "NATO" in content and "[1]" in content
    citations = resp.model_extra["citations"]
    assert citations[0]["n"] == 1 and citations[0]["quote"] in content
    import httpx

    art = httpx.get(f"{server}/v1/articles/{citations[0]['article_id']}", headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert art["text"][citations[0]["start"] : citations[0]["end"]] == citations[0]["quote"]


def test_openai_client_streaming_with_citations_on_the_last_chunk(client):
    stream = client.chat.completions.create(model="newsqa", messages=[{"role": "user", "content": QUESTION}], stream=True)
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert "NATO" in text and text == last.model_extra["newsqa"]["text"]
    assert last.model_extra["citations"] and last.model_extra["citations"][0]["quote"] in text


def test_openai_client_sees_readable_errors(server, client):
    import openai

    with pytest.raises(openai.AuthenticationError, match="wrong API token"):
        openai.OpenAI(base_url=f"{server}/v1", api_key="nope", max_retries=0).models.list()
    with pytest.raises(openai.BadRequestError, match="question is empty"):  # OpenAI's 400 for a bad request
        client.chat.completions.create(model="newsqa", messages=[{"role": "user", "content": " "}])


@pytest.mark.llm
def test_streaming_through_a_real_llm_backend(data_dir, server, llm_server):
    """A second server on the same store answering with SmolLM2 through llama.cpp."""
    from openai import OpenAI

    proc, base = start_server(data_dir, NEWSQA_BACKEND="llm", NEWSQA_LLM_BASE_URL=llm_server, NEWSQA_LLM_MODEL="smollm2",
                              NEWSQA_LLM_FALLBACK="false")
    try:
        client = OpenAI(base_url=f"{base}/v1", api_key=TOKEN, max_retries=0, timeout=180)
        chunks = list(client.chat.completions.create(model="newsqa", messages=[{"role": "user", "content": QUESTION}], stream=True))
        final = chunks[-1].model_extra["newsqa"]
        assert model_or_flagged_fallback(final)
        # the model's words stream as it writes them; the verified answer (its markers checked) comes last
        draft = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices and not c.model_extra.get("newsqa"))
        assert draft.strip()
        # The small model's reply is verified: either supported sentences with citations, or a plain abstention.
        assert (final["citations"] and not final["abstained"]) or (final["abstained"] and not final["citations"])
    finally:
        stop(proc)


def test_refuses_a_public_address_without_a_token(tmp_path):
    env = dict(os.environ, NEWSQA_DATA_DIR=str(tmp_path))
    env.pop("NEWSQA_API_TOKEN", None)
    out = subprocess.run([*newsqa_cmd(), "serve", "--host", "0.0.0.0", "--port", str(free_port())], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "refusing to serve on 0.0.0.0 without a token" in out.stderr


def test_server_sees_a_cli_ingest_within_two_seconds(tmp_path):
    """`newsqa ingest` into the data folder of a running server: its dense search finds the article at once."""
    import time

    import httpx

    from conftest import SEED

    data = tmp_path / "shared"
    data.mkdir()
    env = dict(os.environ, NEWSQA_DATA_DIR=str(data))
    assert subprocess.run([*newsqa_cmd(), "ingest", "-q", str(SEED)], env=env).returncode == 0
    proc, base = start_server(data)
    try:
        h = {"Authorization": f"Bearer {TOKEN}"}
        q = {"query": "ferry line to Belle Island ticket price", "k": 3, "method": "dense"}
        first = httpx.post(f"{base}/v1/search", json=q, headers=h, timeout=30).json()["results"]
        assert all("Belle" not in r["chunk"]["text"] for r in first)
        md = tmp_path / "ferry.md"
        md.write_text("---\ntitle: Ferry fares\nsource: Coastal Times\n---\nThe harbour council approved a ferry line to Belle Island. Tickets cost 340 krona.")
        assert subprocess.run([*newsqa_cmd(), "ingest", "-q", str(md)], env=env).returncode == 0
        t0 = time.perf_counter()
        seen = None
        while time.perf_counter() - t0 < 10:
            got = httpx.post(f"{base}/v1/search", json=q, headers=h, timeout=30).json()["results"]
            if any("Belle" in r["chunk"]["text"] for r in got):
                seen = time.perf_counter() - t0
                break
            time.sleep(0.1)
        assert seen is not None and seen <= 2.0, seen
        print(f"\ndense search saw the CLI-ingested article after {seen:.2f} s")
        # and the server's own writes after the CLI's keep both
        r = httpx.post(f"{base}/v1/articles", json={"title": "Trains", "text": "The night train to Northport stops in May."}, headers=h, timeout=60)
        assert r.status_code == 200
        listed = httpx.get(f"{base}/v1/articles", headers=h, timeout=30).json()["total"]
        assert listed == 3
    finally:
        stop(proc)
