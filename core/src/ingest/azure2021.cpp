#include "placer/ingest/azure2021.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "text.hpp"

namespace placer::ingest {
namespace {

using text::shorten;

enum Column : std::size_t { app, func, end_timestamp, duration, k_columns };
constexpr std::array<const char*, k_columns> k_names = {"app", "func", "end_timestamp", "duration"};

// The row's Invocation, or the message saying what is wrong with it.
std::optional<Invocation> to_invocation(const std::vector<std::string_view>& cells,
                                        const std::array<std::size_t, k_columns>& at,
                                        std::string& error) {
  std::string_view a = cells[at[app]];
  std::string_view f = cells[at[func]];
  if (a.empty() || f.empty()) {
    error = "empty app or func, expected the hashed names";
    return std::nullopt;
  }
  auto end = text::parse_number(cells[at[end_timestamp]]);
  if (!end || *end < 0) {
    error = "bad end_timestamp \"" + shorten(cells[at[end_timestamp]]) +
            "\", expected seconds since the trace start";
    return std::nullopt;
  }
  auto seconds = text::parse_number(cells[at[duration]]);
  if (!seconds || *seconds < 0) {
    error = "bad duration \"" + shorten(cells[at[duration]]) +
            "\", expected seconds as a non-negative number";
    return std::nullopt;
  }
  if (*seconds > *end) {
    error = "duration " + shorten(cells[at[duration]]) + " s is longer than end_timestamp " +
            shorten(cells[at[end_timestamp]]) + " s, expected an invocation after the trace start";
    return std::nullopt;
  }
  Invocation inv;
  inv.timestamp_s = k_azure2021_start_s + *end - *seconds;
  inv.duration = Millis{*seconds * 1000.0};
  inv.workload.reserve(a.size() + f.size() + 1);
  inv.workload.append(a).append("/").append(f);
  return inv;
}

}  // namespace

Result<IngestStats> read_azure2021(LineReader& reader, InvocationSink& sink, BadRows bad_rows) {
  IngestStats stats;
  std::vector<std::string_view> cells;
  std::optional<std::array<std::size_t, k_columns>> at;
  std::size_t width = 0;
  std::string_view line;
  for (;;) {
    auto more = reader.next(line);
    if (!more) {
      return tl::unexpected(more.error());
    }
    if (!*more) {
      break;
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      continue;
    }
    text::split_commas(line, cells);
    if (!at) {
      std::array<std::size_t, k_columns> found{};
      for (std::size_t c = 0; c < k_columns; ++c) {
        auto it = std::find(cells.begin(), cells.end(), k_names[c]);
        if (it == cells.end()) {
          return fail(ErrorCode::parse,
                      std::string{"header has no \""} + k_names[c] +
                          "\" column, expected app,func,end_timestamp,duration, found \"" +
                          shorten(line) + "\"",
                      reader.where());
        }
        found[c] = static_cast<std::size_t>(it - cells.begin());
      }
      at = found;
      width = cells.size();
      continue;
    }
    std::string error;
    std::optional<Invocation> inv;
    if (cells.size() != width) {
      error = text::field_count_error(cells.size(), width);
    } else {
      inv = to_invocation(cells, *at, error);
    }
    if (!inv) {
      if (bad_rows == BadRows::fail) {
        return fail(ErrorCode::parse, error, reader.where());
      }
      stats.skip(reader.where(), error);
      continue;
    }
    sink.add(*inv);
    ++stats.rows;
  }
  if (!at) {
    return fail(ErrorCode::parse, "empty input, expected the azure2021 CSV header", reader.path());
  }
  return stats;
}

}  // namespace placer::ingest
