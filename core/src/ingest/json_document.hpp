// Private to core's JSON export parsers (cloudwatch, prometheus): a whole export read from a
// LineReader, as the one or more JSON documents it holds.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "json_reader.hpp"
#include "placer/error.hpp"
#include "placer/ingest/line_reader.hpp"
#include "placer/ingest/request_log.hpp"

namespace placer::ingest {

struct JsonDocument {
  nlohmann::json value;
  // How errors name the document: the path, or "<path>:<line it starts on>" when the file
  // holds several (pages appended one after another).
  std::string origin;
};

// Every JSON document in the rest of `reader` (lines of any length). Fails with parse on
// malformed JSON (`where` = "<path>:<line>:<col>"), on an empty input, and when the input
// passes `max_bytes` ("<what> larger than <n> MiB"); and as LineReader::read_bytes.
Result<std::vector<JsonDocument>> read_json_documents(LineReader& reader, std::size_t max_bytes,
                                                      std::string_view what);

// Throws a parse InputError at `where` ("<origin>: <path>"), for errors found after reading.
[[noreturn]] void fail_at(const std::string& where, std::string message);

// The error of one bad row (a datapoint, a sample): thrown again under BadRows::fail or when
// it is not a parse error, else counted as a skipped row in `stats`.
void skip_or_throw(const detail::InputError& e, BadRows bad_rows, IngestStats& stats);

}  // namespace placer::ingest
