#include "placer/ingest/cloudwatch.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "json_reader.hpp"
#include "placer/ingest/timestamp.hpp"
#include "text.hpp"

namespace placer::ingest {
namespace {

using placer::detail::InputError;
using placer::detail::JsonReader;

enum class Series { requests, latency, ignored };

struct Point {
  double start_s = 0;
  JsonReader node;
};

double timestamp_of(const JsonReader& point) {
  JsonReader ts = point.at("Timestamp");
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

Series series_of(const std::string& label, const std::string& unit, const JsonReader& where) {
  if (label == "ConcurrentExecutions" || label == "Errors" || label == "Throttles") {
    return Series::ignored;
  }
  if (unit == "Count" && (label == "Invocations" || label == "RequestCount")) {
    return Series::requests;
  }
  if (unit == "Milliseconds" || unit == "Seconds") {
    return Series::latency;
  }
  where.fail("a series of \"" + (label.empty() ? std::string{"(no label)"} : label) + "\" in " +
             unit + " is neither requests nor latency, expected Invocations or RequestCount " +
             "(Count) or a latency in Milliseconds or Seconds");
}

// A latency datapoint as quantiles in ms; nullopt when it carries no latency statistic.
std::optional<std::vector<Quantile>> latency_quantiles(const JsonReader& point, double to_ms) {
  std::map<double, double> by_q;  // q -> ms
  if (auto min = point.find("Minimum")) {
    by_q[0.0] = min->non_negative() * to_ms;
  }
  if (auto max = point.find("Maximum")) {
    by_q[1.0] = max->non_negative() * to_ms;
  }
  if (auto extended = point.find("ExtendedStatistics")) {
    for (const auto& [key, value] : extended->node().items()) {
      (void)value;
      JsonReader stat = extended->at(key);
      if (key.size() < 2 || key[0] != 'p') {
        continue;  // trimmed means (tm99) and the like
      }
      auto pct = text::parse_number(std::string_view{key}.substr(1));
      if (!pct || *pct < 0 || *pct > 100) {
        stat.fail("bad percentile name \"" + text::shorten(key) + "\", expected p0 to p100");
      }
      by_q[*pct / 100] = stat.non_negative() * to_ms;
    }
  }
  if (by_q.empty()) {
    if (auto average = point.find("Average")) {
      double ms = average->non_negative() * to_ms;
      return std::vector<Quantile>{{0.0, ms}, {1.0, ms}};
    }
    return std::nullopt;
  }
  std::vector<Quantile> out;
  for (const auto& [q, ms] : by_q) {
    if (!out.empty() && ms < out.back().value) {
      point.fail("percentiles decrease with rank, expected Minimum <= pNN <= Maximum");
    }
    out.push_back({q, ms});
  }
  if (out.size() == 1) {
    out.push_back(out.front());
  }
  return out;
}

IngestStats read(const JsonReader& root, const std::string& origin, InvocationSink& sink,
                 BadRows bad_rows) {
  if (root.has("MetricDataResults")) {
    throw InputError{Error{ErrorCode::unsupported,
                           "get-metric-data output needs the query that made it to tell its "
                           "series apart; export each metric with get-metric-statistics",
                           root.at("MetricDataResults").path()}};
  }
  const std::string label = root.has("Label") ? root.at("Label").string() : std::string{};
  std::vector<Point> points;
  IngestStats stats;
  for (const JsonReader& point : root.at("Datapoints").elements()) {
    points.push_back({timestamp_of(point), point});
  }
  std::sort(points.begin(), points.end(),
            [](const Point& a, const Point& b) { return a.start_s < b.start_s; });
  double period_s = 60;
  double smallest = 0;
  for (std::size_t i = 1; i < points.size(); ++i) {
    double gap = points[i].start_s - points[i - 1].start_s;
    if (gap <= 0) {
      points[i].node.at("Timestamp").fail("two datapoints at one time, expected one per period");
    }
    smallest = smallest == 0 ? gap : std::min(smallest, gap);
  }
  if (smallest > 0) {
    period_s = smallest;
  }
  for (const Point& p : points) {
    try {
      const std::string unit = p.node.has("Unit") ? p.node.at("Unit").string() : std::string{};
      switch (series_of(label, unit, p.node)) {
        case Series::ignored:
          stats.skip(origin + ": " + p.node.path(), "\"" + label + "\" is not a trace input");
          continue;
        case Series::requests: {
          auto sum = p.node.find("Sum");
          if (!sum) {
            stats.skip(origin + ": " + p.node.path(), "no Sum, the statistic that counts requests");
            continue;
          }
          sink.add_counts(IntervalCount{"", p.start_s, period_s, sum->non_negative()});
          break;
        }
        case Series::latency: {
          auto q = latency_quantiles(p.node, unit == "Seconds" ? 1000.0 : 1.0);
          if (!q) {
            stats.skip(origin + ": " + p.node.path(), "no latency statistic");
            continue;
          }
          double weight = p.node.has("SampleCount") ? p.node.at("SampleCount").non_negative() : 1;
          sink.add_durations(QuantileSummary{"", std::move(*q), weight});
          break;
        }
      }
      ++stats.rows;
    } catch (const InputError& e) {
      if (bad_rows == BadRows::fail || e.error.code != ErrorCode::parse) {
        throw;
      }
      stats.skip(e.error.where, e.error.message);
    }
  }
  return stats;
}

}  // namespace

Result<IngestStats> read_cloudwatch(LineReader& reader, InvocationSink& sink, BadRows bad_rows) {
  std::string document;
  std::string_view line;
  for (;;) {
    auto more = reader.next(line);
    if (!more) {
      return tl::unexpected(more.error());
    }
    if (!*more) {
      break;
    }
    if (document.size() + line.size() + 1 > k_max_cloudwatch_json_bytes) {
      return fail(ErrorCode::parse, "CloudWatch export larger than 64 MiB", reader.where());
    }
    document.append(line).push_back('\n');
  }
  auto json = placer::detail::parse_json(document, reader.path());
  if (!json) {
    return tl::unexpected(json.error());
  }
  try {
    return read(JsonReader{*json, "$", reader.path()}, reader.path(), sink, bad_rows);
  } catch (const InputError& e) {
    return tl::unexpected(e.error);
  }
}

}  // namespace placer::ingest
