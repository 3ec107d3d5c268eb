#include "placer/trace.hpp"

#include <algorithm>
#include <cassert>

namespace placer {

double inverse_cdf(const std::vector<Quantile>& quantiles, double u) {
  assert(!quantiles.empty());
  if (u <= quantiles.front().q) {
    return quantiles.front().value;
  }
  for (std::size_t i = 1; i < quantiles.size(); ++i) {
    const Quantile& lo = quantiles[i - 1];
    const Quantile& hi = quantiles[i];
    if (u <= hi.q) {
      if (hi.q <= lo.q) {
        return hi.value;
      }
      return lo.value + (hi.value - lo.value) * (u - lo.q) / (hi.q - lo.q);
    }
  }
  return quantiles.back().value;
}

}  // namespace placer
