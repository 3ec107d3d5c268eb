// What the selected series of a Prometheus export become: counts a step, latency summaries.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include "json_document.hpp"
#include "json_reader.hpp"
#include "prometheus_series.hpp"
#include "text.hpp"

namespace placer::ingest::prometheus {
namespace {

using detail::InputError;

// One series as the options make it: its pages merged, sorted by time, one sample a time.
struct Series {
  Selected as;
  std::vector<Sample> samples;
};

std::vector<Series> merge(Export& ex, const std::vector<Selected>& selected, BadRows bad_rows,
                          IngestStats& stats) {
  std::map<std::tuple<SeriesKind, std::string, double, std::map<std::string, std::string>>, Series>
      by_identity;
  for (const Selected& sel : selected) {
    RawSeries& raw = ex.series[sel.raw];
    Series& s = by_identity[{sel.kind, sel.workload, sel.quantile, raw.labels}];
    s.as = sel;
    s.samples.insert(s.samples.end(), raw.samples.begin(), raw.samples.end());
    std::vector<Sample>().swap(raw.samples);
  }
  std::vector<Series> out;
  for (auto& [identity, s] : by_identity) {
    std::stable_sort(s.samples.begin(), s.samples.end(),
                     [](const Sample& a, const Sample& b) { return a.t < b.t; });
    std::vector<Sample> kept;
    for (const Sample& sample : s.samples) {
      if (!kept.empty() && kept.back().t == sample.t) {
        const double before = kept.back().value;
        if (before == sample.value || (std::isnan(before) && std::isnan(sample.value))) {
          continue;  // pages that overlap by a step
        }
        try {
          fail_at(where_of(ex, sample), "found " + text::number(sample.value) +
                                            " at a time that has " + text::number(before) +
                                            ", expected one value a time");
        } catch (const InputError& e) {
          skip_or_throw(e, bad_rows, stats);
          continue;
        }
      }
      kept.push_back(sample);
    }
    s.samples = std::move(kept);
    out.push_back(std::move(s));
  }
  return out;
}

// The median spacing of the samples, to the ms; nullopt for fewer than two.
std::optional<double> median_step(const std::vector<Sample>& samples) {
  std::vector<double> gaps;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    gaps.push_back(samples[i].t - samples[i - 1].t);
  }
  if (gaps.empty()) {
    return std::nullopt;
  }
  std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2),
                   gaps.end());
  return std::round(gaps[gaps.size() / 2] * 1000) / 1000;
}

// Requests a workload counted, by the end of their interval: what weighs its latencies.
using Counts = std::map<double, std::pair<double, double>>;  // end -> requests, length

class Emitter {
 public:
  Emitter(const Export& ex, const PrometheusOptions& options, InvocationSink& sink,
          BadRows bad_rows, IngestStats& stats)
      : ex_(ex), options_(options), sink_(sink), bad_rows_(bad_rows), stats_(stats) {}

  void requests(const Series& s, Counts& counts) {
    std::optional<double> step = options_.step_s;
    if (!step && s.as.kind == SeriesKind::rate) {
      step = median_step(s.samples);
      if (!step) {
        throw InputError{Error{ErrorCode::invalid_argument,
                               "rate series " + describe(ex_.series[s.as.raw], false) +
                                   " has one sample, expected two or more to tell the step, "
                                   "or --step-seconds",
                               "--step-seconds"}};
      }
    }
    const Sample* previous = nullptr;
    for (const Sample& sample : s.samples) {
      if (!usable(sample, s.as.kind == SeriesKind::counter
                              ? "a counter, which is never negative"
                              : "a rate of requests per second, 0 or more")) {
        continue;
      }
      IntervalCount count{s.as.workload, 0, 0, 0};
      if (s.as.kind == SeriesKind::rate) {
        count = {s.as.workload, sample.t - *step, *step, sample.value * *step};
      } else if (previous != nullptr) {
        // A drop means the counter restarted from 0 in between.
        const double increase =
            sample.value >= previous->value ? sample.value - previous->value : sample.value;
        count = {s.as.workload, previous->t, sample.t - previous->t, increase};
      }
      previous = &sample;
      if (count.length_s <= 0) {
        continue;  // a counter's first sample: the base its increases start from
      }
      sink_.add_counts(count);
      counts[sample.t] = {count.requests, count.length_s};
      ++stats_.rows;
    }
  }

