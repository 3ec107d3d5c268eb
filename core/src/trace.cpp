#include "placer/trace.hpp"

#include <algorithm>
#include <cassert>

namespace placer {

void InvocationSink::add_with_workload(const Invocation& row, std::string_view workload) {
  Invocation copy = row;
  copy.workload.assign(workload);
  add(copy);
}

double inverse_cdf(const std::vector<Quantile>& quantiles, double u) {
  assert(!quantiles.empty());
  if (u <= quantiles.front().q) {
    return quantiles.front().value;
  }
  // The first quantile at or above u (q never decreases): a binary search, since the
  // simulators draw millions of durations from distributions of many points.
  const auto hi_it = std::partition_point(quantiles.begin() + 1, quantiles.end(),
                                          [u](const Quantile& x) { return x.q < u; });
  if (hi_it == quantiles.end()) {
    return quantiles.back().value;
  }
  const Quantile& hi = *hi_it;
  const Quantile& lo = *(hi_it - 1);
  if (hi.q <= lo.q) {
    return hi.value;
  }
  return lo.value + (hi.value - lo.value) * (u - lo.q) / (hi.q - lo.q);
}

}  // namespace placer
