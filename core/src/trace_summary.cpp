#include "placer/trace_summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace placer {
namespace {

// Log-spaced histogram: a value v > 0 falls in bucket ceil(log(v) / log(k_gamma)); every
// value in a bucket is within (k_gamma - 1) / (k_gamma + 1) < 0.1% of the bucket's
// representative 2 k_gamma^i / (k_gamma + 1). Zero has its own bucket.
class Distribution {
 public:
  void add(double value) {
    ++count_;
    sum_ += value;
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
    if (value <= 0) {
      ++zeros_;
      return;
    }
    auto index = static_cast<int>(std::ceil(std::log(value) / k_log_gamma));
    ++buckets_[index];
  }

  bool empty() const { return count_ == 0; }

  Percentiles percentiles() const {
    Percentiles p;
    if (count_ == 0) {
      return p;
    }
    p.min = min_;
    p.max = max_;
    p.mean = sum_ / static_cast<double>(count_);
    p.p50 = quantile(0.50);
    p.p90 = quantile(0.90);
    p.p95 = quantile(0.95);
    p.p99 = quantile(0.99);
    return p;
  }

 private:
  static constexpr double k_gamma = 1.002;
  static inline const double k_log_gamma = std::log(k_gamma);

  // The value of rank ceil(q * n) (1-based, the "nearest rank" definition), clamped to
  // the exact min and max.
  double quantile(double q) const {
    auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
    rank = std::max<std::uint64_t>(rank, 1);
    if (rank <= zeros_) {
      return 0;
    }
    std::uint64_t seen = zeros_;
    for (const auto& [index, n] : buckets_) {
      seen += n;
      if (seen >= rank) {
        double value = 2 * std::pow(k_gamma, index) / (k_gamma + 1);
        return std::clamp(value, min_, max_);
      }
    }
    return max_;
  }

  std::uint64_t count_ = 0;
  std::uint64_t zeros_ = 0;
  double sum_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
  std::map<int, std::uint64_t> buckets_;
};

}  // namespace

struct TraceSummarizer::Workload {
  std::uint64_t requests = 0;
  double start_s = std::numeric_limits<double>::infinity();
  double end_s = -std::numeric_limits<double>::infinity();
  std::map<std::int64_t, std::uint64_t> per_minute;
  Distribution duration_ms;
  Distribution memory_mib;
  Distribution init_ms;
  std::uint64_t cold_starts = 0;
};

TraceSummarizer::TraceSummarizer() = default;
TraceSummarizer::~TraceSummarizer() = default;
TraceSummarizer::TraceSummarizer(TraceSummarizer&&) noexcept = default;
TraceSummarizer& TraceSummarizer::operator=(TraceSummarizer&&) noexcept = default;

void TraceSummarizer::add(const Invocation& inv) {
  auto& slot = workloads_[inv.workload];
  if (!slot) {
    slot = std::make_unique<Workload>();
  }
  Workload& w = *slot;
  ++w.requests;
  w.start_s = std::min(w.start_s, inv.timestamp_s);
  w.end_s = std::max(w.end_s, inv.timestamp_s);
  ++w.per_minute[static_cast<std::int64_t>(std::floor(inv.timestamp_s / 60))];
  w.duration_ms.add(inv.duration.count());
  if (inv.memory) {
    w.memory_mib.add(inv.memory->value());
  }
  if (inv.init_duration) {
    ++w.cold_starts;
    w.init_ms.add(inv.init_duration->count());
  }
}

std::vector<TraceSummary> TraceSummarizer::finish() const {
  std::vector<TraceSummary> out;
  for (const auto& [name, w] : workloads_) {
    TraceSummary s;
    s.workload = name;
    s.requests = w->requests;
    s.start_s = w->start_s;
    s.end_s = w->end_s;
    double span = w->end_s - w->start_s;
    s.mean_rate_rps = span > 0 ? static_cast<double>(w->requests) / span : 0;
    std::uint64_t busiest = 0;
    std::int64_t previous = 0;
    bool first = true;
    std::int64_t longest_empty = 0;
    for (const auto& [minute, n] : w->per_minute) {
      busiest = std::max(busiest, n);
      if (!first) {
        std::int64_t empty = minute - previous - 1;
        if (empty >= k_idle_gap_minutes) {
          ++s.idle_gaps;
        }
        longest_empty = std::max(longest_empty, empty);
      }
      previous = minute;
      first = false;
    }
    s.peak_minute_rate_rps = static_cast<double>(busiest) / 60.0;
    s.longest_idle_s = static_cast<double>(longest_empty) * 60.0;
    s.duration_ms = w->duration_ms.percentiles();
    if (!w->memory_mib.empty()) {
      s.memory_mib = w->memory_mib.percentiles();
    }
    if (!w->init_ms.empty()) {
      s.cold_starts = w->cold_starts;
      s.init_duration_ms = w->init_ms.percentiles();
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace placer
