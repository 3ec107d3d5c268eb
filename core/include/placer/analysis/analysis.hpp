// The verdict (MODEL.md §6, PRODUCT.md "The answer must carry"): candidates on Lambda,
// Kubernetes and EKS Fargate, each simulated on the same trace and priced for a month; the
// cheapest feasible one recommended, with the verdict (clear or toss-up), the savings
// against the other platform, the break-even traffic, what-ifs, the one input that would
// flip it, and reasons computed from the numbers. Pure function of its inputs and the
// seed; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "placer/cost/breakdown.hpp"
#include "placer/error.hpp"
#include "placer/models.hpp"
#include "placer/pricing.hpp"
#include "placer/sim/latency.hpp"
#include "placer/sim/workload_trace.hpp"

namespace placer::analysis {

enum class Platform { lambda, kubernetes, fargate };
std::string_view to_string(Platform platform);  // "lambda", "kubernetes", "fargate"
Result<Platform> parse_platform(std::string_view name);

enum class CostView { dedicated, shared };
std::string_view to_string(CostView view);  // "dedicated", "shared"
Result<CostView> parse_cost_view(std::string_view name);

// What the user says about the workload (flags, a workload config, an API body). Unset
// values come from the trace or the model parameters.
struct WorkloadAttributes {
  std::string runtime = "python3.12";
  bool container_image = false;
  double package_mib = 0;                    // zipped dependencies loaded at init
  std::optional<double> memory_mib;          // memory the function uses / was measured at
  std::optional<double> cpu_bound_share;     // else lambda.cpu_bound_share
  std::optional<int> concurrency_per_pod;    // else k8s.concurrency_per_pod
  std::optional<double> pod_cpu_millicores;  // else k8s.pod_cpu_millicores
  std::optional<double> slo_p99_ms;          // else the larger of workload.slo_p99_ms and
                                             // analysis.default_slo_duration_factor x p99 duration
  std::optional<double> slo_p95_ms;
  std::optional<double> slo_p50_ms;
  std::optional<Platform> current;
  bool existing_cluster = false;             // a cluster runs already: shared view
  std::vector<Platform> allowed;             // empty: every platform
  double lambda_discount_pct = 0;            // savings plans, negotiated discounts
  double ec2_discount_pct = 0;
  double fargate_discount_pct = 0;
};

struct AnalysisOptions {
  std::vector<double> what_if = {0.5, 2, 10};
  std::uint64_t seed = 1;
  double margin_pct = 10;                 // toss-up when the platforms' best are this close
  std::optional<CostView> k8s_cost_view;  // else shared with an existing cluster
  double month_hours = 730;
  bool break_even = true;
  bool sensitivity = true;
};

struct Candidate {
  Platform platform = Platform::lambda;
  std::string id;           // "lambda/arm64/1024MiB/pc=0", "kubernetes/m6i.large", ...
  std::string description;  // for people
  // Configuration: Lambda (arch, memory, provisioned) or Kubernetes/Fargate (node type,
  // pod size, pods per node, concurrency per pod).
  std::string arch;
  double memory_mib = 0;
  int provisioned_concurrency = 0;
  std::string instance_type;
  double pod_cpu_millicores = 0;
  double pod_memory_mib = 0;
  int pods_per_node = 0;
  int concurrency_per_pod = 0;
  // Results, per month.
  double monthly_cost_usd = 0;       // in the view used for the verdict
  double dedicated_cost_usd = 0;     // Kubernetes: the cluster and nodes it needs
  double shared_cost_usd = 0;        // Kubernetes: its requested share of existing nodes
  CostBreakdown cost_breakdown;
  sim::LatencyPercentiles latency;
  double cold_start_ratio = 0;
  double throttle_ratio = 0;
  double utilization = 0;            // busy share of what is paid for
  double mean_replicas_or_environments = 0;
  bool slo_met = false;
  std::vector<std::string> infeasible;  // why not, when not feasible
  std::string engine;                   // the simulator engine that ran
  // The simulation's work: requests (event engine), bins (fluid model) or HPA syncs
  // (Kubernetes, Fargate) simulated one by one. It follows the requests, not the window.
  std::int64_t simulated_steps = 0;
};

struct WhatIf {
  double traffic_multiplier = 1;
  double mean_rps = 0;
  std::optional<Platform> platform;  // the cheaper feasible platform then (none: neither)
  double lambda_monthly_cost_usd = 0;
  double kubernetes_monthly_cost_usd = 0;
  bool lambda_slo_met = false;
  bool kubernetes_slo_met = false;
};

struct Flip {
  std::string input;   // "traffic", "duration", "node_price", "lambda_price", "slo_p99_ms"
  double factor = 0;   // multiply the input by this to flip the verdict (SLO: the value)
  std::string text;    // "traffic x4.2 (420 req/s) makes kubernetes cheaper"
};

struct Recommendation {
  std::optional<std::size_t> candidate;  // index into candidates; none: nothing feasible
  std::optional<std::size_t> best_alternative;  // best feasible of another platform
  double savings_pct = 0;                // against the best alternative
  std::string verdict;                   // "clear", "toss-up" or "none feasible"
  CostView cost_view = CostView::dedicated;
  std::vector<std::string> reasons;
  std::vector<Flip> flips_if;
};

struct TraceFacts {
  double requests = 0;
  double window_s = 0;
  double mean_rps = 0;
  double peak_rps = 0;  // busiest minute
  sim::LatencyPercentiles duration;
};

struct Analysis {
  std::string workload;
  TraceFacts trace;
  std::vector<Candidate> candidates;  // every candidate, cheapest first within a platform
  Recommendation recommendation;
  std::optional<double> break_even_multiplier;  // none: no crossing in [0.001, 1000]
  double break_even_mean_rps = 0;
  std::vector<WhatIf> what_if;
  std::optional<Platform> current;
  std::optional<double> current_monthly_cost_usd;  // the current platform's best
  double monthly_scale = 1;  // month_hours / window
  double slo_p99_ms = 0;     // the objective candidates were judged by
  bool slo_stated = false;   // false: the default
};

// Fails with invalid_argument for attributes or options out of range (`where` names them),
// and as the simulators and cost models do.
Result<Analysis> analyze(const sim::WorkloadTrace& trace, const WorkloadAttributes& attributes,
                         const AnalysisOptions& options, const ModelSet& models,
                         const PricingCatalog& catalog);

}  // namespace placer::analysis
