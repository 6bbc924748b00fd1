"""Loaders: the seed's metadata and cleaned text, each format, and bad input skipped with a reason."""

import gzip
import json

from conftest import FIXTURES, SEED

from ingest.loaders import load_paths

SEED_TITLE = "Senior Russian diplomat says Moscow also needs security guarantees"


def _one(path):
    items = list(load_paths([path]))
    assert len(items) == 1, items
    return items[0]


def test_seed_metadata_and_clean_text():
    art = _one(SEED).article
    assert art.title == SEED_TITLE
    assert art.source == "Global Banking & Finance Review"
    assert art.published == "2026-02-09"
    text = art.text
    # the page header appears once or not at all; furniture is gone
    assert text.count("Published by") <= 1 and text.count("Posted on") <= 1
    assert "min read" not in text and "Last updated" not in text
    assert "Explore more articles" not in text
    # the Reuters body is whole, first to last line
    assert "Feb 10 (Reuters) - An agreement for a settlement" in text
    assert "a bar on NATO membership for Ukraine" in text
    assert "Zelenskiy has said the next meeting will take place in the United States." in text


def test_markdown_front_matter():
    art = _one(FIXTURES / "article.md").article
    assert art.title == "Harbour council approves new ferry line"
    assert art.source == "Coastal Times"
    assert art.published == "2025-02-03"
    assert art.authors == ["Ana Lima", "Tom Reed"]
    assert art.url == "https://example.org/ferry"
    assert art.text.startswith("The harbour council on Monday approved")
    assert "---" not in art.text


def test_html_main_text_and_metadata():
    art = _one(FIXTURES / "article.html").article
    assert art.title == "Rail strike ends after pay deal"
    assert art.source == "The Daily Ledger"
    assert art.published == "2025-01-21"
    assert "pay rise of 6 percent" in art.text
    assert "All rights reserved" not in art.text and "Sport" not in art.text


def test_jsonl_and_gz(tmp_path):
    rows = [
        {"id": "a1", "title": "One", "source": "x.com", "published": "2025-01-02", "authors": ["A"], "url": "u", "text": "First article text. It has two sentences."},
        {"id": "a2", "title": "Two", "source": "y.com", "published": "2025-01-03", "authors": [], "url": "", "text": "Second article."},
    ]
    plain = tmp_path / "a.jsonl"
    plain.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    gz = tmp_path / "b.jsonl.gz"
    with gzip.open(gz, "wt") as f:
        f.write("\n".join(json.dumps(r) for r in rows))
    for path in (plain, gz):
        arts = [i.article for i in load_paths([path])]
        assert [a.id for a in arts] == ["a1", "a2"]
        assert arts[0].published == "2025-01-02" and arts[0].authors == ["A"]


def test_bad_input_is_skipped_with_reasons(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "ok", "title": "Fine", "text": "A fine article."}\n'
        "{not json\n"
        '{"id": "notext", "title": "No text"}\n'
        "[1, 2]\n"
    )
    (tmp_path / "notes.rtf").write_bytes(b"{\\rtf1 notes}")
    items = list(load_paths([bad, FIXTURES / "empty.txt", FIXTURES / "latin1.txt", FIXTURES / "random.txt",
                             FIXTURES / "empty-page.html", tmp_path / "notes.rtf", tmp_path / "missing.txt"]))
    reasons = {i.origin.split("/")[-1]: i.skipped for i in items if i.skipped}
    assert [i.article.id for i in items if i.article] == ["ok"]
    assert "malformed JSON" in reasons["bad.jsonl:2"]
    assert reasons["bad.jsonl:3"] == "no text"
    assert reasons["bad.jsonl:4"] == "not a JSON object"
    assert reasons["empty.txt"] == "empty file"
    assert reasons["latin1.txt"].startswith("not UTF-8")
    assert reasons["random.txt"] == "binary file"
    assert reasons["empty-page.html"] == "no article text found"
    assert "unsupported file type .rtf" in reasons["notes.rtf"]
    assert reasons["missing.txt"] == "no such file or folder"


def test_folder_is_searched_recursively(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.md").write_text("# Deep\n\nA deep article about rivers.")
    (tmp_path / "top.txt").write_text("Top title\nA top article about lakes.")
    titles = sorted(i.article.title for i in load_paths([tmp_path]))
    assert titles == ["Deep", "Top title"]
