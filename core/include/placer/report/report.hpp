// The CI batch report (PRODUCT.md "CI", `placer report`): one row per manifest workload
// with what the gate and the pull-request comment need, the analysis document behind it,
// the change since a baseline report and the gate's findings. Every renderer (JSON,
// markdown, CSV, HTML) works from a Report, and a Report read back from report.json is the
// same Report: that is what makes `placer report merge` of shards equal a single run.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "placer/analysis/analysis.hpp"
#include "placer/error.hpp"
#include "placer/sim/workload_trace.hpp"

namespace placer::report {

// The best candidate of one platform (feasible and cheapest first), for tables and charts.
struct PlatformBest {
  std::string platform;  // "lambda", "kubernetes", "fargate"
  std::string config;    // "arm64 1024 MiB", "m6i.large, 4 pods/node", "500m/1024MiB pods"
  double monthly_cost_usd = 0;
  double p50_ms = 0;
  double p95_ms = 0;
  double p99_ms = 0;
  double p999_ms = 0;
  double mean_ms = 0;
  double cold_start_ratio = 0;
  bool slo_met = false;
};

// One point of the cost-against-traffic curve (the what-ifs and the observed traffic, x1).
struct CostPoint {
  double traffic_multiplier = 1;
  double lambda_monthly_cost_usd = 0;
  double kubernetes_monthly_cost_usd = 0;  // the cheaper feasible of Kubernetes and Fargate
};

// Requests per bin over the trace's window, at most k_max_traffic_bins bins.
struct TrafficSeries {
  double start_s = 0;  // UTC epoch seconds
  double bin_s = 60;
  std::vector<double> requests;
};
inline constexpr std::size_t k_max_traffic_bins = 240;

// What changed since the baseline report for this workload.
struct Change {
  bool baseline = false;  // the baseline had this workload
  std::optional<std::string> previous_recommended;     // platform, none: none feasible/error
  std::optional<double> previous_recommended_cost_usd;
  std::optional<bool> previous_current_slo_met;
  bool verdict_flipped = false;  // recommended platform differs from the baseline's
  std::string text;              // "new", "unchanged", "flipped lambda -> kubernetes", ...
};

// A gate rule that fired for a workload.
struct Finding {
  std::string rule;  // as the user wrote it: "misplaced>20%", "slo-breach", "verdict-flip"
  std::string text;  // "kubernetes costs $812.00/month, 64.2% over lambda ($494.50)"
};

struct Row {
  std::size_t index = 0;  // position in the manifest, from 0
  std::string name;
  bool ok = true;          // false: an error row (missing or broken input)
  std::string error;       // the one-line error of an error row
  std::string error_code;  // "parse", "not_found", ... (ErrorCode spelling)

  std::optional<std::string> current;      // where it runs today, as the manifest says
  std::optional<std::string> recommended;  // none: nothing feasible (or an error row)
  std::string verdict;                     // "clear", "toss-up", "none feasible"
  std::string recommended_config;
  std::optional<double> recommended_cost_usd;
  std::optional<double> current_cost_usd;  // the current platform's best
  std::optional<double> misplaced_pct;     // current over recommended, % of recommended;
                                           // set when current differs from recommended
  double savings_pct = 0;                  // recommended against the best alternative
  double slo_p99_ms = 0;
  bool slo_stated = false;
  std::optional<double> current_p99_ms;
  std::optional<bool> current_slo_met;  // none: no current platform or no candidate on it
  std::optional<double> break_even_multiplier;
  std::vector<std::string> reasons;

  // The trace, briefly.
  double requests = 0;
  double window_s = 0;
  double mean_rps = 0;
  double peak_rps = 0;

  std::vector<PlatformBest> platforms;  // lambda, kubernetes, fargate order; those evaluated
  std::vector<CostPoint> cost_curve;    // by traffic multiplier, ascending
  TrafficSeries traffic;

  Change change;
  std::vector<Finding> findings;
};

struct Summary {
  std::size_t workloads = 0;
  std::size_t errors = 0;
  std::size_t misplaced = 0;    // current set and differs from recommended
  std::size_t slo_breaches = 0;  // current platform misses the SLO
  std::size_t flips = 0;         // verdict flipped since the baseline
  std::size_t with_current = 0;
  double current_monthly_cost_usd = 0;      // sum over rows with a current cost
  double recommended_monthly_cost_usd = 0;  // the same rows, at the recommendation
  std::vector<std::string> removed;         // in the baseline, not in this manifest
  bool gate_failed = false;
  std::size_t findings = 0;
};

struct Report {
  // Provenance.
  std::string placer_version;
  std::string catalog_id;
  std::string catalog_date;
  std::string model_version;
  std::vector<std::string> models;
  std::string manifest_name;    // the manifest's file name
  std::string manifest_digest;  // FNV-1a 64 of its bytes, hex: shards of one manifest agree
  std::size_t manifest_workloads = 0;
  std::vector<std::string> fail_on;        // the gate's rules, as given
  std::optional<std::string> baseline;     // the baseline's file name
  std::optional<std::size_t> shard_index;  // a shard's I of I/N; none: the whole manifest
  std::size_t shard_count = 1;

  std::vector<Row> rows;             // manifest order
  std::vector<std::string> analyses;  // per row: its analysis object as JSON ("" for errors)
  Summary summary;
};

// The row of an analysed workload: the best per platform, the cost curve from the
// what-ifs, and the traffic binned to at most k_max_traffic_bins bins.
Row make_row(std::size_t index, const std::string& name, const analysis::Analysis& analysis,
             const sim::WorkloadTrace& trace);

// The row of a workload that could not be analysed.
Row error_row(std::size_t index, const std::string& name, const Error& error);

// The analysis object of one workload, as report.json embeds it.
std::string analysis_object_json(const analysis::Analysis& analysis);

// Platform best config text, as tables show it ("arm64 1024 MiB pc=2").
std::string config_text(const analysis::Candidate& candidate);

}  // namespace placer::report
