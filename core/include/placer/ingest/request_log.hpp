// placer's own request log: one request a row, CSV with a header or JSON Lines.
//
// Fields: `timestamp` (epoch seconds with a fraction, or RFC 3339 with an offset),
// `duration_ms`; optional `memory_mib`, `workload`, `status`, `init_duration_ms` (present
// on cold starts). CSV columns may come in any order; unknown columns and JSON keys are
// ignored. CSV fields may be double-quoted ("" for a quote) but not span lines.
#pragma once

#include <cstdint>
#include <string>

#include "placer/error.hpp"
#include "placer/ingest/line_reader.hpp"
#include "placer/trace.hpp"

namespace placer::ingest {

enum class BadRows { fail, skip };

struct IngestStats {
  std::uint64_t rows = 0;          // requests delivered to the sink
  std::uint64_t skipped_rows = 0;  // bad rows skipped under BadRows::skip
  std::string first_skipped;       // the first skipped row's error, for the report

  // Counts one skipped row, keeping the first one's "<where>: <message>".
  void skip(const std::string& where, const std::string& message) {
    if (skipped_rows++ == 0) {
      first_skipped = where + ": " + message;
    }
  }
};

// "csv" when the first non-empty line starts with something other than "{", "jsonl" when
// it starts with "{"; decided by the parser itself.
//
// Reads every row of `reader` into `sink`.
// Fails with parse (`where` = "<path>:<line>") on a missing header column, a row with
// a bad timestamp, a negative or non-finite duration, memory or status of the wrong type,
// malformed JSON, or a wrong field count, unless `bad_rows` is skip (then counted in
// `stats`; the header must still be good). An empty file fails with parse too.
Result<IngestStats> read_request_log(LineReader& reader, InvocationSink& sink, BadRows bad_rows);

// Reads the request log at `path` ("-": standard input) into `sink`, as read_request_log.
// A plain file (not gzip) of 2 MiB or more is read on `threads` threads when `sink` is a
// MergeableSink: in parts of 1 MiB, with the same result, errors and line numbers as one
// pass (on an error, what the sink then holds is unspecified). Anything else is read in one
// pass. Fails also as LineReader::open does.
Result<IngestStats> read_request_log_file(const std::string& path, InvocationSink& sink,
                                          BadRows bad_rows, unsigned threads);

}  // namespace placer::ingest
