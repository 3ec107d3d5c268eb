// AWS Application Load Balancer access logs, format name "alb": one entry a line, fields
// separated by spaces, some double-quoted (FORMATS.md section 4a). Fields are taken by
// position: type time elb client:port target:port request_processing_time
// target_processing_time response_processing_time elb_status_code target_status_code
// received_bytes sent_bytes "request" "user_agent" ssl_cipher ssl_protocol target_group_arn
// "trace_id" "domain_name" "chosen_cert_arn" matched_rule_priority request_creation_time ...
// (29 fields as of 2023). At least the first 12 (through sent_bytes) must be present; fields
// past the known ones (conn_trace_id, transform fields, ...) are ignored, so newer files read.
// Inside quotes a backslash escapes the next character.
//
// Mapping of an entry to an Invocation:
//   timestamp_s  the request's ARRIVAL, UTC epoch seconds: `request_creation_time` (ALB's own
//                record of when it received the request) when present; in older files without
//                it, `time` (when the response was sent) minus the three processing times when
//                all are >= 0, else `time` itself.
//   duration     target_processing_time in ms: the backend's service time, what a container
//                or a function would have to serve.
//   status       target_status_code, or elb_status_code when the target's is "-" (a Lambda
//                target that failed: 502 with error_reason LambdaInvalidResponse).
//   workload     the target group's name (".../targetgroup/<name>/<id>" in target_group_arn);
//                empty when the ARN is "-" (or absent in older files).
//
// Entries that are not served requests are not emitted, and are counted in
// `IngestStats::skipped_rows` (in both BadRows modes, with the first one's reason in
// `first_skipped`) so the report can say how many there were:
//   - target_processing_time = -1: ALB could not dispatch the request, or the target closed the
//     connection or timed out; the backend's service time is unknown (an ELB 460/502/503/504);
//   - type ws / wss: a WebSocket connection (status 101), logged once per connection, whose
//     times are not a request's (FORMATS.md: exclude them from request stats).
// One call per reader; not thread-safe.
#pragma once

#include "placer/error.hpp"
#include "placer/ingest/line_reader.hpp"
#include "placer/ingest/request_log.hpp"
#include "placer/trace.hpp"

namespace placer::ingest {

// Reads every ALB access log entry of `reader` into `sink`, in file order; blank lines are
// ignored. Returns the counts (see above for the entries counted as skipped).
// Fails with parse, `where` = "<path>:<line>", the message naming the field, what was found
// and what was expected (e.g. `bad target_processing_time "abc", expected seconds as a
// non-negative number or -1`):
//   - a `type` other than http, https, h2, grpcs, ws, wss (also what binary input gives);
//   - fewer than 12 fields, or an unterminated quoted field;
//   - a `time` or `request_creation_time` that is not ISO-8601 UTC ("2018-07-02T22:23:00.186641Z");
//   - a processing time that is not a number >= 0 or exactly -1 (NaN, Inf, -2);
//   - a status code that is not a whole number 100-999 ("-" for target_status_code);
// unless `bad_rows` is skip (then counted in the stats). Fails with parse, `where` = "<path>",
// on an empty input, and on an input with no served request (all skipped, bad or not).
// And with io / parse as LineReader::next does.
Result<IngestStats> read_alb_log(LineReader& reader, InvocationSink& sink, BadRows bad_rows);

}  // namespace placer::ingest
