// CloudWatch metrics as `aws cloudwatch get-metric-statistics` prints them, format name
// "cloudwatch": {"Label": "<metric>", "Datapoints": [{"Timestamp", "Sum" | "Average" |
// "Minimum" | "Maximum" | "SampleCount", "ExtendedStatistics": {"p99": ...}, "Unit"}]}.
//
// What a series is comes from its Label and Unit:
//   Invocations or RequestCount (Count), Sum       -> requests per period (IntervalCount)
//   Duration (Milliseconds), TargetResponseTime (Seconds), or any series in Milliseconds
//   or Seconds                                     -> a latency distribution per period
//                                                     (QuantileSummary: Minimum as q=0,
//                                                     pNN as q=NN/100, Maximum as q=1, or
//                                                     the Average alone), weighted by
//                                                     SampleCount (else 1)
//   ConcurrentExecutions, Errors, Throttles        -> not a trace input: counted as skipped
// Datapoints come unordered; each Timestamp (epoch seconds or ISO 8601) starts its period.
// The period is not in the output: it is the smallest spacing between datapoints, or 60 s
// (CloudWatch's standard resolution) for a single datapoint. Several files feed one
// workload (say Invocations from one export and Duration from another): the workload is
// the empty name, a file's only one.
//
// get-metric-data output ({"MetricDataResults": ...}) needs the query that made it to tell
// its series apart; it is refused as unsupported for now.
#pragma once

#include <cstddef>

#include "placer/error.hpp"
#include "placer/ingest/line_reader.hpp"
#include "placer/ingest/request_log.hpp"
#include "placer/trace.hpp"

namespace placer::ingest {

inline constexpr std::size_t k_max_cloudwatch_json_bytes = std::size_t{64} << 20;  // 64 MiB

// Fails with parse (`where` = "<path>: $.Datapoints[3].Sum", or "<path>:<line>:<col>" for
// malformed JSON) on a wrong shape or type, a negative or non-finite value, a bad
// timestamp, two datapoints at one time, a series that is neither requests nor latency
// (e.g. Percent), or an input over k_max_cloudwatch_json_bytes; with unsupported for
// get-metric-data output. Datapoints without any statistic are counted as skipped.
Result<IngestStats> read_cloudwatch(LineReader& reader, InvocationSink& sink, BadRows bad_rows);

}  // namespace placer::ingest
