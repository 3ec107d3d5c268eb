#include "placer/trace_summary.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <utility>

namespace placer {
namespace {

// Log-spaced histogram on the bits of a double: a value v > 0 falls in the bucket named
// by its exponent and top k_mantissa_bits mantissa bits, [low, low * (1 + 2^-9)) at most,
// so every value in a bucket is within 2^-10 < 0.1% of the bucket's middle, its
// representative (the same trick as LatencyHistogram::bucket_of; no logarithm per value).
// Zero has its own bucket.
class Distribution {
 public:
  // Adds one request's `value`. A value equal to the one before (memory, which a workload
  // seldom changes) only lengthens a run, entered whole when it ends: the same counts and
  // exact sums as adding each, at a comparison per request.
  void add_one(double value) {
    if (value == run_value_) {  // NaN equals nothing: a run has a value
      ++run_length_;
      return;
    }
    end_run();
    if (value >= 0 && value < k_fixed_limit) {
      run_value_ = value;
      run_length_ = 1;
      return;
    }
    add(value);
  }

  // Adds `value` for `weight` requests (weights are fractional for quantile summaries).
  void add(double value, double weight = 1) {
    end_run();
    count_ += weight;
    if (weight == 1 && value >= 0 && value < k_fixed_limit) {
      fixed_sum_ += fixed_units(value);
    } else {
      other_sum_ += value * weight;
    }
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
    if (!(value > 0)) {
      zeros_ += weight;
      return;
    }
    count_in_bucket(bucket_of(value), weight);
  }

  // add(value) for one request, the common case inlined: a value in [0, k_fixed_limit)
  // whose bucket is in the dense range already. The same counts and sums as add(value).
  [[gnu::always_inline]] void add_request(double value) {
    if (run_length_ != 0 || !(value > 0 && value < k_fixed_limit)) {
      add(value);
      return;
    }
    const auto slot = static_cast<std::uint64_t>(bucket_of(value) - base_);
    if (slot >= counts_.size()) {
      add(value);
      return;
    }
    count_ += 1;
    fixed_sum_ += fixed_units(value);
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
    counts_[slot] += 1;
  }

  bool empty() const { return count_ <= 0 && run_length_ == 0; }

  // Adds `other`'s values, as if added after this one's.
  void merge(const Distribution& other) {
    end_run();
    other.end_run();
    if (other.count_ <= 0 && other.counts_.empty()) {
      return;
    }
    count_ += other.count_;
    zeros_ += other.zeros_;
    fixed_sum_ += other.fixed_sum_;
    other_sum_ += other.other_sum_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
    if (other.counts_.empty()) {
      return;
    }
    const std::int64_t other_end = other.base_ + static_cast<std::int64_t>(other.counts_.size());
    if (counts_.empty()) {
      base_ = other.base_;
      counts_ = other.counts_;
      return;
    }
    if (other.base_ < base_) {
      counts_.insert(counts_.begin(), static_cast<std::size_t>(base_ - other.base_), 0);
      base_ = other.base_;
    }
    if (other_end > base_ + static_cast<std::int64_t>(counts_.size())) {
      counts_.resize(static_cast<std::size_t>(other_end - base_), 0);
    }
    for (std::size_t i = 0; i < other.counts_.size(); ++i) {
      counts_[static_cast<std::size_t>(other.base_ - base_) + i] += other.counts_[i];
    }
  }

  Percentiles percentiles() const {
    end_run();
    Percentiles p;
    if (count_ <= 0) {
      return p;
    }
    p.min = min_;
    p.max = max_;
    p.mean = (std::ldexp(static_cast<double>(fixed_sum_), -k_fixed_bits) + other_sum_) / count_;
    p.p50 = quantile(0.50);
    p.p90 = quantile(0.90);
    p.p95 = quantile(0.95);
    p.p99 = quantile(0.99);
    return p;
  }

