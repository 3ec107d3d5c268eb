#!/bin/sh
# Renders a report.html of `placer report` in headless chromium and checks what a reader
# would get: the DOM has the three chart kinds and drawn lines, and a phone-width and a
# desktop screenshot come out non-trivial.
# Usage: html_render.sh REPORT.html OUT_DIR
# Writes OUT_DIR/report-phone.png (412 px wide) and OUT_DIR/report-desktop.png (1280 px).
# Exit: 0 all checks passed, 1 a check failed, 64 usage, 77 skipped (no chromium).
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 REPORT.html OUT_DIR" >&2
  exit 64
fi
report=$1
out_dir=$2
if [ ! -f "$report" ]; then
  echo "html_render: no such file: $report" >&2
  exit 64
fi

chromium=""
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null 2>&1; then
    chromium=$(command -v "$candidate")
    break
  fi
done
if [ -z "$chromium" ]; then
  echo "html_render: skipped: chromium is not installed"
  exit 77
fi

mkdir -p "$out_dir" || exit 1
abs_report=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
abs_out=$(cd "$out_dir" && pwd)
profile=$(mktemp -d) || exit 1
dom=$(mktemp) || exit 1
trap 'rm -rf "$profile" "$dom"' EXIT INT TERM

# One run of chromium: a fresh profile each time, no network, no first-run pages.
run_chromium() {
  "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --user-data-dir="$profile" --hide-scrollbars \
    --virtual-time-budget=2000 "$@" "file://$abs_report" 2>/dev/null
}

failed=0
check() {  # check DESCRIPTION COMMAND...
  description=$1
  shift
  if "$@"; then
    echo "ok    $description"
  else
    echo "FAIL  $description"
    failed=1
  fi
}

echo "html_render: $chromium on $abs_report"
run_chromium --dump-dom >"$dom"
check "the DOM dump is not empty" test -s "$dom"
for kind in traffic cost latency; do
  check "the DOM has an <svg> of class chart-$kind" \
    grep -q "<svg[^>]*class=\"[^\"]*chart-$kind" "$dom"
done
check "the DOM has a <polyline or a <path" grep -qE "<(polyline|path)[ >]" "$dom"
echo "      $(grep -o '<svg' "$dom" | wc -l) svg, $(grep -o '<polyline' "$dom" | wc -l) polyline," \
  "$(grep -o '<path' "$dom" | wc -l) path in the DOM"

for shot in phone:412,2000 desktop:1280,2000; do
  name=${shot%%:*}
  size=${shot#*:}
  png=$abs_out/report-$name.png
  rm -f "$png"
  run_chromium --screenshot="$png" --window-size="$size" >/dev/null
  bytes=$(wc -c <"$png" 2>/dev/null || echo 0)
  check "$name screenshot ($size) $png: $bytes bytes > 10240" test "$bytes" -gt 10240
done

if [ "$failed" -ne 0 ]; then
  echo "html_render: FAILED"
  exit 1
fi
echo "html_render: all checks passed"
