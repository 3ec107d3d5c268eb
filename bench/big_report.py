#!/usr/bin/env python3
"""Writes a large report.json for timing its readers (`placer report --baseline`, `report merge`):
the entries of a real report repeated under new names until N workloads.

Usage: bench/big_report.py SOURCE_REPORT_JSON N OUT_JSON
  e.g. placer report -m examples/placer.yaml -d /tmp/ex -q
       bench/big_report.py /tmp/ex/report.json 10000 /tmp/big-report.json
"""
import copy
import json
import sys


def main() -> None:
    source, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(source, encoding="utf-8") as f:
        report = json.load(f)
    entries = report["workloads"]
    if not entries:
        sys.exit("the source report has no workloads")
    workloads = []
    for i in range(count):
        entry = copy.deepcopy(entries[i % len(entries)])
        entry["index"] = i
        entry["name"] = f"w{i:05d}-{entries[i % len(entries)]['name']}"
        workloads.append(entry)
    report["workloads"] = workloads
    report["manifest"]["workloads"] = count
    report["summary"]["workloads"] = count
    with open(out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
