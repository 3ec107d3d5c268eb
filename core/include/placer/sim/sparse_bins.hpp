// Requests counted per bin, keeping only the bins that hold some. A trace's bins are
// mostly empty when its requests are few and its window long (five requests over six
// years are 190 million one-second bins, five of them non-empty): held this way, memory
// and the simulators' work grow with the requests, not with the window.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace placer::sim {

struct SparseBins {
  double start_s = 0;
  double bin_s = 1;
  std::size_t bins = 0;            // the window's length in bins, empty ones included
  std::vector<std::size_t> index;  // the bins that hold requests, ascending, each < bins
  std::vector<double> requests;    // requests[k]: the requests of bin index[k]

  double window_s() const { return bin_s * static_cast<double>(bins); }
  // The first position k with index[k] >= bin (index.size() when none), searched outward
  // from `hint`: O(1) when successive calls ask about nearby bins, O(log) at worst.
  std::size_t lower(std::size_t bin, std::size_t hint) const;
};

// The non-zero bins of a dense series of `requests.size()` bins.
SparseBins sparse_bins(std::span<const double> requests, double start_s, double bin_s);

// The dense series: every bin, zeros included.
std::vector<double> dense_requests(const SparseBins& bins);

// A bin count for a window of `window_s` in bins of `bin_s` (at least one), saturating
// far above any count a simulation accepts instead of overflowing.
std::size_t bin_count(double window_s, double bin_s);

}  // namespace placer::sim
