"""Loader limits: bounded memory for bombs and huge lines, YAML aliases refused, article caps, every file reported, stable file ids."""

import gzip
import json
import resource
import time
import tracemalloc

import pytest

from ingest import limits
from ingest.limits import (
    MAX_ARTICLE_CHARS,
    MAX_AUTHOR_CHARS,
    MAX_AUTHORS,
    MAX_ID_CHARS,
    MAX_SOURCE_CHARS,
    MAX_TITLE_CHARS,
    MAX_URL_CHARS,
)
from ingest.loaders import (
    Loaded,
    TooLarge,
    article_from_dict,
    check_article,
    load_file,
    load_paths,
)
from rag.models import Article, content_id

OK_ROW = {"id": "ok", "title": "Fine", "text": "A fine article about ferries."}


def _items(*paths):
    return list(load_paths(paths))


# ---------------------------------------------------------------- 1. bombs and huge lines


def test_gzip_bomb_of_one_giant_line_is_skipped_in_bounded_memory(tmp_path):
    """~300 KB of gzip holding one 300 MB line of spaces: skipped with reasons, never held whole."""
    bomb = tmp_path / "bomb.jsonl.gz"
    piece = b" " * 2**20
    with gzip.open(bomb, "wb", compresslevel=1) as f:
        f.write(json.dumps(OK_ROW).encode() + b"\n")
        for _ in range(300):
            f.write(piece)
    del piece
    assert bomb.stat().st_size < 3 * 2**20

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    tracemalloc.start()
    t0 = time.monotonic()
    try:
        items = _items(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    seconds = time.monotonic() - t0
    rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) * 1024

    assert seconds < 30
    assert peak < 100 * 2**20, f"peak {peak / 2**20:.0f} MB"
    assert rss_growth < 100 * 2**20, f"rss grew {rss_growth / 2**20:.0f} MB"
    assert [i.article.id for i in items if i.article] == ["ok"]
    skipped = [(i.origin.split("/")[-1], i.skipped, i.too_large) for i in items if not i.article]
    assert skipped == [
        ("bomb.jsonl.gz:2", "line 2 is longer than 8 MB", True),
        ("bomb.jsonl.gz", "decompressed size over 256 MB", True),
    ]


