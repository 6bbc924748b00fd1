"""Reports of a results document: a Markdown summary and a self-contained HTML page with embedded plots."""

from __future__ import annotations

import base64
import io
from html import escape

from .gold import STATED_TERMS
from .metrics import RECENT_DAYS, TOP_KS, QuestionRecord


def _fmt(v, pct: bool = True) -> str:
    if v is None:
        return "–"
    if isinstance(v, float) and pct:
        return f"{v * 100:.1f}%"
    return f"{v}"


def _ms(v) -> str:
    return "–" if v is None else f"{v:.0f}"


def retrieval_rows(results: dict) -> list[list[str]]:
    rows = []
    for m, d in results["metrics"]["retrieval"].items():
        rows.append([m] + [_fmt(d.get(f"top{k}")) for k in TOP_KS] + [_fmt(d["mrr"], pct=False), _ms(d["latency_ms"]["p50"]), _ms(d["latency_ms"]["p95"])])
    return rows


RETRIEVAL_HEAD = ["method"] + [f"top-{k}" for k in TOP_KS] + ["MRR", "p50 ms", "p95 ms"]
ANSWER_HEAD = [
    "backend", "answer acc.", "acc. when answered", "must_contain", "citation validity", "support",
    "abstain (unanswerable)", "false abstain", "fallbacks", "retrieve p50/p95 ms", "answer p50/p95 ms", "total p50/p95 ms",
    "first token p50/p95 ms",
]


def answer_rows(results: dict) -> list[list[str]]:
    rows = []
    for b, d in results["metrics"]["backends"].items():
        lat = d["latency_ms"]
        row = [
            b, _fmt(d["answer_accuracy"]), _fmt(d["precision_when_answered"]), _fmt(d["must_contain"]),
            f"{_fmt(d['citation_validity'])} ({d['citations']})", _fmt(d["support"]),
            _fmt(d["abstention_unanswerable"]), _fmt(d["false_abstention"]), str(d["fallbacks"]),
        ] + [f"{_ms(lat[s]['p50'])} / {_ms(lat[s]['p95'])}" for s in ("retrieve", "answer", "total", "first_token")]
        rows.append(row)
    return rows


def judge_rows(results: dict) -> list[list[str]]:
    return [
        [b, _fmt(d.get("judge_citation_recall")), _fmt(d.get("judge_citation_precision"))]
        for b, d in results["metrics"]["backends"].items()
        if "judge_citation_recall" in d
    ]


def _md_table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _subset_line(intro: str, sub: dict, mrr: bool = False, abstain: bool = True) -> str:
    """One sentence of a subset's numbers (metrics "in_corpus", "recent_gold", "stated_gold"): each method's top-5
    (and MRR), each backend's accuracy (and false abstention)."""
    return intro + ": " + "; ".join(
        [f"{meth} top-5 {_fmt(d['top5'])}" + (f", MRR {_fmt(d['mrr'], pct=False)}" if mrr else "")
         for meth, d in sub["retrieval"].items()]
        + [f"{b} answer acc. {_fmt(v)}" + (f", false abstain {_fmt(sub['false_abstention'][b])}" if abstain else "")
           for b, v in sub["answer_accuracy"].items()]
    ) + "."


def markdown_summary(results: dict, gate_lines: list[str] | None = None) -> str:
    """The summary tables in Markdown (also printed by the CLI)."""
    m = results["metrics"]
    cfg = results["config"]
    parts = [
        f"# newsqa eval: {results['dataset']}",
        "",
        f"{m['questions']} answerable and {m['unanswerable']} unanswerable questions; "
        f"k={cfg['k']}; retrieval depth {cfg['retrieval_depth']}; embeddings {cfg['embedding_model']}; "
        f"{results['seconds']:.0f} s; {results['created']}.",
        "",
        "## Retrieval (a hit: a retrieved chunk contains the gold answer)",
        "",
        _md_table(RETRIEVAL_HEAD, retrieval_rows(results)),
        "",
        "## Answers, citations, abstention, latency",
        "",
        _md_table(ANSWER_HEAD, answer_rows(results)),
    ]
    sub = m.get("in_corpus")
    if sub:
        parts += ["", _subset_line(f"Without the {m['questions'] - sub['questions']} questions whose gold answer occurs "
                                   f"nowhere in the corpus ({sub['questions']} left)", sub, mrr=True)]
    rec = m.get("recent_gold")
    if rec and rec["questions"]:
        parts += ["", _subset_line(f"The {rec['questions']} questions whose gold answer is in an article of the {RECENT_DAYS} "
                                   "days before the question (the rest are corpus gaps or names an older story happens to "
                                   "mention)", rec, abstain=False)]
    st = m.get("stated_gold")
    if st and st["questions"]:
        parts += ["", _subset_line(f"The {st['questions']} questions whose gold answer a sentence of the corpus (up to the "
                                   f"question's date) states with at least {STATED_TERMS} of the question's words (the rest "
                                   "only a coincidence can answer)", st)]
    parts += answer_stage_markdown(results)
    if judge_rows(results):
        parts += ["", f"## LLM-judged citations (ALCE-style, judge {cfg.get('judge')})", "",
                  _md_table(["backend", "citation recall", "citation precision"], judge_rows(results))]
    if gate_lines:
        parts += ["", "## Gate", ""] + [f"- {g}" for g in gate_lines]
    return "\n".join(parts) + "\n"


