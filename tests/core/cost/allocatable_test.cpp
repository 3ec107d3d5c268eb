// EKS allocatable per node type against the published table (shared reference PRICING.md
// §3, columns "kube-reserved" and "Karpenter allocatable", from Karpenter's
// instance-types reference page, 2026-07-11): an independent source for the formulas.
#include "placer/cost/allocatable.hpp"

#include <gtest/gtest.h>

#include "../../test_catalog.hpp"

namespace placer {
namespace {

struct Expected {
  const char* type;
  int max_pods;
  double reserved_cpu_m;
  double reserved_memory_mib;
  double allocatable_cpu_m;
  double allocatable_memory_mib;
};

constexpr Expected k_table[] = {
    {"m5.large", 29, 70, 574, 1930, 6903},    {"m5.xlarge", 58, 80, 893, 3920, 14162},
    {"m6i.large", 29, 70, 574, 1930, 6903},   {"m6i.xlarge", 58, 80, 893, 3920, 14162},
    {"m7i.large", 29, 70, 574, 1930, 6903},   {"c6i.large", 29, 70, 574, 1930, 3114},
    {"c7g.large", 29, 70, 574, 1930, 3055},   {"m6g.large", 29, 70, 574, 1930, 6844},
    {"m7g.large", 29, 70, 574, 1930, 6844},   {"t3.medium", 17, 70, 442, 1930, 3246},
    {"t3.large", 35, 70, 640, 1930, 6837},    {"r6i.large", 29, 70, 574, 1930, 14481},
};

TEST(NodeAllocatable, MatchesThePublishedTableForEveryCatalogNodeType) {
  const PricingCatalog& catalog = testing::bundled_catalog();
  ASSERT_EQ(catalog.instance_types.size(), std::size(k_table));
  for (const Expected& e : k_table) {
    SCOPED_TRACE(e.type);
    const InstanceType* type = catalog.find_instance_type(e.type);
    ASSERT_NE(type, nullptr);
    NodeAllocatable a = node_allocatable(*type, catalog.eks.node_reservation);
    EXPECT_EQ(a.max_pods, e.max_pods);
    EXPECT_DOUBLE_EQ(a.kube_reserved_cpu.value(), e.reserved_cpu_m);
    EXPECT_DOUBLE_EQ(a.kube_reserved_memory.value(), e.reserved_memory_mib);
    EXPECT_DOUBLE_EQ(a.cpu.value(), e.allocatable_cpu_m);
    EXPECT_DOUBLE_EQ(a.memory.value(), e.allocatable_memory_mib);
  }
}

TEST(NodeAllocatable, KubeReservedCpuFollowsTheCoreBands) {
  // nodeadm: 6% of core 1, 1% of core 2, 0.5% of cores 3-4, 0.25% of every core above 4.
  const NodeReservation& rules = testing::bundled_catalog().eks.node_reservation;
  EXPECT_DOUBLE_EQ(kube_reserved_cpu(Millicores{1000}, rules).value(), 60);
  EXPECT_DOUBLE_EQ(kube_reserved_cpu(Millicores{8000}, rules).value(), 90);   // 80 + 4 x 2.5
  EXPECT_DOUBLE_EQ(kube_reserved_cpu(Millicores{96000}, rules).value(), 310);  // 80 + 92 x 2.5
}

TEST(NodeAllocatable, KubeReservedMemoryIsElevenPerPodPlus255) {
  const NodeReservation& rules = testing::bundled_catalog().eks.node_reservation;
  EXPECT_DOUBLE_EQ(kube_reserved_memory(110, rules).value(), 1465);
}

}  // namespace
}  // namespace placer
