// The ALB access log parser ("alb") on the AWS docs' example entries in
// tests/data/alb_access_logs/ (origin in its SOURCES.md) and on broken variants of them, each
// with its exact error and location. Every expected value was read by hand from the fixture
// line named beside it; epoch seconds were computed with `date -u -d <time> +%s.%3N`.
#include "placer/ingest/alb_log.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "ingest_test_util.hpp"

namespace placer::ingest {
namespace {

using test_util::Collect;
using test_util::write_temp;

const std::string k_fixture =
    std::string{PLACER_TESTS_DIR} + "/data/alb_access_logs/alb_access_log.awsdocs_examples.log";

// Line `n` (1-based) of the fixture.
std::string fixture_line(int n) {
  std::ifstream in{k_fixture};
  std::string line;
  for (int i = 0; i < n; ++i) {
    std::getline(in, line);
  }
  return line;
}

// `line` with its first `from` replaced by `to` (which must be there).
std::string with(std::string line, const std::string& from, const std::string& to) {
  auto at = line.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? line : line.replace(at, from.size(), to);
}

Result<IngestStats> read(const std::string& path, InvocationSink& sink,
                         BadRows bad = BadRows::fail) {
  return test_util::read_file(path, [&](LineReader& r) { return read_alb_log(r, sink, bad); });
}

// `date -u -d 2018-07-02T22:22:48.364Z +%s.%3N` and `... 2018-11-30T22:22:48.364Z ...`
constexpr double k_created_july = 1530570168.364;
constexpr double k_created_november = 1543616568.364;

TEST(AlbLog, ReadsTheAwsDocsExamples) {
  Collect rows;
  auto stats = read(k_fixture, rows);
  ASSERT_TRUE(stats) << describe(stats.error());
  // 7 entries; lines 4 (ws) and 5 (wss) are WebSocket connections, counted as skipped.
  EXPECT_EQ(stats->rows, 5u);
  EXPECT_EQ(stats->skipped_rows, 2u);
  EXPECT_EQ(stats->first_skipped, k_fixture + ":4: WebSocket connection (type ws), not a request");
  struct Expected {
    double timestamp_s;  // request_creation_time
    double duration_ms;  // target_processing_time x 1000
    int status;
  };
  const Expected expected[] = {
      {k_created_july, 1, 200},      // line 1: http, 0.000 0.001 0.000, 200 200
      {k_created_july, 48, 200},     // line 2: https, 0.086 0.048 0.037, 200 200
      {k_created_july, 2, 200},      // line 3: h2, 0.000 0.002 0.000, 200 200 (redirect action)
      {k_created_november, 1, 200},  // line 6: Lambda target "-", 0.001, 200 200
      {k_created_november, 1, 502},  // line 7: Lambda failure, 0.001, 502 and target status "-"
  };
  ASSERT_EQ(rows.rows.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    SCOPED_TRACE("row " + std::to_string(i + 1));
    EXPECT_NEAR(rows.rows[i].timestamp_s, expected[i].timestamp_s, 1e-6);
    EXPECT_DOUBLE_EQ(rows.rows[i].duration.count(), expected[i].duration_ms);
    EXPECT_EQ(rows.rows[i].status, expected[i].status);
    // ".../targetgroup/my-targets/73e2d6bc24d8a067" on every line.
    EXPECT_EQ(rows.rows[i].workload, "my-targets");
    EXPECT_FALSE(rows.rows[i].memory);
    EXPECT_FALSE(rows.rows[i].init_duration);
  }
}

TEST(AlbLog, IgnoresAppendedFieldsAndReadsOlderShorterEntries) {
  // Line 2 with conn_trace_id and three transform fields appended (newer ALB files), then
  // line 2 cut after "trace_id" (18 fields, no request_creation_time: older files), then
  // line 1 cut after sent_bytes (12 fields) with target_group_arn gone too.
  std::string line2 = fixture_line(2);
  std::string old2 = line2.substr(0, line2.find(" \"www.example.com\""));
  std::string line1 = fixture_line(1);
  std::string old1 = line1.substr(0, line1.find(" \"GET"));
  Collect rows;
  auto path = write_temp("fields.log", line2 + " \"TID_1234\" \"-\" \"-\" \"-\"\n" + old2 +
                                           "\n" + old1 + "\n");
  auto stats = read(path, rows);
  ASSERT_TRUE(stats) << describe(stats.error());
  ASSERT_EQ(rows.rows.size(), 3u);
  EXPECT_NEAR(rows.rows[0].timestamp_s, k_created_july, 1e-6);
  EXPECT_DOUBLE_EQ(rows.rows[0].duration.count(), 48);
  // No request_creation_time: time - (0.086 + 0.048 + 0.037);
  // `date -u -d 2018-07-02T22:23:00.186641Z +%s.%6N` = 1530570180.186641.
  EXPECT_NEAR(rows.rows[1].timestamp_s, 1530570180.186641 - 0.171, 1e-6);
  EXPECT_EQ(rows.rows[1].workload, "my-targets");
  // Line 1: time - (0.000 + 0.001 + 0.000), no target group: workload empty.
  EXPECT_NEAR(rows.rows[2].timestamp_s, 1530570180.186641 - 0.001, 1e-6);
  EXPECT_EQ(rows.rows[2].workload, "");
  EXPECT_EQ(rows.rows[2].status, 200);
}

TEST(AlbLog, EntriesNotDispatchedToATargetAreSkippedAndCounted) {
  // Line 7 (Lambda failure) as ALB logs a request it could not dispatch: -1 times, 503.
  std::string undispatched = with(with(fixture_line(7), "0.000 0.001 0.000 502", "-1 -1 -1 503"),
                                  "\"LambdaInvalidResponse\"", "\"-\"");
  Collect rows;
  auto path = write_temp("dispatch.log", fixture_line(1) + "\n" + undispatched + "\n");
  auto stats = read(path, rows);  // not an error, even under BadRows::fail
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 1u);
  EXPECT_EQ(stats->skipped_rows, 1u);
  EXPECT_EQ(stats->first_skipped,
            path + ":2: not served by a target (target_processing_time -1, elb_status_code 503)");

