#!/usr/bin/env bash
# The main job from a fresh machine: install what is missing, build what it runs (pmkpi-server, the
# WebAssembly module without its test suite, the web UI; no test suites or benchmarks), then run
# the server on :8000 with the UI at /app/ and the docs at /docs.
# Extra arguments go to the server (e.g. --port 9000); environment and .env configure it as well.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh run
[ -d node_modules/.bin ] || npm ci --no-audit --no-fund
bash scripts/build.sh server wasm-module
npm run --silent build:web
exec build/pmkpi-server "$@"