def test_long_line_is_skipped_and_the_next_lines_are_read(tmp_path):
    path = tmp_path / "long.jsonl"
    long_row = {"id": "long", "title": "Long", "text": "word " * (9 * 2**20 // 5)}
    with open(path, "w") as f:
        f.write(json.dumps(OK_ROW) + "\n" + json.dumps(long_row) + "\n" + json.dumps(dict(OK_ROW, id="after")) + "\n")
    items = _items(path)
    assert [i.article.id if i.article else i.skipped for i in items] == ["ok", "line 2 is longer than 8 MB", "after"]
    assert [i.too_large for i in items] == [False, True, False]


def test_read_lines_caps_in_small_pieces(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "DISCARD_PIECE_BYTES", 7)
    path = tmp_path / "x.bin"
    path.write_bytes(b"short\n" + b"y" * 100 + b"\nend\n" + b"z" * 50)
    with open(path, "rb") as f:
        got = list(limits.read_lines(f, max_line=10, max_total=10_000))
    assert got == [(1, b"short\n", None), (2, None, "line 2 is longer than 10 bytes"), (3, b"end\n", None),
                   (4, None, "line 4 is longer than 10 bytes")]
    with open(path, "rb") as f:
        assert list(limits.read_lines(f, max_line=10, max_total=60))[-1] == (None, None, "decompressed size over 60 bytes")


def test_bad_lines_past_the_report_cap_are_summed_up(tmp_path):
    path = tmp_path / "junk.jsonl"
    path.write_text("x\n" * (limits.MAX_REPORTED_BAD_LINES + 50) + json.dumps(OK_ROW) + "\n")
    items = _items(path)
    assert len(items) == limits.MAX_REPORTED_BAD_LINES + 2
    assert [i.article.id for i in items if i.article] == ["ok"]
    assert items[-1].skipped == "50 more lines skipped (not listed)"


def test_deeply_nested_json_line_is_skipped(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 200_000 + "\n" + json.dumps(OK_ROW) + "\n")
    items = _items(path)
    assert items[0].skipped == "malformed JSON line (nested too deeply)"
    assert items[1].article.id == "ok"


def test_file_too_large_is_marked(tmp_path, monkeypatch):
    from ingest import loaders

    monkeypatch.setattr(loaders, "MAX_FILE_BYTES", 10)
    path = tmp_path / "a.txt"
    path.write_text("Title\nSome longer text than ten bytes.")
    (item,) = _items(path)
    assert item.skipped.startswith("file too large") and item.too_large


# ---------------------------------------------------------------- 2. YAML front matter

BILLION_LAUGHS = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
A short article body about laughter.
"""


def test_yaml_billion_laughs_front_matter_is_refused(tmp_path):
    path = tmp_path / "lol.md"
    path.write_text(BILLION_LAUGHS)
    t0 = time.monotonic()
    (item,) = _items(path)
    assert time.monotonic() - t0 < 5
    assert item.article is None
    assert item.skipped == "YAML aliases are not allowed in front matter"


def test_yaml_alias_in_a_used_field_is_refused(tmp_path):
    path = tmp_path / "alias.md"
    path.write_text("---\nsource: &s Coastal Times\ntitle: *s\n---\nBody text about the coast.\n")
    (item,) = _items(path)
    assert item.skipped == "YAML aliases are not allowed in front matter"


def test_front_matter_over_64_kb_is_refused(tmp_path):
    path = tmp_path / "big.md"
    path.write_text("---\ntitle: Big\nnotes: " + "x" * (64 * 1024) + "\n---\nBody text.\n")
    (item,) = _items(path)
    assert item.skipped == "front matter over 64 KB" and item.too_large


def test_deeply_nested_front_matter_is_refused_quickly(tmp_path):
    path = tmp_path / "deep.md"
    path.write_text("---\ntitle: " + "[" * 30_000 + "]" * 30_000 + "\n---\nBody text.\n")
    t0 = time.monotonic()
    (item,) = _items(path)
    assert time.monotonic() - t0 < 10
    assert item.skipped == "front matter nested deeper than 50 levels"


# ---------------------------------------------------------------- 3. check_article


def test_lone_surrogates_are_refused_in_every_field(tmp_path):
    for field in ("id", "title", "source", "url", "authors", "text"):
        row = {"id": "s", "title": "T", "source": "S", "url": "https://x.example/a", "authors": ["A"], "text": "Body text."}
        row[field] = ["A", "bad \ud800"] if field == "authors" else row[field] + " \udfff"
        path = tmp_path / f"{field}.jsonl"
        path.write_text(json.dumps(row) + "\n")  # ensure_ascii writes the surrogate as an escape
        (item,) = _items(path)
        assert item.skipped == f"invalid Unicode (lone surrogate) in {field}", field
        with pytest.raises(ValueError, match=f"lone surrogate\\) in {field}"):
            article_from_dict(row)


def test_metadata_caps_cut_or_drop():
    art = article_from_dict({
        "title": "T" * (MAX_TITLE_CHARS + 10),
        "source": "S" * (MAX_SOURCE_CHARS + 1),
        "authors": ["A" * (MAX_AUTHOR_CHARS + 5)] + [f"Author {i}" for i in range(MAX_AUTHORS + 10)],
        "url": "https://x.example/" + "u" * MAX_URL_CHARS,
        "text": "Body text.",
    })
    assert len(art.title) == MAX_TITLE_CHARS and art.title.endswith("…")
    assert len(art.source) == MAX_SOURCE_CHARS and art.source.endswith("…")
    assert len(art.authors) == MAX_AUTHORS
    assert len(art.authors[0]) == MAX_AUTHOR_CHARS and art.authors[0].endswith("…")
    assert art.url == ""
    assert art.id == content_id("Body text.")  # the dropped url gives no id
    with pytest.raises(ValueError, match="id is 201 characters long; the limit is 200"):
        article_from_dict({"id": "i" * (MAX_ID_CHARS + 1), "text": "Body text."})


def test_check_article_is_the_one_gate():
    art = Article(id="a", title="T" * 600, text="Body.")
    checked, problem = check_article(art)
    assert problem is None and len(checked.title) == MAX_TITLE_CHARS
    assert check_article(checked) == (checked, None)
    assert art.title == "T" * 600  # the input is not changed
    none, reason = check_article(Article(id="a", text="x" * (MAX_ARTICLE_CHARS + 1)))
    assert none is None and reason.startswith("article text is 1,000,001 characters")
    assert Loaded("o", skipped=reason).too_large


def test_article_text_over_the_cap_is_skipped_as_too_large(tmp_path):
    big = "word " * (MAX_ARTICLE_CHARS // 5 + 10)
    (tmp_path / "big.txt").write_text("A title\n" + big)
    (tmp_path / "big.md").write_text("# A title\n\n" + big)
    (tmp_path / "big.jsonl").write_text(json.dumps({"id": "big", "text": big}) + "\n")
    items = _items(tmp_path)
    assert len(items) == 3
    assert all(i.article is None and i.too_large and i.skipped.startswith("article text is") for i in items), items
    with pytest.raises(TooLarge):
        article_from_dict({"text": big})


def test_html_goes_through_the_caps_and_gets_a_file_or_url_id(tmp_path):
    from conftest import FIXTURES

    html = (FIXTURES / "article.html").read_text()
    long_title = html.replace("Rail strike ends after pay deal", "Rail strike " * 60)
    path = tmp_path / "page.html"
    path.write_text(long_title)
    (item,) = _items(path)
    assert len(item.article.title) == MAX_TITLE_CHARS and item.article.title.endswith("…")
    assert item.article.id == content_id("file:" + str(path.resolve()))
    canonical = '<link rel="canonical" href="https://ledger.example/rail">'
    path.write_text(html.replace("</head>", canonical + "</head>"))
    (item,) = _items(path)
    assert item.article.url == "https://ledger.example/rail"
    assert item.article.id == content_id("url:https://ledger.example/rail")


def test_upload_path_uses_the_caps_too(tmp_path):
    path = tmp_path / "upload.txt"
    path.write_text("T" * 900 + "\nBody of the uploaded article.")
    (item,) = list(load_file(path, name="upload.txt"))
    assert len(item.article.title) == MAX_TITLE_CHARS


# ---------------------------------------------------------------- 4. every file reported


def test_unsupported_files_in_a_folder_are_reported(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "report.rtf").write_bytes(b"{\\rtf1 report}")
    (tmp_path / "README").write_text("no suffix")
    (tmp_path / "a.md").write_text("# A\n\nAn article about rivers.")
    (tmp_path / ".hidden.pdf").write_bytes(b"x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("[core]")
    (tmp_path / ".git" / "note.md").write_text("# Not an article\n\nHidden.")
    items = _items(tmp_path)
    got = {str(i.origin).removeprefix(str(tmp_path) + "/"): i.skipped for i in items}
    assert got == {"README": "unsupported file type (none)", "a.md": None, "sub/report.rtf": "unsupported file type .rtf"}


# ---------------------------------------------------------------- 5. ids


def test_an_edited_file_keeps_its_id(tmp_path):
    path = tmp_path / "vote.md"
    path.write_text("# Vote\n\nThe council voted 340 to 12.")
    (first,) = _items(path)
    path.write_text("# Vote\n\nThe council voted 350 to 12.")
    (second,) = _items(path)
    assert first.article.id == second.article.id == content_id("file:" + str(path.resolve()))
    assert first.article.text != second.article.text
    txt = tmp_path / "vote.txt"
    txt.write_text("Vote\nThe council voted 340 to 12.")
    (a,) = _items(txt)
    txt.write_text("Vote\nThe council voted 350 to 12.")
    (b,) = _items(txt)
    assert a.article.id == b.article.id != first.article.id


def test_same_text_in_two_files_gives_two_ids(tmp_path):
    for name in ("one.txt", "two.txt"):
        (tmp_path / name).write_text("Same title\nThe same body text in both files.")
    ids = [i.article.id for i in _items(tmp_path)]
    assert len(ids) == 2 and ids[0] != ids[1]


def test_ids_given_in_content_or_by_url(tmp_path):
    (tmp_path / "given.md").write_text("---\nid: my-id\nurl: https://x.example/a\n---\nBody text.")
    (tmp_path / "url.md").write_text("---\nurl: https://x.example/b\n---\nBody text.")
    rows = [{"url": "https://x.example/c", "text": "Row with a url."}, {"text": "Row without a url."}, {"id": "r3", "url": "u", "text": "t"}]
    (tmp_path / "rows.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    ids = [i.article.id for i in _items(tmp_path)]
    assert ids == ["my-id", content_id("url:https://x.example/c"), content_id("Row without a url."), "r3",
                   content_id("url:https://x.example/b")]


def test_uploads_keep_text_ids(tmp_path):
    path = tmp_path / "0-upload.txt"
    path.write_text("Title\nAn uploaded article body.")
    (item,) = list(load_file(path, name="upload.txt"))
    assert item.article.id == content_id("An uploaded article body.")
    md = tmp_path / "0-upload.md"
    md.write_text("---\nurl: https://x.example/up\n---\nUploaded body.")
    (item,) = list(load_file(md, name="upload.md"))
    assert item.article.id == content_id("url:https://x.example/up")
