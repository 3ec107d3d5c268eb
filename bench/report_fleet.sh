#!/bin/sh
# `placer report` over a synthetic fleet: N functions of one day of per-minute counts each
# (bench/report_fleet.py, seeded), with --jobs JOBS; prints the wall time and peak RSS and
# writes them to DIR/report-fleet-N.txt.
# Usage: bench/report_fleet.sh [PLACER_BINARY] [N] [JOBS] [DIR]
set -eu
placer=${1:-build/bench/cli/placer}
n=${2:-10000}
jobs=${3:-2}
dir=${4:-build/bench/fleet-$n}
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -s "$dir/fleet.yaml" ]; then
  python3 "$here/report_fleet.py" "$n" "$dir"
fi
rm -rf "$dir/out"
/usr/bin/time -f "%e %M" -o "$dir/time.txt" "$placer" report --manifest "$dir/fleet.yaml" \
  --out-dir "$dir/out" --jobs "$jobs" --quiet > "$dir/summary.txt" || true
read -r wall_s rss_kib < "$dir/time.txt"
{
  echo "placer report, $n workloads of one day of per-minute counts, --jobs $jobs:"
  echo "  wall $wall_s s, peak RSS $((rss_kib / 1024)) MiB, $(awk -v n="$n" -v w="$wall_s" 'BEGIN { printf "%.1f", n / w }') workloads/s"
  echo "  report.json $(($(wc -c < "$dir/out/report.json") / 1048576)) MiB, report.html $(($(wc -c < "$dir/out/report.html") / 1048576)) MiB, report.md $(wc -c < "$dir/out/report.md") bytes"
  head -1 "$dir/summary.txt"
} | tee "$dir/report-fleet-$n.txt"