KIND_HEAD = ["kind of answer asked", "questions", "accuracy", "false abstention"]
# where the gold answer sat among the sentences the answer stage ranked (evals.answer_metrics.evidence_table)
EVIDENCE_HEAD = ["gold answer's sentence rank", "right", "wrong", "abstained"]
EVIDENCE_NOTE = ("Where the gold answer sat among the sentences the answer stage ranked (questions whose answer is in "
                 "the corpus): 'none' is lost to retrieval or the corpus, '4-10' and '11+' to sentence ranking, a wrong "
                 "or abstained answer in '1' or '2-3' to the answer stage itself.")


def answer_stage_parts(results: dict) -> list[tuple[str, str, list[list[str]], list[list[str]]]]:
    """Per backend: a paragraph (choice accuracy, efficiency, operating point), the per-kind rows and the rows of
    where the gold answer sat among the ranked evidence sentences."""
    out = []
    for b, d in results["metrics"]["backends"].items():
        st = d.get("answer_stage")
        if not st:
            continue
        text = (f"Choice accuracy {_fmt(st['choice_accuracy'])} (the answer names the gold choice better than the others); "
                f"answer-stage efficiency {_fmt(st['efficiency'], pct=False)} = answer accuracy / fused top-5 hit "
                f"({_fmt(st.get('fused_top5'))}), over the questions whose answer is in the corpus.")
        if st.get("short_answers"):
            text += (f" A short answer (shown in bold) led {st['short_answers']} answers to answerable questions; it named "
                     f"the gold answer in {_fmt(st['short_precision'])} of them.")
        if st.get("tradeoff"):
            t = _threshold(results)
            p = min(st["tradeoff"], key=lambda p: abs(p["threshold"] - t))
            text += (f" Operating point: confidence ≥ {t} answers; there {_fmt(p['false_abstention'])} of answerable "
                     f"questions abstain and {_fmt(p['unanswerable_abstention'])} of unanswerable ones do (the curve is "
                     "plotted in report.html; refit with `python -m evals.fit_confidence`).")
        dis = d.get("disagreement") or {}
        if dis.get("cases_with") or dis.get("cases_without"):
            text += (f" Sources that disagree: reported for {_fmt(dis['reported_when_present'])} of the {dis['cases_with']} "
                     f"questions whose sources give different values, and for {_fmt(dis['reported_when_absent'])} of the "
                     f"{dis['cases_without']} whose sources agree.")
        elif dis:
            text += f" {dis.get('reported', 0)} answers reported sources that disagree."
        rows = [[k, str(v["questions"]), _fmt(v["accuracy"]), _fmt(v["false_abstention"])] for k, v in st["by_kind"].items()]
        ev = st.get("evidence") or {}
        ev_rows = [[name, str(c["right"]), str(c["wrong"]), str(c["abstained"])] for name, c in ev.items()]
        out.append((b, text, rows, ev_rows))
    return out


def _threshold(results: dict) -> float:
    """The confidence threshold the run answered with (older results: the installed model's)."""
    t = results["config"].get("confidence_threshold")
    if t is None:
        from rag.confidence import load_model

        t = load_model().threshold
    return t


def answer_stage_markdown(results: dict) -> list[str]:
    out: list[str] = []
    for b, text, rows, ev_rows in answer_stage_parts(results):
        out += ["", f"## Answer stage: {b}", "", text, "", _md_table(KIND_HEAD, rows)]
        if ev_rows:
            out += ["", EVIDENCE_NOTE, "", _md_table(EVIDENCE_HEAD, ev_rows)]
    return out


