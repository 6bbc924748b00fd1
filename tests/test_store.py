"""The store, embedded and against a real Chroma server: idempotent ingest, replacement, delete, model mismatch."""

import json

import pytest
from conftest import FIXTURES, SEED

from ingest.loaders import Loaded
from ingest.pipeline import ingest_items, ingest_paths
from ingest.store import StoreError
from rag.library import Library
from rag.models import Article


class CountingEmbedder:
    """The real local model, counting how many texts it embeds."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.calls = 0
        self.texts = 0

    def embed(self, texts):
        self.calls += 1
        self.texts += len(texts)
        return self.inner.embed(texts)


def _article(id_, text, **kw):
    return Loaded(origin=f"mem:{id_}", article=Article(id=id_, text=text, title=kw.get("title", id_), source=kw.get("source", "s")))


def test_ingest_is_idempotent_and_skips_embedding(store_settings, embedder):
    emb = CountingEmbedder(embedder)
    lib = Library(store_settings, emb)
    first = ingest_paths(lib, [str(SEED), str(FIXTURES / "article.md")])
    assert len(first.added) == 2 and first.chunks > 0
    n_articles, n_chunks = lib.store.count()
    assert (n_articles, n_chunks) == (2, first.chunks)
    embedded = emb.texts

    again = ingest_paths(lib, [str(SEED), str(FIXTURES / "article.md")])
    assert again.added == [] and len(again.unchanged) == 2
    assert emb.texts == embedded, "unchanged articles must not be embedded again"
    assert lib.store.count() == (n_articles, n_chunks)


def test_changed_text_replaces_old_chunks(store_settings, embedder):
    lib = Library(store_settings, embedder)
    long_text = " ".join(f"Paragraph {i} tells of the river festival and its boats." for i in range(120))
    ingest_items(lib, [_article("x", long_text)])
    before = lib.store.count()[1]
    assert before > 1
    report = ingest_items(lib, [_article("x", "Now a short text about the festival.")])
    assert report.updated == ["x"]
    assert lib.store.count() == (1, 1)
    assert lib.store.get_article("x").text == "Now a short text about the festival."
    # the lexical index forgot the old chunks too
    assert len(lib.lexical()) == 1
    assert len(lib.lexical().search("paragraph river boats festival", 10)) == 1


def test_two_files_with_one_text_are_two_articles_cited_once(store_settings, embedder, tmp_path):
    """A file is its own article (keyed by its path); the syndicated copy never crowds an answer."""
    from rag.service import answer

    lib = Library(store_settings, embedder)
    copy = tmp_path / "copy-of-seed.txt"
    copy.write_bytes(SEED.read_bytes())
    report = ingest_paths(lib, [str(SEED), str(copy)])
    assert len(report.added) == 2 and lib.store.count()[0] == 2
    again = ingest_paths(lib, [str(SEED), str(copy)])
    assert len(again.unchanged) == 2 and not again.added
    quotes = [c.quote for c in answer("What does Russia demand?", lib).citations]
    assert len(quotes) == len(set(quotes))


def test_duplicate_id_with_different_text_is_skipped(store_settings, embedder):
    lib = Library(store_settings, embedder)
    report = ingest_items(lib, [_article("d", "One text about ports."), _article("d", "Another text about trains.")])
    assert report.added == ["d"]
    assert "different text" in report.skipped[0][1]
    assert lib.store.get_article("d").text == "One text about ports."


def test_delete_removes_article_chunks_and_lexical_rows(store_settings, embedder):
    lib = Library(store_settings, embedder)
    ingest_items(lib, [_article("a", "Ferries to Belle start in June."), _article("b", "Trains to Northport stop in May.")])
    assert lib.delete(["a", "nope"]) == ["a"]
    assert lib.store.count() == (1, 1)
    assert lib.store.get_article("a") is None
    assert lib.lexical().search("ferries Belle", 5) == []
    hits = [c for c, *_ in lib.lexical().search("trains Northport", 5)]
    assert len(hits) == 1 and hits[0].startswith("b:")  # chunk ids are <article>:<version>:<n>


def test_citation_context_is_stored(store_settings, embedder):
    lib = Library(store_settings, embedder)
    ingest_paths(lib, [str(SEED)])
    info = lib.store.list_articles()[0]
    art = lib.store.get_article(info.id)
    assert art.title.startswith("Senior Russian diplomat") and art.published == "2026-02-09"
    for cid, text, meta in lib.store.iter_chunks():
        assert art.text[meta["start"] : meta["end"]] == text


def test_other_embedding_model_is_a_clear_error(settings, embedder):
    lib = Library(settings, embedder)
    ingest_paths(lib, [str(SEED)])

    class Other:
        name = "openai:text-embedding-3-small"

        def embed(self, texts):  # pragma: no cover - never reached
            raise AssertionError

    with pytest.raises(StoreError, match="vectors were made by"):
        Library(settings, Other())


def test_lexical_index_is_shared_with_a_new_process_and_rebuilt_when_out_of_step(settings, embedder):
    lib = Library(settings, embedder)
    ingest_paths(lib, [str(SEED)])
    fresh = Library(settings, embedder)  # another process: opens the index on disk, no rebuild needed
    assert fresh.lexical().generation == lib.store.generation()
    hits = fresh.lexical().search("NATO membership Ukraine", 3)
    assert hits and hits[0][0].startswith(lib.store.list_articles()[0].id)
    ingest_items(lib, [_article("z", "Ferries to Belle start in June.")])  # the first process writes
    assert fresh.lexical().search("ferries Belle", 3)[0][0].startswith("z:")  # … and the second sees it
    # an index that lags the store (a writer killed between its store write and its index commit) is rebuilt
    (fresh.lexical_path / "generation").write_text("1")
    again = Library(settings, embedder)
    assert len(again.lexical()) == lib.store.count()[1] and again.lexical().generation == lib.store.generation()


def test_cli_commands(settings, monkeypatch, capsys):
    from newsqa import cli

    monkeypatch.setenv("NEWSQA_DATA_DIR", str(settings.data_dir))
    from rag.settings import get_settings

    get_settings.cache_clear()
    try:
        assert cli.main(["ingest", "--json", str(SEED), str(FIXTURES / "empty.txt")]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["added"] == 1 and out["skipped"][0]["reason"] == "empty file"
        assert cli.main(["list"]) == 0
        listing = capsys.readouterr().out
        assert "Senior Russian diplomat" in listing and "2026-02-09" in listing
        aid = listing.split()[0]
        assert cli.main(["show", aid]) == 0
        assert "a bar on NATO membership" in capsys.readouterr().out
        assert cli.main(["stats", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["articles"] == 1
        assert cli.main(["ingest", str(FIXTURES / "empty.txt")]) == 1  # nothing could be ingested
        capsys.readouterr()
        assert cli.main(["delete", aid]) == 0
        assert cli.main(["show", aid]) == 1
    finally:
        get_settings.cache_clear()


def test_recent_keeps_the_most_recently_used_entries():
    from ingest.recent import Recent

    r: Recent[str, int] = Recent(2)
    r.update({"a": 1, "b": 2})
    assert r.get("a") == 1  # "a" is now the most recent: adding "c" drops "b"
    r.put("c", 3)
    assert r.pick(["a", "b", "c"]) == {"a": 1, "c": 3} and len(r) == 2
    asked = []
    got = r.through(["a", "d", "e"], lambda keys: asked.extend(keys) or {"d": 4})  # "e" is nowhere
    assert asked == ["d", "e"] and got == {"a": 1, "d": 4} and r.get("d") == 4
