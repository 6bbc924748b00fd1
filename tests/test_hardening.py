"""Hardening: secrets redacted everywhere, security headers, token lockout, token validation, private page uploads."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import FIXTURES, SEED, free_port

QUESTION = "What does Russia demand?"
TOKEN = "right-token-123"


def dead_llm_url() -> str:
    """An LLM endpoint with a password in its URL, on a loopback port nothing listens on."""
    return f"http://user:pass@127.0.0.1:{free_port()}/v1"


def llm_library(tmp_path, embedder, **kw):
    """A library holding the seed article, answering with an unreachable LLM whose URL carries a password."""
    from ingest.pipeline import ingest_paths
    from rag.library import Library
    from rag.settings import Settings

    settings = Settings(data_dir=tmp_path, backend="llm", llm_base_url=dead_llm_url(), llm_api_key="sk-topsecret-key", **kw)
    lib = Library(settings, embedder)
    ingest_paths(lib, [str(SEED)])
    return lib


def api_client(library, **kw) -> TestClient:
    from newsqa.api import create_app

    return TestClient(create_app(library.settings, library, mount_ui=False), **kw)


def mounted_gradio(app):
    """The Gradio app mounted on the FastAPI app (its ``uploaded_file_dir`` and ``blocks``)."""
    for route in app.routes:
        if hasattr(getattr(route, "app", None), "uploaded_file_dir"):
            return route.app
    raise AssertionError("no Gradio app is mounted")


@pytest.fixture(scope="module")
def ui_app(tmp_path_factory, embedder):
    """The full app (API + chat page) with a token, over the seed article; built once (Gradio takes seconds)."""
    from ingest.pipeline import ingest_paths
    from newsqa.api import create_app
    from rag.library import Library
    from rag.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("ui"), api_token=TOKEN)
    lib = Library(settings, embedder)
    ingest_paths(lib, [str(SEED)])
    return create_app(settings, lib)


# ------------------------------------------------------------------ 1. secrets never shown


def test_redact_hides_url_userinfo_and_configured_secrets():
    from rag.settings import Settings, redact

    Settings(llm_api_key="sk-abcdef123", embed_url="http://bob:hunter22@emb:9000/v1", api_token="tok-999")
    text = "GET http://alice:pw@h/v1 key=sk-abcdef123 tok-999 Bearer hunter22 URL('https://a:b@c.d/x')"
    out = redact(text)
    assert out == "GET http://***@h/v1 key=*** *** Bearer *** URL('https://***@c.d/x')"
    assert redact("no secrets: http://host/v1?mail=a@b.c none") == "no secrets: http://host/v1?mail=a@b.c none"


def test_healthz_does_not_show_the_llm_password(tmp_path, embedder):
    from rag.library import Library
    from rag.settings import Settings

    lib = Library(Settings(data_dir=tmp_path, backend="llm", llm_base_url=dead_llm_url()), embedder)
    with api_client(lib) as c:
        body = c.get("/healthz").json()
    assert body["llm"]["reachable"] is False and body["llm"]["error"]
    assert body["llm"]["endpoint"].startswith("http://***@127.0.0.1:")
    assert "pass" not in str(body["llm"]) and "user:" not in str(body)


def test_fallback_answer_error_shows_no_password(tmp_path, embedder):
    lib = llm_library(tmp_path, embedder, llm_fallback=True)
    with api_client(lib) as c:
        ans = c.post("/v1/ask", json={"question": QUESTION}).json()
    assert ans["fallback"] is True and ans["error"]
    assert "***@127.0.0.1" in ans["error"]
    assert "pass" not in ans["error"] and "topsecret" not in ans["error"]


def test_503_and_logs_show_no_password(tmp_path, embedder, caplog):
    lib = llm_library(tmp_path, embedder, llm_fallback=False)
    caplog.set_level(logging.INFO)
    with api_client(lib) as c:
        r = c.post("/v1/ask", json={"question": QUESTION})
        streamed = c.post("/v1/ask", json={"question": QUESTION, "stream": True})
    assert r.status_code == 503 and "the answering model is unavailable" in r.json()["error"]["message"]
    assert "pass" not in r.text and "topsecret" not in r.text
    assert "pass" not in streamed.text and "topsecret" not in streamed.text
    # Any logger, any handler on the root logger, exceptions and their causes included.
    from rag.llm import LLMError

    logging.getLogger("newsqa.elsewhere").warning("calling %s with key %s", lib.settings.llm_base_url, "sk-topsecret-key")
    try:
        try:
            raise ConnectionError(f"cannot reach {lib.settings.llm_base_url}")
        except ConnectionError as e:
            raise LLMError("wrapped") from e
    except LLMError:
        logging.getLogger("newsqa.elsewhere").exception("failed")
    assert "LLM endpoint failed" in caplog.text and "calling http://***@" in caplog.text
    assert "cannot reach http://***@" in caplog.text
    assert "pass" not in caplog.text and "topsecret" not in caplog.text


def test_llm_error_message_is_redacted_when_built():
    from rag.llm import LLMError

    assert str(LLMError("LLM endpoint http://u:pass@h/v1 failed")) == "LLM endpoint http://***@h/v1 failed"


def test_uvicorn_loggers_are_redacted():
    from newsqa.middleware import RedactingFilter, install_log_redaction

    install_log_redaction()
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        assert any(isinstance(f, RedactingFilter) for f in logging.getLogger(name).filters)
    # uvicorn's access formatter unpacks record.args: redaction keeps them a tuple.
    rec = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d', ("1.2.3.4", "GET", "/x?u=http://a:pass@h", "1.1", 200), None)
    RedactingFilter().filter(rec)
    assert isinstance(rec.args, tuple) and len(rec.args) == 5 and "pass" not in rec.getMessage()


# ------------------------------------------------------------------ 2. security headers


def assert_security_headers(r):
    csp = r.headers["content-security-policy"]
    for part in ("default-src 'self'", "script-src 'self' 'unsafe-inline' 'unsafe-eval'", "style-src 'self' 'unsafe-inline'",
                 "img-src 'self' data: blob:", "font-src 'self' data:", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'"):
        assert part in csp, (part, csp)
    assert "connect-src 'self' ws://testserver wss://testserver" in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_security_headers_on_the_page_and_the_api(ui_app):
    with TestClient(ui_app, client=("10.0.0.1", 1000)) as c:
        page = c.get("/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert_security_headers(page)
        assert_security_headers(c.get("/healthz"))
        ask = c.post("/v1/ask", json={"question": QUESTION}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert ask.status_code == 200
        assert_security_headers(ask)
        assert_security_headers(c.post("/v1/ask", json={"question": QUESTION}))  # the 401 too
        docs = c.get("/docs")  # self-hosted Swagger UI (newsqa.docs): no CDN, and no inline script
        assert docs.status_code == 200
        assert "script-src 'self';" in docs.headers["content-security-policy"]
        assert "http" not in docs.headers["content-security-policy"].replace(" ws://testserver wss://testserver", "")


# ------------------------------------------------------------------ 3. lockout after failed token attempts


def test_wrong_tokens_lock_the_client_out_but_not_others(shared_token_library):
    from newsqa.api import create_app
    from newsqa.middleware import MAX_FAILED_AUTH

    app = create_app(shared_token_library.settings, shared_token_library, mount_ui=False)
    attacker = TestClient(app, client=("1.2.3.4", 123))
    bystander = TestClient(app, client=("5.6.7.8", 456))
    codes = [attacker.get("/v1/models", headers={"Authorization": "Bearer wrong"}).status_code for _ in range(MAX_FAILED_AUTH + 1)]
    assert codes == [401] * MAX_FAILED_AUTH + [429]
    r = attacker.get("/v1/models", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 429
    seconds = int(r.headers["retry-after"])
    assert 1 <= seconds <= 60
    err = r.json()["error"]
    assert err == {"message": f"too many failed sign-in attempts; try again in {seconds} s", "type": "rate_limit_error",
                   "code": 429, "request_id": r.headers["x-request-id"]}
    assert bystander.get("/v1/models", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert attacker.get("/healthz").status_code == 200  # token-free paths stay open


@pytest.fixture
def shared_token_library(tmp_path, embedder):
    from rag.library import Library
    from rag.settings import Settings

    return Library(Settings(data_dir=tmp_path, api_token=TOKEN), embedder)


def test_failed_page_sign_ins_count_too(ui_app):
    from newsqa.middleware import MAX_FAILED_AUTH

    c = TestClient(ui_app, client=("9.9.9.9", 99))
    codes = [c.post("/login", data={"username": "me", "password": "nope"}).status_code for _ in range(MAX_FAILED_AUTH)]
    assert all(400 <= s < 500 for s in codes)
    assert c.post("/login", data={"username": "me", "password": TOKEN}).status_code == 429
    assert c.get("/v1/models", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 429
    other = TestClient(ui_app, client=("9.9.9.10", 99))
    assert other.post("/login", data={"username": "me", "password": TOKEN}).status_code == 200


def test_lockout_ends_when_the_window_passes():
    from newsqa.middleware import FailedAuthLimiter

    now = [1000.0]
    lim = FailedAuthLimiter(max_failures=3, window_s=60, clock=lambda: now[0])
    for _ in range(3):
        assert lim.retry_after("a") == 0
        lim.record_failure("a")
        now[0] += 1
    assert lim.retry_after("a") == pytest.approx(57)
    now[0] += 57
    assert lim.retry_after("a") == 0


# ------------------------------------------------------------------ 4. token validation


@pytest.mark.parametrize("token", [" x", "x ", "é", "tok\nen", "\tabc"])
def test_unusable_api_tokens_are_refused(token):
    from pydantic import ValidationError

    from rag.settings import Settings

    with pytest.raises(ValidationError, match="NEWSQA_API_TOKEN must be printable ASCII with no surrounding spaces") as e:
        Settings(api_token=token)
    assert token not in str(e.value)  # the refused value is not echoed


def test_empty_api_token_means_none_and_good_tokens_pass(monkeypatch):
    from rag.settings import Settings

    assert Settings(api_token="").api_token is None
    monkeypatch.setenv("NEWSQA_API_TOKEN", "")
    assert Settings().api_token is None
    assert Settings(api_token="a b~!").api_token == "a b~!"


# ------------------------------------------------------------------ 5. private page uploads


def test_page_uploads_go_to_a_private_folder_and_are_deleted_after_ingest(ui_app):
    from gradio.utils import get_upload_folder

    settings = ui_app.state.settings
    folder = (Path(settings.data_dir) / "uploads" / "page").resolve()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    gr_app = mounted_gradio(ui_app)
    assert Path(gr_app.uploaded_file_dir).resolve() == folder
    assert Path(get_upload_folder()).resolve() == folder
    upload = next(b for b in gr_app.blocks.blocks.values() if getattr(b, "elem_id", None) == "upload-files")
    assert Path(upload.GRADIO_CACHE).resolve() == folder

    # A real upload through Gradio's route (after signing in), then the page's ingest handler.
    with TestClient(ui_app, client=("10.0.0.2", 1)) as c:
        assert c.post("/login", data={"username": "me", "password": TOKEN}).status_code == 200
        r = c.post("/gradio_api/upload", files=[("files", ("ferry.md", (FIXTURES / "article.md").read_bytes(), "text/markdown"))])
    assert r.status_code == 200, r.text
    (path,) = r.json()
    assert folder in Path(path).resolve().parents and Path(path).is_file()
    ingest = next(f.fn for f in gr_app.blocks.fns.values() if getattr(f.fn, "__name__", "") == "ingest_uploads")
    old_leftover, fresh = folder / "tmpold", folder / "tmpfresh"  # gr.File leaves empty temp files behind
    old_leftover.touch()
    fresh.touch()
    os.utime(old_leftover, (1, 1))
    ingest([path], "")  # Gradio's progress tracker is a no-op outside an event
    assert not old_leftover.exists() and fresh.exists()  # an upload may still be arriving in a fresh one
    fresh.unlink()
    assert any("ferry" in a.title.lower() for a in ui_app.state.library.store.list_articles())
    assert not Path(path).exists() and not Path(path).parent.exists()
    assert folder.exists() and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert os.environ["GRADIO_TEMP_DIR"] == str(folder)
