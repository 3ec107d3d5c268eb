// The bill for Kubernetes on EC2 (EKS): node-hours of one instance type at the on-demand
// price or a spot discount, plus the EKS control plane per cluster-hour (MODEL.md §4).
// Pure function; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "placer/cost/breakdown.hpp"
#include "placer/error.hpp"
#include "placer/pricing.hpp"

namespace placer {

enum class ControlPlane { none, standard, extended };
enum class Capacity { on_demand, spot };

// `nodes` nodes running for `time`; a schedule is a list of these.
struct NodeSpan {
  double nodes = 0;
  Hours time{0};
};

struct KubernetesUsage {
  std::string instance_type;
  std::vector<NodeSpan> node_spans;
  Hours cluster_time{0};  // control plane hours; usually the window's length
  ControlPlane control_plane = ControlPlane::standard;
  Capacity capacity = Capacity::on_demand;
  std::optional<double> spot_discount;  // fraction off on-demand; default: the catalog's
};

// Line items: nodes (node_hours at the instance type's rate, discounted for spot), then
// control_plane (cluster_hours) unless ControlPlane::none.
// Fails with not_found (`where` = "instance_type") for an instance type the catalog
// lacks, invalid_argument for negative nodes or hours (`where` = "node_spans[<i>]") or a
// spot discount outside [0, 1).
Result<CostBreakdown> kubernetes_cost(const KubernetesUsage& usage, const PricingCatalog& catalog);

}  // namespace placer
