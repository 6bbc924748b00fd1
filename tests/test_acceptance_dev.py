"""Acceptance: the seed mixed into the 1,054 articles of the dev set still answers "What does Russia demand?"."""

import pytest
from conftest import SEED, SHARED_DATA

from ingest.pipeline import ingest_paths
from rag.library import Library
from rag.models import is_verbatim
from rag.service import answer
from rag.settings import Settings

DEV = SHARED_DATA / "realtimeqa-dev" / "articles.jsonl"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not DEV.exists(), reason="../shared/data/realtimeqa-dev is not beside the repo"),
]


def test_russia_demands_among_the_dev_corpus(tmp_path_factory, embedder):
    lib = Library(Settings(data_dir=tmp_path_factory.mktemp("dev")), embedder)
    report = ingest_paths(lib, [str(DEV), str(SEED)])
    assert report.ingested == 1055 and not report.skipped
    ans = answer("What does Russia demand?", lib)
    assert not ans.abstained
    cited = [c for c in ans.citations if "a bar on NATO membership for Ukraine" in c.quote]
    assert cited, ans.text
    c = cited[0]
    assert c.title == "Senior Russian diplomat says Moscow also needs security guarantees"
    assert is_verbatim(lib.store.get_article(c.article_id).text, c)
    assert f"[{c.n}]" in ans.text
