"""newsqa eval: metrics on hand-made records, dataset loading, the gate, and real runs through the CLI."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from evals.dataset import DatasetError, load_dataset
from evals.gate import GateError, check_gate, load_thresholds
from evals.metrics import (
    BackendResult,
    CitationCheck,
    QuestionRecord,
    accuracy_at,
    backend_metrics,
    first_hit_rank,
    flatten,
    is_correct,
    mrr,
    retrieval_metrics,
    summarise,
)

ROOT = Path(__file__).resolve().parent.parent
SEED_SET = ROOT / "evals" / "data" / "seed"
DEV_SLICE = ROOT / "evals" / "data" / "dev-slice"
THRESHOLDS = ROOT / "evals" / "thresholds.toml"


def cite(valid: bool = True) -> CitationCheck:
    return CitationCheck(n=1, article_id="a", quote="q", start=0, end=1, valid=valid)


def result(abstained=False, correct=None, citations=(), sentences=1, supported=1, total_ms=10.0, facts=()) -> BackendResult:
    return BackendResult(
        backend="extractive", abstained=abstained, correct=correct, citations=list(citations),
        sentences=0 if abstained else sentences, supported_sentences=0 if abstained else supported,
        total_ms=total_ms, retrieve_ms=total_ms / 2, answer_ms=total_ms / 2, must_contain_found=list(facts),
    )


def record(qid, gold, ranks=None, res=None) -> QuestionRecord:
    return QuestionRecord(
        id=qid, question=f"question {qid}?", gold=gold, retrieval=ranks or {},
        retrieval_ms={m: 5.0 for m in (ranks or {})}, results={"extractive": res} if res else {},
    )


# ------------------------------------------------------------------ metrics


def test_accuracy_at_k_and_mrr():
    ranks = [1, 2, None, 5]
    assert accuracy_at(ranks, 1) == 0.25
    assert accuracy_at(ranks, 3) == 0.5
    assert accuracy_at(ranks, 5) == 0.75
    assert mrr(ranks) == pytest.approx((1 + 0.5 + 0 + 0.2) / 4, abs=1e-4)
    assert accuracy_at([], 1) is None and mrr([]) is None


def test_first_hit_rank_is_whole_word_and_case_insensitive():
    chunks = ["The vote was won by Johnsonville.", "Mike JOHNSON won the vote, narrowly."]
    assert first_hit_rank(chunks, "Mike Johnson") == 2
    assert first_hit_rank(chunks, "Johnson") == 2  # not a hit inside "Johnsonville"
    assert first_hit_rank(chunks, "Kevin McCarthy") is None


def test_answer_correctness_ignores_citation_markers():
    assert is_correct("Prices rose 3% in March [1].", "3%")
    assert not is_correct("Prices rose in March [3].", "3")
    assert is_correct("It was vetoed by the Governor. [2]", "it was vetoed by the governor")


def test_retrieval_metrics_per_method_on_answerable_questions_only():
    recs = [
        record("1", "a", {"fused": 1, "bm25": 2, "dense": None}),
        record("2", "b", {"fused": 3, "bm25": None, "dense": 1}),
        record("u", None),  # unanswerable: no retrieval rank
    ]
    m = retrieval_metrics(recs, depth=10)
    assert m["fused"]["top1"] == 0.5 and m["fused"]["top3"] == 1.0
    assert m["fused"]["mrr"] == pytest.approx((1 + 1 / 3) / 2, abs=1e-4)
    assert m["bm25"]["top1"] == 0.0 and m["bm25"]["top3"] == 0.5
    assert m["dense"]["curve"][0] == 0.5 and len(m["dense"]["curve"]) == 10


def test_backend_metrics_answers_abstention_support_and_latency():
    recs = [
        record("1", "x", res=result(correct=True, citations=[cite()], facts=[True, False])),
        record("2", "y", res=result(correct=False, citations=[cite()], sentences=2, supported=1)),
        record("3", "z", res=result(abstained=True, correct=False)),
        record("u1", None, res=result(abstained=True)),
        record("u2", None, res=result(citations=[cite()], total_ms=100.0)),
    ]
    m = backend_metrics(recs, "extractive")
    assert m["answer_accuracy"] == pytest.approx(1 / 3, abs=1e-3)
    assert m["precision_when_answered"] == 0.5
    assert m["must_contain"] == 0.5
    assert m["false_abstention"] == pytest.approx(1 / 3, abs=1e-3)
    assert m["abstention_unanswerable"] == 0.5
    assert m["support"] == 0.75  # 3 of the 4 sentences of non-abstained answers
    assert m["citation_validity"] == 1.0 and m["invalid_citations"] == 0
    assert m["latency_ms"]["total"]["p50"] == 10.0 and m["latency_ms"]["total"]["p95"] > 50


def test_one_invalid_citation_drops_validity_below_one_and_is_a_failure():
    bad = record("1", "x", res=result(correct=True, citations=[cite(), cite(valid=False)]))
    m = backend_metrics([bad], "extractive")
    assert m["citation_validity"] == 0.5 and m["invalid_citations"] == 1
    assert any("INVALID CITATION" in f for f in bad.failures())


def test_failures_name_what_went_wrong():
    assert record("1", "x", {"fused": 1}, result(correct=True, citations=[cite()])).failures() == []
    assert "extractive: abstained" in record("2", "x", {"fused": 1}, result(abstained=True)).failures()
    assert "extractive: answered an unanswerable question" in record("u", None, res=result()).failures()
    assert "fused retrieval missed the answer" in record("3", "x", {"fused": None}, result(correct=True)).failures()


def test_flatten_gives_dotted_gate_names():
    recs = [record("1", "a", {"fused": 1, "bm25": 1, "dense": 2}, result(correct=True))]
    flat = flatten(summarise(recs, ["extractive"]))
    assert flat["retrieval.fused.top1"] == 1.0
    assert flat["retrieval.dense.mrr"] == 0.5
    assert flat["extractive.answer_accuracy"] == 1.0
    assert "extractive.latency_ms.total.p95" in flat
    assert not any("curve" in k for k in flat)


# ------------------------------------------------------------------ datasets


def test_questions_are_split_by_whether_a_recent_article_holds_their_answer(tmp_path):
    """ "In corpus" also counts a name an old story happens to mention: the report separates the questions whose
    answer is in an article of the 30 days before them, and gives their retrieval and accuracy."""
    from evals.report import markdown_summary
    from evals.gold import recent_gold

    arts = [
        {"id": "new", "title": "Tour", "text": "Beyonce closed her tour with Jay-Z on Sunday.", "published": "2025-07-25"},
        {"id": "old", "title": "Old", "text": "Ronaldo scored twice in the 2022 World Cup.", "published": "2022-12-10"},
        {"id": "late", "title": "Later", "text": "Paris hosted the summit in March.", "published": "2025-08-20"},
    ]
    (tmp_path / "articles.jsonl").write_text("\n".join(json.dumps(a) for a in arts) + "\n")
    qs = [
        {"id": "q1", "question": "Who joined Beyonce on stage?", "answer": "Jay-Z", "date": "2025-07-28"},
        {"id": "q2", "question": "Which star turned 40?", "answer": "Ronaldo", "date": "2025-02-07"},
        {"id": "q3", "question": "Where was the summit?", "answer": "Paris", "date": "2025-08-01"},  # only later
        {"id": "q4", "question": "Who joined Beyonce?", "answer": "Jay-Z"},  # no date: unknown
    ]
    (tmp_path / "questions.jsonl").write_text("\n".join(json.dumps(q) for q in qs) + "\n")
    assert recent_gold(load_dataset(tmp_path)) == {"q1": True, "q2": False, "q3": False}

    recs = [record("q1", "Jay-Z", {"fused": 1, "bm25": 1, "dense": 1}, result(correct=True)),
            record("q2", "Ronaldo", {"fused": 3, "bm25": None, "dense": 3}, result(correct=False))]
    recs[0].recent_gold, recs[1].recent_gold = True, False
    m = summarise(recs, ["extractive"])
    assert m["recent_gold"]["questions"] == 1 and m["recent_gold"]["answer_accuracy"]["extractive"] == 1.0
    assert m["recent_gold"]["retrieval"]["fused"]["top1"] == 1.0
    res = {"dataset": "d", "created": "now", "seconds": 1.0, "metrics": m, "records": [r.model_dump() for r in recs],
           "config": {"k": 8, "retrieval_depth": 10, "embedding_model": "m", "backends": ["extractive"]}}
    assert "The 1 questions whose gold answer is in an article of the 30 days before" in markdown_summary(res)


def test_questions_are_split_by_whether_the_corpus_states_their_answer(tmp_path):
    """A question is "in corpus" when its gold string occurs anywhere; the report also counts the questions whose
    answer a sentence states with some of the question's words, up to the question's date: Ronaldo in a World Cup
    story does not state who turned 40, nor does a later story answer an earlier question."""
    from evals.gold import stated_gold
    from evals.report import markdown_summary

    arts = [
        {"id": "tour", "title": "Tour", "text": "It rained. Beyonce closed her tour with Jay-Z on stage on Sunday.",
         "published": "2025-07-25"},
        {"id": "cup", "title": "Cup", "text": "Ronaldo scored twice in the 2022 World Cup.", "published": "2022-12-10"},
        {"id": "later", "title": "Later", "text": "The summit was held in Paris in August.", "published": "2025-08-20"},
        {"id": "nodate", "title": "Birthday", "text": "Messi turned 40 on Tuesday, and the star celebrated."},
    ]
    (tmp_path / "articles.jsonl").write_text("\n".join(json.dumps(a) for a in arts) + "\n")
    qs = [
        {"id": "q1", "question": "Who joined Beyonce on stage?", "answer": "Jay-Z", "date": "2025-07-28"},
        {"id": "q2", "question": "Which star turned 40?", "answer": "Ronaldo", "date": "2025-02-07"},
        {"id": "q3", "question": "Where was the summit held?", "answer": "Paris", "date": "2025-08-01"},
        {"id": "q4", "question": "Which football star turned 40?", "answer": "Messi"},  # undated article counts
    ]
    (tmp_path / "questions.jsonl").write_text("\n".join(json.dumps(q) for q in qs) + "\n")
    assert stated_gold(load_dataset(tmp_path)) == {"q1": True, "q2": False, "q3": False, "q4": True}

    recs = [record("q1", "Jay-Z", {"fused": 1, "bm25": 1, "dense": 1}, result(correct=True)),
            record("q2", "Ronaldo", {"fused": 3, "bm25": None, "dense": 3}, result(correct=False))]
    recs[0].stated_gold, recs[1].stated_gold = True, False
    m = summarise(recs, ["extractive"])
    assert m["stated_gold"]["questions"] == 1 and m["stated_gold"]["false_abstention"]["extractive"] == 0.0
    res = {"dataset": "d", "created": "now", "seconds": 1.0, "metrics": m, "records": [r.model_dump() for r in recs],
           "config": {"k": 8, "retrieval_depth": 10, "embedding_model": "m", "backends": ["extractive"]}}
    assert "The 1 questions whose gold answer a sentence of the corpus" in markdown_summary(res)


def test_repo_datasets_load():
    seed = load_dataset(SEED_SET)
    assert seed.name == "seed" and len(seed.questions) >= 8 and len(seed.unanswerable) >= 5
    demand = next(q for q in seed.questions if q.question == "What does Russia demand?")
    assert demand.must_contain
    dev = load_dataset(DEV_SLICE)
    assert dev.corpus.name == "articles.jsonl.gz"
    assert len(dev.questions) >= 30 and len(dev.unanswerable) >= 20
    assert all(q.answer is None for q in dev.unanswerable)
    size = sum(f.stat().st_size for f in DEV_SLICE.iterdir())
    assert size < 1_000_000
    assert len(dev.limited(5).questions) == 5 and len(dev.limited(5).unanswerable) == 5


def _small_set(folder: Path, articles: list[dict], questions: list[dict], unanswerable: list[dict] = ()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "articles.jsonl").write_text("".join(json.dumps(a) + "\n" for a in articles))
    (folder / "questions.jsonl").write_text("".join(json.dumps(q) + "\n" for q in questions))
    if unanswerable:
        (folder / "unanswerable.jsonl").write_text("".join(json.dumps(q) + "\n" for q in unanswerable))
    return folder


def test_another_sets_questions_are_unanswerable_where_this_corpus_never_names_their_answer(tmp_path):
    """Questions of other weeks whose gold this corpus never mentions measure abstention on far more questions than
    a folder ships (how the dev set's unanswerable.jsonl was made); a gold the corpus names is left out."""
    here = load_dataset(_small_set(tmp_path / "here", [{"id": "a", "title": "Summit", "text": "Paris hosted the summit."}],
                                   [{"id": "q", "question": "Where was the summit?", "answer": "Paris"}]))
    other = load_dataset(_small_set(
        tmp_path / "other", [{"id": "b", "text": "Beyonce closed her tour with Jay-Z."}],
        [{"id": "q1", "question": "Which city hosted the summit?", "answer": "paris", "date": "2025-03-01"},
         {"id": "q2", "question": "Who joined Beyonce on stage?", "answer": "Jay-Z", "date": "2025-07-28"}],
        [{"id": "u1", "question": "Who won?", "note": "gold unknown"}],
    ))
    got = here.borrowed_unanswerable(other)
    assert [(q.id, q.answer, q.date, q.answerable) for q in got] == [("other:q2", None, "2025-07-28", False)]


def test_eval_asks_borrowed_unanswerable_questions_and_refuses_a_missing_set(tmp_path, capsys):
    from newsqa.cli import main

    other = _small_set(tmp_path / "other", [{"id": "b", "text": "Beyonce closed her tour with Jay-Z."}],
                       [{"id": "q2", "question": "Who joined Beyonce on stage on Sunday?", "answer": "Jay-Z"}])
    out = tmp_path / "out"
    assert main(["eval", "--dataset", str(SEED_SET), "--out", str(out), "--backend", "extractive", "--no-progress",
                 "--unanswerable-from", str(other)]) == 0
    res = json.loads((out / "results.json").read_text())
    assert res["metrics"]["unanswerable"] == len(load_dataset(SEED_SET).unanswerable) + 1
    borrowed = next(r for r in res["records"] if r["id"] == "other:q2")
    assert borrowed["gold"] is None and borrowed["results"]["extractive"]["abstained"] is True
    capsys.readouterr()
    assert main(["eval", "--dataset", str(SEED_SET), "--out", str(out), "--unanswerable-from", str(tmp_path / "nope")]) == 2
    assert "nope is not a folder" in capsys.readouterr().err
    assert main(["eval", "--dataset", str(SEED_SET), "--out", str(out), "--unanswerable-from", str(SEED_SET)]) == 2
    assert "the evaluated dataset itself" in capsys.readouterr().err


def test_dataset_errors_say_what_is_wrong(tmp_path):
    with pytest.raises(DatasetError, match="articles.jsonl"):
        load_dataset(tmp_path)
    with gzip.open(tmp_path / "articles.jsonl.gz", "wt") as f:
        f.write(json.dumps({"id": "a", "text": "Some text."}) + "\n")
    with pytest.raises(DatasetError, match="neither"):
        load_dataset(tmp_path)
    (tmp_path / "questions.jsonl").write_text('{"id": "q1", "question": "Who?"}\n')
    with pytest.raises(DatasetError, match="no gold answer"):
        load_dataset(tmp_path)
    (tmp_path / "questions.jsonl").write_text('{"id": "q1", "question": "Who?", "answer": "Ann"}\n')
    (tmp_path / "unanswerable.jsonl").write_text('{"id": "q1", "question": "When?", "note": "elsewhere"}\n')
    with pytest.raises(DatasetError, match="used twice"):
        load_dataset(tmp_path)


# ------------------------------------------------------------------ gate


def test_gate_minimums_and_maximums(tmp_path):
    f = tmp_path / "t.toml"
    f.write_text('[seed.min]\n"retrieval.fused.top5" = 0.8\n"llm.answer_accuracy" = 0.1\n[seed.max]\n"extractive.false_abstention" = 0.2\n')
    th = load_thresholds(f, "seed")
    checks, skipped = check_gate({"retrieval.fused.top5": 0.9, "extractive.false_abstention": 0.3}, th, ["extractive"])
    assert skipped == ["llm.answer_accuracy"]  # llm was not evaluated
    status = {c.metric: c.passed for c in checks}
    assert status == {"retrieval.fused.top5": True, "extractive.false_abstention": False}
    checks, _ = check_gate({}, th, ["extractive"])
    assert not any(c.passed for c in checks)  # a metric that was not measured fails
    with pytest.raises(GateError, match="no thresholds"):
        load_thresholds(f, "other")


def test_shipped_thresholds_cover_the_ci_datasets():
    for name in ("seed", "dev-slice"):
        th = load_thresholds(THRESHOLDS, name)
        assert th["min"]["extractive.citation_validity"] == 1.0
        assert "retrieval.fused.top5" in th["min"]


# ------------------------------------------------------------------ citation check against a real store


def test_citation_checker_catches_a_quote_not_at_its_offsets(seed_library):
    from evals.runner import CitationChecker
    from rag.models import Answer, Citation
    from rag.service import answer

    good = answer("What does Russia demand?", seed_library, backend="extractive")
    checker = CitationChecker(seed_library)
    assert good.citations and all(c.valid for c in checker.check(good))
    c = good.citations[0]
    shifted = Citation(**(c.model_dump() | {"start": c.start + 1, "end": c.end + 1}))
    missing = Citation(**(c.model_dump() | {"article_id": "no-such-article"}))
    bad = Answer(question="q", text="t", citations=[shifted, missing])
    assert [x.valid for x in checker.check(bad)] == [False, False]


# ------------------------------------------------------------------ real runs through the CLI


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    """One real extractive evaluation of the seed set through ``newsqa eval``, gated by the shipped thresholds."""
    from newsqa.cli import main

    out = tmp_path_factory.mktemp("eval-seed")
    code = main(["eval", "--dataset", str(SEED_SET), "--out", str(out), "--backend", "extractive",
                 "--gate", str(THRESHOLDS), "--no-progress"])
    return code, out


def test_seed_run_passes_the_gate_and_writes_reports(seed_run):
    code, out = seed_run
    assert code == 0
    res = json.loads((out / "results.json").read_text())
    assert res["gate"]["passed"] is True
    m = res["metrics"]
    assert m["questions"] == len(load_dataset(SEED_SET).questions)
    assert set(m["retrieval"]) == {"fused", "bm25", "dense"}
    assert m["backends"]["extractive"]["citation_validity"] == 1.0
    assert len(res["records"]) == m["questions"] + m["unanswerable"]
    demand = next(r for r in res["records"] if r["question"] == "What does Russia demand?")
    assert demand["results"]["extractive"]["correct"] is True
    assert all(demand["results"]["extractive"]["must_contain_found"])
    assert demand["evidence_rank"] == 1  # the NATO sentence leads the ranked evidence
    assert "| fused |" in (out / "summary.md").read_text()
    html = (out / "report.html").read_text()
    # accuracy@k, latency, abstention, and the abstention trade-off over the confidence threshold
    assert html.count("data:image/png;base64,") == 4 and "alt='tradeoff'" in html
    assert "## Answer stage: extractive" in (out / "summary.md").read_text() and "Choice accuracy" in html
    assert "| gold answer's sentence rank | right | wrong | abstained |" in (out / "summary.md").read_text()
    assert "gold answer&#x27;s sentence rank" in html or "gold answer's sentence rank" in html
    assert "What does Russia demand?" in html


def test_gate_fails_with_impossible_thresholds_and_says_which(seed_run, tmp_path, capsys):
    from newsqa.cli import main

    _, out = seed_run  # same out folder: the store is reused, nothing is ingested again
    strict = tmp_path / "strict.toml"
    strict.write_text('[seed.min]\n"retrieval.fused.top1" = 1.01\n"extractive.answer_accuracy" = 0.0\n')
    code = main(["eval", "--dataset", str(SEED_SET), "--out", str(out), "--backend", "extractive",
                 "--gate", str(strict), "--no-progress", "--limit", "3"])
    assert code == 1
    err = capsys.readouterr().err
    assert "FAIL retrieval.fused.top1" in err
    assert "extractive.answer_accuracy" not in err  # that one passed
    res = json.loads((out / "results.json").read_text())
    assert res["ingest"]["added"] == 0 and res["ingest"]["unchanged"] == 1


def test_usage_errors_exit_2(tmp_path):
    from newsqa.cli import main

    assert main(["eval", "--dataset", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert main(["eval", "--dataset", str(SEED_SET), "--gate", str(tmp_path / "none.toml"), "--out", str(tmp_path / "o")]) == 2


def test_report_escapes_article_and_answer_text():
    from evals.report import html_report

    rec = record("x<1>", "<b>gold</b>", {"fused": 1, "bm25": 1, "dense": 1},
                 result(correct=False, citations=[CitationCheck(n=1, article_id="a", title="<i>t</i>", quote="<script>alert(1)</script>", start=0, end=5, valid=False)]))
    rec.results["extractive"].text = "<img src=x onerror=alert(2)>"
    res = {
        "dataset": "<ds>", "created": "now", "seconds": 1.0,
        "config": {"k": 8, "retrieval_depth": 10, "embedding_model": "m", "backends": ["extractive"]},
        "metrics": summarise([rec], ["extractive"]), "records": [rec.model_dump()],
    }
    html = html_report(res, ["FAIL <x>"])
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>gold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "INVALID" in html


@pytest.mark.slow
def test_dev_slice_passes_the_shipped_gate(tmp_path):
    """What CI runs: the dev slice (about 70 articles, 65 questions) gated by evals/thresholds.toml."""
    from newsqa.cli import main

    code = main(["eval", "--dataset", str(DEV_SLICE), "--out", str(tmp_path), "--backend", "extractive",
                 "--gate", str(THRESHOLDS), "--no-progress"])
    res = json.loads((tmp_path / "results.json").read_text())
    assert code == 0, res["gate"]["lines"]
    assert res["metrics"]["backends"]["extractive"]["citation_validity"] == 1.0


# ------------------------------------------------------------------ ALCE-style judge


@pytest.fixture
def fake_judge_url():
    """A loopback OpenAI-compatible chat endpoint that says 'yes' when the claim is quoted in the premise."""
    import re
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            m = re.search(r"Premise:\n(.*)\n\nClaim:\n(.*)\n\nDoes", body["messages"][-1]["content"], re.S)
            reply = "Yes." if m and m.group(2) in m.group(1) else "No."
            data = json.dumps({"choices": [{"index": 0, "message": {"role": "assistant", "content": reply}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()


def test_judge_citation_recall_and_precision(fake_judge_url):
    from evals.judge import Judge
    from rag.models import Answer, AnswerSentence, Citation

    def c(n, quote):
        return Citation(n=n, article_id="a", quote=quote, start=0, end=len(quote))

    ans = Answer(
        question="q",
        text="t",
        citations=[c(1, "Russia wants guarantees."), c(2, "Talks were held in Abu Dhabi."), c(3, "Unrelated.")],
        sentences=[
            AnswerSentence(text="Russia wants guarantees.", citations=[1]),
            AnswerSentence(text="Talks were held in Abu Dhabi.", citations=[1, 2]),  # [1] is not needed
            AnswerSentence(text="A deal was signed.", citations=[3]),  # not supported
        ],
    )
    recall, precision = Judge(fake_judge_url).score(ans)
    assert recall == pytest.approx(2 / 3)
    assert precision == pytest.approx(2 / 4)


def test_eval_with_a_judge_reports_alce_metrics(seed_run, fake_judge_url, tmp_path):
    from newsqa.cli import main

    _, out = seed_run
    code = main(["eval", "--dataset", str(SEED_SET), "--out", str(out), "--backend", "extractive",
                 "--limit", "2", "--judge-url", fake_judge_url, "--no-progress"])
    assert code == 0
    m = json.loads((out / "results.json").read_text())["metrics"]["backends"]["extractive"]
    # Extractive answers quote their sources verbatim: the judge finds every sentence supported.
    assert m["judge_citation_recall"] == 1.0 and m["judge_citation_precision"] == 1.0
    assert "citation recall" in (out / "summary.md").read_text()


def test_questions_whose_answer_is_not_in_the_corpus_are_also_reported_apart():
    recs = [
        record("1", "a", {"fused": 1}, result(correct=True)),
        record("2", "b", {"fused": None}, result(abstained=True, correct=False)),
    ]
    recs[0].in_corpus, recs[1].in_corpus = True, False
    m = summarise(recs, ["extractive"])
    assert m["backends"]["extractive"]["answer_accuracy"] == 0.5
    assert m["in_corpus"]["questions"] == 1
    assert m["in_corpus"]["answer_accuracy"]["extractive"] == 1.0
    assert m["in_corpus"]["retrieval"]["fused"]["top1"] == 1.0
    assert "in_corpus" not in summarise(recs[:1], ["extractive"])
    # the gate can hold false abstention over these questions alone: abstaining on an answer nowhere is no fault
    flat = flatten(m)
    assert flat["extractive.false_abstention"] == 0.5
    assert flat["extractive.in_corpus.false_abstention"] == 0.0
    assert flat["extractive.in_corpus.answer_accuracy"] == 1.0
    assert "extractive.in_corpus.false_abstention" not in flatten(summarise(recs[:1], ["extractive"]))


def test_bench_load_reads_a_gzipped_corpus_and_refuses_a_missing_one(tmp_path, capsys):
    """The scale corpus ships as articles.jsonl.gz: the load benchmark reads it; a folder without the dataset is
    one line on stderr and exit 2, not a traceback."""
    import gzip
    import json

    from evals.bench_load import main, read_jsonl

    with gzip.open(tmp_path / "articles.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "a", "text": "x"}) + "\n")
    assert read_jsonl(tmp_path / "articles.jsonl") == [{"id": "a", "text": "x"}]
    assert main(["--url", "http://127.0.0.1:9", "--data", str(tmp_path / "nothing"), "--ingest-more", "0"]) == 2
    err = capsys.readouterr().err
    assert "cannot read the dataset" in err and "Traceback" not in err
