#include "placer/sim/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace placer::sim {
namespace {

constexpr int k_mantissa_bits = 9;  // 512 sub-buckets per octave: < 0.2% relative width
// Values are clamped to [2^-20, 2^40] ms (about 1 ns to 35 years): 60 octaves.
constexpr double k_lowest = 0x1.0p-20;
constexpr double k_highest = 0x1.0p40;
constexpr std::uint64_t k_lowest_bits = std::bit_cast<std::uint64_t>(k_lowest) >> (52 - k_mantissa_bits);

}  // namespace

std::uint32_t LatencyHistogram::bucket_of(double value) {
  if (!(value >= k_lowest)) {
    return 0;  // zero, negative, NaN and sub-nanosecond values share bucket 0
  }
  value = std::min(value, k_highest);
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(value) >> (52 - k_mantissa_bits);
  return static_cast<std::uint32_t>(bits - k_lowest_bits + 1);
}

double LatencyHistogram::value_of(std::uint32_t bucket) {
  if (bucket == 0) {
    return 0;
  }
  // The middle of the bucket's range.
  const std::uint64_t low_bits = (bucket - 1 + k_lowest_bits) << (52 - k_mantissa_bits);
  const double low = std::bit_cast<double>(low_bits);
  const double high = std::bit_cast<double>(low_bits + (std::uint64_t{1} << (52 - k_mantissa_bits)));
  return (low + high) / 2;
}

double& LatencyHistogram::slot(std::uint32_t bucket) {
  if (weights_.empty()) {
    first_ = bucket;
    weights_.assign(1, 0.0);
  } else if (bucket < first_) {
    // Grow down by at least the current size, so values arriving in falling order cost
    // amortised constant time.
    const std::size_t size = weights_.size();
    const std::uint32_t grown = first_ > size ? static_cast<std::uint32_t>(first_ - size) : 0;
    const std::uint32_t new_first = std::min(bucket, grown);
    weights_.insert(weights_.begin(), first_ - new_first, 0.0);
    first_ = new_first;
  } else if (bucket - first_ >= weights_.size()) {
    weights_.resize(bucket - first_ + 1, 0.0);
  }
  return weights_[bucket - first_];
}

void LatencyHistogram::add(double value_ms, double weight) {
  if (!(value_ms > 0)) {
    value_ms = 0;
  }
  if (count_ <= 0) {
    min_ = max_ = value_ms;
  } else {
    min_ = std::min(min_, value_ms);
    max_ = std::max(max_, value_ms);
  }
  count_ += weight;
  sum_ += value_ms * weight;
  slot(bucket_of(value_ms)) += weight;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.count_ <= 0) {
    return;
  }
  if (count_ <= 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  count_ += other.count_;
  sum_ += other.sum_;
  for (std::size_t i = 0; i < other.weights_.size(); ++i) {
    if (other.weights_[i] != 0) {
      slot(other.first_ + static_cast<std::uint32_t>(i)) += other.weights_[i];
    }
  }
}

double LatencyHistogram::quantile(double q) const {
  if (count_ <= 0) {
    return 0;
  }
  const double rank = std::max(q * count_, std::min(1.0, count_));
  double seen = 0;
  for (std::size_t i = 0; i < weights_.size(); ++i) {
    seen += weights_[i];
    if (seen + 1e-9 * count_ >= rank) {
      return std::clamp(value_of(first_ + static_cast<std::uint32_t>(i)), min_, max_);
    }
  }
  return max_;
}

double LatencyHistogram::weight_above(double threshold_ms) const {
  const std::uint32_t bucket = bucket_of(threshold_ms);
  double above = 0;
  for (std::size_t i = bucket + 1 > first_ ? bucket + 1 - first_ : 0; i < weights_.size(); ++i) {
    above += weights_[i];
  }
  return above;
}

std::vector<Quantile> LatencyHistogram::quantiles(int points) const {
  std::vector<Quantile> out;
  if (count_ <= 0 || points < 2) {
    return out;
  }
  out.reserve(static_cast<std::size_t>(points));
  out.push_back({0, min_});
  double seen = 0;
  std::size_t bucket = 0;
  for (int k = 1; k + 1 < points; ++k) {
    const double q = static_cast<double>(k) / (points - 1);
    const double rank = q * count_;
    while (bucket < weights_.size() && seen + weights_[bucket] + 1e-9 * count_ < rank) {
      seen += weights_[bucket];
      ++bucket;
    }
    const double value = bucket < weights_.size()
                             ? std::clamp(value_of(first_ + static_cast<std::uint32_t>(bucket)), min_, max_)
                             : max_;
    out.push_back({q, std::max(value, out.back().value)});
  }
  out.push_back({1, std::max(max_, out.back().value)});
  return out;
}

}  // namespace placer::sim
