#include "placer/sim/workload_trace.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "placer/sim/histogram.hpp"
#include "placer/sim/random.hpp"

namespace placer::sim {
namespace {

// Points per distribution kept for sampling: quantiles every 0.1%.
constexpr int k_quantile_points = 1001;
// Points a quantile summary contributes to the mixed duration distribution.
constexpr int k_summary_points = 200;

}  // namespace

double WorkloadTrace::requests() const {
  if (!counted()) {
    return static_cast<double>(arrival_s.size());
  }
  double total = 0;
  for (const CountedInterval& interval : intervals) {
    total += interval.requests;
  }
  return total;
}

struct WorkloadTraceBuilder::Pending {
  std::vector<double> arrival_s;
  std::vector<float> duration_ms;
  std::vector<CountedInterval> intervals;
  LatencyHistogram durations;  // exact durations and summaries' points, weighted
  double duration_sum_squares = 0;
  std::optional<double> memory_mib;
  std::uint64_t cold_starts = 0;
  bool sorted = true;
};

WorkloadTraceBuilder::WorkloadTraceBuilder() = default;
WorkloadTraceBuilder::~WorkloadTraceBuilder() = default;

WorkloadTraceBuilder::Pending& WorkloadTraceBuilder::find(const std::string& name) {
  return pending_[name];
}

void WorkloadTraceBuilder::add(const Invocation& invocation) {
  Pending& p = find(invocation.workload);
  if (!p.arrival_s.empty() && invocation.timestamp_s < p.arrival_s.back()) {
    p.sorted = false;
  }
  p.arrival_s.push_back(invocation.timestamp_s);
  const double duration = invocation.duration.count();
  p.duration_ms.push_back(static_cast<float>(duration));
  p.durations.add(duration);
  p.duration_sum_squares += duration * duration;
  if (invocation.memory) {
    p.memory_mib = std::max(p.memory_mib.value_or(0), invocation.memory->value());
  }
  if (invocation.init_duration) {
    ++p.cold_starts;
  }
}

void WorkloadTraceBuilder::add_counts(const IntervalCount& counts) {
  // Without the workload's name: the trace has it once, and a fleet has millions of
  // intervals.
  find(counts.workload).intervals.push_back({counts.start_s, counts.length_s, counts.requests});
}

void WorkloadTraceBuilder::add_durations(const QuantileSummary& summary) {
  if (summary.quantiles.empty() || !(summary.weight > 0)) {
    return;
  }
  Pending& p = find(summary.workload);
  const double weight = summary.weight / k_summary_points;
  for (int i = 0; i < k_summary_points; ++i) {
    const double value = inverse_cdf(summary.quantiles, (i + 0.5) / k_summary_points);
    p.durations.add(value, weight);
    p.duration_sum_squares += value * value * weight;
  }
}

void WorkloadTraceBuilder::add_memory(const QuantileSummary& summary) {
  if (summary.quantiles.empty()) {
    return;
  }
  Pending& p = find(summary.workload);
  p.memory_mib = std::max(p.memory_mib.value_or(0), summary.quantiles.back().value);
}

Result<std::vector<WorkloadTrace>> WorkloadTraceBuilder::finish() {
  std::vector<WorkloadTrace> out;
  for (auto& entry : pending_) {
    const std::string& name = entry.first;
    Pending& p = entry.second;  // a named reference: lambdas below capture it
    WorkloadTrace trace;
    trace.name = name;
    const bool has_requests = !p.arrival_s.empty() || !p.intervals.empty();
    if (!has_requests) {
      continue;  // durations or memory alone: nothing arrives
    }
    if (p.durations.count() <= 0) {
      return fail(ErrorCode::parse,
                  "workload \"" + name +
                      "\" has request counts but no durations; add a file with durations "
                      "(a Duration metric, REPORT lines or a request log)",
                  name);
    }
    trace.duration_quantiles_ms = p.durations.quantiles(k_quantile_points);
    trace.duration_mean_ms = p.durations.mean();
    const double mean = trace.duration_mean_ms;
    const double variance = std::max(0.0, p.duration_sum_squares / p.durations.count() - mean * mean);
    trace.duration_scv = mean > 0 ? variance / (mean * mean) : 0;
    trace.memory_mib = p.memory_mib;
    trace.observed_cold_starts = p.cold_starts;
    if (!p.intervals.empty()) {
      std::stable_sort(p.intervals.begin(), p.intervals.end(),
                       [](const CountedInterval& a, const CountedInterval& b) {
                         return a.start_s < b.start_s;
                       });
      trace.start_s = p.intervals.front().start_s;
      trace.end_s = trace.start_s;
      for (const CountedInterval& interval : p.intervals) {
        trace.end_s = std::max(trace.end_s, interval.start_s + interval.length_s);
      }
      trace.intervals = std::move(p.intervals);
      trace.intervals.shrink_to_fit();  // a fleet holds thousands of these
    } else {
      if (!p.sorted) {
        std::vector<std::size_t> order(p.arrival_s.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
          return p.arrival_s[a] < p.arrival_s[b];
        });
        std::vector<double> arrivals(order.size());
        std::vector<float> durations(order.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
          arrivals[i] = p.arrival_s[order[i]];
          durations[i] = p.duration_ms[order[i]];
        }
        p.arrival_s = std::move(arrivals);
        p.duration_ms = std::move(durations);
      }
      trace.start_s = p.arrival_s.front();
      // The window ends one mean inter-arrival time after the last request, so that a
      // single request or a steady stream has a window of its own length.
      const double span = p.arrival_s.back() - p.arrival_s.front();
      const double n = static_cast<double>(p.arrival_s.size());
      trace.end_s = p.arrival_s.back() + (n > 1 ? span / (n - 1) : 1.0);
      trace.arrival_s = std::move(p.arrival_s);
      trace.duration_ms = std::move(p.duration_ms);
    }
    out.push_back(std::move(trace));
  }
  pending_.clear();
  // One capture window for every workload: a workload quiet for most of it was quiet, not
  // absent (one request in a two-hour export is one request per two hours).
  if (out.size() > 1) {
    double start = out.front().start_s;
    double end = out.front().end_s;
    for (const WorkloadTrace& t : out) {
      start = std::min(start, t.start_s);
      end = std::max(end, t.end_s);
    }
    for (WorkloadTrace& t : out) {
      t.start_s = start;
      t.end_s = end;
    }
  }
  return out;
}

