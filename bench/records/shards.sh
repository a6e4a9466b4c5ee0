#!/usr/bin/env bash
# Benchmark of partial states (issue 11): one process over a 10,000,000-event log against 4 shards
# (split by user) run at once on this machine's cores and merged; then the same through Dask
# (deploy/dask_records.py, a LocalCluster of 4 workers), split included.
#   bash bench/records/shards.sh [EVENTS]   (default 10,000,000; the log is cached in $TMPDIR)
# Reports: single-process wall time, the 4 shards' wall time (all at once), the merge's, the
# speed-up, each partial state's size, and the Dask run's phases.
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-10000000}
cli=${PMKPI_CLI:-$PWD/build/pmkpi}
tmp=${TMPDIR:-/tmp}
log="$tmp/pmkpi-shards-$events.csv"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -f "$log" ] || /usr/bin/python3 tests/dask/generate_events.py "$log" "$events"
opts=(--timestamp_unit s)
now() { date +%s.%N; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(now); "$cli" records events "${opts[@]}" "$log" > "$work/single.json"; t1=$(now)
/usr/bin/python3 - "$log" "$work" <<'PY'
import sys
sys.path.insert(0, "deploy")
from dask_records import split
split(sys.argv[1], "user_id", 4, sys.argv[2])
PY
t2=$(now)
for i in 0 1 2 3; do "$cli" records events --partial "${opts[@]}" "$work/shard-$i.csv" > "$work/s$i.json" & done
wait
t3=$(now); "$cli" records merge "$work"/s?.json > "$work/merged.json"; t4=$(now)
cmp "$work/single.json" "$work/merged.json"
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v e="$t4" 'BEGIN {
  printf "single process: %.2f s\n4 shards at once: %.2f s, merge: %.2f s, together %.2f s: speed-up %.2fx (the split, in Python: %.2f s)\n",
    b - a, d - c, e - d, e - c, (b - a) / (e - c), c - b }'
for i in 0 1 2 3; do printf 'partial state %d: %.1f MiB\n' "$i" "$(echo "$(stat -c %s "$work/s$i.json") / 1048576" | bc -l)"; done
/usr/bin/python3 deploy/dask_records.py events "$log" --local 4 --pmkpi "$cli" --workdir "$work" --out "$work/dask.json" -- "${opts[@]}"
cmp "$work/single.json" "$work/dask.json" && echo "dask: byte-identical"