 private:
  static constexpr int k_mantissa_bits = 9;
  // Values are bucketed within [k_lowest, k_highest] (about 1 ns to 35 years in ms), which
  // bounds a distribution to about 31,000 buckets; min and max stay exact.
  static constexpr double k_lowest = 0x1.0p-20;
  static constexpr double k_highest = 0x1.0p40;

  // Enters the run of run_length_ requests of run_value_ (in [0, k_fixed_limit)), in one
  // step: every count is a whole number, so adding n once equals adding 1 n times.
  void end_run() const {
    if (run_length_ == 0) {
      return;
    }
    const double value = run_value_;
    const auto n = static_cast<double>(run_length_);
    count_ += n;
    fixed_sum_ += static_cast<UInt128>(fixed_units(value)) * run_length_;
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
    if (!(value > 0)) {
      zeros_ += n;
    } else {
      count_in_bucket(bucket_of(value), n);
    }
    run_length_ = 0;
    run_value_ = std::numeric_limits<double>::quiet_NaN();
  }

  // Adds `weight` to the bucket `index`, widening the dense range of buckets to hold it.
  void count_in_bucket(std::int64_t index, double weight) const {
    if (counts_.empty()) {
      base_ = index;
      counts_.push_back(0);
    } else if (index < base_) {
      counts_.insert(counts_.begin(), static_cast<std::size_t>(base_ - index), 0);
      base_ = index;
    } else if (index >= base_ + static_cast<std::int64_t>(counts_.size())) {
      counts_.resize(static_cast<std::size_t>(index - base_ + 1), 0);
    }
    counts_[static_cast<std::size_t>(index - base_)] += weight;
  }

  // `value` in whole multiples of 2^-20, rounded to the nearest; requires value in
  // [0, k_fixed_limit). Scaling by a power of two is exact; the result is below 2^60.
  static std::uint64_t fixed_units(double value) {
    return static_cast<std::uint64_t>(static_cast<std::int64_t>(value * k_fixed_unit + 0.5));
  }

  // Requires: value > 0 (NaN is not).
  static std::int64_t bucket_of(double value) {
    const double clamped = std::clamp(value, k_lowest, k_highest);
    return static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(clamped) >>
                                     (52 - k_mantissa_bits));
  }

  // The middle of bucket `index`'s range.
  static double value_of(std::int64_t index) {
    const auto low_bits = static_cast<std::uint64_t>(index) << (52 - k_mantissa_bits);
    const double low = std::bit_cast<double>(low_bits);
    const double high = std::bit_cast<double>(low_bits + (std::uint64_t{1} << (52 - k_mantissa_bits)));
    return (low + high) / 2;
  }

  // The value of rank ceil(q * n) (1-based, the "nearest rank" definition), clamped to
  // the exact min and max.
  double quantile(double q) const {
    // The first bucket whose cumulative weight reaches q * n. With whole counts that is the
    // nearest rank ceil(q * n), as cumulative counts are whole; quantile summaries add
    // fractional weights. The tolerance absorbs rounding in the sums.
    const double rank = std::max(q * count_, std::min(1.0, count_));
    if (rank <= zeros_) {
      return 0;
    }
    double seen = zeros_;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen + 1e-9 * count_ >= rank) {  // tolerance relative to the total weight
        return std::clamp(value_of(base_ + static_cast<std::int64_t>(i)), min_, max_);
      }
    }
    return max_;
  }

  // Single values in [0, k_fixed_limit), every request's, are summed as whole multiples of
  // 2^-20 (about a nanosecond in ms, a byte in MiB) in an integer: exact, so the sum is the same
  // in any order and parts read in parallel merge to the bits of one pass, and the mean
  // errs by at most 2^-21. At most 2^60 per value leaves room for 2^67 values. Weighted
  // values and larger ones (a duration of 35 years) go to other_sum_, in order.
  __extension__ using UInt128 = unsigned __int128;
  static constexpr int k_fixed_bits = 20;
  static constexpr double k_fixed_unit = 0x1.0p20;
  static constexpr double k_fixed_limit = k_request_value_limit;  // 2^40

  // Mutable: entering a run (end_run) changes no value the distribution stands for, so the
  // const readers enter it first.
  mutable double count_ = 0;
  mutable double zeros_ = 0;
  mutable UInt128 fixed_sum_ = 0;
  double other_sum_ = 0;
  mutable double min_ = std::numeric_limits<double>::infinity();
  mutable double max_ = -std::numeric_limits<double>::infinity();
  mutable std::int64_t base_ = 0;       // bucket index of counts_[0]
  mutable std::vector<double> counts_;  // weight per bucket, dense over the indices seen
  mutable double run_value_ = std::numeric_limits<double>::quiet_NaN();  // of the open run
  mutable std::uint64_t run_length_ = 0;  // requests in it, 0 for none
};

}  // namespace

