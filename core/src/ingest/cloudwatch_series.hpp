// Private to the CloudWatch parser: the series both `aws cloudwatch` exports become, and
// what a series becomes in the trace. get-metric-statistics gives a series whose datapoints
// carry several statistics; get-metric-data gives one statistic per Id, merged here into
// the same datapoints, so both exports share one meaning.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_reader.hpp"
#include "placer/ingest/request_log.hpp"
#include "placer/trace.hpp"

namespace placer::ingest::cloudwatch {

// One period of one metric. Statistics are in `unit`; absent ones were not exported.
struct Datapoint {
  double start_s = 0;
  std::string unit;  // "Count", "Milliseconds", "Seconds", ...; "" when unknown
  std::optional<double> sum, average, minimum, maximum, sample_count;
  std::map<double, double> percentiles;  // q (0..1) -> value
  std::string where;                     // "<origin>: <path>" of the datapoint, for errors
  std::string time_where;                // of its timestamp
};

struct MetricSeries {
  std::string workload;
  std::string metric;              // the MetricName (get-metric-statistics: its Label)
  std::optional<double> period_s;  // from the query; else the smallest spacing, or 60 s
  std::vector<Datapoint> points;   // any order, distinct times
};

// A CloudWatch metric placer knows, with its namespace and unit.
struct KnownMetric {
  std::string_view name;
  std::string_view namespace_name;
  std::string_view unit;
};
const KnownMetric* known_metric(std::string_view name);

// A Timestamp node, epoch seconds or ISO 8601, as UTC epoch seconds; throws InputError.
double timestamp_of(const detail::JsonReader& node);

// "p99" -> 0.99, "p99.9" -> 0.999; nullopt for any other name.
std::optional<double> percentile_of(std::string_view stat);

// Sets the statistic `stat` ("Sum", "Average", "Minimum", "Maximum", "SampleCount", "pNN")
// of `point` to `value`. False when `stat` is none of those; an InputError at `where` when
// the statistic already holds another value.
bool set_statistic(Datapoint& point, std::string_view stat, double value, const std::string& where);

// Sends every series to `sink`: requests (Invocations, RequestCount Sum) as counts per
// period, latency as a quantile summary per period weighted by SampleCount, else by the
// requests its workload counted in the same period, else 1; ConcurrentExecutions, Errors
// and Throttles, and datapoints without the statistic needed, are counted as skipped.
// A datapoint that is wrong (neither requests nor latency, percentiles falling with rank,
// two at one time) fails, or is skipped under BadRows::skip.
void emit(std::vector<MetricSeries>& series, InvocationSink& sink, BadRows bad_rows,
          IngestStats& stats);

}  // namespace placer::ingest::cloudwatch
