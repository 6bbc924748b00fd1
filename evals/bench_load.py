"""Load benchmark of the HTTP API: concurrent clients ask dev-set questions; then again while an ingest runs.

    python -m evals.bench_load --articles 200 --requests 60 --clients 4

Starts ``newsqa serve`` on a free loopback port over a fresh data folder holding the
first ``--articles`` dev-set articles (or targets ``--url``), and prints and writes
requests/s, p50/p95/p99 latency and errors for each phase. Loopback only.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "realtimeqa-dev"


def read_jsonl(path: Path) -> list[dict]:
    """The records of a JSON-lines file, or of its gzipped twin (``articles.jsonl.gz``) when only that exists."""
    if not path.exists() and path.with_name(path.name + ".gz").exists():
        with gzip.open(path.with_name(path.name + ".gz"), "rt", encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def newsqa_cmd() -> list[str]:
    return [sys.executable, "-m", "newsqa.cli"]


def start_server(data_dir: Path, token: str | None, log_path: Path) -> tuple[subprocess.Popen, str]:
    """``newsqa serve`` on a free loopback port; returns the process and its base URL once healthy."""
    import httpx

    port = free_port()
    env = dict(os.environ, NEWSQA_DATA_DIR=str(data_dir))
    if token:
        env["NEWSQA_API_TOKEN"] = token
    log = open(log_path, "wb")
    proc = subprocess.Popen([*newsqa_cmd(), "serve", "--port", str(port), "--log-level", "warning"], stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 240
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}; see {log_path}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.terminate()
    raise SystemExit(f"the server did not become healthy; see {log_path}")


def run_clients(base: str, headers: dict, questions: list[str], n_requests: int, n_clients: int, timeout: float) -> dict:
    """``n_clients`` threads share ``n_requests`` asks; returns latency stats and errors."""
    import httpx

    counter = itertools.count()
    latencies: list[float] = []
    errors: list[str] = []
    abstained = 0
    lock = threading.Lock()

    def client():
        nonlocal abstained
        with httpx.Client(base_url=base, headers=headers, timeout=timeout) as http:
            while (i := next(counter)) < n_requests:
                q = questions[i % len(questions)]
                t0 = time.perf_counter()
                try:
                    r = http.post("/v1/ask", json={"question": q})
                    ok = r.status_code == 200
                    err = None if ok else f"HTTP {r.status_code}: {r.text[:200]}"
                    abst = ok and r.json().get("abstained")
                except httpx.HTTPError as e:
                    err, abst = f"{type(e).__name__}: {e}", False
                dt = time.perf_counter() - t0
                with lock:
                    latencies.append(dt)
                    abstained += bool(abst)
                    if err:
                        errors.append(err)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(n_clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat = np.array(latencies) * 1000
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "abstained": abstained,
        "seconds": round(wall, 2),
        "requests_per_s": round(len(latencies) / wall, 2),
        "latency_ms": {p: round(float(np.percentile(lat, q)), 1) for p, q in (("p50", 50), ("p95", 95), ("p99", 99))} | {"mean": round(float(lat.mean()), 1), "max": round(float(lat.max()), 1)},
    }


def ingest_over_http(base: str, headers: dict, articles: list[dict], batch: int, result: dict) -> None:
    """POST articles in batches, as a client adding news while others read."""
    import httpx

    t0 = time.perf_counter()
    added, errors = 0, []
    with httpx.Client(base_url=base, headers=headers, timeout=600) as http:
        for s in range(0, len(articles), batch):
            try:
                r = http.post("/v1/articles", json=articles[s : s + batch])
                if r.status_code == 200:
                    added += r.json()["added"]
                else:
                    errors.append(f"HTTP {r.status_code}: {r.text[:200]}")
            except httpx.HTTPError as e:
                errors.append(f"{type(e).__name__}: {e}")
    result.update(added=added, errors=len(errors), error_samples=errors[:5], seconds=round(time.perf_counter() - t0, 2))
    result["articles_per_s"] = round(added / max(result["seconds"], 1e-9), 2)
    result["finished_at"] = time.perf_counter()


def print_phase(name: str, r: dict) -> None:
    lat = r["latency_ms"]
    print(f"{name:>14}: {r['requests']} requests, {r['errors']} errors, {r['requests_per_s']} req/s, "
          f"p50 {lat['p50']} ms, p95 {lat['p95']} ms, p99 {lat['p99']} ms (max {lat['max']} ms)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench_load", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", help="benchmark a running server (loopback only) instead of starting one")
    p.add_argument("--token", default=os.environ.get("NEWSQA_API_TOKEN"), help="bearer token for --url (default: NEWSQA_API_TOKEN)")
    p.add_argument("--articles", type=int, default=200, help="dev-set articles in the started server's store (default 200)")
    p.add_argument("--ingest-more", type=int, default=100, help="further dev-set articles ingested during the second phase (default 100)")
    p.add_argument("--ingest-batch", type=int, default=10, help="articles per POST /v1/articles during the second phase")
    p.add_argument("--requests", type=int, default=60, help="questions asked per phase (default 60)")
    p.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    p.add_argument("--timeout", type=float, default=120.0, help="per-request timeout in seconds")
    p.add_argument("--data", type=Path, default=DEV, help="folder with articles.jsonl and questions.jsonl")
    p.add_argument("--out", type=Path, default=Path("bench_load.json"), help="where to write the JSON results")
    p.add_argument("--keep", action="store_true", help="keep the started server's data folder")
    args = p.parse_args(argv)

    from rag.settings import is_loopback

    try:
        # Articles are needed only to fill a started server's store and for the ingest phase.
        articles = read_jsonl(args.data / "articles.jsonl") if not args.url or args.ingest_more else []
        questions = [q["question"] for q in read_jsonl(args.data / "questions.jsonl")]
    except (OSError, ValueError) as e:
        print(f"bench_load: cannot read the dataset in {args.data}: {e}", file=sys.stderr)
        return 2
    more = articles[args.articles : args.articles + args.ingest_more]
    headers = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    proc, tmp = None, None
    try:
        if args.url:
            host = urlparse(args.url).hostname or ""
            if not is_loopback(host):
                print(f"bench_load: only loopback servers may be benchmarked, not {host}", file=sys.stderr)
                return 2
            base = args.url.rstrip("/")
        else:
            tmp = Path(tempfile.mkdtemp(prefix="newsqa-bench-"))
            corpus = tmp / "corpus.jsonl"
            corpus.write_text("".join(json.dumps(a) + "\n" for a in articles[: args.articles]), encoding="utf-8")
            print(f"ingesting {args.articles} dev articles into {tmp} …", flush=True)
            t0 = time.perf_counter()
            subprocess.run([*newsqa_cmd(), "ingest", str(corpus), "--quiet"], check=True, cwd=ROOT, env=dict(os.environ, NEWSQA_DATA_DIR=str(tmp / "data")))
            print(f"  done in {time.perf_counter() - t0:.0f} s; starting the server", flush=True)
            proc, base = start_server(tmp / "data", None, tmp / "serve.log")
        import httpx

        health = httpx.get(f"{base}/healthz", timeout=10).json()
        print(f"server {base}: {health['store'].get('articles')} articles, {health['store'].get('chunks')} chunks, backend {health['backend']}")
        run_clients(base, headers, questions[-4:], 4, 1, args.timeout)  # warm-up: indexes loaded, caches filled

        steady = run_clients(base, headers, questions, args.requests, args.clients, args.timeout)
        print_phase("steady", steady)

        ingest: dict = {"articles": len(more)}
        t_ingest = threading.Thread(target=ingest_over_http, args=(base, headers, more, args.ingest_batch, ingest))
        t_start = time.perf_counter()
        t_ingest.start()
        time.sleep(1.0)  # let the first batch start embedding
        during = run_clients(base, headers, questions[len(questions) // 2 :] + questions, args.requests, args.clients, args.timeout)
        asks_done = time.perf_counter()
        t_ingest.join()
        ingest["overlapped_whole_phase"] = ingest["finished_at"] >= asks_done
        ingest.pop("finished_at")
        print_phase("during ingest", during)
        print(f"{'ingest':>14}: {ingest['added']} of {len(more)} articles added in {ingest['seconds']} s "
              f"({ingest['articles_per_s']} articles/s), {ingest['errors']} errors; "
              f"{'ran through the whole phase' if ingest['overlapped_whole_phase'] else 'finished before the asks did'}")

        result = {
            "server": base if args.url else "started by bench_load",
            "store": health["store"],
            "backend": health["backend"],
            "config": {"articles": args.articles if not args.url else None, "ingest_more": len(more), "ingest_batch": args.ingest_batch,
                       "requests": args.requests, "clients": args.clients, "cpus": os.cpu_count()},
            "steady": steady,
            "during_ingest": during | {"ingest": ingest, "asks_started_s_after_ingest": 1.0},
            "total_errors": steady["errors"] + during["errors"] + ingest["errors"],
            "seconds_total": round(time.perf_counter() - t_start, 1),
        }
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.out}; total errors: {result['total_errors']}")
        return 0 if result["total_errors"] == 0 else 1
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        if tmp is not None and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
