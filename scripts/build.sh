#!/usr/bin/env bash
# Configures and builds the native targets (core, CLI, tests, benchmarks) into build/.
# The one place the native build flags live: CI, the tests and the start script all call it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/build.ninja ] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
