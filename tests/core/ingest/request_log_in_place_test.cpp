// Plain CSV rows are read in place from the reader's buffer, many rows per call, instead of a
// line at a time (request_log.cpp, bulk_rows), and so are plain JSON Lines rows; a sink that
// takes workloads as views gets them without a copy. The line-at-a-time reader with its fast
// paths off is the reference (request_log_test.cpp checks it against the Azure trace): for
// files that mix plain rows with every kind of row the in-place reader must hand on (blank
// lines, "\r\n" and "\r\r\n" endings, quotes, RFC 3339 times, bad rows, a line over 1 MiB),
// from memory, from a file and from gzip (whose chunks cut rows), both give the same rows bit
// for bit, the same skipped rows, and the same errors at the same lines.
#include <gtest/gtest.h>
#include <zlib.h>

#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/csv_vector.hpp"
#include "ingest/request_log_internal.hpp"
#include "ingest_test_util.hpp"
#include "placer/ingest/line_reader.hpp"
#include "placer/ingest/request_log.hpp"

namespace placer::ingest {
namespace {

using test_util::Collect;
using test_util::write_temp;

// Collect for a sink that takes the rows read in place with their workload as a view (as
// TraceSummarizer does): the row's own workload, which the parser leaves stale, is not read.
class CollectViews final : public InvocationSink {
 public:
  explicit CollectViews(std::vector<Invocation>& rows) : rows_(rows) {}
  void add(const Invocation& inv) override { rows_.push_back(inv); }
  bool takes_workload_views() const override { return true; }
  void add_with_workload(const Invocation& row, std::string_view workload) override {
    rows_.push_back(row);
    rows_.back().workload.assign(workload);
  }

