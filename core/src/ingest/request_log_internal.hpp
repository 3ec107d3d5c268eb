// Private to core and to fuzz_request_log: the request log reader with its fast paths
// (plain CSV rows read in one pass, flat JSON objects scanned without nlohmann) switched
// off, so that fuzzing can check they change no result. (Plain decimals read without
// from_chars are checked against it by the same target, through text.hpp.)
#pragma once

#include "placer/ingest/request_log.hpp"

namespace placer::ingest::internal {

enum class FastPaths { on, off };

// As placer::ingest::read_request_log, which is this with FastPaths::on.
Result<IngestStats> read_request_log(LineReader& reader, InvocationSink& sink, BadRows bad_rows,
                                     FastPaths fast_paths);

}  // namespace placer::ingest::internal
