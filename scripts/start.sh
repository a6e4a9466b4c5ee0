#!/usr/bin/env bash
# The main job from a fresh machine: install what is missing, build the server, the WebAssembly
# module and the web UI, then run the server on :8000 with the UI at /app/ and the docs at /docs.
# Extra arguments go to the server (e.g. --port 9000); environment and .env configure it as well.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh run
[ -d node_modules/.bin ] || npm ci --no-audit --no-fund
bash scripts/build.sh
npm run --silent build:wasm
npm run --silent build:web
exec build/pmkpi-server "$@"