 private:
  std::vector<Invocation>& rows_;
};

// Every row in bits, then the stats, or the error with its place. `paths`: how the rows
// were read. `views`: into a sink that takes workloads as views.
std::string outcome(LineReader reader, BadRows bad_rows, internal::FastPaths fast,
                    internal::PathCounts* paths = nullptr, bool views = false) {
  Collect collect;
  CollectViews collect_views{collect.rows};
  InvocationSink& rows = views ? static_cast<InvocationSink&>(collect_views) : collect;
  internal::PathCounts counts;
  auto stats = internal::read_request_log(reader, rows, bad_rows, fast, &counts);
  if (paths != nullptr) {
    *paths = counts;
  }
  std::string out;
  for (const Invocation& r : collect.rows) {
    out += std::to_string(std::bit_cast<std::uint64_t>(r.timestamp_s)) + " " +
           std::to_string(std::bit_cast<std::uint64_t>(r.duration.count())) + " " +
           (r.memory ? std::to_string(std::bit_cast<std::uint64_t>(r.memory->value())) : "-") +
           " " +
           (r.init_duration ? std::to_string(std::bit_cast<std::uint64_t>(r.init_duration->count()))
                            : "-") +
           " " + (r.status ? std::to_string(*r.status) : "-") + " [" + r.workload + "]\n";
  }
  if (!stats) {
    return out + "error " + stats.error().where + ": " + stats.error().message;
  }
  return out + std::to_string(stats->rows) + " rows, " + std::to_string(stats->skipped_rows) +
         " skipped, first " + stats->first_skipped;
}

std::string write_gzip(const std::string& name, const std::string& text) {
  const std::string path = write_temp(name, "");
  gzFile gz = gzopen(path.c_str(), "wb");
  EXPECT_NE(gz, nullptr);
  EXPECT_EQ(gzwrite(gz, text.data(), static_cast<unsigned>(text.size())),
            static_cast<int>(text.size()));
  gzclose(gz);
  return path;
}

// "" when equal, else the first line where `got` differs from `expected` (outcomes are
// megabytes long: a full diff of them would take gtest minutes).
std::string first_difference(const std::string& got, const std::string& expected) {
  if (got == expected) {
    return "";
  }
  std::size_t at = 0;
  while (at < got.size() && at < expected.size() && got[at] == expected[at]) {
    ++at;
  }
  const std::size_t line_start = got.rfind('\n', at == 0 ? 0 : at - 1);
  const std::size_t from = line_start == std::string::npos ? 0 : line_start + 1;
  const auto line_of = [from](const std::string& text) {
    return text.substr(from, text.find('\n', from) - from);
  };
  return "at byte " + std::to_string(at) + ": got \"" + line_of(got) + "\", expected \"" +
         line_of(expected) + "\"";
}

// The reference outcome of `text`, checked equal in place from memory, a file and gzip.
// At least `min_in_place` rows must be read in place from memory: a reader that always
// handed rows on would agree too. Of those, `by_shape` JSON rows are read by the shape of
// the row before (JsonRowShape), exactly.
std::string expect_in_place_agrees(const std::string& text, BadRows bad_rows,
                                   std::size_t min_in_place, std::size_t by_shape = 0) {
  internal::PathCounts paths;
  const std::string reference =
      outcome(LineReader::from_memory(text, "in.csv"), bad_rows, internal::FastPaths::off, &paths);
  EXPECT_EQ(paths.rows_in_place, 0u);
  for (const bool views : {false, true}) {
    SCOPED_TRACE(views ? "workloads as views" : "workloads copied");
    EXPECT_EQ(first_difference(outcome(LineReader::from_memory(text, "in.csv"), bad_rows,
                                       internal::FastPaths::on, &paths, views),
                               reference),
              "");
    EXPECT_GE(paths.rows_in_place, min_in_place);
    EXPECT_EQ(paths.json_rows_by_shape, by_shape);
    if (csv_vector::available() && !internal::is_json_line(text)) {
      EXPECT_GE(paths.csv_rows_by_vector, min_in_place / 2);  // rows short enough for it
    }
    // And without the vector CSV reader, as on a CPU without AVX2.
    EXPECT_EQ(first_difference(outcome(LineReader::from_memory(text, "in.csv"), bad_rows,
                                       internal::FastPaths::scalar, &paths, views),
                               reference),
              "");
    EXPECT_GE(paths.rows_in_place, min_in_place);
    EXPECT_EQ(paths.csv_rows_by_vector, 0u);
  }
  const std::string plain = write_temp("in_place.csv", text);
  const std::string gzip = write_gzip("in_place.csv.gz", text);
  for (const std::string& path : {plain, gzip}) {
    SCOPED_TRACE(path);
    auto off = LineReader::open(path);
    auto on = LineReader::open(path);
    EXPECT_TRUE(off && on);
    const std::string expected = outcome(std::move(*off), bad_rows, internal::FastPaths::off);
    EXPECT_EQ(
        first_difference(outcome(std::move(*on), bad_rows, internal::FastPaths::on), expected), "");
    auto views = LineReader::open(path);
    EXPECT_TRUE(views);
    EXPECT_EQ(
        first_difference(
            outcome(std::move(*views), bad_rows, internal::FastPaths::on, nullptr, true), expected),
        "");
  }
  return reference;
}

// Plain rows with every other kind among them, `count` rows in all; `last_text` puts the
// workload (text) last, else status (a number).
std::string mixed_rows(std::size_t count, bool last_text, bool with_bad_rows) {
  std::string text = last_text ? "timestamp,duration_ms,memory_mib,status,workload\n"
                               : "timestamp,duration_ms,memory_mib,workload,status\n";
  for (std::size_t i = 0; i < count; ++i) {
    const std::string t = std::to_string(1700000000 + i / 7) + "." + std::to_string(100 + i % 900);
    const std::string d =
        std::to_string(i * 7919 % 200000 / 100 + 1) + "." + std::to_string(i % 10);
    const std::string m = std::to_string(128 * (1 + i % 8));
    const std::string w = "svc-" + std::to_string(i % 11);
    const std::string s = i % 97 == 0 ? "500" : "200";
    const auto row = [&](const std::string& ts, const std::string& dur, const std::string& mem,
                         const std::string& st, const std::string& wl) {
      return last_text ? ts + "," + dur + "," + mem + "," + st + "," + wl
                       : ts + "," + dur + "," + mem + "," + wl + "," + st;
    };
    // A table of cases, one a line.
    // clang-format off
    switch (i < 100 ? 0 : i % 23) {  // 100 plain rows first: one long run in place
      case 1: text += row(t, d, m, s, w) + "\r\n"; break;         // CRLF
      case 2:  // a "\r" kept in the last field: bad in a status
        if (last_text || with_bad_rows) {
          text += row(t, d, m, s, w) + "\r\r\n";
          break;
        }
        text += row(t, d, m, s, w) + "\n";
        break;
      case 3: text += "\n"; break;                                 // blank lines
      case 4: text += " \t\r\n"; break;
      case 5: text += row(t, d, m, s, "\"a,b\"") + "\n"; break;   // quoted
      case 6: text += row("2023-11-14T22:13:20.5Z", d, m, s, w) + "\n"; break;
      case 7: text += row(t, d, "", "", "") + "\n"; break;        // empty optional fields
      case 8: text += row(t, d, m, s, "a\rb") + "\n"; break;       // a "\r" inside a field
      case 9: text += row(t, "+" + d, m, s, w) + "\n"; break;     // numbers for the general parser
      case 11: text += row(t, d, m, "200.0", w) + "\n"; break;
      case 10:  // bad: a field too many
        if (with_bad_rows) {
          text += row(t, d, m, s, w) + ",extra\n";
          break;
        }
        [[fallthrough]];
      case 12:  // bad: a negative duration
        if (with_bad_rows && i % 23 == 12) {
          text += row(t, "-" + d, m, s, w) + "\n";
          break;
        }
        [[fallthrough]];
      default: text += row(t, d, m, s, w) + "\n"; break;
    }
    // clang-format on
  }
  return text;
}

TEST(RequestLogInPlace, MixedRowsReadAsLineByLine) {
  // Counted by hand: of lines i = 100 to 59,999 after the plain ones, i % 23 takes the values
  // 0-7 and 16-22 2,604 times and 8-15 2,605 times. Blank lines (3, 4) are no rows: 54,792
  // rows. Bad rows: 10 and 12, and 2 when the last field is a status. The first bad row,
  // i = 102 (102 % 23 = 10), is on line i + 2 after the header.
  struct Case {
    bool last_text;
    const char* skipped;
    const char* first_error;
  };
  for (const Case& c :
       {Case{true, "\n49582 rows, 5210 skipped, first in.csv:104: row has 6 fields",
             "error in.csv:104: row has 6 fields, expected 5 as in the header"},
        Case{false, "\n46978 rows, 7814 skipped, first in.csv:104: row has 6 fields",
             "error in.csv:104: row has 6 fields, expected 5 as in the header"}}) {
    SCOPED_TRACE(c.last_text ? "workload last" : "status last");
    // About 2.4 MB: gzip's chunks of 256 KiB cut rows many times.
    const std::string clean =
        expect_in_place_agrees(mixed_rows(60000, c.last_text, false), BadRows::fail, 28000);
    EXPECT_TRUE(clean.ends_with("\n54792 rows, 0 skipped, first "))
        << clean.substr(clean.size() - 60);

    const std::string bad = mixed_rows(60000, c.last_text, true);
    const std::string skipped = expect_in_place_agrees(bad, BadRows::skip, 28000);
    EXPECT_NE(skipped.find(c.skipped), std::string::npos) << skipped.substr(skipped.size() - 120);
    const std::string failed = expect_in_place_agrees(bad, BadRows::fail, 100);
    EXPECT_NE(failed.find(c.first_error), std::string::npos) << failed.substr(failed.size() - 120);
  }
}

// JSON Lines rows of every kind among plain ones, `count` lines in all, 100 plain ones first.
std::string mixed_json_rows(std::size_t count, bool with_bad_rows) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string t = std::to_string(1700000000 + i / 7) + "." + std::to_string(100 + i % 900);
    const std::string d =
        std::to_string(i * 7919 % 200000 / 100 + 1) + "." + std::to_string(i % 10);
    const std::string m = std::to_string(128 * (1 + i % 8));
    const std::string w = "\"svc-" + std::to_string(i % 11) + "\"";
    const std::string s = i % 97 == 0 ? "500" : "200";
    const auto row = [](const std::string& ts, const std::string& dur, const std::string& mem,
                        const std::string& wl, const std::string& st) {
      return "{\"timestamp\":" + ts + ",\"duration_ms\":" + dur + ",\"memory_mib\":" + mem +
             ",\"workload\":" + wl + ",\"status\":" + st + "}";
    };
    // A table of cases, one a line.
    // clang-format off
    switch (i < 100 ? 0 : i % 29) {
      case 1: text += row(t, d, m, w, s) + "\r\n"; break;
      case 2: text += " \t" + row(t, d, m, w, s) + " \r\r\n"; break;  // JSON counts "\r" as space
      case 3: text += "\n"; break;
      case 4: text += " \t\r\n"; break;
      case 5: text += row(t, d, m, "\"a\\\"b\"", s) + "\n"; break;      // an escape
      case 6: text += row(t, d, m, "\"caf\xC3\xA9\"", s) + "\n"; break;  // UTF-8
      case 7: text += row("\"2023-11-14T22:13:20.5Z\"", d, "null", w, "null") + "\n"; break;
      case 8: text += "{\"x\":{\"y\":[1,2]}," + row(t, d, m, w, s).substr(1) + "\n"; break;
      case 9: text += "{\"a\":true,\"b\":false,\"c\":null,\"e\":-0.5,\"f\":12345678901234567890," +
                      row(t, d, m, w, s).substr(1) + "\n"; break;
      case 10:  // bad: a timestamp twice, cut, and no duration
        text += row(t, d, m, w, s).substr(0, 20) + ",\"timestamp\":" + t + "}\n";
        break;
      case 11: text += "{\"timestamp\" : " + t + " , \"duration_ms\" :\t" + d + " }\n"; break;
      case 12: text += row(t, "\"" + d + "\"", m, w, s) + "\n"; break;   // a number in a string
      case 13: text += row(t, d, m, "17", s) + "\n"; break;               // a number for a name
      case 14: text += row(t, d + "e0", m, w, s) + "\n"; break;
      case 15: text += row(t, d, m, w, "200.0") + "\n"; break;
      case 16: text += row(t, d, m, w, s) + "{}\n"; break;  // bad: two objects
      case 17: text += "{\"duration_ms\":" + d + ",\"timestamp\":" + t + ",\"timestamp\":" + t + "}\n"; break;
      case 18: text += "{\"timestampx\":1,\"tim\":2," + row(t, d, m, w, s).substr(1) + "\n"; break;
      case 19: text += "{\"time\\u0073tamp\":" + t + ",\"duration_ms\":" + d + "}\n"; break;
      case 20:
        if (with_bad_rows) {
          text += row(t, "-" + d, m, w, s) + "\n";  // bad: a negative duration
          break;
        }
        [[fallthrough]];
      case 21:
        if (with_bad_rows && i % 29 == 21) {
          text += row(t, "0" + d, m, w, s) + "\n";  // bad: a leading zero
          break;
        }
        [[fallthrough]];
      case 22:
        if (with_bad_rows && i % 29 == 22) {
          text += row(t, d, m, w, s).substr(0, 30) + "\n";  // bad: cut short
          break;
        }
        [[fallthrough]];
      default: text += row(t, d, m, w, s) + "\n"; break;
    }
    // clang-format on
  }
  return text;
}

