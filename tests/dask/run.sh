#!/usr/bin/env bash
# The records engines on Dask (issue 11): a LocalCluster of 4 worker processes runs
# deploy/dask_records.py on a generated 2,000,000-event log and a 500,000-row subscription export;
# each answer must be byte-identical to the single-process CLI's on the same file. Then the
# driver's error path: a shard's 422 (a bad row under on_error reject) fails the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
cli=${PMKPI_CLI:-$PWD/build/pmkpi}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 tests/dask/generate_events.py "$work/events.csv" 2000000
/usr/bin/python3 bench/records/generate.py "$work/subs.csv" 500000 11

check() {  # KIND FILE OPTIONS...
  local kind=$1 file=$2
  shift 2
  "$cli" records "$kind" "$@" "$file" > "$work/$kind.single.json"
  /usr/bin/python3 deploy/dask_records.py "$kind" "$file" --local 4 --pmkpi "$cli" --workdir "$work" \
    --out "$work/$kind.dask.json" -- "$@"
  if cmp "$work/$kind.single.json" "$work/$kind.dask.json"; then
    echo "dask: $kind: byte-identical to the single process ($(wc -c < "$work/$kind.dask.json") bytes)"
  else
    echo "dask: $kind: the answers differ" >&2
    exit 1
  fi
}
check events "$work/events.csv" --timestamp_unit s --funnel '{"steps":["signup","add_to_cart","purchase"]}' \
  --activation_event purchase --retention_period week
check subscriptions "$work/subs.csv" --options '{"segment_by":"plan","rates":{"EUR":1.08}}'

printf 'user_id,timestamp,event\nu1,1767225600,a\nu2,not-a-time,b\n' > "$work/bad.csv"
if /usr/bin/python3 deploy/dask_records.py events "$work/bad.csv" --local 2 --pmkpi "$cli" \
  --workdir "$work" --out "$work/bad.json" -- --timestamp_unit s 2> "$work/bad.err"; then
  echo "dask: a shard's 422 did not fail the run" >&2
  exit 1
fi
grep -q timestamp_invalid "$work/bad.err" && echo "dask: a bad row fails the run with its 422"
