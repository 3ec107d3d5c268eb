#include "placer/cost/kubernetes.hpp"

#include <cmath>
#include <cstdio>

namespace placer {

Result<CostBreakdown> kubernetes_cost(const KubernetesUsage& usage, const PricingCatalog& catalog) {
  const InstanceType* type = catalog.find_instance_type(usage.instance_type);
  if (type == nullptr) {
    std::string known;
    for (const InstanceType& t : catalog.instance_types) {
      known += (known.empty() ? "" : ", ") + t.name;
    }
    return fail(ErrorCode::not_found,
                "unknown instance type \"" + usage.instance_type + "\", the catalog has: " + known,
                "instance_type");
  }
  NodeHours node_hours{0};
  for (std::size_t i = 0; i < usage.node_spans.size(); ++i) {
    const NodeSpan& span = usage.node_spans[i];
    if (!std::isfinite(span.nodes) || !std::isfinite(span.time.count()) || span.nodes < 0 ||
        span.time < Hours{0}) {
      return fail(ErrorCode::invalid_argument, "nodes and hours must be non-negative",
                  "node_spans[" + std::to_string(i) + "]");
    }
    node_hours += NodeHours{span.nodes * span.time.count()};
  }
  if (!std::isfinite(usage.cluster_time.count()) || usage.cluster_time < Hours{0}) {
    return fail(ErrorCode::invalid_argument, "cluster hours must be non-negative", "cluster_time");
  }

  UsdPerNodeHour rate = type->on_demand.rate;
  std::string description = type->name + " nodes, on-demand";
  if (usage.capacity == Capacity::spot) {
    double discount = usage.spot_discount.value_or(catalog.spot.discount_fraction);
    if (!std::isfinite(discount) || discount < 0 || discount >= 1) {
      return fail(ErrorCode::invalid_argument, "spot discount must be in [0, 1)",
                  "spot_discount");
    }
    rate = rate * (1 - discount);
    char text[64];
    std::snprintf(text, sizeof text, "%.0f%%", discount * 100);
    description = type->name + " nodes, spot (" + text + " off on-demand)";
  }
  CostBreakdown out;
  out.platform = "kubernetes";
  out.line_items.push_back(LineItem{"nodes", description, rate * node_hours, node_hours.value(),
                                    "node_hours", rate.value(), 0});
  if (usage.control_plane != ControlPlane::none) {
    const bool extended = usage.control_plane == ControlPlane::extended;
    const Price<UsdPerClusterHour>& price =
        extended ? catalog.eks.control_plane_extended : catalog.eks.control_plane_standard;
    ClusterHours hours{usage.cluster_time.count()};
    out.line_items.push_back(LineItem{
        "control_plane",
        extended ? "EKS control plane, extended support" : "EKS control plane, standard support",
        price.rate * hours, hours.value(), "cluster_hours", price.rate.value(), 0});
  }
  if (!std::isfinite(out.total().value())) {
    return fail(ErrorCode::invalid_argument, "quantities too large to price", "usage");
  }
  return out;
}

}  // namespace placer
