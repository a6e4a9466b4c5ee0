#!/usr/bin/env bash
# Installs the Debian packages pmkpi needs that this machine lacks (apt-get, as root or through sudo).
# Usage: scripts/bootstrap.sh [core|run|all]   core: the native build; run: also the WebAssembly
# toolchain the web UI needs; all (default): also nginx, wrk and Chromium for the tests and benchmarks.
set -euo pipefail
profile=${1:-all}

core=(build-essential cmake ninja-build pkg-config libeigen3-dev nlohmann-json3-dev libsimdjson-dev libgtest-dev libbenchmark-dev
      libboost-dev ca-certificates python3 tzdata)
wasm=(emscripten node-acorn)
# clang and its runtime (libFuzzer, sanitizers) for the fuzz targets; clang-format for the format check.
# python3-distributed: Dask, the cluster engine the records engines run on (deploy/dask_records.py).
test_tools=(wrk nginx-light chromium clang libclang-rt-14-dev clang-format python3-distributed)
wanted=("${core[@]}")
case "$profile" in
  core) ;;
  run) wanted+=("${wasm[@]}") ;;
  all) wanted+=("${wasm[@]}" "${test_tools[@]}") ;;
  *) echo "usage: scripts/bootstrap.sh [core|run|all]" >&2; exit 2 ;;
esac
# Node 20+ and npm: keep the machine's own if it has them, else Debian's.
command -v node >/dev/null 2>&1 || wanted+=(nodejs)
command -v npm >/dev/null 2>&1 || wanted+=(npm)

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "bootstrap: all ${#wanted[@]} packages present"
  exit 0
fi
echo "bootstrap: installing ${missing[*]}"
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
echo "bootstrap: done"