Arrivals materialize(const WorkloadTrace& trace, std::uint64_t seed, double multiplier) {
  Arrivals out;
  Random random{seed};
  if (trace.counted()) {
    out.arrival_s.reserve(static_cast<std::size_t>(std::min(trace.requests() * multiplier, 1e9)));
    for (const CountedInterval& interval : trace.intervals) {
      const double expected = std::max(0.0, interval.requests * multiplier);
      double whole = std::floor(expected);
      if (random.uniform() < expected - whole) {
        whole += 1;
      }
      const auto n = static_cast<std::size_t>(whole);
      if (n == 0) {
        continue;
      }
      // n sorted uniform points on the interval: normalized cumulative exponential spacings.
      std::vector<double> spacing(n + 1);
      double total = 0;
      for (double& s : spacing) {
        s = random.exponential();
        total += s;
      }
      double cumulative = 0;
      for (std::size_t i = 0; i < n; ++i) {
        cumulative += spacing[i];
        out.arrival_s.push_back(interval.start_s + interval.length_s * cumulative / total);
        out.duration_ms.push_back(
            static_cast<float>(inverse_cdf(trace.duration_quantiles_ms, random.uniform())));
      }
    }
    // Overlapping intervals (several sources) leave arrivals out of order.
    if (!std::is_sorted(out.arrival_s.begin(), out.arrival_s.end())) {
      std::vector<std::size_t> order(out.arrival_s.size());
      std::iota(order.begin(), order.end(), std::size_t{0});
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return out.arrival_s[a] < out.arrival_s[b];
      });
      Arrivals sorted;
      sorted.arrival_s.reserve(order.size());
      sorted.duration_ms.reserve(order.size());
      for (std::size_t i : order) {
        sorted.arrival_s.push_back(out.arrival_s[i]);
        sorted.duration_ms.push_back(out.duration_ms[i]);
      }
      out = std::move(sorted);
    }
    return out;
  }
  if (multiplier == 1) {
    out.arrival_s = trace.arrival_s;
    out.duration_ms = trace.duration_ms;
    return out;
  }
  // Thinning below 1; above it each request gets floor(k) or ceil(k) copies, the extra
  // copies placed uniformly between it and the next request, in order.
  const std::size_t n = trace.arrival_s.size();
  for (std::size_t i = 0; i < n; ++i) {
    double copies = std::floor(multiplier);
    if (random.uniform() < multiplier - copies) {
      copies += 1;
    }
    const double t = trace.arrival_s[i];
    const double next = i + 1 < n ? trace.arrival_s[i + 1] : trace.end_s;
    double offset = 0;
    for (int c = 0; c < static_cast<int>(copies); ++c) {
      if (c > 0) {
        offset = std::max(offset, (next - t) * random.uniform());
      }
      out.arrival_s.push_back(t + offset);
      out.duration_ms.push_back(trace.duration_ms[i]);
    }
  }
  return out;
}