struct TraceSummarizer::Workload {
  double requests = 0;
  double start_s = std::numeric_limits<double>::infinity();
  double end_s = -std::numeric_limits<double>::infinity();
  std::unordered_map<std::int64_t, double> per_minute;
  // The calendar minute last counted into, [start, end) in seconds, and its count (stable:
  // unordered_map nodes do not move). Empty at first, and after add_counts.
  double last_minute_start_s = std::numeric_limits<double>::infinity();
  double last_minute_end_s = -std::numeric_limits<double>::infinity();
  double* last_minute_count = nullptr;
  Distribution duration_ms;
  Distribution memory_mib;
  Distribution init_ms;
  std::uint64_t cold_starts = 0;
};

TraceSummarizer::TraceSummarizer() = default;
TraceSummarizer::~TraceSummarizer() = default;
TraceSummarizer::TraceSummarizer(TraceSummarizer&&) noexcept = default;
TraceSummarizer& TraceSummarizer::operator=(TraceSummarizer&&) noexcept = default;

namespace {

std::uint64_t load_word(const char* p) {
  std::uint64_t word = 0;
  std::memcpy(&word, p, 8);
  return word;
}

std::uint64_t load_half(const char* p) {
  std::uint32_t half = 0;
  std::memcpy(&half, p, 4);
  return half;
}

// A cheap mix of one more word into a hash.
std::uint64_t mix(std::uint64_t h, std::uint64_t word) {
  h = (h ^ word) * 0xff51afd7ed558ccdull;
  return h ^ (h >> 32);
}

}  // namespace

[[gnu::always_inline]] inline TraceSummarizer::Workload& TraceSummarizer::find(
    std::string_view name) {
  // The key, reading only the name's bytes.
  const char* const p = name.data();
  const std::size_t size = name.size();
  NameKey key;
  key.size = size;
  if (size >= 8) {
    key.head = load_word(p);
    key.tail = load_word(p + size - 8);
  } else if (size >= 4) {
    key.head = load_half(p) | (load_half(p + size - 4) << 32);
  } else {
    for (std::size_t i = 0; i < size; ++i) {
      key.head |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    }
  }
  // Two independent products, not a chain of them: the name's ends differ in most sets of
  // workload names, and the probe compares the whole key anyway.
  std::uint64_t hash =
      (key.head * 0x9E3779B97F4A7C15ull) ^ (key.tail * 0xC2B2AE3D27D4EB4Full) ^ size;
  hash ^= hash >> 29;
  for (std::size_t i = 8; i + 8 < size; i += 8) {  // the middle of a long name
    hash = mix(hash, load_word(p + i));
  }
  const std::size_t mask = index_.size() - 1;
  if (!index_.empty()) {
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const IndexSlot& slot = index_[i];
      if (slot.workload == nullptr) {
        break;
      }
      if (slot.key == key && (size <= 16 || (slot.hash == hash && *slot.name == name))) {
        return *slot.workload;
      }
    }
  }
  // A new workload: own it, then index it, doubling the index to keep it half empty.
  auto [it, inserted] = workloads_.emplace(std::string{name}, std::make_unique<Workload>());
  assert(inserted);
  if (workloads_.size() * 2 > index_.size()) {
    std::vector<IndexSlot> old = std::move(index_);
    index_.assign(std::max<std::size_t>(16, old.size() * 2), IndexSlot{});
    for (const IndexSlot& slot : old) {
      if (slot.workload != nullptr) {
        place(slot);
      }
    }
  }
  place(IndexSlot{key, hash, &it->first, it->second.get()});
  return *it->second;
}

