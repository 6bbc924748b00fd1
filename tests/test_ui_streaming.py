"""The chat page streams an LLM answer: the model's draft shows first, then the verified answer replaces it.

Real Chromium against a real ``newsqa serve`` whose LLM backend is the llama.cpp server (SmolLM2-135M),
and once against a scripted OpenAI-compatible server whose slow reply fails verification. A
MutationObserver records every state of the answer bubble the reader could have seen, with its time.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise

import pytest
from conftest import SEED
from playwright.sync_api import Page, expect
from test_ui_browser import (  # noqa: F401  (fixtures: the Chromium launch arguments and viewport)
    ARTIFACTS,
    SEED_TITLE,
    ask,
    browser_context_args,
    browser_type_launch_args,
    serve,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.llm]

QUESTION = "What does Russia demand?"
LLM_TIMEOUT = 300_000  # ms: the embedding model loads, then SmolLM2 writes (32-80 s seen on 2 busy cores)
MARKER = re.compile(r"\[\d+\]")

# Every distinct state of the first answer bubble, timestamped: what the reader saw, in order.
RECORDER = """() => {
  window.__nqFrames = [];
  const t0 = performance.now();
  let last = '';
  function snap() {
    const bot = document.querySelector('#chat-log .nq-turn[data-turn="0"] .nq-bot');
    if (!bot) return;
    const f = {
      t: Math.round(performance.now() - t0),
      streaming: bot.classList.contains('nq-streaming'),
      thinking: !!bot.querySelector('.nq-thinking'),
      visible: bot.checkVisibility(),
      cites: bot.querySelectorAll('.nq-cite').length,
      text: bot.innerText.trim(),
    };
    const key = JSON.stringify([f.streaming, f.thinking, f.visible, f.cites, f.text]);
    if (key !== last) { last = key; window.__nqFrames.push(f); }
  }
  new MutationObserver(snap).observe(document.documentElement, {childList: true, subtree: true, characterData: true});
}"""


def open_recording(page: Page, url: str) -> Page:
    page.goto(url)
    expect(page.locator("#chat-log")).to_be_visible()
    page.evaluate(RECORDER)
    return page


def drafts_then_final(page: Page) -> tuple[list[dict], dict]:
    """The draft frames (streamed text, visible, before the answer) and the final frame; asserts their order."""
    frames = page.evaluate("window.__nqFrames")
    shown = json.dumps(frames, indent=1)[:4000]
    drafts = [f for f in frames if f["streaming"] and not f["thinking"] and f["text"]]
    assert drafts, f"no streamed text was shown before the answer: {shown}"
    assert all(f["visible"] for f in drafts), shown
    assert all(f["cites"] == 0 for f in drafts), f"the draft is unverified: no clickable [n] yet: {shown}"
    texts = [f["text"] for f in drafts]
    assert len(set(texts)) >= 2, f"the draft grew in steps (streamed), not in one piece: {shown}"
    assert all(b.startswith(a) for a, b in pairwise(texts)), f"each draft extends the one before: {shown}"
    first_final = next((i for i, f in enumerate(frames) if not f["streaming"]), None)
    assert first_final is not None, f"the answer never became final: {shown}"
    assert frames.index(drafts[-1]) < first_final, f"every draft came before the verified answer: {shown}"
    assert all(not f["streaming"] for f in frames[first_final:]), f"the draft never came back: {shown}"
    final = frames[-1]
    assert final["t"] > drafts[0]["t"]
    return drafts, final


def assert_final_bubble(bot, final: dict) -> None:
    """The bubble now shows the answer, not the draft: no caret, and every [n] in it is a button."""
    expect(bot).not_to_have_class(re.compile(r"\bnq-streaming\b"))
    expect(bot.locator(".nq-caret")).to_have_count(0)
    expect(bot.locator(".nq-meta")).to_be_visible()
    markers = MARKER.findall(bot.inner_text())
    assert len(markers) == bot.locator(".nq-cite").count(), f"an [n] left as plain draft text: {bot.inner_text()!r}"
    assert final["text"] == bot.inner_text().strip(), "the recorded last state is what the page shows"


# ------------------------------------------------------------------ the real model


@pytest.fixture(scope="module")
def llm_page(tmp_path_factory, llm_server):
    """``newsqa serve`` over the seed article, answering with SmolLM2 through llama.cpp's server."""
    yield from serve(
        tmp_path_factory.mktemp("ui-llm"), [str(SEED)], NEWSQA_BACKEND="llm", NEWSQA_LLM_BASE_URL=llm_server,
        NEWSQA_LLM_MODEL="smollm2", NEWSQA_LLM_TIMEOUT="240", NEWSQA_LLM_MAX_TOKENS="80",
    )


