#include "placer/units.hpp"

#include <gtest/gtest.h>

#include <type_traits>

namespace placer {
namespace {

template <typename A, typename B>
concept Multipliable = requires(A a, B b) { a * b; };

TEST(Units, RateTimesAmountGivesMoney) {
  Usd cost = UsdPerGibSecond{0.0000166667} * GibSeconds{140000};
  EXPECT_NEAR(cost.value(), 2.333338, 1e-9);
  static_assert(std::is_same_v<decltype(UsdPerRequest{} * Requests{}), Usd>);
  static_assert(!Multipliable<UsdPerGibSecond, Requests>, "a wrong formula must not compile");
  static_assert(!Multipliable<Usd, Usd>);
}

TEST(Units, GibSecondsUseAwsGigabytesOf1024Megabytes) {
  // Lambda pricing page: 1536 MB for 120 ms is 1.5 GB x 0.12 s = 0.18 GB-s.
  EXPECT_DOUBLE_EQ(gib_seconds(MiB{1536}, Millis{120}).value(), 0.18);
  EXPECT_DOUBLE_EQ(vcpu_hours(Millicores{500}, Hours{2}).value(), 1.0);
}

}  // namespace
}  // namespace placer