# ------------------------------------------------------------------ plots


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def plots(results: dict) -> dict[str, str]:
    """Base64 PNGs: accuracy@k curves, latency distributions, abstention bars."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = {}
    m = results["metrics"]
    records = results["records"]

    if m["retrieval"]:
        fig, ax = plt.subplots(figsize=(6, 3.6))
        for method, d in m["retrieval"].items():
            ks = list(range(1, len(d["curve"]) + 1))
            ax.plot(ks, [v * 100 for v in d["curve"]], marker="o", label=f"{method} (MRR {d['mrr']:.2f})")
        ax.set_xlabel("k (chunks retrieved)")
        ax.set_ylabel("answer in top-k (%)")
        ax.set_ylim(0, 100)
        ax.set_xticks(ks)
        ax.grid(alpha=0.3)
        ax.legend()
        ax.set_title("Retrieval accuracy@k")
        out["accuracy_at_k"] = _png(fig)

    series, labels = [], []
    for method in m["retrieval"]:
        vals = [r["retrieval_ms"][method] for r in records if method in r["retrieval_ms"]]
        if vals:
            series.append(vals)
            labels.append(f"retrieve:{method}")
    for b in m["backends"]:
        for stage in ("retrieve_ms", "answer_ms", "total_ms"):
            vals = [r["results"][b][stage] for r in records if b in r["results"]]
            if vals:
                series.append(vals)
                labels.append(f"{b}:{stage.removesuffix('_ms')}")
    if series:
        fig, ax = plt.subplots(figsize=(7, 0.45 * len(series) + 1.2))
        ax.boxplot(series, orientation="horizontal", showfliers=True)
        ax.set_yticks(range(1, len(labels) + 1), labels)
        ax.set_xscale("log")
        ax.set_xlabel("milliseconds (log scale)")
        ax.grid(alpha=0.3, axis="x")
        ax.set_title("Latency per stage")
        out["latency"] = _png(fig)

    if m["backends"]:
        fig, ax = plt.subplots(figsize=(6, 3.4))
        names = list(m["backends"])
        width = 0.38
        xs = range(len(names))
        good = [(m["backends"][b]["abstention_unanswerable"] or 0) * 100 for b in names]
        bad = [(m["backends"][b]["false_abstention"] or 0) * 100 for b in names]
        ax.bar([x - width / 2 for x in xs], good, width, label="abstained on unanswerable (higher is better)", color="#3a7")
        ax.bar([x + width / 2 for x in xs], bad, width, label="abstained on answerable (lower is better)", color="#c54")
        ax.set_xticks(list(xs), names)
        ax.set_ylim(0, 100)
        ax.set_ylabel("%")
        ax.legend(fontsize=8)
        ax.set_title("Abstention")
        out["abstention"] = _png(fig)
    curves = {b: d["answer_stage"]["tradeoff"] for b, d in m["backends"].items() if d.get("answer_stage", {}).get("tradeoff")}
    if curves:
        t = _threshold(results)
        fig, ax = plt.subplots(figsize=(5, 4))
        for b, curve in curves.items():
            ax.plot([p["false_abstention"] * 100 for p in curve], [p["unanswerable_abstention"] * 100 for p in curve], label=b)
            op = min(curve, key=lambda p: abs(p["threshold"] - t))
            ax.plot([op["false_abstention"] * 100], [op["unanswerable_abstention"] * 100], "o", color="#c54")
            ax.annotate(f"operating point (confidence ≥ {t})", (op["false_abstention"] * 100, op["unanswerable_abstention"] * 100),
                        textcoords="offset points", xytext=(8, -12), fontsize=8)
        ax.set_xlabel("abstained on answerable, % (lower is better)")
        ax.set_ylabel("abstained on unanswerable, % (higher is better)")
        ax.set_xlim(0, 100)
        ax.set_ylim(0, 100)
        ax.legend(fontsize=8)
        ax.set_title("Abstention trade-off over the confidence threshold")
        out["tradeoff"] = _png(fig)
    return out


# ------------------------------------------------------------------ HTML

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}
table{border-collapse:collapse;margin:1em 0;font-size:14px}
th,td{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#f3f3f3}
tr.fail td:first-child{border-left:4px solid #c54}
tr.pass td:first-child{border-left:4px solid #3a7}
.bad{color:#b22;font-weight:600}
.quote{color:#555;font-size:12px}
img{max-width:100%;margin:0.5em 1em 0.5em 0}
code{background:#f3f3f3;padding:0 3px}
"""


