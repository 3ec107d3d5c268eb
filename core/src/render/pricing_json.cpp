#include "placer/render/pricing_json.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "placer/cost/allocatable.hpp"
#include "placer/version.hpp"

namespace placer {
namespace {

using ordered = nlohmann::ordered_json;

template <typename Rate>
ordered price(const Price<Rate>& p, const char* key) {
  return ordered{{key, p.rate.value()},
                 {"source", p.provenance.source},
                 {"retrieved_on", p.provenance.retrieved_on}};
}

ordered lambda_arch(const LambdaArchPrices& arch) {
  ordered tiers = ordered::array();
  for (const DurationTier& tier : arch.duration_tiers) {
    tiers.push_back(ordered{
        {"up_to_gib_seconds", std::isinf(tier.up_to.value()) ? ordered() : ordered(tier.up_to.value())},
        {"usd_per_gib_second", tier.rate.value()},
        {"source", tier.provenance.source},
        {"retrieved_on", tier.provenance.retrieved_on}});
  }
  return ordered{{"duration_tiers", tiers},
                 {"provisioned_concurrency", price(arch.provisioned_concurrency, "usd_per_gib_second")},
                 {"provisioned_duration", price(arch.provisioned_duration, "usd_per_gib_second")}};
}

}  // namespace

std::string pricing_json(const PricingCatalog& c) {
  const LambdaPrices& l = c.lambda;
  ordered lambda{
      {"requests", price(l.request, "usd_per_request")},
      {"architectures", ordered{{"x86_64", lambda_arch(l.x86_64)}, {"arm64", lambda_arch(l.arm64)}}},
      {"ephemeral_storage", price(l.ephemeral_storage, "usd_per_gib_second")},
      {"ephemeral_storage_included_mib", l.ephemeral_storage_included.value()},
      {"free_tier", ordered{{"requests", l.free_tier.requests.value()},
                            {"gib_seconds", l.free_tier.duration.value()},
                            {"source", l.free_tier.provenance.source},
                            {"retrieved_on", l.free_tier.provenance.retrieved_on}}},
      {"duration_increment_ms", l.duration_increment.count()},
      {"provisioned_increment_s", l.provisioned_increment.count()},
      {"memory_mib", ordered{{"min", l.memory_min.value()}, {"max", l.memory_max.value()}}}};
  ordered fargate_sizes = ordered::array();
  for (const FargateSize& size : c.fargate.sizes) {
    fargate_sizes.push_back(ordered{{"vcpu", vcpus(size.cpu)}, {"memory_mib", size.memory.value()}});
  }
  auto fargate_arch = [](const FargateArchPrices& a) {
    return ordered{{"vcpu", price(a.vcpu, "usd_per_vcpu_hour")},
                   {"memory", price(a.memory, "usd_per_gib_hour")},
                   {"available_on_eks", a.available_on_eks}};
  };
  ordered fargate{{"x86_64", fargate_arch(c.fargate.x86_64)},
                  {"arm64", fargate_arch(c.fargate.arm64)},
                  {"pod_overhead_mib", c.fargate.pod_overhead.value()},
                  {"minimum_billed_s", c.fargate.minimum_billed.count()},
                  {"billing_increment_s", c.fargate.billing_increment.count()},
                  {"sizes", fargate_sizes}};
  ordered types = ordered::array();
  for (const InstanceType& t : c.instance_types) {
    NodeAllocatable a = node_allocatable(t, c.eks.node_reservation);
    types.push_back(ordered{{"name", t.name},
                            {"arch", std::string{to_string(t.arch)}},
                            {"vcpu", vcpus(t.cpu)},
                            {"memory_mib", t.memory.value()},
                            {"max_pods", t.max_pods},
                            {"on_demand", price(t.on_demand, "usd_per_hour")},
                            {"kube_reserved_cpu_millicores", a.kube_reserved_cpu.value()},
                            {"kube_reserved_memory_mib", a.kube_reserved_memory.value()},
                            {"allocatable_cpu_millicores", a.cpu.value()},
                            {"allocatable_memory_mib", a.memory.value()}});
  }
  ordered doc{{"schema_version", k_output_schema_version},
              {"catalog", ordered{{"id", c.id}, {"date", c.date}}},
              {"provider", c.provider},
              {"region", c.region},
              {"currency", c.currency},
              {"sources", c.sources},
              {"lambda", lambda},
              {"eks", ordered{{"control_plane_standard", price(c.eks.control_plane_standard, "usd_per_cluster_hour")},
                              {"control_plane_extended", price(c.eks.control_plane_extended, "usd_per_cluster_hour")}}},
              {"fargate", fargate},
              {"ec2", ordered{{"instance_types", types},
                              {"spot_default_discount_fraction", c.spot.discount_fraction}}}};
  return doc.dump(2) + "\n";
}

}  // namespace placer
