#!/usr/bin/env bash
# The main job from a fresh machine: install what is missing, build, and answer the spec's first call.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh core
bash scripts/build.sh
echo "POST /metrics/arpu (the spec's first call):"
exec build/pmkpi request -i POST /metrics/arpu '{"total_revenue": 50000.0, "total_users": 1000, "time_frame": "monthly"}'
