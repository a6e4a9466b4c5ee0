#!/usr/bin/env bash
# Every test of the project, from a fresh machine: system packages, npm packages, the native build
# and its GoogleTest suite, then eslint and the JavaScript suites (npm test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh all
npm ci --no-audit --no-fund
npm run lint
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
npm test