SparseBins bin_requests_sparse(const WorkloadTrace& trace, double bin_s, double multiplier) {
  SparseBins out;
  out.start_s = trace.start_s;
  out.bin_s = bin_s;
  out.bins = bin_count(std::max(trace.window_s(), bin_s), bin_s);
  const std::size_t bins = out.bins;
  auto bin_of = [&](double t) {
    const double index = std::floor((t - trace.start_s) / bin_s);
    return static_cast<std::size_t>(std::clamp(index, 0.0, static_cast<double>(bins - 1)));
  };
  if (!trace.counted() && bins <= 2 * trace.arrival_s.size() + 4096) {
    // Bins about as many as the requests, or fewer: counted in place, then the busy ones.
    std::vector<double> dense(bins, 0.0);
    for (double t : trace.arrival_s) {
      dense[bin_of(t)] += multiplier;
    }
    return sparse_bins(dense, out.start_s, out.bin_s);
  }
  if (!trace.counted()) {  // sorted arrivals: bins in order, summed as they come
    std::size_t bin = 0;
    double sum = 0;
    bool sorted = true;
    for (double t : trace.arrival_s) {
      const std::size_t next = bin_of(t);
      if (next != bin) {
        if (next < bin) {
          sorted = false;
          break;
        }
        if (sum != 0) {
          out.index.push_back(bin);
          out.requests.push_back(sum);
        }
        bin = next;
        sum = 0;
      }
      sum += multiplier;
    }
    if (sorted) {
      if (sum != 0) {
        out.index.push_back(bin);
        out.requests.push_back(sum);
      }
      return out;
    }
    out.index.clear();  // out of order after all: the general way below
    out.requests.clear();
  }
  // (bin, requests) in the order they are added; a bin's parts are summed in that order.
  std::vector<std::pair<std::size_t, double>> parts;
  if (!trace.counted()) {
    for (double t : trace.arrival_s) {
      parts.emplace_back(bin_of(t), multiplier);
    }
  }
  for (const CountedInterval& interval : trace.intervals) {
    const double begin = interval.start_s;
    const double end = interval.start_s + interval.length_s;
    if (!(interval.length_s > 0)) {
      parts.emplace_back(bin_of(begin), interval.requests * multiplier);
      continue;
    }
    const double per_second = interval.requests * multiplier / interval.length_s;
    for (std::size_t b = bin_of(begin); b < bins; ++b) {
      const double bin_begin = trace.start_s + static_cast<double>(b) * bin_s;
      const double bin_end = bin_begin + bin_s;
      const double overlap = std::min(end, bin_end) - std::max(begin, bin_begin);
      if (overlap > 0) {
        parts.emplace_back(b, per_second * overlap);
      }
      if (bin_end >= end) {
        break;
      }
    }
  }
  // Overlapping intervals (several sources) revisit bins; a stable sort keeps each bin's
  // parts in the order they came.
  std::stable_sort(parts.begin(), parts.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < parts.size();) {
    const std::size_t bin = parts[i].first;
    double sum = 0;
    for (; i < parts.size() && parts[i].first == bin; ++i) {
      sum += parts[i].second;
    }
    if (sum != 0) {
      out.index.push_back(bin);
      out.requests.push_back(sum);
    }
  }
  return out;
}

BinnedRequests bin_requests(const WorkloadTrace& trace, double bin_s, double multiplier) {
  const SparseBins sparse = bin_requests_sparse(trace, bin_s, multiplier);
  return BinnedRequests{sparse.start_s, sparse.bin_s, dense_requests(sparse)};
}

}  // namespace placer::sim
