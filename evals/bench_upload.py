"""Peak memory of a real ``newsqa serve`` while it takes the largest uploads the limits allow.

    python -m evals.bench_upload [--mb 20] [--out bench-results/bench_upload.json]

For each hostile upload (a gzip bomb, a plain file of one huge line, Markdown with
huge text, many tiny bad lines) it prints the status, the seconds taken and how far
the server's peak RSS (VmHWM) rose above its resident size before the upload.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak(pid: int) -> None:
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0).
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        pass


def make_files(folder: Path, mb: int) -> dict[str, Path]:
    size = mb * 2**20 - 4096
    files = {}
    bomb = folder / "bomb.jsonl.gz"
    with open(bomb, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9) as f:
        block = b" " * (8 << 20)
        while raw.tell() < size:
            f.write(block)
    files["gzip bomb (.jsonl.gz of spaces)"] = bomb
    line = folder / "line.jsonl"
    with open(line, "wb") as f:
        f.write(b'{"text": "' + b"a" * (size - 20) + b'"}\n')
    files["one huge JSONL line"] = line
    md = folder / "huge.md"
    words = b"word " * (size // 5)
    md.write_bytes(b"---\ntitle: Huge\n---\n" + words[: size - 30])
    files["Markdown with huge text"] = md
    many = folder / "many.jsonl"
    with open(many, "wb") as f:
        row = b"{not json}\n"
        f.write(row * (size // len(row)))
    files["many bad JSONL lines"] = many
    return files


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench_upload", description=__doc__.split("\n\n")[0])
    p.add_argument("--mb", type=int, default=20, help="size of each upload in MB (default: the 20 MB upload limit)")
    p.add_argument("--out", default="bench-results/bench_upload.json", help="where to write the figures")
    args = p.parse_args(argv)

    import httpx

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = make_files(tmp, args.mb)
        port = 18000 + os.getpid() % 1000
        env = dict(os.environ, NEWSQA_DATA_DIR=str(tmp / "data"), NEWSQA_MAX_UPLOAD_MB=str(args.mb))
        log = open(tmp / "serve.log", "wb")
        proc = subprocess.Popen([sys.executable, "-m", "newsqa.cli", "serve", "--port", str(port), "--ingest-samples"],
                                stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 300
            while time.time() < deadline:
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
            httpx.post(f"{base}/v1/ask", json={"question": "What does Russia demand?"}, timeout=60)  # warm up
            rows = []
            for label, path in files.items():
                before = _status_kb(proc.pid, "VmRSS")
                _reset_peak(proc.pid)
                t0 = time.perf_counter()
                with open(path, "rb") as fh:
                    r = httpx.post(f"{base}/v1/articles/upload", files=[("files", (path.name, fh))], timeout=600)
                took = time.perf_counter() - t0
                peak = _status_kb(proc.pid, "VmHWM")
                msg = r.json().get("error", {}).get("message", "") if r.status_code >= 400 else "stored"
                rows.append({"upload": label, "bytes": path.stat().st_size, "status": r.status_code, "seconds": round(took, 2),
                             "rss_before_mb": round(before / 1024, 1), "peak_growth_mb": round((peak - before) / 1024, 1),
                             "reply": msg[:160]})
                print(f"{label:34} {r.status_code}  {took:6.2f} s  peak RSS +{(peak - before) / 1024:6.1f} MB  ({msg[:90]})")
        finally:
            proc.terminate()
            proc.wait(20)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"upload_mb": args.mb, "results": rows}, indent=2))
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
