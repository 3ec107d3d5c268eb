#!/usr/bin/env python3
"""Writes a synthetic fleet for `placer report`: an Azure Functions 2019 file set
(per-minute invocation counts for one day, duration and memory percentiles) holding N
functions, and a manifest with one workload per function.

Usage: bench/report_fleet.py N DIR [SEED]

The functions cycle through four traffic shapes (steady, diurnal, bursty, sparse) with
mean rates spread log-uniformly from 0.01 to 3,000 invocations a minute; counts are
Poisson draws from a seeded generator, so the same N and SEED give the same bytes.
"""
import math
import os
import random
import sys


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam < 30:  # Knuth: multiply uniforms until below e^-lambda
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))  # normal approximation


def minute_rates(rng, shape, mean):
    if shape == "steady":
        return [mean] * 1440
    if shape == "diurnal":  # peak at 14:00, peak/trough 3
        amp = 0.5
        return [mean * (1 + amp * math.cos(2 * math.pi * (m - 840) / 1440)) for m in range(1440)]
    if shape == "bursty":  # 20-minute bursts every 3 hours
        on = [((m // 20) % 9) == 0 for m in range(1440)]
        share = sum(on) / 1440
        return [mean / share if o else 0.0 for o in on]
    return [mean if rng.random() < 0.05 else 0.0 for _ in range(1440)]  # sparse


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    os.makedirs(out, exist_ok=True)
    shapes = ["steady", "diurnal", "bursty", "sparse"]
    inv = open(os.path.join(out, "fleet_invocations.csv"), "w")
    dur = open(os.path.join(out, "fleet_durations.csv"), "w")
    mem = open(os.path.join(out, "fleet_memory.csv"), "w")
    man = open(os.path.join(out, "fleet.yaml"), "w")
    inv.write("HashOwner,HashApp,HashFunction,Trigger," + ",".join(str(m) for m in range(1, 1441)) + "\n")
    dur.write("HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,"
              "percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,"
              "percentile_Average_99,percentile_Average_100\n")
    mem.write("HashFunction,HashOwner,HashApp,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct1,"
              "AverageAllocatedMb_pct5,AverageAllocatedMb_pct25,AverageAllocatedMb_pct50,"
              "AverageAllocatedMb_pct75,AverageAllocatedMb_pct95,AverageAllocatedMb_pct99,"
              "AverageAllocatedMb_pct100\n")
    man.write("# A synthetic fleet written by bench/report_fleet.py: %d functions, one day each.\n" % n)
    man.write("version: 1\ndefaults:\n  region: us-east-1\n  inputs:\n")
    for f in ("fleet_invocations.csv", "fleet_durations.csv", "fleet_memory.csv"):
        man.write("    - {path: %s, format: azure2019}\n" % f)
    man.write("workloads:\n")
    for i in range(n):
        owner, app, func = "fleet", "app%05d" % i, "fn%05d" % i
        shape = shapes[i % 4]
        mean = 0.01 * (300000 ** rng.random())  # 0.01 to 3,000 a minute
        counts = [poisson(rng, lam) for lam in minute_rates(rng, shape, mean)]
        if sum(counts) == 0:
            counts[rng.randrange(1440)] = 1
        inv.write("%s,%s,%s,http,%s\n" % (owner, app, func, ",".join(map(str, counts))))
        median = 10 * (200 ** rng.random())  # 10 ms to 2 s
        p = [median * k for k in (0.3, 0.4, 0.7, 1, 1.5, 4, 6)]
        dur.write("%s,%s,%s,%.0f,%d,%.0f,%.0f,%s\n" % (owner, app, func, median * 1.2, sum(counts), p[0], p[-1],
                                                     ",".join("%.0f" % v for v in p)))
        mb = 64 * (2 ** rng.randrange(5))
        m = [mb * k for k in (0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3)]
        mem.write("%s,%s,%s,%d,%.1f,%s\n" % (func, owner, app, 1000, mb, ",".join("%.1f" % v for v in m)))
        current = "kubernetes" if i % 5 == 0 else "lambda"
        man.write("  - {name: %s-%s, select: %s/%s/%s, current: %s}\n" % (shape, func, owner, app, func, current))


if __name__ == "__main__":
    main()
