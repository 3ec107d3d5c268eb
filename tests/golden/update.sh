#!/bin/sh
# Regenerates the golden outputs from a built placer: review the diff before committing.
# Usage: tests/golden/update.sh [PLACER_BINARY]
set -eu
placer=${1:-build/ci/cli/placer}
tests=$(cd "$(dirname "$0")/.." && pwd)
grep -v '^#' "$tests/golden/cases.txt" | grep -v '^$' | while IFS='|' read -r name args; do
  args=$(printf '%s' "$args" | sed "s#\$TESTS#$tests#g")
  # shellcheck disable=SC2086
  "$placer" $args > "$tests/golden/$name.out"
  echo "wrote $tests/golden/$name.out"
done
