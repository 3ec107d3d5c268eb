// A fast streaming histogram for simulated latencies: log-linear buckets taken straight from
// a double's exponent and top mantissa bits (512 sub-buckets per power of two), so adding a
// value costs no logarithm. Quantiles are within 0.2% of the exact order statistic; min,
// max and mean are exact. Weights may be fractional (mixtures of distributions).
#pragma once

#include <cstdint>
#include <vector>

#include "placer/trace.hpp"

namespace placer::sim {

class LatencyHistogram {
 public:
  // Adds `value_ms` (negative or NaN values count as 0) for `weight` requests.
  void add(double value_ms, double weight = 1);
  void merge(const LatencyHistogram& other);

  double count() const { return count_; }
  double mean() const { return count_ > 0 ? sum_ / count_ : 0; }
  double min() const { return count_ > 0 ? min_ : 0; }
  double max() const { return count_ > 0 ? max_ : 0; }
  // The value below which a fraction `q` of the weight lies (nearest rank); 0 when empty.
  double quantile(double q) const;
  // The weight of values strictly above `threshold_ms` (to within one bucket).
  double weight_above(double threshold_ms) const;
  // `points` (>= 2) quantiles evenly spaced in q from 0 to 1, in one pass: the
  // piecewise-linear distribution inverse_cdf (trace.hpp) samples from.
  std::vector<Quantile> quantiles(int points) const;

 private:
  static std::uint32_t bucket_of(double value);
  static double value_of(std::uint32_t bucket);
  // The weight of `bucket`, the range grown to hold it.
  double& slot(std::uint32_t bucket);
  // Buckets first_ to first_ + size - 1: only the range values fell in (a day of durations
  // spans a few octaves of the 60 a histogram can hold), grown on demand either way.
  std::vector<double> weights_;
  std::uint32_t first_ = 0;
  double count_ = 0;
  double sum_ = 0;
  double min_ = 0;
  double max_ = 0;
};

}  // namespace placer::sim
