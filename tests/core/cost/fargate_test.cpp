// Fargate sizing and prices against the EKS docs' rounding rule and the Fargate pricing
// page's per-second rates (shared reference PRICING.md §3).
#include "placer/cost/fargate.hpp"

#include <gtest/gtest.h>

#include <map>

#include "../../test_catalog.hpp"

namespace placer {
namespace {

const FargatePrices& prices() { return testing::bundled_catalog().fargate; }

TEST(FargateBilledSize, OneVcpuEightGbIsBilledAsTwoVcpuNineGb) {
  // EKS docs: 1 vCPU / 8 GB + 256 MB = 8.25 GB; no 1 vCPU / 9 GB size: billed 2 vCPU / 9 GB.
  auto size = fargate_billed_size(Millicores{1000}, MiB{8192}, prices());
  ASSERT_TRUE(size) << describe(size.error());
  EXPECT_DOUBLE_EQ(size->cpu.value(), 2000);
  EXPECT_DOUBLE_EQ(size->memory.value(), 9 * 1024);
}

TEST(FargateBilledSize, EmptyRequestGetsTheSmallestSize) {
  // EKS docs: with nothing specified the pod gets 0.25 vCPU / 0.5 GB.
  auto size = fargate_billed_size(Millicores{0}, MiB{0}, prices());
  ASSERT_TRUE(size);
  EXPECT_DOUBLE_EQ(size->cpu.value(), 250);
  EXPECT_DOUBLE_EQ(size->memory.value(), 512);
}

TEST(FargateBilledSize, RoundsUpWithinAVcpuRow) {
  // 0.5 vCPU / 1024 MiB + 256 = 1280 MiB -> 0.5 vCPU / 2 GB.
  auto size = fargate_billed_size(Millicores{500}, MiB{1024}, prices());
  ASSERT_TRUE(size);
  EXPECT_DOUBLE_EQ(size->cpu.value(), 500);
  EXPECT_DOUBLE_EQ(size->memory.value(), 2048);
  // 0.25 vCPU / 1.5 GB + 256 MB = 1.75 GB -> 0.25 vCPU / 2 GB.
  size = fargate_billed_size(Millicores{250}, MiB{1536}, prices());
  ASSERT_TRUE(size);
  EXPECT_DOUBLE_EQ(size->memory.value(), 2048);
}

TEST(FargateBilledSize, RejectsARequestNoSizeHolds) {
  auto size = fargate_billed_size(Millicores{16000}, MiB{120 * 1024}, prices());
  ASSERT_FALSE(size);
  EXPECT_EQ(size.error().code, ErrorCode::unsupported);
}

TEST(FargateCost, HourlyRatesMatchThePublishedPerSecondRates) {
  // Fargate page: $0.000011244 per vCPU-second and $0.000001235 per GB-second.
  FargateUsage u;
  u.cpu = Millicores{1000};
  u.memory = MiB{2048 - 256};  // billed as 1 vCPU / 2 GB
  u.run_time_each = Seconds{3600};
  auto bill = fargate_cost(u, prices());
  ASSERT_TRUE(bill);
  EXPECT_NEAR(bill->line_items[0].cost.value(), 0.000011244 * 3600, 1e-5);
  EXPECT_NEAR(bill->line_items[1].cost.value(), 2 * 0.000001235 * 3600, 1e-5);
}

TEST(FargateCost, FourHalfVcpuPodsForAMonth) {
  // 4 pods x 730 h at 0.5 vCPU / 2 GB: 4 x 730 x (0.5 x 0.04048 + 2 x 0.004445) = $85.05
  FargateUsage u{Millicores{500}, MiB{1024}, 4, Hours{730}};
  auto bill = fargate_cost(u, prices());
  ASSERT_TRUE(bill);
  EXPECT_NEAR(bill->total().value(), 4 * 730 * (0.5 * 0.04048 + 2 * 0.004445), 1e-9);
}

TEST(FargateCost, ShortPodsAreBilledAMinuteAndWholeSeconds) {
  FargateUsage u{Millicores{250}, MiB{0}, 1, Seconds{30}};
  auto bill = fargate_cost(u, prices());
  ASSERT_TRUE(bill);
  double per_second = 0.25 * 0.04048 / 3600 + 0.5 * 0.004445 / 3600;
  EXPECT_NEAR(bill->total().value(), 60 * per_second, 1e-12);
  u.run_time_each = Seconds{90.2};  // 91 s
  bill = fargate_cost(u, prices());
  ASSERT_TRUE(bill);
  EXPECT_NEAR(bill->total().value(), 91 * per_second, 1e-12);
}

TEST(FargateCost, RejectsNegativePods) {
  FargateUsage u{Millicores{250}, MiB{0}, -1, Seconds{30}};
  auto bill = fargate_cost(u, prices());
  ASSERT_FALSE(bill);
  EXPECT_EQ(bill.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(bill.error().where, "pods");
}

}  // namespace
}  // namespace placer
