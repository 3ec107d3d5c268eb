#!/bin/sh
# Parse speed of placer's request log, against `wc -l` on the same file in the same run.
# Generates a CSV and a JSON Lines file of SIZE_MB each (default 1024) in DIR (default
# build/bench/data), then times `placer trace summarize` and `wc -l` on each and prints
# MB/s, the ratio, and placer's peak resident memory, on one thread and on every core (the
# default). Times are the best of 3 runs each.
# Usage: bench/ingest_throughput.sh [PLACER_BINARY] [SIZE_MB] [DIR]
set -eu
placer=${1:-build/bench/cli/placer}
size_mb=${2:-1024}
dir=${3:-build/bench/data}
mkdir -p "$dir"
csv="$dir/requests-${size_mb}MB.csv"
jsonl="$dir/requests-${size_mb}MB.jsonl"
bytes=$((size_mb * 1024 * 1024))

# Rows: a request every ~5 ms over days, durations 1-2000 ms, memory 128-1024 MiB,
# 8 workloads. Deterministic (no random seed needed).
if [ ! -s "$csv" ]; then
  awk -v bytes="$bytes" 'BEGIN {
    print "timestamp,duration_ms,memory_mib,workload,status"; n = 60
    for (i = 0; n < bytes; i++) {
      line = sprintf("%.3f,%.2f,%d,svc-%d,%d", 1700000000 + i * 0.005, (i * 7919) % 200000 / 100 + 1,
                     128 + (i % 8) * 128, i % 8, (i % 97 == 0) ? 500 : 200)
      print line; n += length(line) + 1
    } }' > "$csv"
fi
if [ ! -s "$jsonl" ]; then
  awk -v bytes="$bytes" 'BEGIN {
    n = 0
    for (i = 0; n < bytes; i++) {
      line = sprintf("{\"timestamp\":%.3f,\"duration_ms\":%.2f,\"memory_mib\":%d,\"workload\":\"svc-%d\",\"status\":%d}",
                     1700000000 + i * 0.005, (i * 7919) % 200000 / 100 + 1, 128 + (i % 8) * 128, i % 8,
                     (i % 97 == 0) ? 500 : 200)
      print line; n += length(line) + 1
    } }' > "$jsonl"
fi

seconds() { # runs "$@" 3 times, prints the fastest run's elapsed seconds (the machine may be shared)
  best=""
  for _ in 1 2 3; do
    start=$(date +%s%N); "$@" >/dev/null; end=$(date +%s%N)
    best=$(echo "$start $end $best" | awk '{ t = ($2 - $1) / 1e9; if ($3 != "" && $3 < t) t = $3; printf "%.3f", t }')
  done
  echo "$best"
}
cores=$(nproc)
for f in "$csv" "$jsonl"; do
  mb=$(stat -c %s "$f" | awk '{ printf "%.1f", $1 / 1048576 }')
  cat "$f" > /dev/null  # warm the page cache for both
  wc_s=$(seconds wc -l "$f")
  # One thread, then placer's default: the file in parts on every core.
  for threads in 1 "$cores"; do
    placer_s=$(seconds "$placer" trace summarize "$f" --output json --threads "$threads")
    rss_kb=$(/usr/bin/time -f %M "$placer" trace summarize "$f" --output json --threads "$threads" 2>&1 >/dev/null | tail -n 1)
    echo "$f $mb $wc_s $placer_s $rss_kb $threads" | awk '{
      printf "%s: %s MB; wc -l %.2f s (%.0f MB/s); placer --threads %d %.2f s (%.0f MB/s); ratio %.2f of wc -l; peak RSS %.1f MiB\n",
             $1, $2, $3, $2 / $3, $6, $4, $2 / $4, $3 / $4, $5 / 1024 }'
  done
done
