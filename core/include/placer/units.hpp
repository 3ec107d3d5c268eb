// Quantities with units, so that a wrong formula fails to compile.
//
// A Quantity<Tag> is a double with a dimension. Same-dimension values add and compare;
// any quantity scales by a plain number; a rate Quantity<Per<N, D>> times a Quantity<D>
// gives a Quantity<N>, and Quantity<N> / Quantity<D> gives the rate:
//
//   UsdPerGibSecond rate{0.0000166667};
//   Usd cost = rate * GibSeconds{540000};   // compiles
//   Usd wrong = rate * Requests{3e6};       // does not
//
// Time uses std::chrono with a double representation (Millis, Seconds, Hours).
// Memory inside core is always MiB; provider "MB"/"GB" figures are converted where they
// are read (see pricing.hpp). CPU inside core is always millicores.
// All types are trivially copyable values; safe from any thread.
#pragma once

#include <chrono>
#include <compare>

namespace placer {

template <typename Num, typename Den>
struct Per {};

template <typename Tag>
class Quantity {
 public:
  constexpr Quantity() = default;
  constexpr explicit Quantity(double value) : value_(value) {}

  constexpr double value() const { return value_; }

  constexpr Quantity& operator+=(Quantity other) {
    value_ += other.value_;
    return *this;
  }
  constexpr Quantity& operator-=(Quantity other) {
    value_ -= other.value_;
    return *this;
  }
  friend constexpr Quantity operator+(Quantity a, Quantity b) { return Quantity{a.value_ + b.value_}; }
  friend constexpr Quantity operator-(Quantity a, Quantity b) { return Quantity{a.value_ - b.value_}; }
  friend constexpr Quantity operator*(Quantity a, double k) { return Quantity{a.value_ * k}; }
  friend constexpr Quantity operator*(double k, Quantity a) { return Quantity{a.value_ * k}; }
  friend constexpr Quantity operator/(Quantity a, double k) { return Quantity{a.value_ / k}; }
  // The ratio of two quantities of one dimension is a plain number.
  friend constexpr double operator/(Quantity a, Quantity b) { return a.value_ / b.value_; }
  friend constexpr auto operator<=>(Quantity a, Quantity b) = default;

 private:
  double value_ = 0.0;
};

// rate * amount -> what the rate is of
template <typename Num, typename Den>
constexpr Quantity<Num> operator*(Quantity<Per<Num, Den>> rate, Quantity<Den> amount) {
  return Quantity<Num>{rate.value() * amount.value()};
}
template <typename Num, typename Den>
constexpr Quantity<Num> operator*(Quantity<Den> amount, Quantity<Per<Num, Den>> rate) {
  return rate * amount;
}

// Dimensions.
struct UsdTag {};
struct RequestTag {};
struct MibTag {};
struct MillicoreTag {};
struct GibSecondTag {};
struct NodeHourTag {};
struct ClusterHourTag {};
struct VcpuHourTag {};
struct GibHourTag {};

using Usd = Quantity<UsdTag>;
using Requests = Quantity<RequestTag>;  // a count; fractional after scaling a trace
using MiB = Quantity<MibTag>;
using Millicores = Quantity<MillicoreTag>;
using GibSeconds = Quantity<GibSecondTag>;  // AWS's "GB-second": GB = 1024 MB = 1 GiB
using NodeHours = Quantity<NodeHourTag>;
using ClusterHours = Quantity<ClusterHourTag>;
using VcpuHours = Quantity<VcpuHourTag>;
using GibHours = Quantity<GibHourTag>;

using UsdPerRequest = Quantity<Per<UsdTag, RequestTag>>;
using UsdPerGibSecond = Quantity<Per<UsdTag, GibSecondTag>>;
using UsdPerNodeHour = Quantity<Per<UsdTag, NodeHourTag>>;
using UsdPerClusterHour = Quantity<Per<UsdTag, ClusterHourTag>>;
using UsdPerVcpuHour = Quantity<Per<UsdTag, VcpuHourTag>>;
using UsdPerGibHour = Quantity<Per<UsdTag, GibHourTag>>;

using Millis = std::chrono::duration<double, std::milli>;
using Seconds = std::chrono::duration<double>;
using Hours = std::chrono::duration<double, std::ratio<3600>>;

inline constexpr double k_mib_per_gib = 1024.0;
inline constexpr double k_millicores_per_vcpu = 1000.0;

// Memory held for a time: MiB x s / 1024.
constexpr GibSeconds gib_seconds(MiB memory, Seconds time) {
  return GibSeconds{memory.value() / k_mib_per_gib * time.count()};
}
constexpr double gib(MiB memory) { return memory.value() / k_mib_per_gib; }
constexpr double vcpus(Millicores cpu) { return cpu.value() / k_millicores_per_vcpu; }

constexpr VcpuHours vcpu_hours(Millicores cpu, Hours time) {
  return VcpuHours{vcpus(cpu) * time.count()};
}
constexpr GibHours gib_hours(MiB memory, Hours time) {
  return GibHours{gib(memory) * time.count()};
}

}  // namespace placer
