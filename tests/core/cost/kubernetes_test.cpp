// EKS on EC2 against the shared reference's monthly figures (PRICING.md §3: $/mo at 730 h
// per node type; control plane $73.00 and $438.00 a month, matching infracost's golden).
#include "placer/cost/kubernetes.hpp"

#include <gtest/gtest.h>

#include "../../test_catalog.hpp"

namespace placer {
namespace {

const PricingCatalog& catalog() { return testing::bundled_catalog(); }

KubernetesUsage three_nodes(const char* type) {
  KubernetesUsage u;
  u.instance_type = type;
  u.node_spans = {NodeSpan{3, Hours{730}}};
  u.cluster_time = Hours{730};
  return u;
}

TEST(KubernetesCost, ThreeM6iLargeNodesAndAControlPlaneForAMonth) {
  auto bill = kubernetes_cost(three_nodes("m6i.large"), catalog());
  ASSERT_TRUE(bill) << describe(bill.error());
  ASSERT_EQ(bill->line_items.size(), 2u);
  EXPECT_NEAR(bill->line_items[0].cost.value(), 3 * 70.08, 0.01);
  EXPECT_NEAR(bill->line_items[1].cost.value(), 73.00, 0.01);
  EXPECT_NEAR(bill->total().value(), 283.24, 0.01);
}

TEST(KubernetesCost, MonthlyNodePriceMatchesTheTableForEveryType) {
  const std::pair<const char*, double> table[] = {
      {"m5.large", 70.08},  {"m5.xlarge", 140.16}, {"m7i.large", 73.58}, {"c6i.large", 62.05},
      {"c7g.large", 52.93}, {"m6g.large", 56.21},  {"m7g.large", 59.57}, {"t3.medium", 30.37},
      {"t3.large", 60.74},  {"r6i.large", 91.98}};
  for (const auto& [type, monthly] : table) {
    KubernetesUsage u = three_nodes(type);
    u.node_spans = {NodeSpan{1, Hours{730}}};
    u.control_plane = ControlPlane::none;
    auto bill = kubernetes_cost(u, catalog());
    ASSERT_TRUE(bill) << type;
    EXPECT_NEAR(bill->total().value(), monthly, 0.01) << type;
  }
}

TEST(KubernetesCost, ExtendedSupportControlPlane) {
  KubernetesUsage u = three_nodes("m6i.large");
  u.control_plane = ControlPlane::extended;
  auto bill = kubernetes_cost(u, catalog());
  ASSERT_TRUE(bill);
  EXPECT_NEAR(bill->line_items[1].cost.value(), 438.00, 0.01);
}

TEST(KubernetesCost, NodeScheduleAddsNodeHours) {
  KubernetesUsage u = three_nodes("m5.large");
  u.node_spans = {NodeSpan{3, Hours{500}}, NodeSpan{6, Hours{230}}};
  auto bill = kubernetes_cost(u, catalog());
  ASSERT_TRUE(bill);
  EXPECT_DOUBLE_EQ(bill->line_items[0].quantity, 3 * 500 + 6 * 230);
  EXPECT_NEAR(bill->line_items[0].cost.value(), 2880 * 0.096, 1e-9);
}

TEST(KubernetesCost, SpotAppliesTheDiscount) {
  KubernetesUsage u = three_nodes("m6i.large");
  u.capacity = Capacity::spot;
  u.spot_discount = 0.6;
  auto bill = kubernetes_cost(u, catalog());
  ASSERT_TRUE(bill);
  EXPECT_NEAR(bill->line_items[0].cost.value(), 3 * 730 * 0.096 * 0.4, 1e-9);
  u.spot_discount.reset();  // the catalog's default
  bill = kubernetes_cost(u, catalog());
  ASSERT_TRUE(bill);
  EXPECT_NEAR(bill->line_items[0].cost.value(),
              3 * 730 * 0.096 * (1 - catalog().spot.discount_fraction), 1e-9);
}

TEST(KubernetesCost, UnknownInstanceTypeIsNotFound) {
  auto bill = kubernetes_cost(three_nodes("m99.huge"), catalog());
  ASSERT_FALSE(bill);
  EXPECT_EQ(bill.error().code, ErrorCode::not_found);
  EXPECT_EQ(bill.error().where, "instance_type");
}

TEST(KubernetesCost, RejectsNegativeNodes) {
  KubernetesUsage u = three_nodes("m6i.large");
  u.node_spans.push_back(NodeSpan{-1, Hours{1}});
  auto bill = kubernetes_cost(u, catalog());
  ASSERT_FALSE(bill);
  EXPECT_EQ(bill.error().where, "node_spans[1]");
}

}  // namespace
}  // namespace placer
