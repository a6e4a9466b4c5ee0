#!/usr/bin/env bash
# Every test of the project, from a fresh machine: system packages, npm packages, the format check
# and eslint, the native and WebAssembly builds (once: npm test only runs suites), the native
# GoogleTest suites, then the WebAssembly suite and the JavaScript suites (npm test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh all
npm ci --no-audit --no-fund
npm run --silent format:check
npm run lint
bash scripts/build.sh release wasm
ctest --preset release -j "${PMKPI_JOBS:-$(nproc)}"
npm test
