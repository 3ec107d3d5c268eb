// The Azure Functions invocation trace 2021 (AzureFunctionsInvocationTrace2021), format
// name "azure2021": CSV `app,func,end_timestamp,duration` (columns in any order, extra
// columns ignored), one invocation a row.
//
// `app` and `func` are hashes and `func` is unique only within `app`: the workload is
// "<app>/<func>". `end_timestamp` and `duration` are seconds; `end_timestamp` is relative
// to the trace's start, which Microsoft shifted, so it is not wall-clock time. placer puts
// the start at k_azure2021_start_s (2021-01-31T00:00:00Z, the first day the trace
// documents) so that windows print as dates; the arrival is start + end_timestamp -
// duration. Rows come ordered by start, not by end; the parser does not need them sorted.
#pragma once

#include "placer/error.hpp"
#include "placer/ingest/line_reader.hpp"
#include "placer/ingest/request_log.hpp"
#include "placer/trace.hpp"

namespace placer::ingest {

inline constexpr double k_azure2021_start_s = 1612051200.0;  // 2021-01-31T00:00:00Z

// Fails with parse (`where` = "<path>:<line>") on a header without app, func,
// end_timestamp and duration, a row with a wrong field count, an empty app or func, a
// negative, NaN or non-numeric end_timestamp or duration, or a duration longer than its
// end_timestamp (an arrival before the trace began), unless `bad_rows` is skip; and on an
// empty input.
Result<IngestStats> read_azure2021(LineReader& reader, InvocationSink& sink, BadRows bad_rows);

}  // namespace placer::ingest
