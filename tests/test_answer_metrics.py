"""Eval metrics of the answer stage and the confidence model's fitting (pure functions, no store)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from evals.answer_metrics import answer_stage, choice_correct, tradeoff
from evals.fit_confidence import cross_validated, fit_logistic, predict
from evals.metrics import BackendResult, QuestionRecord
from rag.confidence import FEATURES, MODEL_FILE, load_model


@pytest.mark.parametrize(
    "answer,choices,gold,expected",
    [
        ("Ukrainian forces pushed back the attack.", ["Ukraine", "Russia", "Poland"], "Ukraine", True),
        ("The French president spoke on Tuesday.", ["France", "Germany", "Italy"], "France", True),
        ("Kyiv said Russian troops advanced.", ["Ukraine", "Russia"], "Ukraine", False),  # names the wrong choice
        ("It was vetoed by the governor on Friday.", ["It was passed", "It was vetoed by the governor"], "It was vetoed by the governor", True),
        ("Nothing relevant here.", ["Cows", "Pigs"], "Cows", False),
        ("Both cows and pigs were infected.", ["Cows", "Pigs"], "Cows", False),  # a tie is not a choice
    ],
)
def test_choice_accuracy_names_the_gold_choice_best(answer, choices, gold, expected):
    assert choice_correct(answer, choices, gold) is expected


def _rec(i, gold, kind, correct, abstained, conf, fused=1, in_corpus=True):
    r = BackendResult(backend="extractive", correct=correct if gold else None, abstained=abstained, confidence=conf, answer_kind=kind)
    return QuestionRecord(id=str(i), question="q", gold=gold, in_corpus=in_corpus if gold else None,
                          retrieval={"fused": fused} if gold else {}, results={"extractive": r})


def test_answer_stage_breaks_down_by_kind_and_measures_efficiency():
    recs = [
        _rec(1, "Paris", "city", True, False, 0.9),
        _rec(2, "Lyon", "city", False, True, 0.1),
        _rec(3, "Acme", "org", True, False, 0.8),
        _rec(4, "Zed", "org", False, False, 0.6, fused=None),  # retrieval missed it
        _rec(5, None, None, None, True, 0.2),
        _rec(6, None, None, None, False, 0.7),
    ]
    st = answer_stage(recs, "extractive")
    assert st["by_kind"]["city"] == {"questions": 2, "accuracy": 0.5, "false_abstention": 0.5}
    assert st["by_kind"]["org"]["accuracy"] == 0.5
    assert st["fused_top5"] == 0.75 and st["efficiency"] == round(0.5 / 0.75, 4)
    at_half = next(p for p in st["tradeoff"] if p["threshold"] == 0.5)
    assert at_half == {"threshold": 0.5, "false_abstention": 0.25, "unanswerable_abstention": 0.5}


def test_short_answer_precision_counts_the_bold_answers_that_name_the_gold():
    """The bold short answer is what a reader takes in first: the report says how often one is shown and how often it
    names the gold answer (either way round: "Minneapolis" for "Minneapolis, Minnesota" counts)."""
    recs = [_rec(i, g, "city", True, False, 0.9) for i, g in enumerate(["Minneapolis, Minnesota", "Lyon", "Nice", "Metz"])]
    for rec, short in zip(recs, ["Minneapolis", "Paris", None, "Metz"]):
        rec.results["extractive"].short = short
    recs.append(_rec(9, None, None, None, False, 0.7))
    recs[-1].results["extractive"].short = "Rouen"  # unanswerable: not counted
    st = answer_stage(recs, "extractive")
    assert st["short_answers"] == 3 and st["short_precision"] == round(2 / 3, 4)


def test_evidence_table_says_where_each_gold_answer_sat_among_the_ranked_sentences():
    """An editor reads from it which stage lost a question: retrieval (no sentence holds the gold), sentence
    ranking (it sits below the answer's sentences) or the answer stage itself (it leads, yet no right answer)."""
    recs = [
        _rec(1, "Paris", "city", True, False, 0.9),
        _rec(2, "Lyon", "city", False, True, 0.1),
        _rec(3, "Acme", "org", True, False, 0.8),
        _rec(4, "Zed", "org", False, False, 0.6),
        _rec(5, "Nice", "city", False, False, 0.6),
        _rec(6, "Metz", "city", False, True, 0.2),
        _rec(7, "Rouen", "city", True, False, 0.9, in_corpus=False),  # gold nowhere in the corpus: not counted
        _rec(8, None, None, None, False, 0.7),  # unanswerable: not counted
    ]
    for rec, rank in zip(recs, [1, 1, 3, 7, 40, 0, 2]):
        rec.evidence_rank = rank
    ev = answer_stage(recs, "extractive")["evidence"]
    assert ev == {
        "1": {"right": 1, "wrong": 0, "abstained": 1},
        "2-3": {"right": 1, "wrong": 0, "abstained": 0},
        "4-10": {"right": 0, "wrong": 1, "abstained": 0},
        "11+": {"right": 0, "wrong": 1, "abstained": 0},
        "none": {"right": 0, "wrong": 0, "abstained": 1},
    }
    assert "evidence" not in answer_stage([_rec(1, "Paris", "city", True, False, 0.9)], "extractive")  # not measured


def test_tradeoff_moves_one_way_as_the_threshold_rises():
    rng = np.random.default_rng(1)
    curve = tradeoff(rng.random(60), rng.integers(0, 2, 60))
    fa = [p["false_abstention"] for p in curve]
    ua = [p["unanswerable_abstention"] for p in curve]
    assert fa == sorted(fa) and ua == sorted(ua)


def test_fitted_confidence_separates_and_keeps_weights_non_negative():
    rng = np.random.default_rng(0)
    n = 200
    y = (rng.random(n) < 0.5).astype(float)
    good = y + rng.normal(0, 0.5, n)  # informative
    bad = -y + rng.normal(0, 0.5, n)  # informative the wrong way: must get weight 0, never negative
    noise = rng.normal(0, 1, n)
    X = np.c_[good, bad, noise]
    params = fit_logistic(X, y)
    assert (params[2] >= 0).all() and params[2][0] > 0.5 and params[2][1] == 0.0
    cv = cross_validated(X, y)
    assert np.mean(cv[y == 1]) > np.mean(cv[y == 0]) + 0.2
    # far outside the fitted range the standardised feature is clipped: no runaway confidence
    assert predict(params, np.array([[1e6, 0, 0]]))[0] == pytest.approx(predict(params, np.array([[50, 0, 0]]))[0])


def test_the_shipped_model_file_matches_the_features_and_says_how_it_was_fitted():
    doc = json.loads(MODEL_FILE.read_text())
    assert doc["features"] == list(FEATURES)
    assert all(w >= 0 for w in doc["weights"])
    assert 0 < doc["threshold"] < 1 and doc["operating_point"]["false_abstention"] <= doc["max_false_abstention"]
    assert "evals.fit_confidence" in doc["command"]
    m = load_model()
    assert 0.0 <= m.predict([0.0] * len(FEATURES)) < m.predict([1.0] * len(FEATURES)) <= 1.0


def test_an_answer_the_other_sentences_repeat_is_more_confident_than_one_said_once():
    """The echo feature: the share of the next sentences naming the best sentence's span again (whole words)."""
    from types import SimpleNamespace as NS

    from rag.confidence import span_echo
    from rag.tuning import TOP_NAMES

    def ev(text, span=None):
        return NS(text=text, span=NS(text=span) if span else None)

    best = ev("Minneapolis is the latest city to see the operation.", "Minneapolis")
    echoed = [best, ev("Agents arrived in Minneapolis on Monday."), ev("The mayor of Minneapolis objected."), ev("Rain fell.")]
    once = [best, ev("Agents arrived on Monday."), ev("Minneapolis-St. Paul airport is nearby.".replace("Minneapolis", "Minneapolisx"))]
    assert span_echo(echoed) == pytest.approx(2 / (TOP_NAMES - 1))
    assert span_echo(once) == 0.0  # a longer word holding the name is no echo
    assert span_echo([ev("No span here."), ev("No span here.")]) == 0.0  # nothing asked for, nothing to echo
    assert span_echo([best]) == 0.0
    m = load_model()
    x = [0.5] * len(FEATURES)
    x[FEATURES.index("span_echo")] = 0.0
    x_echo = list(x)
    x_echo[FEATURES.index("span_echo")] = span_echo(echoed)
    assert m.predict(x_echo) > m.predict(x)


def test_refit_command_writes_a_model_with_its_curve(tmp_path, capsys):
    from evals.fit_confidence import main

    out = tmp_path / "model.json"
    assert main(["--dataset", str(Path(__file__).resolve().parent.parent / "evals" / "data" / "seed"), "--out-dir", str(tmp_path / "run"), "--write", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["features"] == list(FEATURES) and doc["questions"] == 16
    printed = capsys.readouterr().out
    assert "cross-validated AUC" in printed and "<- operating point" in printed
    assert load_model(str(out)).threshold == doc["threshold"]
    seed = str(Path(__file__).resolve().parent.parent / "evals" / "data" / "seed")
    capsys.readouterr()
    assert main(["--dataset", seed, "--out-dir", str(tmp_path / "run"), "--unanswerable-from", str(tmp_path / "none")]) == 2
    assert main(["--dataset", seed, "--out-dir", str(tmp_path / "run"), "--unanswerable-from", seed]) == 2
    err = capsys.readouterr().err
    assert "none is not a folder" in err and "is the dataset itself" in err  # a clear error, never a traceback


def test_every_tuned_number_is_in_one_module_and_recorded_by_eval():
    from rag import evidence, retrieve, timewords, tuning

    vals = tuning.values()
    assert {"W_TYPE", "RRF_K", "BOOST_EXPLICIT", "SUPPORT_THRESHOLD", "KEEP_TOP", "FULL_COVERAGE"} <= set(vals)
    # the modules read the same objects, not copies with other values
    assert evidence.W_TYPE == vals["W_TYPE"] and retrieve.RRF_K == vals["RRF_K"]
    assert timewords.RECENCY_DAYS == vals["RECENCY_DAYS"]


def test_a_number_written_as_a_word_is_the_same_answer():
    from evals.metrics import is_correct

    assert is_correct("Punxsutawney Phil saw his shadow, meaning six more weeks of winter [1]", "6")
    assert is_correct("It has 12 members.", "twelve")
    assert not is_correct("He was one of the first to arrive.", "1")  # "one" is mostly a pronoun
    assert not is_correct("six more weeks", "7")


def test_initials_with_or_without_periods_are_the_same_answer():
    """ "Washington D.C." answers "Washington, DC"; "U.S." is "US" — but "A. B." stays two words."""
    from evals.metrics import is_correct

    assert is_correct("The jet collided with a helicopter in Washington D.C. on Wednesday [1]", "Washington, DC")
    assert is_correct("The US-Mexico border was closed [1]", "U.S.-Mexico border")
    assert not is_correct("Washington said so [1]", "Washington, DC")
