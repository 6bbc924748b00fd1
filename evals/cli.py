"""``newsqa eval``: evaluate a dataset folder, write results.json, summary.md and report.html, optionally gate."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT.parent / "shared" / "data" / "realtimeqa-dev"
DEV_SLICE = Path(__file__).resolve().parent / "data" / "dev-slice"


def default_dataset() -> Path:
    """The full dev set beside the repo when present, else the slice shipped in the repo."""
    return DEV_SET if (DEV_SET / "questions.jsonl").is_file() else DEV_SLICE


def register(sub) -> None:
    """Add the ``eval`` subcommand."""
    s = sub.add_parser(
        "eval",
        help="evaluate retrieval, answers, citations and abstention on a dataset; write reports; gate",
        description="Ingest a dataset's corpus into its own store under --out (reused across runs), ask every "
        "question, and write results.json, summary.md and report.html. Exits 1 when a citation is invalid "
        "or, with --gate, when a metric misses its threshold.",
    )
    s.add_argument("--dataset", type=Path, help=f"dataset folder (default: {DEV_SET} when present, else {DEV_SLICE})")
    s.add_argument("--limit", type=int, help="only the first N answerable and first N unanswerable questions")
    s.add_argument(
        "--backend",
        choices=["auto", "extractive", "llm", "all"],
        default="auto",
        help="answerers to evaluate (auto: extractive, plus llm when NEWSQA_LLM_BASE_URL is set)",
    )
    s.add_argument(
        "--unanswerable-from", type=Path, action="append", default=[], metavar="DATASET",
        help="also ask another dataset's questions whose gold answer this corpus never mentions, as unanswerable "
        "ones (repeatable): abstention measured on many more questions of other weeks",
    )
    s.add_argument("-k", type=int, help="chunks retrieved for answering (default: NEWSQA_K)")
    s.add_argument("--out", type=Path, help="output folder (default: eval-out/<dataset name>)")
    s.add_argument("--gate", type=Path, metavar="TOML", help="thresholds file, e.g. evals/thresholds.toml")
    s.add_argument("--judge-url", help="OpenAI-compatible endpoint of an LLM judge for ALCE-style citation recall/precision")
    s.add_argument("--judge-model", default="judge", help="model name for the judge endpoint")
    s.add_argument("--no-progress", action="store_true", help="no progress bars")
    s.add_argument("--json", action="store_true", help="print the metrics as JSON instead of the Markdown summary")
    s.set_defaults(func=cmd_eval)


def _fail(msg: str, code: int = 2) -> int:
    print(f"newsqa eval: {msg}", file=sys.stderr)
    return code


def cmd_eval(args) -> int:
    from rag.library import Library
    from rag.settings import Settings

    from .dataset import DatasetError, load_dataset
    from .gate import GateError, check_gate, load_thresholds
    from .metrics import flatten
    from .report import html_report, markdown_summary
    from .runner import eval_settings, prepare_store, run_eval

    try:
        dataset = load_dataset(args.dataset or default_dataset())
        for other in args.unanswerable_from:
            dataset.unanswerable += dataset.borrowed_unanswerable(load_dataset(other))
        dataset = dataset.limited(args.limit)
    except DatasetError as e:
        return _fail(str(e))
    thresholds = None
    if args.gate:
        try:
            thresholds = load_thresholds(args.gate, dataset.name)
        except GateError as e:
            return _fail(str(e))
    base = Settings()
    if args.backend == "auto":
        backends = ["extractive"] + (["llm"] if base.llm_base_url else [])
    elif args.backend == "all":
        backends = ["extractive", "llm"]
    else:
        backends = [args.backend]
    if "llm" in backends and not base.llm_base_url:
        return _fail("the llm backend needs NEWSQA_LLM_BASE_URL (an OpenAI-compatible endpoint)")
    if args.k is not None and not 1 <= args.k <= 50:
        return _fail("k must be between 1 and 50")

    out = args.out or Path("eval-out") / dataset.name
    out.mkdir(parents=True, exist_ok=True)
    settings = eval_settings(dataset, out, base)
    # An LLM that fails must show up as failures, not as extractive answers counted for llm.
    settings = settings.model_copy(update={"llm_fallback": False})
    library = Library(settings)
    progress = not args.no_progress
    ingest = prepare_store(library, dataset, progress)
    judge = None
    if args.judge_url:
        from .judge import Judge

        judge = Judge(args.judge_url, args.judge_model, api_key=base.llm_api_key)
    results = run_eval(dataset, library, backends, args.k or settings.k, progress, judge)
    results["ingest"] = ingest

    flat = flatten(results["metrics"])
    results["flat"] = flat
    gate_lines, failed = [], False
    for b in backends:
        d = results["metrics"]["backends"][b]
        if d["invalid_citations"]:
            failed = True
            gate_lines.append(f"FAIL {b}: {d['invalid_citations']} of {d['citations']} citations are not verbatim in their article (a bug)")
    if thresholds is not None:
        checks, skipped = check_gate(flat, thresholds, backends)
        for c in checks:
            gate_lines.append(("ok   " if c.passed else "FAIL ") + c.describe())
            failed |= not c.passed
        for m in skipped:
            gate_lines.append(f"skip {m} (backend not evaluated)")
    results["gate"] = {"file": str(args.gate) if args.gate else None, "passed": not failed, "lines": gate_lines}

    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    summary = markdown_summary(results, gate_lines)
    (out / "summary.md").write_text(summary, encoding="utf-8")
    (out / "report.html").write_text(html_report(results, gate_lines), encoding="utf-8")

    if args.json:
        print(json.dumps({"metrics": results["metrics"], "gate": results["gate"]}, indent=2))
    else:
        print(summary)
        print(f"wrote {out / 'results.json'}, {out / 'summary.md'}, {out / 'report.html'}")
    if failed:
        bad = [g for g in gate_lines if g.startswith("FAIL")]
        print("newsqa eval: gate failed:\n  " + "\n  ".join(bad), file=sys.stderr)
        return 1
    return 0
