#!/usr/bin/env bash
# Builds with the presets of CMakePresets.json, the one place the build flags live: CI, the tests,
# the start script, the npm scripts and the Dockerfile all come through here (or name a preset).
#   scripts/build.sh [BUILD_PRESET...]      default: release (every native target, into build/)
# Build presets: release, server (pmkpi-server only), asan (the GoogleTest suites under ASan and
# UBSan, build-asan/), fuzz (libFuzzer targets, clang, build-fuzz/), wasm (module and its suite),
# wasm-module (the module only). Each configures its directory once. Parallel jobs: PMKPI_JOBS,
# default the number of cores. PMKPI_CONFIGURE_ARGS: extra cache settings for a first configure
# (the Dockerfile: -DPMKPI_BUILD_TESTS=OFF -DPMKPI_BUILD_BENCH=OFF).
# After a WebAssembly build the client's TypeScript declarations are regenerated from the module.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${PMKPI_JOBS:-$(nproc)}
[ "$#" -gt 0 ] || set -- release

configure_preset() {
  case "$1" in
    release | server) echo release ;;
    wasm | wasm-module) echo wasm ;;
    *) echo "$1" ;;
  esac
}

for preset in "$@"; do
  configure=$(configure_preset "$preset")
  dir=build
  [ "$configure" = release ] || dir=build-$configure
  if [ ! -f "$dir/build.ninja" ]; then
    if [ "$configure" = wasm ]; then
      # shellcheck disable=SC2086
      emcmake cmake --preset wasm ${PMKPI_CONFIGURE_ARGS:-} >/dev/null
    else
      # shellcheck disable=SC2086
      cmake --preset "$configure" ${PMKPI_CONFIGURE_ARGS:-} >/dev/null
    fi
  fi
  cmake --build --preset "$preset" -j "$jobs"
  if [ "$configure" = wasm ]; then node scripts/generate-client-types.mjs; fi
done