def test_the_model_draft_streams_then_the_verified_answer_replaces_it(page: Page, llm_page):
    open_recording(page, llm_page)
    bot = ask(page, QUESTION)
    expect(bot.locator(".nq-meta")).to_be_visible(timeout=LLM_TIMEOUT)
    drafts, final = drafts_then_final(page)
    assert_final_bubble(bot, final)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-llm-verified.png"))
    if bot.locator(".nq-abstain").count():
        # SmolLM2's reply failed verification: the reader sees the abstention where the draft was.
        expect(bot.locator(".nq-abstain")).to_be_visible()
        expect(bot.locator(".nq-cite")).to_have_count(0)
        assert drafts[-1]["text"] not in final["text"]
        return
    # Verified (or, flagged, the extractive answer instead): clickable [n] that open the cited sentence.
    if bot.locator(".nq-fallback").count():
        # the model's reply cited nothing that supports it: the reader is told, and gets the extractive answer
        expect(bot.locator(".nq-meta")).to_contain_text("extractive (fallback)")
        expect(bot.locator(".nq-fallback")).to_contain_text("The language model could not answer")
        assert drafts[-1]["text"] not in final["text"], "the fallback answer replaced the model's draft"
    else:
        expect(bot.locator(".nq-meta")).to_contain_text("llm:smollm2")
    cite = bot.locator(".nq-answer-text .nq-cite").first
    expect(cite).to_be_visible()
    n = cite.get_attribute("data-n")
    cite.click()
    card = page.locator("#sources-panel .nq-src.nq-selected")
    expect(card).to_have_count(1)
    expect(card).to_have_attribute("id", f"src-0-{n}")
    expect(card.locator(".nq-src-title")).to_have_text(SEED_TITLE)
    expect(card.locator("mark.nq-quote")).not_to_be_empty()


# ------------------------------------------------------------------ a reply that fails verification

UNSUPPORTED = ["The moon ", "is made of ", "green cheese [1]. ", "Penguins sing ", "opera in Lisbon ", "every spring [2]."]


class SlowLiar(BaseHTTPRequestHandler):
    """An OpenAI-compatible chat endpoint that streams UNSUPPORTED slowly, a chunk every 0.4 s."""

    def do_POST(self):
        self.rfile.read(int(self.headers["content-length"]))
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.end_headers()
        for i, words in enumerate(UNSUPPORTED):
            last = i == len(UNSUPPORTED) - 1
            chunk = {"id": "x", "object": "chat.completion.chunk", "created": 1, "model": "liar",
                     "choices": [{"index": 0, "delta": {"content": words}, "finish_reason": "stop" if last else None}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
            time.sleep(0.4)
        self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def liar_page(tmp_path_factory):
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowLiar)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield from serve(
            tmp_path_factory.mktemp("ui-liar"), [str(SEED)], NEWSQA_BACKEND="llm",
            NEWSQA_LLM_BASE_URL=f"http://127.0.0.1:{server.server_address[1]}/v1", NEWSQA_LLM_MODEL="liar",
        )
    finally:
        server.shutdown()


def test_a_draft_that_fails_verification_is_replaced_by_a_visible_abstention(page: Page, liar_page):
    open_recording(page, liar_page)
    bot = ask(page, QUESTION)
    # The reader watches the model's words arrive…
    expect(bot).to_have_class(re.compile(r"\bnq-streaming\b"), timeout=120_000)
    expect(bot.locator(".nq-answer-text")).to_contain_text("The moon is made of", timeout=120_000)
    # … and then the abstention takes their place.
    expect(bot.locator(".nq-abstain")).to_be_visible(timeout=60_000)
    expect(bot).not_to_contain_text("green cheese")
    expect(bot).not_to_contain_text("Penguins")
    expect(bot.locator(".nq-abstain")).to_contain_text("no sentence of the model's reply is supported")
    expect(bot.locator(".nq-cite")).to_have_count(0)
    expect(bot.locator(".nq-meta")).to_contain_text("llm:liar")
    drafts, final = drafts_then_final(page)
    assert any("green cheese [1]" in f["text"] for f in drafts), "the draft showed the model's raw words, markers too"
    assert_final_bubble(bot, final)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-llm-abstention.png"))