TEST(RequestLogInPlace, MixedJsonLinesReadAsLineByLine) {
  // Counted by hand: of lines i = 100 to 59,999, i % 29 takes the values 0-12 and 28 2,065
  // times and 13-27 2,066 times (100 = 3 x 29 + 13; 60,000 = 2,068 x 29 + 28). Blank lines
  // (3, 4) are no rows: 55,870 rows. Cases 10 (no duration) and 16 ("}{}") are bad: 4,131
  // skipped rows; with 20-22, 10,329. The first bad row is i = 103 (103 % 29 = 16), on line
  // 104.
  //
  // Read by the shape of the row before: the plain rows of cases 21-28 and 0 (20-22 are
  // plain in the clean file, and 20 learns the plain shape after 17's and 19's), 7 x 2,066 +
  // 2 x 2,065 = 18,592 times, and rows 1-99 (row 0 learns): 18,691. With bad rows, 24-28
  // and 0 (23 learns): 4 x 2,066 + 2 x 2,065 + 99 = 12,493. Failing, rows 1-99.
  const std::string clean = mixed_json_rows(60000, false);
  const std::string read = expect_in_place_agrees(clean, BadRows::skip, 20000, 18691);
  EXPECT_NE(read.find("\n51739 rows, 4131 skipped, first in.csv:104: malformed JSON line"),
            std::string::npos)
      << read.substr(read.size() - 120);
  const std::string bad = mixed_json_rows(60000, true);
  const std::string skipped = expect_in_place_agrees(bad, BadRows::skip, 20000, 12493);
  EXPECT_NE(skipped.find("\n45541 rows, 10329 skipped, first in.csv:104: malformed JSON line"),
            std::string::npos)
      << skipped.substr(skipped.size() - 120);
  const std::string failed = expect_in_place_agrees(bad, BadRows::fail, 100, 99);
  EXPECT_NE(failed.find("error in.csv:104: malformed JSON line"), std::string::npos)
      << failed.substr(failed.size() - 120);
}

