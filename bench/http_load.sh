#!/bin/sh
# Load on `placer serve` with wrk, against 127.0.0.1 only, each run bounded in time:
#   GET /healthz and POST /v1/analyze (a one-day per-minute trace, 1,440 rows) at 2, 16 and
#   64 connections; then analyze with malformed bodies mixed in (every 4th), and with 10 MB
#   bodies (a 10 MB CSV trace) mixed in (every 8th).
# Prints one row per run: requests/s, p50/p99 latency, errors (socket errors, timeouts and
# unexpected statuses; the malformed bodies' 400s are expected) and the server's peak RSS
# so far (VmHWM). Results go to docs/PERFORMANCE.md ("HTTP service").
# Usage: bench/http_load.sh [PLACER_BINARY] ; DURATION=10s THREADS=2 to change the defaults.
set -eu
placer=${1:-build/bench/cli/placer}
duration=${DURATION:-10s}
wrk_threads=${THREADS:-2}
command -v wrk >/dev/null || { echo "http_load: wrk is missing (apt-get install wrk)" >&2; exit 69; }
[ -x "$placer" ] || { echo "http_load: no placer binary at $placer" >&2; exit 66; }

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# One day, one row a minute: [timestamp_s, duration_ms].
awk 'BEGIN {
  printf "{\"workload\": {\"memory_mib\": 512}, \"trace\": {\"format\": \"requests\", \"requests\": ["
  for (i = 0; i < 1440; i++) printf "%s[%d, %d]", (i ? ", " : ""), 1700000000 + 60 * i, 80 + (i * 37) % 120
  printf "]}}"
}' > "$work/day.json"
# A 10 MB CSV trace: about 530,000 requests (streamed: attributes in the query string).
awk 'BEGIN { print "timestamp,duration_ms"; t = 1700000000.0
  while (bytes < 10485760) { t += 0.2335; line = sprintf("%.4f,%d", t, 50 + (n++ * 13) % 200); print line; bytes += length(line) + 1 } }' \
  > "$work/big.csv"

# A request script: `body` every time, or `other` (with its content type) every `every`-th.
# It counts statuses: 2xx, the expected 400 of a malformed body, and anything else.
cat > "$work/load.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
local function slurp(path) local f = assert(io.open(path, "rb")); local s = f:read("*a"); f:close(); return s end
function init(args)
  body = slurp(args[1]); content_type = args[2]
  other = args[3] and slurp(args[3]) or nil; other_type = args[4]; every = tonumber(args[5] or "0")
  expect_other = tonumber(args[6] or "200"); other_path = args[7] or wrk.path
  n = 0; ok = 0; expected = 0; unexpected = 0; sent_other = false
end
function request()
  n = n + 1
  sent_other = other ~= nil and every > 0 and n % every == 0
  if sent_other then
    return wrk.format("POST", other_path, {["Content-Type"] = other_type}, other)
  end
  return wrk.format("POST", wrk.path, {["Content-Type"] = content_type}, body)
end
function response(status, headers, b)
  if status >= 200 and status < 300 then ok = ok + 1
  elseif status == expect_other then expected = expected + 1
  else unexpected = unexpected + 1 end
end
function done(summary, latency, requests)
  local ok_sum, expected_sum, unexpected_sum = 0, 0, 0
  for _, t in ipairs(threads) do
    ok_sum = ok_sum + (t:get("ok") or 0); expected_sum = expected_sum + (t:get("expected") or 0)
    unexpected_sum = unexpected_sum + (t:get("unexpected") or 0)
  end
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.timeout + e.status - expected_sum,
    expected_sum, ok_sum))
end
LUA
cat > "$work/get.lua" <<'LUA'
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.2f %.2f %d 0 %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.timeout + e.status,
    summary.requests))
end
LUA
printf '{"workload": {"memory_mib": 512}, "trace": {"format": "requests", "requests": [[1, 2],' \
  > "$work/malformed.json"

: > "$work/server.log"
"$placer" serve --listen 127.0.0.1:0 --max-body-mib 64 2> "$work/server.log" &
server_pid=$!
port=""
for _ in $(seq 50); do
  port=$(sed -n 's/.*"event": "listening".*"port": \([0-9]*\).*/\1/p' "$work/server.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "http_load: the server did not start" >&2; cat "$work/server.log" >&2; exit 70; }
base="http://127.0.0.1:$port"
threads=$(sed -n 's/.*"threads": \([0-9]*\).*/\1/p' "$work/server.log")
echo "placer serve on 127.0.0.1:$port, $threads threads; wrk -t$wrk_threads -d$duration; $(nproc) cores"
printf '%-44s %5s %10s %9s %9s %7s %9s %9s\n' run conns "req/s" "p50 ms" "p99 ms" errors "expected" "VmHWM MiB"

hwm() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status"; }
# run NAME CONNECTIONS wrk-args...
run() {
  name=$1; conns=$2; shift 2
  out=$(wrk -t"$wrk_threads" -c"$conns" -d"$duration" --timeout 30s "$@" 2>&1) || true
  set -- $(printf '%s\n' "$out" | sed -n 's/^RESULT //p')
  if [ $# -lt 6 ]; then echo "$name: wrk failed: $out" >&2; return; fi
  printf '%-44s %5s %10s %9s %9s %7s %9s %9s\n' "$name" "$conns" "$1" "$2" "$3" "$4" "$5" "$(hwm)"
}

for c in 2 16 64; do
  run "GET /healthz" "$c" -s "$work/get.lua" "$base/healthz"
done
for c in 2 16 64; do
  run "POST /v1/analyze (1,440 rows)" "$c" -s "$work/load.lua" "$base/v1/analyze" -- \
    "$work/day.json" application/json
done
run "POST /v1/analyze + 1/4 malformed (400)" 16 -s "$work/load.lua" "$base/v1/analyze" -- \
  "$work/day.json" application/json "$work/malformed.json" application/json 4 400
run "POST /v1/analyze + 1/8 10 MB CSV traces" 16 -s "$work/load.lua" "$base/v1/analyze" -- \
  "$work/day.json" application/json "$work/big.csv" text/csv 8 200 "/v1/analyze?memory_mib=512"
run "POST /v1/analyze 10 MB CSV traces only" 16 -s "$work/load.lua" "$base/v1/analyze?memory_mib=512" -- \
  "$work/big.csv" text/csv
run "GET /healthz after all that" 2 -s "$work/get.lua" "$base/healthz"
kill -TERM "$server_pid"
wait "$server_pid" && echo "server exited 0 on SIGTERM" || echo "server exited $?"
server_pid=""
