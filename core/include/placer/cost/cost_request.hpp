// The quick calculator's request: a workload given as summary numbers (requests a month,
// mean duration, memory, nodes...) for one platform, and the one function that prices it.
// `placer cost` builds a CostRequest from its flags and the service's POST /v1/cost from
// its JSON body (the same fields in snake_case), so both answer the same for the same input.
// Plain values; price() is pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "placer/cost/breakdown.hpp"
#include "placer/error.hpp"
#include "placer/pricing.hpp"

namespace placer {

// `placer cost lambda`: durations are per invocation, requests per month.
struct LambdaCostRequest {
  std::string arch = "x86_64";
  double memory_mib = 0;
  double ephemeral_storage_mib = 512;
  double requests = 0;
  double duration_ms = 0;
  double cold_starts = 0;
  double init_duration_ms = 0;
  double pc_count = 0;
  double pc_hours = 0;
  double pc_requests = 0;
  double pc_duration_ms = 0;
  bool free_tier = false;
};

// `placer cost kubernetes`: exactly one of `nodes`, `node_schedule` ("3:500,5:230": 3
// nodes for 500 h, then 5 for 230 h) or `pods` (> 0, bin-packed with their requests).
struct KubernetesCostRequest {
  std::string instance_type;
  std::optional<double> nodes;
  double hours = 730;
  std::string node_schedule;
  double pods = 0;
  double pod_vcpu = 0;
  double pod_memory_mib = 0;
  double daemonset_vcpu = 0;
  double daemonset_memory_mib = 0;
  int daemonset_pods = 0;
  bool no_control_plane = false;
  bool extended_support = false;
  bool spot = false;
  std::optional<double> spot_discount;  // fraction off on-demand; default: the catalog's
};

// `placer cost fargate`.
struct FargateCostRequest {
  double vcpu = 0.25;
  double memory_mib = 0;
  double pods = 1;
  double hours = 730;
};

using CostRequest = std::variant<LambdaCostRequest, KubernetesCostRequest, FargateCostRequest>;

// The bill for `request` at `catalog`'s prices, with notes saying how the quantities were
// derived (the free tier, the bin-packing, Fargate's rounding up).
// Fails with invalid_argument when a number is negative or not finite (`where` = the
// field's snake_case name), for an unknown arch, a malformed node_schedule, not exactly
// one node source, or a fractional or huge pod count; not_found for an instance type the
// catalog lacks (`where` = "instance_type"); and as lambda_cost, kubernetes_cost,
// pack_pods and fargate_cost do.
Result<CostBreakdown> price(const CostRequest& request, const PricingCatalog& catalog);

}  // namespace placer
