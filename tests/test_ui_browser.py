"""The chat page in a real Chromium against a real ``newsqa serve`` process.

Debian's Chromium (``apt-get install -y chromium chromium-driver``; never
``playwright install``) driven by Playwright through pytest-playwright.
"""

from __future__ import annotations

from datetime import date

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conftest import ROOT, SEED, free_port, stop_process, wait_http

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
SEED_TITLE = "Senior Russian diplomat says Moscow also needs security guarantees"
TOKEN = "s3cret-ui-token"
ANSWER_TIMEOUT = 90_000  # ms; the first question also loads the embedding model

QUOKKA = """Quokka census finds record numbers on Rottnest Island
Published by Island Wildlife Weekly
Posted on March 3, 2025
Rangers on Rottnest Island counted 12,400 quokkas in this year's census, the highest number since counting began in 2007.
The island's conservation officer said the rise followed two wet winters that left more vegetation for the animals to eat.
Visitors are still banned from feeding the quokkas, and fines for touching them remain at 300 Australian dollars.
"""

# Every way an article could try to run code in the page: tags, handlers, and
# the template syntaxes Gradio's HTML component understands.
INJECTION = """---
title: "Harbour <script>window.__pwned = 'title'; alert('title')</script> report"
source: "Evil <img src=x onerror=\\"window.__pwned = 'source'\\"> Gazette"
published: 2025-03-01
url: "javascript:window.__pwned = 'url'"
---
The harbour master of Port Zembla said the <script>window.__pwned = 'body'; alert('body')</script> lighthouse was repainted blue in March.
Officials confirmed that <img src=x onerror="window.__pwned = 'img'; alert('img')"> the ferry timetable will not change, and that ${alert(4)} and {{value}} stay text.
"""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get update && apt-get install -y chromium chromium-driver")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1360, "height": 900}}


def serve(data: Path, ingest: list[str], **env_vars: str):
    """Run ``newsqa serve`` on a free loopback port over ``data``; yields its base URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSQA_")}
    env.update(NEWSQA_DATA_DIR=str(data), GRADIO_ANALYTICS_ENABLED="False", ANONYMIZED_TELEMETRY="False", HF_HUB_OFFLINE="1")
    env.update(env_vars)
    exe = shutil.which("newsqa") or str(Path(sys.executable).parent / "newsqa")
    # cwd=data: no developer's .env is picked up.
    if ingest:
        subprocess.run([exe, "ingest", "--quiet", *ingest], env=env, cwd=data, check=True, timeout=300)
    port = free_port()
    log = open(data / "serve.log", "wb")
    proc = subprocess.Popen([exe, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env, cwd=data, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", 120, proc)
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop_process(proc, 15)
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``newsqa serve`` over a fresh data folder holding the seed article."""
    yield from serve(tmp_path_factory.mktemp("ui-data"), [str(SEED)])


@pytest.fixture(scope="module")
def token_server(tmp_path_factory):
    """``newsqa serve`` with NEWSQA_API_TOKEN set, over an empty data folder."""
    yield from serve(tmp_path_factory.mktemp("ui-token"), [], NEWSQA_API_TOKEN=TOKEN)


@pytest.fixture
def chat(page: Page, server):
    """The page, opened, with every dialog recorded (and dismissed) so a test can assert there were none."""
    page.dialogs = []

    def on_dialog(d):
        page.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(server)
    expect(page.locator("#chat-log")).to_be_visible()
    return page


def ask(page: Page, question: str):
    """Ask a question; returns the locator of its answer bubble (earlier answers must be complete)."""
    n = page.locator("#chat-log .nq-turn").count()
    page.locator("#question textarea").fill(question)
    page.locator("#ask-btn").click()
    return page.locator(f'#chat-log .nq-turn[data-turn="{n}"] .nq-bot')


def upload(page: Page, path: Path):
    page.get_by_role("tab", name="Library").click()
    page.locator("#upload-files input[type=file]").set_input_files(str(path))
    result = page.locator("#upload-results tbody tr").filter(has_text=path.name)
    expect(result).to_be_visible(timeout=ANSWER_TIMEOUT)
    return result


