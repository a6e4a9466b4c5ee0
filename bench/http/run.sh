#!/usr/bin/env bash
# HTTP benchmark: POST /metrics/arpu on pmkpi-server, side by side in the same run with nginx
# answering the same JSON body from memory (`return 200 '...'`), the practical limit of HTTP here.
#
# Fairness: the server (API_WORKERS=1) and nginx (worker_processes 1) are each pinned to the same
# single core (SERVER_CPU, default 0); wrk runs pinned to another core (WRK_CPU, default 1) with
# one thread. Neither writes an access log. Loopback only.
#
# usage: bash bench/http/run.sh            (DURATION=10 CONNECTIONS="100 1000" to change)
# needs: build/pmkpi-server, wrk and nginx (Debian packages wrk, nginx-light), 2 cores.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
server=${PMKPI_SERVER:-$root/build/pmkpi-server}
nginx_bin=${NGINX_PATH:-/usr/sbin/nginx}
duration=${DURATION:-10}
connections=${CONNECTIONS:-"100 1000"}
server_cpu=${SERVER_CPU:-0}
wrk_cpu=${WRK_CPU:-1}

for tool in wrk taskset curl; do
  command -v "$tool" >/dev/null || { echo "bench/http: $tool is needed" >&2; exit 2; }
done
[[ -x $server ]] || { echo "bench/http: build $server first (ninja -C build pmkpi-server)" >&2; exit 2; }
[[ -x $nginx_bin ]] || { echo "bench/http: nginx is needed at $nginx_bin" >&2; exit 2; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

work=$(mktemp -d /tmp/pmkpi-bench-http.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
request_body='{"total_revenue": 50000.0, "total_users": 1000, "time_frame": "monthly"}'

# ---- pmkpi-server on one core ---------------------------------------------------------------
server_port=$(free_port)
API_HOST=127.0.0.1 API_PORT=$server_port API_WORKERS=1 LOG_LEVEL=warning \
  taskset -c "$server_cpu" "$server" --env-file /dev/null >"$work/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$server_port/health" >/dev/null && break; sleep 0.05; done
answer=$(curl -sf -X POST -H 'Content-Type: application/json' -d "$request_body" "http://127.0.0.1:$server_port/metrics/arpu")

# ---- nginx returning the same body from memory, on the same core ------------------------------
nginx_port=$(free_port)
mkdir -p "$work/nginx"
# nginx expands $ in strings: a geo variable holds a literal dollar sign.
nginx_body=$(printf '%s' "$answer" | sed -e "s/'/\\\\'/g" -e 's/\$/${dollar}/g')
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  geo \$dollar { default "\$"; }
  server {
    listen 127.0.0.1:$nginx_port backlog=4096;
    keepalive_requests 100000000;
    location = /metrics/arpu {
      default_type application/json;
      return 200 '$nginx_body';
    }
  }
}
CONF
taskset -c "$server_cpu" "$nginx_bin" -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
pids+=("$nginx_pid")
for _ in $(seq 100); do curl -sf -X POST -d x "http://127.0.0.1:$nginx_port/metrics/arpu" >/dev/null && break; sleep 0.05; done
nginx_answer=$(curl -sf -X POST -d "$request_body" "http://127.0.0.1:$nginx_port/metrics/arpu")
if [[ $nginx_answer != "$answer" ]]; then
  echo "bench/http: nginx does not return the server's body" >&2
  printf '%s\n%s\n' "$answer" "$nginx_answer" >&2
  exit 1
fi

cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$request_body'
wrk.headers["Content-Type"] = "application/json"
LUA

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # user + system time, in clock ticks
ticks_per_second=$(getconf CLK_TCK)
nginx_worker() { pgrep -P "$nginx_pid" | head -1; }

# wrk --latency output -> "rps p50 p99 errors"
parse_wrk() {
  awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50.000%" || $1 == "50%" { p50 = ms($2) }
    $1 == "99.000%" || $1 == "99%" { p99 = ms($2) }
    /Socket errors/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx/ { errors += $NF }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, errors }' "$1"
}

run() {  # name port connections -> a result line
  local name=$1 port=$2 conns=$3 pid=$4 out="$work/wrk-$1-$3.txt" peak=0
  # Warm up, then measure while sampling the resident memory of the answering process.
  taskset -c "$wrk_cpu" wrk -t1 -c"$conns" -d2s -s "$work/post.lua" "http://127.0.0.1:$port/metrics/arpu" >/dev/null
  local ticks_before; ticks_before=$(cpu_ticks "$pid")
  taskset -c "$wrk_cpu" wrk -t1 -c"$conns" -d"${duration}s" --latency -s "$work/post.lua" \
    "http://127.0.0.1:$port/metrics/arpu" >"$out" &
  local wrk_pid=$!
  while kill -0 "$wrk_pid" 2>/dev/null; do
    local r; r=$(rss_kib "$pid"); (( r > peak )) && peak=$r
    sleep 0.5
  done
  wait "$wrk_pid"
  # CPU time per request of the answering process: unlike requests/s, it does not depend on how
  # much of its core other programs on the machine take.
  local ticks=$(( $(cpu_ticks "$pid") - ticks_before ))
  local requests; requests=$(awk '/requests in/ {print $1}' "$out")
  local cpu_us; cpu_us=$(awk -v t="$ticks" -v r="$requests" -v hz="$ticks_per_second" 'BEGIN { printf "%.1f", t * 1e6 / hz / r }')
  echo "$name $conns $(parse_wrk "$out") $peak $cpu_us"
}

echo "pmkpi-server vs nginx, POST /metrics/arpu, ${duration}s per run; server and nginx on CPU $server_cpu, wrk on CPU $wrk_cpu"
echo "body: ${#answer} bytes"
results=()
for c in $connections; do
  results+=("$(run nginx "$nginx_port" "$c" "$(nginx_worker)")")
  results+=("$(run pmkpi-server "$server_port" "$c" "$server_pid")")
done

printf '\n| server | connections | requests/s | vs nginx | p50 (ms) | p99 (ms) | errors | RSS (MiB) | CPU µs/request | vs nginx |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
declare -A nginx_rps nginx_cpu
for line in "${results[@]}"; do
  read -r name conns rps p50 p99 errors rss cpu <<<"$line"
  [[ $name == nginx ]] && nginx_rps[$conns]=$rps && nginx_cpu[$conns]=$cpu
  ratio=$(awk -v a="$rps" -v b="${nginx_rps[$conns]}" 'BEGIN { printf "%.0f%%", 100 * a / b }')
  # nginx's CPU per request over ours: the share of nginx's throughput a free core would give.
  cpu_ratio=$(awk -v a="$cpu" -v b="${nginx_cpu[$conns]}" 'BEGIN { printf "%.0f%%", 100 * b / a }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %.1f | %s | %s |\n' "$name" "$conns" "$rps" "$ratio" "$p50" "$p99" \
    "$errors" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$cpu" "$cpu_ratio"
done
echo
echo "server peak RSS over its life (VmHWM): $(awk '/^VmHWM/ {printf "%.1f MiB", $2/1024}' "/proc/$server_pid/status")"
echo "targets: >= 80% of nginx's requests/s and p99 < 5 ms at 100 connections, no errors, RSS < 64 MiB at 1000"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) (other programs on these cores lower both servers' requests/s)"
