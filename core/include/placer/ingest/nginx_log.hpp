// nginx and ingress-nginx access logs, format name "nginx": one request a line, laid out by
// an nginx `log_format` (FORMATS.md section 4b). nginx logs a request when it ENDS, so:
//
//   timestamp_s  the request's ARRIVAL, UTC epoch seconds: the logged time ($time_local,
//                $time_iso8601 or $msec) minus $request_time. $time_local and $time_iso8601
//                have one-second resolution, so arrivals are exact to about a second.
//                $time_local ("10/Oct/2000:13:55:36 -0700") is local time with an offset,
//                normalised to UTC; a time without an offset is an error, never the host's zone.
//   duration     $request_time in ms (first byte read to log write, end to end).
//   status       $status.
//   workload     $proxy_upstream_name (ingress-nginx's "<namespace>-<service>-<port>"), empty
//                when the format has none or the request had no upstream ("[]", "-").
//
// `log_format`, when not empty, is the format string from nginx.conf (without its quotes):
// `$name` / `${name}` variables and literal text between them, matched literally. Each
// variable is one field: up to the literal text that follows it when that text is not only
// spaces (so "$request" and [$time_local] may hold spaces); otherwise one space-free token,
// except $time_local (date and offset) and $upstream_* (lists such as "0.100, 0.004" or
// "a : b"). Typed variables: $time_local, $time_iso8601, $msec, $request_time, $status,
// $proxy_upstream_name; any other ($remote_addr, $request, $upstream_addr, $http_*, ...) is
// read past. Text after the last variable (an extra trailing "-") is ignored.
//
// An empty `log_format` detects one of two layouts from the first non-blank line:
//   ingress-nginx "upstreaminfo" (its default): `$remote_addr - $remote_user [$time_local]
//     "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_length
//     $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr
//     $upstream_response_length $upstream_response_time $upstream_status $req_id`;
//   otherwise "combined" + request time: nginx's `combined` format followed by anything whose
//     `rt=<seconds>` or `request_time=<seconds>` token, else whose last token, is $request_time.
// Plain `combined` logs no latency: such lines fail with a message that says so.
// One call per reader; not thread-safe.
#pragma once

#include <string_view>

#include "placer/error.hpp"
#include "placer/ingest/line_reader.hpp"
#include "placer/ingest/request_log.hpp"
#include "placer/trace.hpp"

namespace placer::ingest {

// Reads every request of `reader` into `sink`, in file order; blank lines are ignored.
// Fails with invalid_argument, `where` = "log_format", when `log_format` has no $request_time,
// no time ($time_local, $time_iso8601 or $msec), an unterminated "${", or two variables with
// no text between them.
// Fails with parse, `where` = "<path>:<line>", the message naming the field, what was found
// and what was expected (e.g. `bad request_time "abc", expected seconds as a non-negative
// number`):
//   - a line that does not match the format (literal text missing, line ending early);
//   - a time that is malformed or without an offset, a $request_time that is not a
//     non-negative number (NaN, -1, "-"), a $status that is not a whole number 100-999;
//   - in "combined" + request time, a line with nothing after the combined fields;
// unless `bad_rows` is skip (then counted in the stats). Fails with parse, `where` =
// "<path>", on an empty input and on one with no valid line. And with io / parse as
// LineReader::next does.
Result<IngestStats> read_nginx_log(LineReader& reader, InvocationSink& sink, BadRows bad_rows,
                                   std::string_view log_format);

}  // namespace placer::ingest
