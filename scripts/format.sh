#!/usr/bin/env bash
# clang-format over every C++ file of cpp/, tests/ and bench/, with the checked-in .clang-format.
#   scripts/format.sh            rewrites the files in place
#   scripts/format.sh --check    changes nothing; lists the files that differ and fails (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format: clang-format is needed (Debian package clang-format)" >&2; exit 2; }
mapfile -t files < <(find cpp tests bench -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.cc' \) \
  -not -path '*/generated/*' | sort)
if [ "${1:-}" = --check ]; then
  clang-format --dry-run -Werror "${files[@]}"
  echo "format: ${#files[@]} C++ files match .clang-format"
else
  clang-format -i "${files[@]}"
fi