def test_answer_cites_the_nato_sentence_and_opens_it_highlighted(chat: Page):
    bot = ask(chat, "What does Russia demand?")
    cite = bot.locator(".nq-cite").first
    expect(cite).to_have_text("[1]", timeout=ANSWER_TIMEOUT)
    expect(bot.locator(".nq-answer-text")).to_contain_text("a bar on NATO membership")
    expect(bot.locator(".nq-meta")).to_contain_text("extractive · retrieval")
    expect(bot.locator(".nq-meta")).to_contain_text(f"as of {date.today().isoformat()}")
    cite.click()
    card = chat.locator("#sources-panel .nq-src.nq-selected")
    expect(card).to_have_count(1)
    expect(card.locator(".nq-src-title")).to_have_text(SEED_TITLE)
    expect(card.locator(".nq-src-meta")).to_contain_text("Global Banking & Finance Review · 2026-02-09")
    expect(card.locator("mark.nq-quote")).to_contain_text("a bar on NATO membership for Ukraine")
    # The sentence sits inside its passage: text around it, not highlighted.
    expect(card.locator(".nq-src-para")).to_contain_text("Izvestia said Grushko listed elements")
    expect(card.locator("mark.nq-quote")).not_to_contain_text("Izvestia")
    ARTIFACTS.mkdir(exist_ok=True)
    chat.screenshot(path=str(ARTIFACTS / "ui-answered-question.png"))


def test_example_then_unanswerable_question(chat: Page):
    chat.locator("#examples-row").get_by_role("button", name="What does Russia demand?").click()
    first = chat.locator('#chat-log .nq-turn[data-turn="0"] .nq-bot')
    expect(first.locator(".nq-cite").first).to_be_visible(timeout=ANSWER_TIMEOUT)
    bot = ask(chat, "What is the inflation rate in the euro zone?")
    expect(bot.locator(".nq-abstain")).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(bot).to_contain_text("do not answer")
    expect(bot.locator(".nq-cite")).to_have_count(0)
    expect(chat.locator("#sources-panel .nq-turn-sources.nq-active")).to_contain_text("No sources")
    ARTIFACTS.mkdir(exist_ok=True)
    chat.screenshot(path=str(ARTIFACTS / "ui-abstention.png"))
    # The earlier answer's [1] still opens its own source.
    first.locator(".nq-cite").first.click()
    expect(chat.locator("#sources-panel .nq-src.nq-selected .nq-src-title")).to_have_text(SEED_TITLE)


def test_date_filter_that_excludes_every_article_abstains(chat: Page):
    chat.locator("#filters").get_by_text("Filters").click()
    chat.locator("#filter-since textarea, #filter-since input").first.fill("2027-01-01")
    bot = ask(chat, "What does Russia demand?")
    expect(bot.locator(".nq-abstain")).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(chat.locator("#chat-log .nq-filters-used").last).to_have_text("from 2027-01-01")


def test_as_of_before_the_seed_leaves_it_out(chat: Page):
    chat.locator("#filters").get_by_text("Filters").click()
    chat.locator("#filter-as-of textarea, #filter-as-of input").first.fill("2026-02-08")
    bot = ask(chat, "What does Russia demand?")
    expect(bot.locator(".nq-meta")).to_contain_text("as of 2026-02-08", timeout=ANSWER_TIMEOUT)
    expect(chat.locator("#chat-log .nq-filters-used").last).to_have_text("as of 2026-02-08")
    expect(bot).not_to_contain_text("a bar on NATO membership")


def library_search(chat: Page, words: str):
    """Search the Library tab; the first row's first cell."""
    chat.get_by_role("tab", name="Library").click()
    chat.locator("#library-search textarea, #library-search input").first.fill(words)
    return chat.locator("#library-table [data-testid='cell-0-0']")


