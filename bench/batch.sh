#!/usr/bin/env bash
# Throughput and memory of `pmkpi batch`: N NDJSON requests (default one million, a mix of the ARPU
# example, a 422 and a retention request) piped through one process. Prints requests per second
# and peak resident memory at N/10 and N lines, to show memory stays flat as the stream grows.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cli=${PMKPI_CLI:-$here/build/pmkpi}
n=${1:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

lines=(
  '{"method":"POST","path":"/metrics/arpu","body":{"total_revenue":50000.0,"total_users":1000,"time_frame":"monthly"}}'
  '{"method":"POST","path":"/metrics/arpu","body":{"total_revenue":"lots","total_users":0}}'
  '{"method":"POST","path":"/metrics/retention-rate","body":{"customers_at_start":1000,"customers_at_end":950,"new_customers_acquired":100}}'
)
printf '%s\n' "${lines[@]}" > "$tmp/three.ndjson"
for size in $((n / 10)) "$n"; do
  # repeat the three lines to `size` lines without holding them in memory
  yes "$(cat "$tmp/three.ndjson")" 2>/dev/null | head -n "$size" > "$tmp/in.ndjson" || true
  start=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$tmp/rss" "$cli" batch < "$tmp/in.ndjson" > "$tmp/out.ndjson"
  end=$(date +%s%N)
  got=$(wc -l < "$tmp/out.ndjson")
  [ "$got" -eq "$size" ] || { echo "expected $size answers, got $got" >&2; exit 1; }
  secs=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) / 1e9 }')
  rate=$(awk -v n="$size" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
  printf 'pmkpi batch: %9d requests in %7s s = %8s requests/s, peak RSS %6s KiB\n' "$size" "$secs" "$rate" "$(cat "$tmp/rss")"
done
echo "target: above 200000 requests/s, with flat memory"
