// A workload's attributes as JSON: the `--workload-config` file of `placer analyze`, the
// `workload` object of POST /v1/analyze and a manifest entry of `placer report` share it:
//   {"name": "checkout", "runtime": "python3.12", "package": "zip" | "image",
//    "package_mib": 3, "memory_mib": 512, "cpu_bound_share": 0.3,
//    "concurrency_per_pod": 8, "pod_cpu_millicores": 500,
//    "slo": {"p99_ms": 500, "p95_ms": 200, "p50_ms": 50},
//    "current": "kubernetes", "existing_cluster": true,
//    "allowed": ["lambda", "kubernetes", "fargate"],
//    "discounts": {"lambda_pct": 0, "ec2_pct": 20, "fargate_pct": 0},
//    "set": {"lambda.keep_alive_s": 600}}
// Every key is optional; unknown keys are errors (a typo must not be ignored silently).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "placer/analysis/analysis.hpp"
#include "placer/error.hpp"

namespace placer::analysis {

struct WorkloadConfig {
  std::string name;  // empty: not given
  WorkloadAttributes attributes;
  std::vector<std::pair<std::string, double>> set;  // model parameter overrides, in order
};

// Fails with parse naming `origin` and the JSON path for a wrong type, an unknown key, an
// unknown platform or package, or a value out of range.
Result<WorkloadConfig> parse_workload_config(std::string_view json_text, std::string_view origin);

// Reads `path` (at most 1 MiB). Fails as parse_workload_config, or not_found / io.
Result<WorkloadConfig> load_workload_config(const std::string& path);

}  // namespace placer::analysis
