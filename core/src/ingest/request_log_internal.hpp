// Private to core and to fuzz_request_log: the request log reader with its fast paths
// (plain CSV rows read in one pass, flat JSON objects scanned without nlohmann) switched
// off, so that fuzzing can check they change no result. (Plain decimals read without
// from_chars are checked against it by the same target, through text.hpp.)
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "placer/ingest/request_log.hpp"

namespace placer::ingest::internal {

// on: every fast path, with the vector CSV reader where the CPU runs it; scalar: the fast
// paths without the vector reader; off: none.
enum class FastPaths { on, scalar, off };

// How the rows of a file were read, for tests that check plain rows take the fast paths.
struct PathCounts {
  std::size_t rows_in_place = 0;  // read in place from the reader's buffer, not a line at a time
  std::size_t json_rows_by_shape = 0;  // of those, JSON rows read by the last row's shape
  std::size_t csv_rows_by_vector = 0;  // of those, CSV rows the vector reader read
};

// As placer::ingest::read_request_log, which is this with FastPaths::on. When given,
// `counts` receives how the rows were read.
Result<IngestStats> read_request_log(LineReader& reader, InvocationSink& sink, BadRows bad_rows,
                                     FastPaths fast_paths, PathCounts* counts = nullptr);

// For reading one file in parts (request_log_file.cpp): the file's layout, read from its
// first non-blank line, then each part's rows in that layout.
inline constexpr std::size_t k_layout_fields = 6;
struct Layout {
  bool jsonl = false;
  std::array<std::optional<std::size_t>, k_layout_fields> columns;  // per field, its column
  std::size_t header_size = 0;       // columns in the CSV header
  std::vector<std::size_t> roles;    // per column, its field (k_layout_fields for none)
};

// True when the first byte of `line` other than spaces and tabs is "{": JSON Lines.
bool is_json_line(std::string_view line);

// The layout a CSV header gives; `reader` holds blank lines and the header, no rows.
// Fails as read_request_log does on a bad header.
Result<Layout> read_csv_header(LineReader& reader);

// The rows of `reader` in `layout` (no header line), as read_request_log reads them.
Result<IngestStats> read_rows(LineReader& reader, InvocationSink& sink, BadRows bad_rows,
                              const Layout& layout);

// As placer::ingest::read_request_log_file, which is this with parts of k_part_bytes; tests
// and fuzzing cut small files into parts of a few bytes.
inline constexpr std::size_t k_part_bytes = 256u << 10;
Result<IngestStats> read_request_log_file(const std::string& path, InvocationSink& sink,
                                          BadRows bad_rows, unsigned threads,
                                          std::size_t part_bytes);

}  // namespace placer::ingest::internal
