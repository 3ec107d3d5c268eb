#include "cloudwatch_series.hpp"

#include <algorithm>
#include <cmath>

#include "json_document.hpp"
#include "placer/ingest/timestamp.hpp"
#include "text.hpp"

namespace placer::ingest::cloudwatch {
namespace {

using detail::InputError;

constexpr KnownMetric k_known_metrics[] = {
    {"Invocations", "AWS/Lambda", "Count"},
    {"Duration", "AWS/Lambda", "Milliseconds"},
    {"ConcurrentExecutions", "AWS/Lambda", "Count"},
    {"Errors", "AWS/Lambda", "Count"},
    {"Throttles", "AWS/Lambda", "Count"},
    {"RequestCount", "AWS/ApplicationELB", "Count"},
    {"TargetResponseTime", "AWS/ApplicationELB", "Seconds"},
};

enum class Kind { requests, latency, ignored };

Kind kind_of(const std::string& metric, const Datapoint& point) {
  if (metric == "ConcurrentExecutions" || metric == "Errors" || metric == "Throttles") {
    return Kind::ignored;
  }
  if (point.unit == "Count" && (metric == "Invocations" || metric == "RequestCount")) {
    return Kind::requests;
  }
  if (point.unit == "Milliseconds" || point.unit == "Seconds") {
    return Kind::latency;
  }
  fail_at(point.where, "a series of \"" + (metric.empty() ? std::string{"(no label)"} : metric) +
                           "\" in " + point.unit +
                           " is neither requests nor latency, expected Invocations or "
                           "RequestCount (Count) or a latency in Milliseconds or Seconds");
}

// A latency datapoint as quantiles in ms: Minimum as q=0, pNN as q=NN/100, Maximum as q=1,
// or the Average alone; nullopt when it carries no latency statistic.
std::optional<std::vector<Quantile>> latency_quantiles(const Datapoint& point) {
  const double to_ms = point.unit == "Seconds" ? 1000.0 : 1.0;
  std::map<double, double> by_q;  // q -> ms
  if (point.minimum) {
    by_q[0.0] = *point.minimum * to_ms;
  }
  if (point.maximum) {
    by_q[1.0] = *point.maximum * to_ms;
  }
  for (const auto& [q, value] : point.percentiles) {
    by_q[q] = value * to_ms;
  }
  if (by_q.empty()) {
    if (point.average) {
      double ms = *point.average * to_ms;
      return std::vector<Quantile>{{0.0, ms}, {1.0, ms}};
    }
    return std::nullopt;
  }
  std::vector<Quantile> out;
  for (const auto& [q, ms] : by_q) {
    if (!out.empty() && ms < out.back().value) {
      fail_at(point.where, "percentiles decrease with rank, expected Minimum <= pNN <= Maximum");
    }
    out.push_back({q, ms});
  }
  if (out.size() == 1) {
    out.push_back(out.front());
  }
  return out;
}

// Sorts the series by time; its period is the query's, else the smallest spacing, else 60 s
// (CloudWatch's standard resolution).
double sort_and_period(MetricSeries& series) {
  auto& points = series.points;
  std::sort(points.begin(), points.end(),
            [](const Datapoint& a, const Datapoint& b) { return a.start_s < b.start_s; });
  double smallest = 0;
  for (std::size_t i = 1; i < points.size(); ++i) {
    double gap = points[i].start_s - points[i - 1].start_s;
    if (gap <= 0) {
      fail_at(points[i].time_where, "two datapoints at one time, expected one per period");
    }
    smallest = smallest == 0 ? gap : std::min(smallest, gap);
  }
  if (series.period_s) {
    return *series.period_s;
  }
  return smallest > 0 ? smallest : 60;
}

}  // namespace

const KnownMetric* known_metric(std::string_view name) {
  for (const KnownMetric& m : k_known_metrics) {
    if (m.name == name) {
      return &m;
    }
  }
  return nullptr;
}

double timestamp_of(const detail::JsonReader& ts) {
  if (ts.node().is_number()) {
    double value = ts.number();
    if (value < 0 || value > 253402300799.0) {
      ts.fail("timestamp out of range, expected epoch seconds between 1970 and 9999");
    }
    return value;
  }
  std::string text = ts.string();
  auto value = parse_rfc3339(text);
  if (!value) {
    ts.fail("bad timestamp \"" + text::shorten(text) +
            "\", expected epoch seconds or ISO 8601 with a zone");
  }
  return *value;
}

std::optional<double> percentile_of(std::string_view stat) {
  if (stat.size() < 2 || stat[0] != 'p') {
    return std::nullopt;
  }
  auto pct = text::parse_number(stat.substr(1));
  if (!pct || *pct < 0 || *pct > 100) {
    return std::nullopt;
  }
  return *pct / 100;
}

bool set_statistic(Datapoint& point, std::string_view stat, double value,
                   const std::string& where) {
  std::optional<double>* slot = nullptr;
  if (stat == "Sum") {
    slot = &point.sum;
  } else if (stat == "Average") {
    slot = &point.average;
  } else if (stat == "Minimum") {
    slot = &point.minimum;
  } else if (stat == "Maximum") {
    slot = &point.maximum;
  } else if (stat == "SampleCount") {
    slot = &point.sample_count;
  } else if (auto q = percentile_of(stat)) {
    auto [it, added] = point.percentiles.emplace(*q, value);
    if (!added && it->second != value) {
      fail_at(where,
              "two values of " + std::string{stat} + " at one time, expected one per period");
    }
    return true;
  } else {
    return false;
  }
  if (*slot && **slot != value) {
    fail_at(where, "two values of " + std::string{stat} + " at one time, expected one per period");
  }
  *slot = value;
  return true;
}

void emit(std::vector<MetricSeries>& all, InvocationSink& sink, BadRows bad_rows,
          IngestStats& stats) {
  auto bad_row = [&](const InputError& e) { skip_or_throw(e, bad_rows, stats); };
  std::vector<double> periods;
  for (MetricSeries& series : all) {
    periods.push_back(sort_and_period(series));
  }
  // Requests first: latency datapoints without a SampleCount are weighted by them.
  std::map<std::string, std::map<double, double>> requests;  // workload -> start -> count
  for (const Kind pass : {Kind::requests, Kind::latency}) {
    for (std::size_t s = 0; s < all.size(); ++s) {
      const MetricSeries& series = all[s];
      for (const Datapoint& p : series.points) {
        Kind kind = Kind::ignored;
        try {
          kind = kind_of(series.metric, p);
        } catch (const InputError& e) {
          if (pass == Kind::requests) {  // once per datapoint
            bad_row(e);
          }
          continue;
        }
        if (kind == Kind::ignored && pass == Kind::requests) {
          stats.skip(p.where, "\"" + series.metric + "\" is not a trace input");
        }
        if (kind != pass) {
          continue;
        }
        try {
          if (kind == Kind::requests) {
            if (!p.sum) {
              stats.skip(p.where, "no Sum, the statistic that counts requests");
              continue;
            }
            sink.add_counts(IntervalCount{series.workload, p.start_s, periods[s], *p.sum});
            requests[series.workload][p.start_s] += *p.sum;
          } else {
            auto q = latency_quantiles(p);
            if (!q) {
              stats.skip(p.where, "no latency statistic");
              continue;
            }
            double weight = 1;
            if (p.sample_count) {
              weight = *p.sample_count;
            } else if (auto w = requests.find(series.workload); w != requests.end()) {
              auto at = w->second.find(p.start_s);
              weight = at != w->second.end() ? at->second : 1;
            }
            sink.add_durations(QuantileSummary{series.workload, std::move(*q), weight});
          }
          ++stats.rows;
        } catch (const InputError& e) {
          bad_row(e);
        }
      }
    }
  }
}

}  // namespace placer::ingest::cloudwatch
