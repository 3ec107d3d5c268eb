#include "placer/sim/sparse_bins.hpp"

#include <algorithm>
#include <cmath>

namespace placer::sim {

std::size_t SparseBins::lower(std::size_t bin, std::size_t hint) const {
  // Gallop from the hint to a bracket [lo, hi] holding the answer (index[lo - 1] < bin or
  // lo = 0; index[hi] >= bin or hi = size), then bisect it.
  const std::size_t n = index.size();
  std::size_t lo = std::min(hint, n);
  std::size_t hi = lo;
  std::size_t step = 1;
  if (lo < n && index[lo] < bin) {
    lo = hi = lo + 1;
    while (hi < n && index[hi] < bin) {
      lo = hi + 1;
      hi = std::min(n, hi + step);
      step *= 2;
    }
  } else {
    while (lo > 0 && index[lo - 1] >= bin) {
      hi = lo - 1;
      lo = hi > step ? hi - step : 0;
      step *= 2;
    }
  }
  const auto at = std::lower_bound(index.begin() + static_cast<std::ptrdiff_t>(lo),
                                   index.begin() + static_cast<std::ptrdiff_t>(hi), bin);
  return static_cast<std::size_t>(at - index.begin());
}

SparseBins sparse_bins(std::span<const double> requests, double start_s, double bin_s) {
  SparseBins out;
  out.start_s = start_s;
  out.bin_s = bin_s;
  out.bins = requests.size();
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (requests[i] != 0) {
      out.index.push_back(i);
      out.requests.push_back(requests[i]);
    }
  }
  return out;
}

std::vector<double> dense_requests(const SparseBins& bins) {
  std::vector<double> out(bins.bins, 0.0);
  for (std::size_t k = 0; k < bins.index.size(); ++k) {
    out[bins.index[k]] = bins.requests[k];
  }
  return out;
}

std::size_t bin_count(double window_s, double bin_s) {
  constexpr double k_most = 9007199254740992.0;  // 2^53: every count below is exact
  const double bins = std::ceil(window_s / bin_s);
  return static_cast<std::size_t>(std::clamp(std::isfinite(bins) ? bins : k_most, 1.0, k_most));
}

}  // namespace placer::sim