  Collect none;
  auto only = write_temp("only.log", undispatched + "\n");
  auto failed = read(only, none);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::parse);
  EXPECT_EQ(failed.error().message,
            "no served request among 1 entries, expected ALB access log entries with a target "
            "(first: " + only + ":1: not served by a target (target_processing_time -1, "
            "elb_status_code 503))");
  EXPECT_EQ(failed.error().where, only);
}

struct Broken {
  const char* name;
  std::string text;
  std::string message;
  std::string line;
};

TEST(AlbLog, BrokenInputsNameFileLineAndWhat) {
  const std::string good = fixture_line(1) + "\n";
  const std::string line1 = fixture_line(1);
  const Broken cases[] = {
      {"empty.log", "", "empty input, expected ALB access log entries", ""},
      {"blank.log", "\n  \n", "empty input, expected ALB access log entries", ""},
      {"truncated.log", good + line1.substr(0, line1.find(" 34 366")) + "\n",
       "entry has 10 fields, expected at least 12 (type through sent_bytes)", ":2"},
      {"quote.log", good + line1.substr(0, line1.find("www.example.com")) + "\n",
       "unterminated quoted field 13, expected a closing '\"'", ":2"},
      {"type.log", with(line1, "0.000 0.001 0.000", "0.000 abc 0.000"),
       "bad target_processing_time \"abc\", expected seconds as a non-negative number or -1",
       ":1"},
      {"nan.log", with(line1, "0.000 0.001 0.000", "NaN 0.001 0.000"),
       "bad request_processing_time \"NaN\", expected seconds as a non-negative number or -1",
       ":1"},
      {"negative.log", with(line1, "0.000 0.001 0.000", "0.000 0.001 -0.5"),
       "bad response_processing_time \"-0.5\", expected seconds as a non-negative number or -1",
       ":1"},
      {"zone.log", with(line1, "2018-07-02T22:23:00.186641Z", "2018-07-02T22:23:00.186641"),
       "bad time \"2018-07-02T22:23:00.186641\", expected ISO-8601 UTC like "
       "2018-07-02T22:23:00.186641Z",
       ":1"},
      {"created.log", with(line1, "2018-07-02T22:22:48.364000Z", "yesterday"),
       "bad request_creation_time \"yesterday\", expected ISO-8601 UTC like "
       "2018-07-02T22:23:00.186641Z",
       ":1"},
      {"status.log", with(line1, " 200 200 ", " 200 OK "),
       "bad target_status_code \"OK\", expected an HTTP status code (a whole number 100-999)",
       ":1"},
      {"binary.log", std::string("\x7f" "ELF\x02\x01\x01\x00\x00\x00\n\x03\x00>\x00", 15),
       "bad type \"?ELF??????\", expected http, https, h2, grpcs, ws or wss (an ALB access log "
       "entry)",
       ":1"},
      {"nginx.log", "127.0.0.1 - - [12/Apr/2018:09:48:40 +0200] \"\" 400 0 \"-\" \"-\"\n",
       "bad type \"127.0.0.1\", expected http, https, h2, grpcs, ws or wss (an ALB access log "
       "entry)",
       ":1"},
  };
  for (const Broken& c : cases) {
    SCOPED_TRACE(c.name);
    Collect rows;
    auto path = write_temp(c.name, c.text);
    auto stats = read(path, rows);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, ErrorCode::parse);
    EXPECT_EQ(stats.error().message, c.message);
    EXPECT_EQ(stats.error().where, path + c.line);
  }
}

TEST(AlbLog, SkipModeCountsBadEntries) {
  // The 7 fixture lines, then a bad time, a truncated entry, and line 1 again.
  std::ifstream in{k_fixture};
  std::string text{std::istreambuf_iterator<char>{in}, {}};
  const std::string line1 = fixture_line(1);
  text += with(line1, "2018-07-02T22:23:00.186641Z", "now") + "\n" + line1.substr(0, 40) + "\n" +
          line1 + "\n";
  Collect rows;
  auto path = write_temp("skip.log", text);
  auto stats = read(path, rows, BadRows::skip);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 6u);          // 5 served fixture entries + line 1 again
  EXPECT_EQ(stats->skipped_rows, 4u);  // ws, wss, then the 2 bad entries
  EXPECT_EQ(stats->first_skipped, path + ":4: WebSocket connection (type ws), not a request");

  Collect strict;
  auto failed = read(path, strict);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message,
            "bad time \"now\", expected ISO-8601 UTC like 2018-07-02T22:23:00.186641Z");
  EXPECT_EQ(failed.error().where, path + ":8");
}

TEST(AlbLog, ReadsFromMemoryToo) {
  std::string text = fixture_line(2) + "\r\n";
  auto reader = LineReader::from_memory(text, "mem.log");
  Collect rows;
  auto stats = read_alb_log(reader, rows, BadRows::fail);
  ASSERT_TRUE(stats) << describe(stats.error());
  ASSERT_EQ(rows.rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows.rows[0].duration.count(), 48);
}

}  // namespace
}  // namespace placer::ingest
