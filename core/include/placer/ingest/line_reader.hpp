// Reads a text file line by line in fixed-size chunks, never wholly into memory.
// Gzip files (by their magic bytes, whatever the name) are decompressed on the fly;
// "-" is standard input. Lines end at "\n"; a trailing "\r" is removed.
// One reader per file; not thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "placer/error.hpp"

namespace placer::ingest {

inline constexpr std::size_t k_max_line_bytes = 1u << 20;  // 1 MiB

class LineReader {
 public:
  // Fails with not_found (no such file), io (cannot open or read).
  static Result<LineReader> open(const std::string& path);

  // A reader per path, in order, for parsers that read several files as one input.
  // Fails as open() does for the first path that fails.
  static Result<std::vector<LineReader>> open_all(const std::vector<std::string>& paths);

  // Reads `data` (not decompressed; it must outlive the reader), named `name` in errors.
  // For tests and fuzzing.
  static LineReader from_memory(std::string_view data, std::string name);

  LineReader(LineReader&&) noexcept;
  LineReader& operator=(LineReader&&) noexcept;
  ~LineReader();

  // The next line into `line` (valid until the next call); false at end of input.
  // Fails with parse when a line exceeds k_max_line_bytes or the gzip stream is corrupt,
  // and io on a read error; `where` = "<path>:<line>".
  Result<bool> next(std::string_view& line);

  // Appends up to `max_bytes` of the unread input, newlines and all, to `out`, for formats
  // that are one document rather than lines (a compact JSON export is a single line that
  // may pass k_max_line_bytes). Returns true when input remains after them, false when
  // the input ended; next() continues where it stopped. Fails as next() does on a corrupt
  // gzip stream or a read error.
  Result<bool> read_bytes(std::string& out, std::size_t max_bytes);

  // The unread input that is in memory now, up to and including its last newline (empty
  // when it holds none): whole lines that a parser may read in place, without a call per
  // line, then pass over with skip(). Each ends with "\n", and may be longer than
  // k_max_line_bytes or end in "\r\n": next() would fail on the first and remove the "\r".
  std::string_view buffered_lines();

  // Passes over the first `bytes` of buffered_lines(), which hold `lines` whole lines, as
  // that many calls to next() would.
  void skip(std::size_t bytes, std::size_t lines);

  std::size_t line_number() const;  // of the line last returned, 1-based
  const std::string& path() const;  // as given ("-" for standard input)
  std::string where() const;        // "<path>:<line>"

 private:
  struct State;
  explicit LineReader(std::unique_ptr<State> state);
  static Result<void> refill(State& s);
  std::unique_ptr<State> state_;
};

}  // namespace placer::ingest
