// The manifest of `placer report`: the workloads a team runs, where their exports are and
// what placer should know about each. YAML (read with yaml-cpp) or JSON, the same schema:
//   version: 1
//   defaults: {region: us-east-1, slo: {p99_ms: 500}, margin_pct: 10, cost_view: dedicated,
//              what_if: [0.1, 0.5, 2, 10], seed: 1, ...any workload key}
//   workloads:
//     - name: checkout-api                 # unique; the row's name
//       current: kubernetes
//       inputs: [{path: exports/checkout.json, format: cloudwatch}]
//       select: checkout                   # the workload in the inputs (default: name)
//       runtime: python3.12
//       memory_mib: 512
//       set: {k8s.concurrency_per_pod: 8}
// A workload takes every key of a workload config (analysis/workload_config.hpp) over the
// defaults (objects such as slo and set merge key by key). Relative paths resolve against
// the manifest's folder. Unknown keys are errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "placer/analysis/workload_config.hpp"
#include "placer/error.hpp"

namespace placer::report {

// One input of a workload: a file and how to read it (the flags of `placer analyze`).
struct InputSpec {
  std::string path;  // resolved against the manifest's folder
  std::string format = "auto";
  std::string on_bad_row = "fail";
  std::string log_format;
  std::string series_kind;
  std::vector<std::string> series;
  std::string workload_label;
  std::optional<double> quantile;
  std::optional<double> step_seconds;
  std::string metric_query;  // resolved like path
  std::string as_workload;
};

struct ManifestWorkload {
  std::string name;
  std::vector<InputSpec> inputs;
  std::string select;  // the workload to take from the inputs when they hold several
  analysis::WorkloadConfig config;
  std::optional<double> margin_pct;
  std::optional<std::string> cost_view;  // "dedicated" or "shared"
  std::vector<double> what_if;
  std::uint64_t seed = 1;
};

struct Manifest {
  int version = 1;
  std::string name;    // the file's name
  std::string digest;  // FNV-1a 64 of its bytes, hex
  std::optional<std::string> region;
  std::vector<ManifestWorkload> workloads;
};

// The what-if multipliers of a report when the manifest names none: enough points for
// the cost-against-traffic chart.
inline const std::vector<double> k_report_what_if = {0.1, 0.25, 0.5, 2, 4, 10};

// Parses a manifest. `yaml` selects YAML (JSON is YAML too, but its errors read better
// from the JSON parser). Fails with parse naming `origin`, the line when known and the
// JSON path ("placer.yaml:12: $.workloads[2].memory_mib: expected a number").
Result<Manifest> parse_manifest(std::string_view text, std::string_view origin, bool yaml,
                                const std::string& base_dir);

// Reads `path` (at most 16 MiB); YAML unless it ends in .json.
Result<Manifest> load_manifest(const std::string& path);

// FNV-1a 64 of `bytes`, as 16 hex digits.
std::string fnv1a64_hex(std::string_view bytes);

}  // namespace placer::report