def upload_ask_and_open_citation(chat: Page, path, text: str, upload_says: str, question: str):
    """Upload one article on the Library tab, ask about it, open the answer's first citation: (answer, source card)."""
    path.write_text(text, encoding="utf-8")
    expect(upload(chat, path)).to_contain_text(upload_says)
    chat.get_by_role("tab", name="Ask").click()
    bot = ask(chat, question)
    expect(bot.locator(".nq-cite").first).to_be_visible(timeout=ANSWER_TIMEOUT)
    bot.locator(".nq-cite").first.click()
    return bot, chat.locator("#sources-panel .nq-src.nq-selected")


def test_uploaded_article_is_cited_then_deleted(chat: Page, tmp_path):
    _bot, card = upload_ask_and_open_citation(
        chat, tmp_path / "quokka-census.txt", QUOKKA, "ingested", "How many quokkas did rangers count on Rottnest Island?"
    )
    expect(card.locator(".nq-src-title")).to_have_text("Quokka census finds record numbers on Rottnest Island")
    expect(card.locator("mark.nq-quote")).to_contain_text("12,400 quokkas")

    # Library: find it, read it, delete it.
    row = library_search(chat, "quokka")
    expect(row).to_have_text("Quokka census finds record numbers on Rottnest Island")
    row.click()
    expect(chat.locator("#article-view .nq-reader-title")).to_have_text("Quokka census finds record numbers on Rottnest Island")
    expect(chat.locator("#article-view")).to_contain_text("fines for touching them")
    chat.locator("#delete-btn").click()
    chat.locator("#delete-yes").click()
    expect(chat.locator("#library-message")).to_contain_text("Deleted")
    expect(chat.locator("#library-count")).to_contain_text("0 match")


def test_script_injection_article_renders_inert(chat: Page, tmp_path):
    bot, card = upload_ask_and_open_citation(
        chat, tmp_path / "harbour.md", INJECTION, "<script>window.__pwned = 'title'", "What colour was the lighthouse repainted?"
    )
    expect(card.locator(".nq-src-title")).to_have_text("Harbour <script>window.__pwned = 'title'; alert('title')</script> report")
    expect(card.locator(".nq-src-meta")).to_contain_text("Evil <img src=x onerror=\"window.__pwned = 'source'\"> Gazette")
    expect(card).to_contain_text("${alert(4)} and {{value}} stay text")
    expect(bot).to_contain_text("<script>window.__pwned = 'body'; alert('body')</script>")
    expect(card.locator("a")).to_have_count(0)  # the javascript: URL is not a link

    row = library_search(chat, "harbour")
    expect(row).to_contain_text("<script>")
    row.click()
    expect(chat.locator("#article-view")).to_contain_text("<img src=x onerror=\"window.__pwned = 'img'; alert('img')\">")

    chat.wait_for_timeout(500)  # give any injected handler its chance to fire
    ARTIFACTS.mkdir(exist_ok=True)
    chat.screenshot(path=str(ARTIFACTS / "ui-injection-inert.png"), full_page=True)
    assert chat.dialogs == []
    assert chat.evaluate("window.__pwned") is None
    assert chat.locator("#chat-log script, #sources-panel script, #article-view script").count() == 0
    assert chat.locator("img[src='x']").count() == 0


def test_with_a_token_the_page_asks_for_it_before_answering(page: Page, token_server):
    page.goto(token_server)
    expect(page.locator("#chat-log")).to_have_count(0)
    page.get_by_label("username").fill("reader")
    page.get_by_label("password").fill("wrong")
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_text("Incorrect Credentials")).to_be_visible()
    page.get_by_label("username").fill("reader")  # the form clears after a failed attempt
    page.get_by_label("password").fill(TOKEN)
    page.get_by_role("button", name="Login").click()
    expect(page.locator("#chat-log")).to_be_visible(timeout=30_000)
    bot = ask(page, "What does Russia demand?")
    expect(bot.locator(".nq-abstain")).to_be_visible(timeout=ANSWER_TIMEOUT)  # empty library: nothing to cite
