// AWS Lambda per-invocation logs, format name "lambda-report": each REPORT line or
// `platform.report` event becomes one Invocation. Accepted inputs (decided by the parser
// from the first non-blank line; FORMATS.md section 3 describes them):
//
//   text        REPORT lines as CloudWatch prints them: "REPORT RequestId: <id>\tDuration:
//               12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 18 MB".
//               Pairs are matched by key, in any order, tab- or space-separated, trailing
//               whitespace allowed; unknown keys (XRAY TraceId, ...) are ignored. A line may
//               start with an RFC 3339 time, optionally followed by a log stream name (as
//               `aws logs tail` prints). START/END/XRAY/application lines are ignored.
//   get-log-events / filter-log-events JSON   {"events": [{"timestamp": <epoch ms>,
//               "message": "REPORT ..."}, ...]}, pretty-printed or on one line.
//   subscription payload (decoded)           {"logEvents": [{"timestamp", "message"}]}.
//   JSON log format / Telemetry API          one event a line (JSON Lines), a JSON array of
//               events, or one event: {"time": "<RFC 3339>", "type": "platform.report",
//               "record": {"metrics": {"durationMs", "maxMemoryUsedMB"?, "initDurationMs"?,
//               "restoreDurationMs"?}}}. Other event types are ignored. A `message` in the
//               JSON containers above may itself be such an event (JSON log format).
//
// Mapping: `duration` = Duration / durationMs (ms, NOT the billed duration); `memory` =
// Max Memory Used / maxMemoryUsedMB in MiB (Lambda's "MB" is a mebibyte), absent when the
// report has none (Lambda Managed Instances); `init_duration` = Init Duration, or Restore
// Duration for SnapStart, present only on cold starts. Memory Size (the configured size)
// and Billed Duration are read past, not kept. `status` and `workload` stay empty.
//
// Timestamps: `timestamp_s` is when the report was logged, i.e. the END of the invocation
// (Lambda writes REPORT after the handler returns): the event `timestamp` (epoch ms / 1000)
// in the JSON containers, `time` in platform events, the leading RFC 3339 time in text.
// A REPORT line itself carries no time. Text files whose REPORT lines have no leading time
// (copies from the console or the docs, the common case for pasted lines) are still read,
// with `timestamp_s` = 0 for every invocation: durations, memory and cold starts stay
// usable for cost, but arrival times, rates and concurrency are unknown, so callers that
// need them must ask for an `aws logs filter-log-events` JSON export instead. Whether a
// text file is timed is fixed by its first REPORT line; a later REPORT line that differs
// is a bad row.
//
// Input starting with "[", or with a "{" line that is an unfinished JSON value (a
// pretty-printed export), is read whole as one document, up to k_max_lambda_json_bytes.
// Otherwise it streams line by line, each line (text, one JSON Lines event, or a compact
// one-line export) at most k_max_line_bytes. One call per reader; not thread-safe.
#pragma once

#include <cstddef>

#include "placer/error.hpp"
#include "placer/ingest/line_reader.hpp"
#include "placer/ingest/request_log.hpp"
#include "placer/trace.hpp"

namespace placer::ingest {

inline constexpr std::size_t k_max_lambda_json_bytes = std::size_t{256} << 20;  // 256 MiB

// Reads every Lambda report in `reader` into `sink`, in input order; returns the counts.
// Fails with parse, with `where` = "<path>:<line>" for text and JSON Lines (the message then
// names the field, e.g. "record.metrics.durationMs: must not be negative, found -1") and
// "<path>: $.events[3].message" for JSON documents (malformed JSON: "<path>:<line>:<column>"):
//   - a malformed REPORT line (no Duration, a duration that is negative, NaN or not in ms,
//     memory not a positive number of MB, a key given twice), a REPORT line whose leading
//     time is not RFC 3339, or one timed/untimed unlike the first REPORT line;
//   - a platform.report event without `time`, `record.metrics.durationMs`, or with a field
//     of the wrong type or a negative value; a log event without a numeric `timestamp` or a
//     string `message`;
//   - malformed or truncated JSON, a JSON document over k_max_lambda_json_bytes, an object
//     that is neither {"events"}, {"logEvents"} nor an event with "type";
//   - an empty input, or an input with no REPORT line or platform.report event at all;
// and with io / parse as LineReader::next does. Under BadRows::skip, a bad report (one line
// or one event) is counted in the stats instead; structural errors still fail.
Result<IngestStats> read_lambda_logs(LineReader& reader, InvocationSink& sink, BadRows bad_rows);

}  // namespace placer::ingest
