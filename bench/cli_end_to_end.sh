#!/bin/sh
# End-to-end wall time of `placer cost lambda` (process start, catalog load, pricing,
# output), averaged over N runs. Usage: bench/cli_end_to_end.sh [PLACER_BINARY] [N]
set -eu
placer=${1:-build/bench/cli/placer}
runs=${2:-200}
start=$(date +%s%N)
i=0
while [ "$i" -lt "$runs" ]; do
  "$placer" cost lambda --memory-mib 1536 --requests 3000000 --duration-ms 120 --free-tier \
    --output json >/dev/null
  i=$((i + 1))
done
end=$(date +%s%N)
echo "placer cost lambda: $runs runs, mean $(( (end - start) / runs / 1000 )) us per run"
