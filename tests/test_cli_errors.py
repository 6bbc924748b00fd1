"""The CLI as a careless operator meets it: one-line errors, never a traceback, and the data folder it names."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import pytest

from conftest import FIXTURES, ROOT, SEED


def newsqa(*args, env=None, cwd=None, timeout=120, stdin=None) -> subprocess.CompletedProcess:
    e = dict(os.environ)
    e.pop("NEWSQA_DATA_DIR", None)
    e.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "newsqa.cli", *args], capture_output=True, text=True, env=e, cwd=cwd or ROOT, timeout=timeout, stdin=stdin
    )


def one_line_error(p: subprocess.CompletedProcess) -> str:
    assert p.returncode != 0, p
    assert "Traceback" not in p.stderr, p.stderr
    lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, p.stderr
    assert lines[0].startswith("newsqa: ")
    return lines[0]


def test_version_and_quiet():
    p = newsqa("--version")
    assert p.returncode == 0 and p.stdout.startswith("newsqa ")
    assert "-q, --quiet" in newsqa("ingest", "--help").stdout


def test_data_dir_on_every_command_and_no_silent_new_store(tmp_path):
    data = tmp_path / "lib"
    p = newsqa("ingest", "-q", "--data-dir", str(data), str(SEED))
    assert p.returncode == 0, p.stderr
    p = newsqa("--data-dir", str(data), "list")
    assert p.returncode == 0 and "1 articles" in p.stdout
    p = newsqa("ask", "--data-dir", str(data), "What does Russia demand?")
    assert p.returncode == 0 and "NATO" in p.stdout
    # another folder, no data: a clear error, and no ./data created there
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    err = one_line_error(newsqa("ask", "What does Russia demand?", cwd=elsewhere))
    assert "ingest articles first" in err
    assert not (elsewhere / "data").exists()


def test_bad_settings_and_paths_are_one_line_errors(tmp_path):
    err = one_line_error(newsqa("stats", env={"NEWSQA_BACKEND": "gpt"}))
    assert "NEWSQA_BACKEND" in err
    a_file = tmp_path / "file"
    a_file.write_text("x")
    err = one_line_error(newsqa("ingest", str(SEED), "--data-dir", str(a_file / "data")))
    assert "data folder" in err
    err = one_line_error(newsqa("ask", "x", "--data-dir", str(tmp_path), "--since", "2025-W01-1"))
    assert "YYYY-MM-DD" in err


def test_llm_down_without_fallback_is_one_line(tmp_path):
    data = tmp_path / "lib"
    assert newsqa("ingest", "-q", "--data-dir", str(data), str(SEED)).returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: nothing listens there
    env = {"NEWSQA_LLM_BASE_URL": f"http://user:hunter2@127.0.0.1:{port}/v1", "NEWSQA_LLM_FALLBACK": "false", "NEWSQA_LLM_TIMEOUT": "5"}
    p = newsqa("ask", "--data-dir", str(data), "--backend", "llm", "What does Russia demand?", env=env)
    err = one_line_error(p)
    assert "unavailable" in err and "hunter2" not in p.stderr + p.stdout


def test_llm_with_nothing_configured_says_what_to_set_and_openai_variables_count(tmp_path, monkeypatch):
    """Issue 13 item 3: `newsqa ask --backend llm` with no endpoint answers extractively and names the variables to
    set; the OpenAI client's own OPENAI_BASE_URL / OPENAI_API_KEY are used when newsqa's are unset."""
    data = tmp_path / "lib"
    assert newsqa("ingest", "-q", "--data-dir", str(data), str(SEED)).returncode == 0
    env = {k: v for k, v in os.environ.items() if k not in ("NEWSQA_LLM_BASE_URL", "OPENAI_BASE_URL")}
    p = subprocess.run([sys.executable, "-m", "newsqa.cli", "ask", "--data-dir", str(data), "--backend", "llm",
                        "What does Russia demand?"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert p.returncode == 0 and "Traceback" not in p.stderr
    assert "NATO membership" in p.stdout  # the extractive answer, flagged as such
    assert "set NEWSQA_LLM_BASE_URL (or OPENAI_BASE_URL)" in p.stdout and "NEWSQA_LLM_MODEL" in p.stdout

    from rag.settings import Settings

    for var in ("NEWSQA_LLM_BASE_URL", "NEWSQA_LLM_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-openai")
    s = Settings()
    assert s.llm_base_url == "http://127.0.0.1:9/v1" and s.llm_api_key == "sk-from-openai"
    monkeypatch.setenv("NEWSQA_LLM_BASE_URL", "http://127.0.0.1:8/v1")  # newsqa's own variable wins
    assert Settings().llm_base_url == "http://127.0.0.1:8/v1"


def test_list_into_a_closed_pipe_is_quiet(tmp_path):
    data = tmp_path / "lib"
    assert newsqa("ingest", "-q", "--data-dir", str(data), str(FIXTURES)).returncode in (0, 1)
    e = dict(os.environ, NEWSQA_DATA_DIR=str(data))
    p = subprocess.run(f"{sys.executable} -m newsqa.cli list | head -c 1 >/dev/null", shell=True, capture_output=True, text=True, env=e, cwd=ROOT)
    assert "Traceback" not in p.stderr and "BrokenPipe" not in p.stderr


def test_a_chroma_server_that_never_answers_is_a_timeout_not_a_hang():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)  # accepts connections, never answers
    port = srv.getsockname()[1]
    held = []
    stop = threading.Event()

    def accept():
        srv.settimeout(0.5)
        while not stop.is_set():
            try:
                held.append(srv.accept()[0])
            except OSError:
                pass

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        t0 = time.perf_counter()
        p = newsqa("stats", env={"NEWSQA_CHROMA_URL": f"http://127.0.0.1:{port}"}, timeout=90)
        took = time.perf_counter() - t0
        err = one_line_error(p)
        assert "did not answer" in err or "cannot reach" in err
        assert took < 60, took
    finally:
        stop.set()
        t.join(2)
        for c in held:
            c.close()
        srv.close()


def test_unsupported_files_in_a_folder_are_reported(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "report.rtf").write_bytes(b"{\\rtf1 report}")
    (folder / "a.md").write_text("# Ferry\n\nThe harbour council approved a ferry line on Monday.")
    p = newsqa("ingest", "--data-dir", str(tmp_path / "lib"), str(folder))
    assert p.returncode == 0, p.stderr
    assert "report.rtf" in p.stdout and "unsupported" in p.stdout


@pytest.mark.slow
def test_two_ingest_processes_at_once_store_each_article_once(tmp_path):
    data = tmp_path / "lib"
    src = ROOT / "ingest" / "samples"
    env = dict(os.environ, NEWSQA_DATA_DIR=str(data))
    procs = [
        subprocess.Popen([sys.executable, "-m", "newsqa.cli", "ingest", "--json", str(src)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=600) for p in procs]
    import json

    summaries = [json.loads(o) for o, _ in outs]
    added = sorted(s["added"] for s in summaries)
    assert added[0] == 0 and added[1] > 0, added
    assert any("waiting for another ingest" in e for _, e in outs)
    p = newsqa("stats", "--json", env={"NEWSQA_DATA_DIR": str(data)})
    assert json.loads(p.stdout)["articles"] == added[1]
