// The request-log parser on the bundled sample (derived from the Azure Functions 2021
// trace; expected values computed from the original CSV independently of placer) and on
// broken inputs, each with its exact error and location.
#include "placer/ingest/request_log.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <vector>

#include "placer/trace_summary.hpp"

#include "ingest_test_util.hpp"

namespace placer::ingest {
namespace {

using test_util::Collect;
using test_util::write_temp;

Result<IngestStats> read(const std::string& path, InvocationSink& sink, BadRows bad = BadRows::fail) {
  auto reader = LineReader::open(path);
  if (!reader) {
    return tl::unexpected(reader.error());
  }
  return read_request_log(*reader, sink, bad);
}

TEST(RequestLog, ReadsTheBundledAzureSample) {
  TraceSummarizer summary;
  auto stats = read(std::string{PLACER_SOURCE_DATA_DIR} + "/traces/azure2021-sample.csv", summary);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 199u);  // rows of azure2021_invitro_199rows.csv
  auto workloads = summary.finish();
  EXPECT_EQ(workloads.size(), 31u);  // distinct app/func pairs
  auto it = std::find_if(workloads.begin(), workloads.end(),
                         [](const TraceSummary& s) { return s.workload == "734272c0/556ccf87"; });
  ASSERT_NE(it, workloads.end());
  EXPECT_EQ(it->requests, 32u);
  // Nearest-rank percentiles of the original durations (s x 1000), within 1%.
  EXPECT_NEAR(it->duration_ms.p50, 303445.0, 303445.0 * 0.01);
  EXPECT_NEAR(it->duration_ms.p99, 404987.0, 404987.0 * 0.01);
  EXPECT_DOUBLE_EQ(it->duration_ms.min, 1955.0);
  EXPECT_DOUBLE_EQ(it->duration_ms.max, 404987.0);
  EXPECT_NEAR(it->duration_ms.mean, 256309.4375, 1e-6);
}

TEST(RequestLog, CsvColumnsInAnyOrderWithOptionalFields) {
  Collect rows;
  auto path = write_temp("order.csv",
                         "status,duration_ms,extra,timestamp,memory_mib,init_duration_ms\n"
                         "200,12.5,x,2021-01-31T00:00:00Z,512,\n"
                         "500,\"7\",\"a,b\",1612051201.5,,250\n");
  auto stats = read(path, rows);
  ASSERT_TRUE(stats) << describe(stats.error());
  ASSERT_EQ(rows.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(rows.rows[0].timestamp_s, 1612051200.0);
  EXPECT_DOUBLE_EQ(rows.rows[0].duration.count(), 12.5);
  EXPECT_DOUBLE_EQ(rows.rows[0].memory->value(), 512);
  EXPECT_FALSE(rows.rows[0].init_duration);
  EXPECT_EQ(*rows.rows[1].status, 500);
  EXPECT_FALSE(rows.rows[1].memory);  // empty means unknown, not zero
  EXPECT_DOUBLE_EQ(rows.rows[1].init_duration->count(), 250);
}

TEST(RequestLog, ReadsJsonLines) {
  Collect rows;
  auto path = write_temp("rows.jsonl",
                         "{\"timestamp\": 1612051200.25, \"duration_ms\": 3, \"workload\": \"api\"}\n"
                         "\n"
                         "{\"timestamp\": \"2021-01-31T00:00:01Z\", \"duration_ms\": \"4.5\", "
                         "\"unknown\": [1]}\r\n");
  auto stats = read(path, rows);
  ASSERT_TRUE(stats) << describe(stats.error());
  ASSERT_EQ(rows.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(rows.rows[0].timestamp_s, 1612051200.25);
  EXPECT_EQ(rows.rows[0].workload, "api");
  EXPECT_DOUBLE_EQ(rows.rows[1].duration.count(), 4.5);
}

struct Broken {
  const char* name;
  const char* text;
  const char* message;
  const char* line;
};

TEST(RequestLog, BrokenInputsNameFileLineAndWhat) {
  const Broken cases[] = {
      {"empty.csv", "", "empty input, expected a CSV header or JSON Lines", ""},
      {"noheader.csv", "1,2\n", "header has no \"timestamp\" column, expected a CSV header with "
                                "timestamp and duration_ms, found \"1,2\"", ":1"},
      {"nan.csv", "timestamp,duration_ms\n1,NaN\n",
       "bad duration_ms \"NaN\", expected a non-negative number", ":2"},
      {"negative.csv", "timestamp,duration_ms\n1,5\n2,-3\n",
       "bad duration_ms \"-3\", expected a non-negative number", ":3"},
      {"fields.csv", "timestamp,duration_ms\n1,5,9\n", "row has 3 fields, expected 2 as in the header",
       ":2"},
      {"time.csv", "timestamp,duration_ms\n2021-01-31T00:00:00,5\n",
       "bad timestamp \"2021-01-31T00:00:00\", expected epoch seconds or RFC 3339 with an offset",
       ":2"},
      {"trunc.jsonl", "{\"timestamp\": 1, \"duration_ms\": 2}\n{\"timestamp\": 1, \"dura",
       "malformed JSON line", ":2"},
      {"type.jsonl", "{\"timestamp\": 1, \"duration_ms\": true}\n",
       "bad duration_ms: expected a number or a string, found boolean", ":1"},
      // Found by fuzz_request_log: a timestamp beyond any calendar.
      {"far.csv", "timestamp,duration_ms\n370370370370370370370370370,1\n",
       "timestamp \"370370370370370370370370370\" out of range, expected a time between 1970 and "
       "9999", ":2"},
      {"overflow.jsonl", "{\"timestamp\": 1, \"duration_ms\": 1e999999}\n",
       "malformed JSON line", ":1"},
      {"binary.csv", "\x7f" "ELF\x02\x01\x01\x00\x00\x00\n\x03\x00>\x00",
       "header has no \"timestamp\" column, expected a CSV header with timestamp and duration_ms, "
       "found \"?ELF??????\"", ":1"},
  };
  for (const Broken& c : cases) {
    SCOPED_TRACE(c.name);
    Collect rows;
    std::string text{c.text, std::char_traits<char>::length(c.text)};
    if (std::string{c.name} == "binary.csv") {
      text = std::string("\x7f" "ELF\x02\x01\x01\x00\x00\x00\n\x03\x00>\x00", 15);
    }
    auto path = write_temp(c.name, text);
    auto stats = read(path, rows);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, ErrorCode::parse);
    EXPECT_EQ(stats.error().message, c.message);
    EXPECT_EQ(stats.error().where, path + c.line);
  }
}

TEST(RequestLog, SkipModeCountsBadRows) {
  Collect rows;
  auto path = write_temp("skip.csv", "timestamp,duration_ms\n1,5\nx,5\n3,-1\n4,6\n");
  auto stats = read(path, rows, BadRows::skip);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->rows, 2u);
  EXPECT_EQ(stats->skipped_rows, 2u);
  EXPECT_EQ(stats->first_skipped,
            path + ":3: bad timestamp \"x\", expected epoch seconds or RFC 3339 with an offset");
}

TEST(RequestLog, RejectsALineLongerThanOneMebibyte) {
  Collect rows;
  auto path = write_temp("long.csv", "timestamp,duration_ms\n" + std::string(10u << 20, '9') + "\n");
  auto stats = read(path, rows);
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().message, "line longer than 1 MiB");
  EXPECT_EQ(stats.error().where, path + ":2");
}

TEST(RequestLog, MissingFileIsNotFound) {
  auto reader = LineReader::open("/nonexistent/requests.csv");
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace placer::ingest
