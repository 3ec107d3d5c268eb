#!/bin/sh
# `placer analyze` end to end on one month of per-minute counts: a CloudWatch
# get-metric-data export (Invocations Sum, Duration Average and p99 per minute, 30 days,
# a diurnal pattern around MEAN_RPS) generated here, then timed.
# Usage: bench/analyze_month.sh [PLACER_BINARY] [MEAN_RPS] [DIR]
set -eu
placer=${1:-build/bench/cli/placer}
mean_rps=${2:-10}
dir=${3:-build/bench/data}
mkdir -p "$dir"
file="$dir/cloudwatch-month-${mean_rps}rps.json"
if [ ! -s "$file" ]; then
  awk -v rps="$mean_rps" 'BEGIN {
    start = 1730419200; n = 30 * 1440
    printf "{\"MetricDataResults\": ["
    split("invocations duration_avg duration_p99", ids, " ")
    for (m = 1; m <= 3; m++) {
      printf "%s{\"Id\": \"%s\", \"Label\": \"%s\", \"StatusCode\": \"Complete\", \"Timestamps\": [", (m > 1 ? ", " : ""), ids[m], ids[m]
      for (i = n - 1; i >= 0; i--) printf "%s%d", (i < n - 1 ? ", " : ""), start + 60 * i
      printf "], \"Values\": ["
      for (i = n - 1; i >= 0; i--) {
        phase = 2 * 3.14159265 * (i % 1440) / 1440
        if (m == 1) v = int(60 * rps * (1 - 0.7 * cos(phase)) + 0.5)
        else if (m == 2) v = 80 + 20 * (1 - cos(phase))
        else v = 250 + 100 * (1 - cos(phase))
        printf "%s%s", (i < n - 1 ? ", " : ""), v
      }
      printf "]}"
    }
    printf "], \"Messages\": []}\n"
  }' > "$file"
fi
start=$(date +%s%N)
"$placer" analyze "$file" --memory-mib 512 --quiet > "$dir/analyze-month.txt"
end=$(date +%s%N)
echo "$start $end" | awk -v f="$file" '{ printf "placer analyze, 30 days of per-minute counts (%s): %.3f s\n", f, ($2 - $1) / 1e9 }'
/usr/bin/time -f "peak RSS %M KiB" "$placer" analyze "$file" --memory-mib 512 --quiet > /dev/null
tail -6 "$dir/analyze-month.txt"
