// Lambda cost against AWS's own worked examples (shared reference PRICING.md §2, from
// https://aws.amazon.com/lambda/pricing/): each line item to the cent, as the page rounds
// each line before adding. The free-tier switch is stated per example because AWS applies
// it inconsistently (PRICING.md §5.2).
#include "placer/cost/lambda.hpp"

#include <gtest/gtest.h>

#include <map>

#include "../../test_catalog.hpp"

namespace placer {
namespace {

using testing::bundled_catalog;

const LambdaPrices& prices() { return bundled_catalog().lambda; }

std::map<std::string, double> usd_by_name(const CostBreakdown& bill) {
  std::map<std::string, double> out;
  for (const LineItem& item : bill.line_items) {
    out[item.name] = item.cost.value();
  }
  return out;
}

LambdaUsage on_demand(double memory_mib, double requests, double duration_ms, FreeTier free) {
  LambdaUsage u;
  u.memory = MiB{memory_mib};
  u.requests = Requests{requests};
  u.billed_duration = billed_duration(u.requests, Millis{duration_ms}, prices());
  u.free_tier = free;
  return u;
}

TEST(LambdaCost, PricingPageExample1MobileBackend) {
  // 1536 MB x86; 3M requests x 120 ms; free tier: compute $2.33 + requests $0.40 = $2.73
  auto bill = lambda_cost(on_demand(1536, 3e6, 120, FreeTier::on), prices());
  ASSERT_TRUE(bill) << describe(bill.error());
  auto usd = usd_by_name(*bill);
  EXPECT_NEAR(usd["duration"], 2.33, 0.01);
  EXPECT_NEAR(usd["requests"], 0.40, 0.01);
  EXPECT_EQ(bill->line_items.size(), 2u);
  EXPECT_NEAR(bill->total().value(), 2.73, 0.01);
}

TEST(LambdaCost, PricingPageExample2TelemetryWithoutFreeTier) {
  // 1024 MB x86; 7.44M x 2 s; no free tier: requests $1.49 + compute $248.00 = $249.49
  auto bill = lambda_cost(on_demand(1024, 7.44e6, 2000, FreeTier::off), prices());
  ASSERT_TRUE(bill) << describe(bill.error());
  auto usd = usd_by_name(*bill);
  EXPECT_NEAR(usd["requests"], 1.49, 0.01);
  EXPECT_NEAR(usd["duration"], 248.00, 0.01);
  EXPECT_NEAR(bill->total().value(), 249.49, 0.01);
}

TEST(LambdaCost, PricingPageExample3EphemeralStorage) {
  // 4096 MB x86; 6M x 280 ms; 2048 MB storage; free tier:
  // compute $105.33 + requests $1.00 + storage $0.08 = $106.41
  LambdaUsage u = on_demand(4096, 6e6, 280, FreeTier::on);
  u.ephemeral_storage = MiB{2048};
  auto bill = lambda_cost(u, prices());
  ASSERT_TRUE(bill) << describe(bill.error());
  auto usd = usd_by_name(*bill);
  EXPECT_NEAR(usd["duration"], 105.33, 0.01);
  EXPECT_NEAR(usd["requests"], 1.00, 0.01);
  EXPECT_NEAR(usd["ephemeral_storage"], 0.08, 0.01);
  EXPECT_NEAR(bill->total().value(), 106.41, 0.01);
}

TEST(LambdaCost, PricingPageProvisionedConcurrencyExample1) {
  // 1536 MB; PC = 100 for 8 h; 500k x 100 ms with PC; 2.5M x 120 ms on demand; free tier on
  // requests and on-demand compute:
  // PC $18.00 + requests $0.40 + PC duration $0.73 + on-demand compute $0.83 = $19.96
  LambdaUsage u = on_demand(1536, 2.5e6, 120, FreeTier::on);
  u.provisioned.environments = 100;
  u.provisioned.enabled = Hours{8};
  u.provisioned.requests = Requests{5e5};
  u.provisioned.billed_duration = billed_duration(Requests{5e5}, Millis{100}, prices());
  auto bill = lambda_cost(u, prices());
  ASSERT_TRUE(bill) << describe(bill.error());
  auto usd = usd_by_name(*bill);
  EXPECT_NEAR(usd["provisioned_concurrency"], 18.00, 0.01);
  EXPECT_NEAR(usd["requests"], 0.40, 0.01);
  EXPECT_NEAR(usd["provisioned_duration"], 0.73, 0.01);
  EXPECT_NEAR(usd["duration"], 0.83, 0.01);
  EXPECT_NEAR(bill->total().value(), 19.96, 0.01);
  // PRICING.md §5.3 gives the unrounded lines: 18.000144 + 0.729165 + 0.833335.
  EXPECT_NEAR(usd["provisioned_concurrency"], 18.000144, 1e-6);
  EXPECT_NEAR(usd["provisioned_duration"], 0.729165, 1e-6);
  EXPECT_NEAR(usd["duration"], 0.833335, 1e-6);
}

TEST(LambdaCost, FirstTierBoundaryIsOneHundredThousandDollars) {
  // PRICING.md §1: 6e9 GB-s x the x86 rate = $100,000.20; 7.5e9 x the arm rate = $100,000.50.
  LambdaUsage x86 = on_demand(1024, 6e6, 1e6, FreeTier::off);  // 6e6 x 1000 s x 1 GB
  auto bill = lambda_cost(x86, prices());
  ASSERT_TRUE(bill);
  EXPECT_NEAR(usd_by_name(*bill)["duration"], 100000.20, 0.01);
  EXPECT_EQ(bill->line_items.size(), 2u);  // requests + one tier

  LambdaUsage arm = on_demand(1024, 7.5e6, 1e6, FreeTier::off);
  arm.arch = Arch::arm64;
  bill = lambda_cost(arm, prices());
  ASSERT_TRUE(bill);
  EXPECT_NEAR(usd_by_name(*bill)["duration"], 100000.50, 0.01);
}

TEST(LambdaCost, DurationAboveATierBoundaryIsBilledAtTheNextTier) {
  // 10e9 GB-s on x86: 6e9 at 0.0000166667, 4e9 at 0.0000150000 (PRICING.md §1 tiers).
  auto bill = lambda_cost(on_demand(1024, 10e6, 1e6, FreeTier::off), prices());
  ASSERT_TRUE(bill);
  auto usd = usd_by_name(*bill);
  EXPECT_NEAR(usd["duration"], 6e9 * 0.0000166667, 0.01);
  EXPECT_NEAR(usd["duration_tier_2"], 4e9 * 0.0000150000, 0.01);
  // arm64 tiers are 7.5B / 11.25B (PRICING.md §5.1): 10e9 is 7.5e9 + 2.5e9.
  LambdaUsage arm = on_demand(1024, 10e6, 1e6, FreeTier::off);
  arm.arch = Arch::arm64;
  bill = lambda_cost(arm, prices());
  ASSERT_TRUE(bill);
  usd = usd_by_name(*bill);
  EXPECT_NEAR(usd["duration"], 7.5e9 * 0.0000133334, 0.01);
  EXPECT_NEAR(usd["duration_tier_2"], 2.5e9 * 0.0000120001, 0.01);
}

TEST(LambdaCost, EachInvocationIsRoundedUpToOneMillisecond) {
  // FORMATS.md §3a: "Duration: 0.62 ms" bills as 1 ms since 2020-12-01.
  EXPECT_DOUBLE_EQ(billed_duration(Millis{0.62}, prices()).count(), 1.0);
  EXPECT_DOUBLE_EQ(billed_duration(Millis{120.0}, prices()).count(), 120.0);
  EXPECT_DOUBLE_EQ(billed_duration(Millis{120.01}, prices()).count(), 121.0);
  EXPECT_DOUBLE_EQ(billed_duration(Requests{1000}, Millis{0.62}, prices()).count(), 1000.0);
}

TEST(LambdaCost, ProvisionedTimeIsRoundedUpToFiveMinutes) {
  // PRICING.md §1: PC time counts from enable to disable, rounded up to 5 minutes.
  LambdaUsage u;
  u.memory = MiB{1024};
  u.provisioned.environments = 1;
  u.provisioned.enabled = Seconds{301};  // bills as 600 s
  auto bill = lambda_cost(u, prices());
  ASSERT_TRUE(bill);
  EXPECT_NEAR(usd_by_name(*bill)["provisioned_concurrency"], 600 * 0.0000041667, 1e-12);
}

TEST(LambdaCost, InitDurationIsBilledAfterOnDemandDuration) {
  // 1000 cold starts x 250 ms INIT at 1024 MB = 250 GB-s at the tier-1 rate.
  LambdaUsage u = on_demand(1024, 1e6, 100, FreeTier::off);
  u.cold_starts = Requests{1000};
  u.billed_init_duration = billed_duration(u.cold_starts, Millis{250}, prices());
  auto bill = lambda_cost(u, prices());
  ASSERT_TRUE(bill);
  EXPECT_NEAR(usd_by_name(*bill)["init_duration"], 250 * 0.0000166667, 1e-12);
}

TEST(LambdaCost, FreeTierIsOffByDefaultAndArmCostsFourFifths) {
  LambdaUsage u;
  u.memory = MiB{1536};
  u.requests = Requests{3e6};
  u.billed_duration = billed_duration(u.requests, Millis{120}, prices());
  auto x86 = lambda_cost(u, prices());
  ASSERT_TRUE(x86);
  EXPECT_NEAR(usd_by_name(*x86)["requests"], 0.60, 1e-9);  // no free requests
  u.arch = Arch::arm64;
  auto arm = lambda_cost(u, prices());
  ASSERT_TRUE(arm);
  // PRICING.md §1: every arm64 duration price is 0.8 x the x86 price.
  EXPECT_NEAR(usd_by_name(*arm)["duration"] / usd_by_name(*x86)["duration"], 0.8, 1e-5);
}

TEST(LambdaCost, FreeTierCoversOnlyWhatIsUsed) {
  auto bill = lambda_cost(on_demand(128, 1000, 10, FreeTier::on), prices());
  ASSERT_TRUE(bill);
  EXPECT_DOUBLE_EQ(bill->total().value(), 0.0);
  EXPECT_DOUBLE_EQ(bill->line_items[0].free_quantity, 1000.0);
}

TEST(LambdaCost, RejectsMemoryOutsideTheLimits) {
  auto bill = lambda_cost(on_demand(64, 1, 1, FreeTier::off), prices());
  ASSERT_FALSE(bill);
  EXPECT_EQ(bill.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(bill.error().where, "memory_mib");
  bill = lambda_cost(on_demand(10241, 1, 1, FreeTier::off), prices());
  ASSERT_FALSE(bill);
  EXPECT_EQ(bill.error().where, "memory_mib");
}

TEST(LambdaCost, RejectsNegativeRequestsAndTooManyColdStarts) {
  LambdaUsage u = on_demand(1024, 10, 1, FreeTier::off);
  u.requests = Requests{-1};
  auto bill = lambda_cost(u, prices());
  ASSERT_FALSE(bill);
  EXPECT_EQ(bill.error().where, "requests");
  u.requests = Requests{10};
  u.cold_starts = Requests{11};
  bill = lambda_cost(u, prices());
  ASSERT_FALSE(bill);
  EXPECT_EQ(bill.error().where, "cold_starts");
}

}  // namespace
}  // namespace placer
