// CloudWatch metrics as the `aws cloudwatch` CLI prints them, format name "cloudwatch".
// Two exports are read:
//   get-metric-statistics  {"Label": "<metric>", "Datapoints": [{"Timestamp", "Sum" |
//                          "Average" | "Minimum" | "Maximum" | "SampleCount",
//                          "ExtendedStatistics": {"p99": ...}, "Unit"}]}
//   get-metric-data        {"MetricDataResults": [{"Id", "Label", "Timestamps": [...],
//                          "Values": [...], "StatusCode"}], "NextToken"?, "Messages"?}
// A file may hold one response, a JSON array of responses, or responses appended one after
// another (pages); the files given together are one export: get-metric-data results are
// merged by Id across pages and files, whatever their order (CloudWatch lists newest first).
// Timestamps are epoch seconds or ISO 8601 and start their period.
//
// What a series is comes from its metric and unit:
//   Invocations or RequestCount (Count), Sum       -> requests per period (IntervalCount)
//   Duration (Milliseconds), TargetResponseTime (Seconds), or any series in Milliseconds
//   or Seconds                                     -> a latency distribution per period
//                                                     (QuantileSummary in ms: Minimum as
//                                                     q=0, pNN as q=NN/100, Maximum as q=1,
//                                                     or the Average alone), weighted by
//                                                     SampleCount, else by the requests of
//                                                     the same workload and period, else 1
//   ConcurrentExecutions, Errors, Throttles        -> not a trace input: counted as skipped
// get-metric-statistics names the metric in its Label and the unit in each datapoint. A
// get-metric-data result names neither: each Id is looked up in the user's queries (the
// --metric-data-queries JSON given to the CLI, which says MetricName, Stat, Period and
// Unit) when given, else read from its Id ("invocations", "duration_p99", "duration_avg",
// "request_count", "target_response_time_p50", "<metric>_<stat>" with the metric in
// snake_case or lower case and the stat sum, avg, min, max, sample_count or pNN, p99_9
// for p99.9) or its Label ("Duration p99", "Invocations Sum", or the metric name alone for
// the Sum of a count); the unit is the metric's own (Duration in ms, TargetResponseTime in
// seconds) unless the query gives one.
//
// The period is the query's when known, else the smallest spacing between datapoints,
// else 60 s (CloudWatch's standard resolution). Workloads: get-metric-statistics series
// feed the empty name (several files of one workload: Invocations in one, Duration in
// another). get-metric-data series feed it too when they come from one source (namespace
// and dimensions); from several sources, each is a workload named by its dimension values
// joined with "/" ("orders-api"), or by its namespace ("AWS/Lambda") when the queries are
// not known.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "placer/error.hpp"
#include "placer/ingest/line_reader.hpp"
#include "placer/ingest/request_log.hpp"
#include "placer/trace.hpp"

namespace placer::ingest {

inline constexpr std::size_t k_max_cloudwatch_json_bytes = std::size_t{64} << 20;  // 64 MiB

// One entry of the `--metric-data-queries` JSON given to `aws cloudwatch get-metric-data`.
struct MetricQuery {
  std::string id;
  std::string namespace_name;  // MetricStat.Metric.Namespace, "AWS/Lambda"
  std::string metric;          // MetricStat.Metric.MetricName, "Duration"
  std::string stat;            // MetricStat.Stat, "Sum", "Average", "p99"
  std::string unit;            // MetricStat.Unit; empty when not given
  std::vector<std::pair<std::string, std::string>> dimensions;  // name, value, in order
  std::optional<double> period_s;                               // MetricStat.Period
  bool expression = false;  // a metric math Expression, whose results are not read
};

// The queries in `reader`: a JSON array of MetricDataQuery objects, or an object holding
// one under "MetricDataQueries" (the --cli-input-json form). Fails with parse on malformed
// JSON or a wrong shape or type (`where` = "<path>: $[2].MetricStat.Period"), a query with
// neither MetricStat nor Expression, or two queries with one Id; and as LineReader.
Result<std::vector<MetricQuery>> read_metric_queries(LineReader& reader);

struct CloudWatchOptions {
  std::vector<MetricQuery> queries;  // empty: Ids and Labels say what each result holds
};

// Reads `readers` as one export into `sink`.
// Fails with parse (`where` = "<path>: $.Datapoints[3].Sum", "<path>:<line>: $..." for the
// page starting on that line of a file of several pages, or "<path>:<line>:<col>" for
// malformed JSON) on a wrong shape or type, a negative or non-finite value, a bad
// timestamp, Timestamps and Values of different lengths, two values of one statistic at
// one time, a series that is neither requests nor latency (e.g. Percent), a result whose
// metric cannot be told (an Id in no query, a metric math result, an Id and Label that
// follow no convention), a result CloudWatch marked InternalError or Forbidden, an empty
// input, or an input over k_max_cloudwatch_json_bytes. Under BadRows::skip the errors of
// one datapoint or result are counted as skipped rows instead. Datapoints without the
// statistic a series needs, and metrics that are not trace inputs, are counted as skipped.
// Requires: `readers` non-empty.
Result<IngestStats> read_cloudwatch(std::span<LineReader> readers, const CloudWatchOptions& options,
                                    InvocationSink& sink, BadRows bad_rows);

// One file, as above.
Result<IngestStats> read_cloudwatch(LineReader& reader, InvocationSink& sink, BadRows bad_rows,
                                    const CloudWatchOptions& options = {});

}  // namespace placer::ingest