def _html_table(head: list[str], rows: list[list[str]]) -> str:
    h = "".join(f"<th>{escape(c)}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{h}</tr>{body}</table>"


def _question_rows(results: dict) -> str:
    recs = [QuestionRecord.model_validate(r) for r in results["records"]]
    recs.sort(key=lambda r: (not r.failures(), r.answerable, r.id))  # failures first
    rows = []
    for r in recs:
        fails = r.failures()
        ranks = ", ".join(f"{m} {'miss' if v is None else '#' + str(v)}" for m, v in r.retrieval.items()) or "–"
        answers = []
        for b, res in r.results.items():
            cites = "".join(
                f"<div class='quote'>[{c.n}] {escape(c.title)}: “{escape(c.quote)}”"
                + ("" if c.valid else " <span class='bad'>INVALID</span>")
                + "</div>"
                for c in res.citations
            )
            verdict = "abstained" if res.abstained else ("correct" if res.correct else ("answered" if r.gold is None else "wrong"))
            extra = f" <span class='bad'>{escape(res.error)}</span>" if res.error and not res.abstained else ""
            answers.append(f"<div><b>{escape(b)}</b> ({escape(verdict)}): {escape(res.text)}{extra}{cites}</div>")
        gold = "(unanswerable)" if r.gold is None else r.gold
        if r.must_contain:
            gold += " · must contain: " + "; ".join(r.must_contain)
        rows.append(
            f"<tr class='{'fail' if fails else 'pass'}'><td>{escape(r.id)}</td><td>{escape(r.question)}</td>"
            f"<td>{escape(gold)}</td><td>{''.join(answers)}</td><td>{escape(ranks)}</td>"
            f"<td class='bad'>{escape('; '.join(fails))}</td></tr>"
        )
    head = "".join(f"<th>{h}</th>" for h in ("id", "question", "gold answer", "our answer and citations", "retrieval rank", "failures"))
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def html_report(results: dict, gate_lines: list[str] | None = None) -> str:
    """One self-contained HTML page: tables, embedded PNG plots, per-question table with failures first."""
    m = results["metrics"]
    cfg = results["config"]
    imgs = "".join(f"<img alt='{escape(k)}' src='data:image/png;base64,{v}'>" for k, v in plots(results).items())
    gate = ""
    if gate_lines:
        gate = "<h2>Gate</h2><ul>" + "".join(f"<li>{escape(g)}</li>" for g in gate_lines) + "</ul>"
    judge = ""
    if judge_rows(results):
        judge = "<h2>LLM-judged citations (ALCE-style)</h2>" + _html_table(["backend", "citation recall", "citation precision"], judge_rows(results))
    stage = "".join(
        f"<h2>Answer stage: {escape(b)}</h2><p>{escape(text)}</p>{_html_table(KIND_HEAD, rows)}"
        + (f"<p>{escape(EVIDENCE_NOTE)}</p>{_html_table(EVIDENCE_HEAD, ev_rows)}" if ev_rows else "")
        for b, text, rows, ev_rows in answer_stage_parts(results)
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsqa eval: {escape(results['dataset'])}</title>
<style>{_CSS}</style></head><body>
<h1>newsqa eval: {escape(results['dataset'])}</h1>
<p>{m['questions']} answerable and {m['unanswerable']} unanswerable questions · k={cfg['k']} ·
retrieval depth {cfg['retrieval_depth']} · embeddings {escape(str(cfg['embedding_model']))} ·
backends {escape(', '.join(cfg['backends']))} · {results['seconds']:.0f} s · {escape(results['created'])}</p>
<h2>Retrieval</h2><p>A hit: a retrieved chunk contains the gold answer (whole words, case- and punctuation-insensitive).</p>
{_html_table(RETRIEVAL_HEAD, retrieval_rows(results))}
<h2>Answers, citations, abstention, latency</h2>
{_html_table(ANSWER_HEAD, answer_rows(results))}
{stage}{judge}{gate}
<h2>Plots</h2>{imgs}
<h2>Questions (failures first)</h2>
{_question_rows(results)}
</body></html>
"""