void TraceSummarizer::place(const IndexSlot& entry) {
  const std::size_t mask = index_.size() - 1;
  std::size_t i = entry.hash & mask;
  while (index_[i].workload != nullptr) {
    i = (i + 1) & mask;
  }
  index_[i] = entry;
}

void TraceSummarizer::add(const Invocation& invocation) {
  add_to(find(invocation.workload), invocation);
}

void TraceSummarizer::add_with_workload(const Invocation& row, std::string_view workload) {
  add_to(find(workload), row);
}

// The minute `timestamp_s` falls in becomes `w`'s last minute.
[[gnu::noinline]] void TraceSummarizer::enter_minute(Workload& w, double timestamp_s) {
  // floor(timestamp / 60) exactly: the product is within an ulp of the quotient and
  // minute * 60 is exact (below 2^53), so one comparison each way settles it.
  // Requires a finite timestamp; clamp so that even a broken caller causes no UB.
  const double minutes = timestamp_s * (1.0 / 60);
  std::int64_t minute = 0;
  if (minutes >= 0 && minutes < 1e15) {
    minute = static_cast<std::int64_t>(minutes);  // truncation is the floor here, and cheaper
    const double start = static_cast<double>(minute) * 60;
    minute += start > timestamp_s ? -1 : (start + 60 <= timestamp_s ? 1 : 0);
  } else {
    const double minute_f = std::clamp(std::floor(timestamp_s / 60), -1e15, 1e15);
    minute = static_cast<std::int64_t>(std::isfinite(minute_f) ? minute_f : 0);
  }
  w.last_minute_start_s = static_cast<double>(minute) * 60;
  w.last_minute_end_s = static_cast<double>(minute + 1) * 60;
  if (!(timestamp_s >= w.last_minute_start_s && timestamp_s < w.last_minute_end_s)) {
    w.last_minute_start_s = std::numeric_limits<double>::infinity();  // clamped: never cached
  }
  w.last_minute_count = &w.per_minute[minute];
}

[[gnu::always_inline]] inline void TraceSummarizer::add_to(Workload& w, const Invocation& inv) {
  const double timestamp_s = inv.timestamp_s;
  w.requests += 1;
  w.start_s = std::min(w.start_s, timestamp_s);
  w.end_s = std::max(w.end_s, timestamp_s);
  if (!(timestamp_s >= w.last_minute_start_s && timestamp_s < w.last_minute_end_s)) {
    enter_minute(w, timestamp_s);
  }
  *w.last_minute_count += 1;
  w.duration_ms.add_request(inv.duration.count());
  if (inv.memory) {
    w.memory_mib.add_one(inv.memory->value());
  }
  if (inv.init_duration) {
    ++w.cold_starts;
    w.init_ms.add(inv.init_duration->count());
  }
}

std::unique_ptr<MergeableSink> TraceSummarizer::make_part() const {
  return std::make_unique<TraceSummarizer>();
}

