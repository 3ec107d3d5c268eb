#include "placer/cost/cost_request.hpp"

#include <cmath>
#include <initializer_list>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "placer/cost/bin_packing.hpp"
#include "placer/cost/fargate.hpp"
#include "placer/cost/kubernetes.hpp"
#include "placer/cost/lambda.hpp"
#include "placer/render/quantity.hpp"

namespace placer {
namespace {

using Field = std::pair<double, const char*>;

Result<void> check_non_negative(std::initializer_list<Field> fields) {
  for (const auto& [value, name] : fields) {
    if (!std::isfinite(value) || value < 0) {
      return fail(ErrorCode::invalid_argument,
                  "must be a finite non-negative number, found " + format_quantity(value, 6), name);
    }
  }
  return {};
}

// --- lambda -------------------------------------------------------------------------------

Result<CostBreakdown> price_lambda(const LambdaCostRequest& r, const PricingCatalog& catalog) {
  if (auto ok = check_non_negative({{r.memory_mib, "memory_mib"},
                                    {r.ephemeral_storage_mib, "ephemeral_storage_mib"},
                                    {r.requests, "requests"},
                                    {r.duration_ms, "duration_ms"},
                                    {r.cold_starts, "cold_starts"},
                                    {r.init_duration_ms, "init_duration_ms"},
                                    {r.pc_count, "pc_count"},
                                    {r.pc_hours, "pc_hours"},
                                    {r.pc_requests, "pc_requests"},
                                    {r.pc_duration_ms, "pc_duration_ms"}});
      !ok) {
    return tl::unexpected(ok.error());
  }
  auto arch = parse_arch(r.arch);
  if (!arch) {
    Error error = arch.error();
    error.where = "arch";
    return tl::unexpected(error);
  }
  const LambdaPrices& prices = catalog.lambda;
  LambdaUsage usage;
  usage.arch = *arch;
  usage.memory = MiB{r.memory_mib};
  usage.ephemeral_storage = MiB{r.ephemeral_storage_mib};
  usage.requests = Requests{r.requests};
  usage.billed_duration = billed_duration(usage.requests, Millis{r.duration_ms}, prices);
  usage.cold_starts = Requests{r.cold_starts};
  usage.billed_init_duration =
      billed_duration(usage.cold_starts, Millis{r.init_duration_ms}, prices);
  usage.provisioned.environments = r.pc_count;
  usage.provisioned.enabled = Hours{r.pc_hours};
  usage.provisioned.requests = Requests{r.pc_requests};
  usage.provisioned.billed_duration =
      billed_duration(usage.provisioned.requests, Millis{r.pc_duration_ms}, prices);
  usage.free_tier = r.free_tier ? FreeTier::on : FreeTier::off;
  auto bill = lambda_cost(usage, prices);
  if (bill) {
    bill->notes.push_back(std::string{"free tier "} + (r.free_tier ? "applied" : "not applied") +
                          (r.free_tier ? "" : " (--free-tier to apply it)"));
  }
  return bill;
}

// --- kubernetes ---------------------------------------------------------------------------

// "3:500,5:230" -> {3 nodes for 500 h, 5 nodes for 230 h}
Result<std::vector<NodeSpan>> parse_schedule(const std::string& text) {
  std::vector<NodeSpan> spans;
  std::stringstream in{text};
  std::string item;
  while (std::getline(in, item, ',')) {
    auto colon = item.find(':');
    NodeSpan span;
    std::size_t used_nodes = 0;
    std::size_t used_hours = 0;
    try {
      if (colon == std::string::npos) {
        throw std::invalid_argument{"no colon"};
      }
      span.nodes = std::stod(item.substr(0, colon), &used_nodes);
      span.time = Hours{std::stod(item.substr(colon + 1), &used_hours)};
    } catch (const std::exception&) {
      used_nodes = 0;
    }
    if (used_nodes == 0 || used_nodes != colon || used_hours != item.size() - colon - 1 ||
        !std::isfinite(span.nodes) || !std::isfinite(span.time.count()) || span.nodes < 0 ||
        span.time < Hours{0}) {
      return fail(
          ErrorCode::invalid_argument,
          "expected NODES:HOURS[,NODES:HOURS...] with non-negative numbers, found \"" + item + "\"",
          "node_schedule");
    }
    spans.push_back(span);
  }
  if (spans.empty()) {
    return fail(ErrorCode::invalid_argument, "empty schedule, expected NODES:HOURS[,...]",
                "node_schedule");
  }
  return spans;
}

Result<CostBreakdown> price_kubernetes(const KubernetesCostRequest& r,
                                       const PricingCatalog& catalog) {
  if (auto ok = check_non_negative({{r.nodes.value_or(0), "nodes"},
                                    {r.hours, "hours"},
                                    {r.pods, "pods"},
                                    {r.pod_vcpu, "pod_vcpu"},
                                    {r.pod_memory_mib, "pod_memory_mib"},
                                    {r.daemonset_vcpu, "daemonset_vcpu"},
                                    {r.daemonset_memory_mib, "daemonset_memory_mib"},
                                    {static_cast<double>(r.daemonset_pods), "daemonset_pods"},
                                    {r.spot_discount.value_or(0), "spot_discount"}});
      !ok) {
    return tl::unexpected(ok.error());
  }
  KubernetesUsage usage;
  usage.instance_type = r.instance_type;
  usage.cluster_time = Hours{r.hours};
  usage.control_plane = r.no_control_plane   ? ControlPlane::none
                        : r.extended_support ? ControlPlane::extended
                                             : ControlPlane::standard;
  usage.capacity = r.spot ? Capacity::spot : Capacity::on_demand;
  usage.spot_discount = r.spot_discount;
  std::vector<std::string> notes;
  const int sources = r.nodes.has_value() + !r.node_schedule.empty() + (r.pods > 0);
  if (sources != 1) {
    return fail(ErrorCode::invalid_argument,
                "give exactly one of --nodes, --node-schedule or --pods", "flags");
  }
  if (!r.node_schedule.empty()) {
    auto spans = parse_schedule(r.node_schedule);
    if (!spans) {
      return tl::unexpected(spans.error());
    }
    usage.node_spans = *spans;
    Hours longest{0};
    for (const NodeSpan& span : usage.node_spans) {
      longest += span.time;
    }
    usage.cluster_time = longest;
  } else if (r.nodes) {
    usage.node_spans.push_back(NodeSpan{*r.nodes, Hours{r.hours}});
  } else {
    const InstanceType* type = catalog.find_instance_type(r.instance_type);
    if (type == nullptr) {
      return kubernetes_cost(usage, catalog);  // fails with not_found, naming the type
    }
    if (r.pods != std::floor(r.pods) || r.pods > 1e6) {
      return fail(ErrorCode::invalid_argument, "expected a whole number of pods up to 1,000,000",
                  "pods");
    }
    NodeAllocatable node = node_allocatable(*type, catalog.eks.node_reservation);
    std::vector<PodRequest> pods(
        static_cast<std::size_t>(r.pods),
        PodRequest{Millicores{r.pod_vcpu * k_millicores_per_vcpu}, MiB{r.pod_memory_mib}});
    NodeOverhead overhead{Millicores{r.daemonset_vcpu * k_millicores_per_vcpu},
                          MiB{r.daemonset_memory_mib}, r.daemonset_pods};
    auto packing = pack_pods(pods, node, overhead);
    if (!packing) {
      return tl::unexpected(packing.error());
    }
    usage.node_spans.push_back(
        NodeSpan{static_cast<double>(packing->node_count()), Hours{r.hours}});
    notes.push_back(format_quantity(r.pods) + " pods of " + format_quantity(r.pod_vcpu * 1000, 0) +
                    "m CPU / " + format_quantity(r.pod_memory_mib) + " MiB packed first-fit onto " +
                    std::to_string(packing->node_count()) + " " + type->name +
                    " nodes (allocatable " + format_quantity(node.cpu.value()) + "m / " +
                    format_quantity(node.memory.value()) + " MiB, " +
                    std::to_string(node.max_pods) + " pods per node)");
  }
  auto bill = kubernetes_cost(usage, catalog);
  if (bill) {
    bill->notes.insert(bill->notes.end(), notes.begin(), notes.end());
  }
  return bill;
}

// --- fargate ------------------------------------------------------------------------------

Result<CostBreakdown> price_fargate(const FargateCostRequest& r, const PricingCatalog& catalog) {
  if (auto ok = check_non_negative(
          {{r.vcpu, "vcpu"}, {r.memory_mib, "memory_mib"}, {r.pods, "pods"}, {r.hours, "hours"}});
      !ok) {
    return tl::unexpected(ok.error());
  }
  FargateUsage usage;
  usage.cpu = Millicores{r.vcpu * k_millicores_per_vcpu};
  usage.memory = MiB{r.memory_mib};
  usage.pods = r.pods;
  usage.run_time_each = Hours{r.hours};
  auto bill = fargate_cost(usage, catalog.fargate);
  if (bill) {
    auto size = fargate_billed_size(usage.cpu, usage.memory, catalog.fargate);
    bill->notes.push_back("a pod requesting " + format_quantity(r.vcpu) + " vCPU / " +
                          format_quantity(r.memory_mib) + " MiB is billed as " +
                          format_quantity(vcpus(size->cpu)) + " vCPU / " +
                          format_quantity(gib(size->memory)) + " GB (request + " +
                          format_quantity(catalog.fargate.pod_overhead.value()) +
                          " MiB, rounded up to a supported size)");
  }
  return bill;
}

}  // namespace

Result<CostBreakdown> price(const CostRequest& request, const PricingCatalog& catalog) {
  return std::visit(
      [&catalog](const auto& r) -> Result<CostBreakdown> {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, LambdaCostRequest>) {
          return price_lambda(r, catalog);
        } else if constexpr (std::is_same_v<T, KubernetesCostRequest>) {
          return price_kubernetes(r, catalog);
        } else {
          return price_fargate(r, catalog);
        }
      },
      request);
}

}  // namespace placer