TEST(RequestLogInPlace, ALineOverOneMebibyteAmongPlainRowsIsNamed) {
  // Plain rows but for the size: the in-place reader must leave it to next(), which names it.
  std::string text = "timestamp,duration_ms,workload\n1,2,a\n3,4,b\n";
  text += "5,6," + std::string((1u << 20) - 4, 'w') + "\n";  // exactly 1 MiB: allowed
  text += "7,8," + std::string((1u << 20) - 3, 'w') + "\n";  // one byte more
  text += "9,10,c\n";
  const std::string failed = expect_in_place_agrees(text, BadRows::fail, 3);
  EXPECT_NE(failed.find("error in.csv:5: line longer than 1 MiB"), std::string::npos)
      << failed.substr(failed.size() - 80);
}

TEST(RequestLogInPlace, BufferedLinesEndAtTheLastNewline) {
  LineReader reader = LineReader::from_memory("a\nbb\r\nccc", "m");
  EXPECT_EQ(reader.buffered_lines(), "a\nbb\r\n");
  reader.skip(2, 1);  // "a\n"
  EXPECT_EQ(reader.line_number(), 1u);
  EXPECT_EQ(reader.buffered_lines(), "bb\r\n");
  std::string_view line;
  ASSERT_TRUE(reader.next(line).value());
  EXPECT_EQ(line, "bb");
  EXPECT_EQ(reader.line_number(), 2u);
  EXPECT_EQ(reader.buffered_lines(), "");  // "ccc" has no newline
  ASSERT_TRUE(reader.next(line).value());
  EXPECT_EQ(line, "ccc");
  EXPECT_EQ(reader.line_number(), 3u);
  EXPECT_FALSE(reader.next(line).value());
}

}  // namespace
}  // namespace placer::ingest