void TraceSummarizer::merge(MergeableSink& part) {
  auto& other = dynamic_cast<TraceSummarizer&>(part);
  // In name order, so that the workloads' index is built the same way whatever the parts.
  std::vector<std::pair<const std::string*, Workload*>> sorted;
  sorted.reserve(other.workloads_.size());
  for (auto& [name, w] : other.workloads_) {
    sorted.emplace_back(&name, w.get());
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return *a.first < *b.first; });
  for (const auto& [name, from] : sorted) {
    Workload& into = find(*name);
    into.requests += from->requests;
    into.start_s = std::min(into.start_s, from->start_s);
    into.end_s = std::max(into.end_s, from->end_s);
    for (const auto& [minute, n] : from->per_minute) {
      into.per_minute[minute] += n;
    }
    into.duration_ms.merge(from->duration_ms);
    into.memory_mib.merge(from->memory_mib);
    into.init_ms.merge(from->init_ms);
    into.cold_starts += from->cold_starts;
  }
}

void TraceSummarizer::add_counts(const IntervalCount& counts) {
  Workload& w = find(counts.workload);
  const double start = counts.start_s;
  const double length = std::max(counts.length_s, 0.0);
  w.start_s = std::min(w.start_s, start);
  w.end_s = std::max(w.end_s, start + length);
  if (!(counts.requests > 0) || !std::isfinite(counts.requests)) {
    return;
  }
  w.requests += counts.requests;
  // Spread over the calendar minutes the interval covers, in proportion to the overlap.
  const double first = std::clamp(std::floor(start / 60), -1e15, 1e15);
  const double last = std::clamp(std::floor((start + length) / 60), -1e15, 1e15);
  if (length <= 0 || last - first > 100000) {
    w.per_minute[static_cast<std::int64_t>(first)] += counts.requests;
    return;
  }
  for (double m = first; m <= last; m += 1) {
    const double overlap = std::min(start + length, (m + 1) * 60) - std::max(start, m * 60);
    if (overlap > 0) {
      w.per_minute[static_cast<std::int64_t>(m)] += counts.requests * overlap / length;
    }
  }
  w.last_minute_start_s =
      std::numeric_limits<double>::infinity();  // the cached pointer may be stale
}

namespace {

// Feeds a quantile summary to a distribution as k_points equally weighted values of its
// piecewise-linear inverse CDF, plus its end points at no weight (so min and max are the
// summary's own).
void add_quantiles(Distribution& into, const QuantileSummary& summary) {
  constexpr int k_points = 1000;
  if (summary.quantiles.empty() || !(summary.weight > 0) || !std::isfinite(summary.weight)) {
    return;
  }
  into.add(summary.quantiles.front().value, 0);
  into.add(summary.quantiles.back().value, 0);
  for (int k = 0; k < k_points; ++k) {
    const double u = (k + 0.5) / k_points;
    into.add(inverse_cdf(summary.quantiles, u), summary.weight / k_points);
  }
}

}  // namespace

void TraceSummarizer::add_durations(const QuantileSummary& summary) {
  add_quantiles(find(summary.workload).duration_ms, summary);
}

void TraceSummarizer::add_memory(const QuantileSummary& summary) {
  add_quantiles(find(summary.workload).memory_mib, summary);
}

std::vector<TraceSummary> TraceSummarizer::finish() const {
  std::vector<TraceSummary> out;
  std::vector<std::pair<std::string, const Workload*>> sorted;
  for (const auto& [name, w] : workloads_) {
    sorted.emplace_back(name, w.get());
  }
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [name, w] : sorted) {
    TraceSummary s;
    s.workload = name;
    s.requests = static_cast<std::uint64_t>(std::llround(w->requests));
    s.start_s = w->start_s;
    s.end_s = w->end_s;
    double span = w->end_s - w->start_s;
    s.mean_rate_rps = span > 0 ? w->requests / span : 0;
    double busiest = 0;
    std::int64_t previous = 0;
    bool first = true;
    std::int64_t longest_empty = 0;
    std::vector<std::pair<std::int64_t, double>> minutes(w->per_minute.begin(),
                                                               w->per_minute.end());
    std::sort(minutes.begin(), minutes.end());
    for (const auto& [minute, n] : minutes) {
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
    s.peak_minute_rate_rps = busiest / 60.0;
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