  // The latency series of one workload, at several quantiles, as one summary a step.
  void latencies(const std::vector<const Series*>& all, const Counts* counts) {
    struct Point {
      double q;
      double ms;
      const Sample* sample;
    };
    std::map<long long, std::vector<Point>> by_step;  // by time in ms
    for (const Series* s : all) {
      for (const Sample& sample : s->samples) {
        if (usable(sample, "a latency in seconds, 0 or more")) {
          by_step[std::llround(sample.t * 1000)].push_back(
              {s->as.quantile, sample.value * 1000, &sample});
        }
      }
    }
    for (auto& [time_ms, points] : by_step) {
      std::sort(points.begin(), points.end(),
                [](const Point& a, const Point& b) { return a.q < b.q; });
      try {
        std::vector<Quantile> quantiles;
        for (const Point& p : points) {
          if (!quantiles.empty() && p.ms < quantiles.back().value) {
            fail_at(where_of(ex_, *p.sample), "found quantile " + text::number(p.q) + " at " +
                                                  text::number(p.ms) + " ms, below quantile " +
                                                  text::number(quantiles.back().q) + " at " +
                                                  text::number(quantiles.back().value) +
                                                  " ms, expected quantiles rising with rank");
          }
          quantiles.push_back({p.q, p.ms});
        }
        double weight = 1;
        if (counts != nullptr) {
          weight = requests_at(*counts, points.front().sample->t);
          if (!(weight > 0)) {
            stats_.skip(where_of(ex_, *points.front().sample),
                        weight == 0 ? "no requests in this step to weigh the latency by"
                                    : "no request count for this step to weigh the latency by");
            continue;
          }
        }
        sink_.add_durations(
            QuantileSummary{all.front()->as.workload, std::move(quantiles), weight});
        ++stats_.rows;
      } catch (const InputError& e) {
        skip_or_throw(e, bad_rows_, stats_);
      }
    }
  }

 private:
  // False for no data (counted as skipped) and for a bad row that BadRows::skip skips.
  bool usable(const Sample& sample, const char* expected) {
    if (!std::isfinite(sample.value)) {
      stats_.skip(where_of(ex_, sample), "found " + text::number(sample.value) + ", no data");
      return false;
    }
    if (sample.value < 0) {
      try {
        fail_at(where_of(ex_, sample),
                "found " + text::number(sample.value) + ", expected " + expected);
      } catch (const InputError& e) {
        skip_or_throw(e, bad_rows_, stats_);
      }
      return false;
    }
    return true;
  }

  // The requests counted in the step that ends nearest `t` (within half its length); -1
  // when none does.
  static double requests_at(const Counts& counts, double t) {
    auto after = counts.lower_bound(t);
    double best = -1;
    double best_gap = std::numeric_limits<double>::infinity();
    for (auto it : {after, after == counts.begin() ? counts.end() : std::prev(after)}) {
      if (it == counts.end()) {
        continue;
      }
      const double gap = std::abs(it->first - t);
      if (gap <= it->second.second / 2 && gap < best_gap) {
        best = it->second.first;
        best_gap = gap;
      }
    }
    return best;
  }

  const Export& ex_;
  const PrometheusOptions& options_;
  InvocationSink& sink_;
  BadRows bad_rows_;
  IngestStats& stats_;
};

}  // namespace

std::string where_of(const Export& ex, const Sample& s) {
  return ex.prefixes[s.prefix] + "[" + std::to_string(s.index) + "][1]";
}

void emit(Export& ex, const std::vector<Selected>& selected, const PrometheusOptions& options,
          InvocationSink& sink, BadRows bad_rows, IngestStats& stats) {
  const std::vector<Series> all = merge(ex, selected, bad_rows, stats);
  struct Workload {
    const Series* requests = nullptr;
    std::vector<const Series*> latencies;
  };
  std::map<std::string, Workload> workloads;
  for (const Series& s : all) {
    Workload& w = workloads[s.as.workload];
    if (s.as.kind == SeriesKind::latency_seconds) {
      w.latencies.push_back(&s);
    } else {
      w.requests = &s;  // select() allows one a workload
    }
  }
  Emitter emitter{ex, options, sink, bad_rows, stats};
  for (const auto& [name, w] : workloads) {
    Counts counts;
    if (w.requests != nullptr) {
      emitter.requests(*w.requests, counts);
    }
    if (!w.latencies.empty()) {
      emitter.latencies(w.latencies, w.requests != nullptr ? &counts : nullptr);
    }
  }
}

}  // namespace placer::ingest::prometheus
