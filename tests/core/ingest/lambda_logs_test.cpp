// The Lambda log parser ("lambda-report") on the real fixtures in tests/data/lambda_logs/
// (origins in its SOURCES.md) and on broken inputs, each with its exact error and location.
// Every expected value was read by hand from the fixture file named beside it; epoch
// seconds of ISO times were computed with `date -u -d <time> +%s.%3N`.
#include "placer/ingest/lambda_logs.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "ingest_test_util.hpp"

namespace placer::ingest {
namespace {

using test_util::Collect;
using test_util::write_temp;

std::string fixture(const std::string& name) {
  return std::string{PLACER_TESTS_DIR} + "/data/lambda_logs/" + name;
}

Result<IngestStats> read(const std::string& path, InvocationSink& sink,
                         BadRows bad = BadRows::fail) {
  return test_util::read_file(path, [&](LineReader& r) { return read_lambda_logs(r, sink, bad); });
}

// One expected report: duration ms, max memory used MiB (0: absent), init ms (0: warm).
struct Expected {
  double duration_ms;
  double memory_mib;
  double init_ms;
};

void expect_rows(const std::vector<Invocation>& rows, const std::vector<Expected>& expected) {
  ASSERT_EQ(rows.size(), expected.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE("report " + std::to_string(i + 1));
    EXPECT_DOUBLE_EQ(rows[i].duration.count(), expected[i].duration_ms);
    if (expected[i].memory_mib == 0) {
      EXPECT_FALSE(rows[i].memory);
    } else {
      ASSERT_TRUE(rows[i].memory);
      EXPECT_DOUBLE_EQ(rows[i].memory->value(), expected[i].memory_mib);
    }
    if (expected[i].init_ms == 0) {
      EXPECT_FALSE(rows[i].init_duration);
    } else {
      ASSERT_TRUE(rows[i].init_duration);
      EXPECT_DOUBLE_EQ(rows[i].init_duration->count(), expected[i].init_ms);
    }
  }
}

TEST(LambdaLogs, ReadsTheAwsDocsReportLinesWithoutTimestamps) {
  Collect rows;
  auto stats = read(fixture("report_lines.awsdocs.txt"), rows);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 13u);
  EXPECT_EQ(stats->skipped_rows, 0u);
  // Lines 1-13 of report_lines.awsdocs.txt: Duration, Max Memory Used (not Memory Size),
  // Init Duration. Line 1 separates with tab and one space; lines 3-4 with spaces; lines
  // 2, 5, 8, 11 end in a tab, line 13 in spaces; line 7 has XRAY inline; line 12 has Init
  // Duration first.
  expect_rows(rows.rows, {{12.34, 18, 0},
                          {4157.16, 99, 841.60},
                          {79.67, 73, 0},
                          {0.99, 12, 0},
                          {38.66, 54, 203.69},
                          {198.50, 90, 524.75},
                          {128.83, 74, 166.62},
                          {3906.38, 367, 5960.19},
                          {15.74, 56, 130.49},
                          {2.75, 56, 113.51},
                          {12.96, 48, 117.86},
                          {237.17, 26, 48.26},
                          {976.25, 90, 430.47}});
  int cold = 0;
  for (const Invocation& inv : rows.rows) {
    EXPECT_EQ(inv.timestamp_s, 0.0);  // bare REPORT lines carry no time
    cold += inv.init_duration ? 1 : 0;
  }
  EXPECT_EQ(cold, 10);  // lines 2, 5-13
}

TEST(LambdaLogs, DatadogReportLinesEndWithAMalformedOne) {
  // report_lines.datadog-forwarder-tests.txt: 3 REPORT lines, an XRAY continuation on line
  // 4, and "REPORT invalid report log line" on line 5.
  std::string path = fixture("report_lines.datadog-forwarder-tests.txt");
  Collect strict;
  auto failed = read(path, strict);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::parse);
  EXPECT_EQ(failed.error().message,
            "malformed REPORT line, expected \"Duration: <number> ms\", found \"REPORT invalid "
            "report log line\"");
  EXPECT_EQ(failed.error().where, path + ":5");

  Collect rows;
  auto stats = read(path, rows, BadRows::skip);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 3u);
  EXPECT_EQ(stats->skipped_rows, 1u);
  EXPECT_EQ(stats->first_skipped, path + ":5: " + failed.error().message);
  // Line 1: 0.62 ms, 51 MB; line 2: 0.81 ms, 90 MB, Init Duration 1234 ms (an integer);
  // line 3: 1711.87 ms, 98 MB.
  expect_rows(rows.rows, {{0.62, 51, 0}, {0.81, 90, 1234}, {1711.87, 98, 0}});
}

TEST(LambdaLogs, ReadsAwsLogsGetLogEventsJson) {
  Collect rows;
  auto stats = read(fixture("aws-logs-get-log-events.awsdocs.json"), rows);
  ASSERT_TRUE(stats) << describe(stats.error());
  // 5 events (START, 2 app logs, END, REPORT); events[4]: timestamp 1559763003218 ms,
  // "Duration: 26.73 ms\tBilled Duration: 27 ms \tMemory Size: 128 MB\tMax Memory Used: 75 MB".
  EXPECT_EQ(stats->rows, 1u);
  expect_rows(rows.rows, {{26.73, 75, 0}});
  EXPECT_DOUBLE_EQ(rows.rows[0].timestamp_s, 1559763003.218);
}

TEST(LambdaLogs, ReadsSubscriptionPayloads) {
  Collect docs;
  auto stats = read(fixture("cloudwatch-logs-subscription-decoded.awsdocs.json"), docs);
  ASSERT_TRUE(stats) << describe(stats.error());
  // logEvents[0]: timestamp 1552518348220, Duration 46.84 ms, Max Memory Used 72 MB.
  expect_rows(docs.rows, {{46.84, 72, 0}});
  EXPECT_DOUBLE_EQ(docs.rows[0].timestamp_s, 1552518348.220);

  Collect datadog;
  stats =
      read(fixture("cloudwatch-logs-subscription-decoded.datadog-forwarder-test.json"), datadog);
  ASSERT_TRUE(stats) << describe(stats.error());
  // 19 logEvents, one REPORT (logEvents[18], timestamp 1583425836750): Duration 619.31 ms,
  // Max Memory Used 118 MB, then "\t\nXRAY TraceId: ..." in the same message.
  EXPECT_EQ(stats->rows, 1u);
  expect_rows(datadog.rows, {{619.31, 118, 0}});
  EXPECT_DOUBLE_EQ(datadog.rows[0].timestamp_s, 1583425836.750);
}

TEST(LambdaLogs, ReadsJsonLogFormatPlatformReports) {
  Collect rows;
  auto stats = read(fixture("platform-report.json-log-format.jsonl"), rows);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 5u);
  // Lines 1-5 of platform-report.json-log-format.jsonl: durationMs, maxMemoryUsedMB,
  // initDurationMs; line 5 (Managed Instances) has only durationMs.
  expect_rows(rows.rows, {{101.51, 33, 116.67},
                          {0.62, 51, 0},
                          {0.81, 90, 1234},
                          {30000.0, 74, 985.413},
                          {2.524, 0, 0}});
  // "time": 2020-08-20T12:31:32.123Z, 2024-10-04T00:36:35.800Z (twice),
  // 2024-10-18T19:38:39.661Z, 2026-01-08T18:22:35.343Z.
  const double times[] = {1597926692.123, 1728002195.800, 1728002195.800, 1729280319.661,
                          1767896555.343};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_NEAR(rows.rows[i].timestamp_s, times[i], 1e-6) << "line " << i + 1;
  }
}

TEST(LambdaLogs, TelemetryApiStreamKeepsOnlyPlatformReport) {
  Collect rows;
  auto stats = read(fixture("telemetry-api-events.aws-lambda-rust-runtime.jsonl"), rows);
  ASSERT_TRUE(stats) << describe(stats.error());
  // 8 events, one platform.report (line 4): 2022-10-21T14:05:05.766Z, durationMs 2599.4,
  // maxMemoryUsedMB 94, initDurationMs 549.04. runtimeDone's durationMs 2599.0 is not a report.
  EXPECT_EQ(stats->rows, 1u);
  expect_rows(rows.rows, {{2599.4, 94, 549.04}});
  EXPECT_NEAR(rows.rows[0].timestamp_s, 1666361105.766, 1e-6);
}

TEST(LambdaLogs, RejectsTheDocsExampleWithATrailingComma) {
  // platform-report.awsdocs-telemetry-schema.INVALID-trailing-comma.json: line 12 ends in
  // ",", line 13 is "    }" (the "}" in column 5).
  std::string path =
      fixture("platform-report.awsdocs-telemetry-schema.INVALID-trailing-comma.json");
  Collect rows;
  auto stats = read(path, rows);
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().code, ErrorCode::parse);
  EXPECT_EQ(stats.error().message, "malformed JSON: unexpected '}'");
  EXPECT_EQ(stats.error().where, path + ":13:5");
  EXPECT_TRUE(rows.rows.empty());
}

TEST(LambdaLogs, TimedTextLinesAndJsonDocuments) {
  Collect rows;
  auto text =
      write_temp("tail.log",
                 "2024-05-01T12:00:00.500000+00:00 2024/05/01/[$LATEST]ab START RequestId: a\n"
                 "2024-05-01T12:00:01.250000+00:00 2024/05/01/[$LATEST]ab REPORT "
                 "RequestId: a\tDuration: 3.00 ms\tMax Memory Used: 64 MB\t\n"
                 "2024-05-01 12:00:02Z REPORT RequestId: b  Status: timeout  "
                 "Restore Duration: 5.5 ms  Duration: 7 ms\n");
  auto stats = read(text, rows);
  ASSERT_TRUE(stats) << describe(stats.error());
  expect_rows(rows.rows, {{3, 64, 0}, {7, 0, 5.5}});
  EXPECT_DOUBLE_EQ(rows.rows[0].timestamp_s, 1714564801.25);  // 2024-05-01T12:00:01.25Z
  EXPECT_DOUBLE_EQ(rows.rows[1].timestamp_s, 1714564802.0);

  Collect array;
  auto batch =
      write_temp("batch.json",
                 "\n[\n {\"time\": \"2024-05-01T12:00:00Z\", \"type\": \"platform.start\","
                 " \"record\": {}},\n {\"time\": \"2024-05-01T12:00:03Z\", \"type\": "
                 "\"platform.report\", \"record\": {\"metrics\": {\"durationMs\": 9, "
                 "\"restoreDurationMs\": 4}}},\n {\"type\": \"function\", \"record\": \"x\"}\n]\n");
  stats = read(batch, array);
  ASSERT_TRUE(stats) << describe(stats.error());
  expect_rows(array.rows, {{9, 0, 4}});
  EXPECT_DOUBLE_EQ(array.rows[0].timestamp_s, 1714564803.0);

  Collect nested;  // JSON log format inside a filter-log-events message, all on one line
  auto line =
      write_temp("one-line.json",
                 "{\"events\": [{\"timestamp\": 1714564800000, \"message\": \"{\\\"time\\\":"
                 "\\\"2024-05-01T12:00:04Z\\\",\\\"type\\\":\\\"platform.report\\\","
                 "\\\"record\\\":{\\\"metrics\\\":{\\\"durationMs\\\":1.5}}}\"}]}\n");
  stats = read(line, nested);
  ASSERT_TRUE(stats) << describe(stats.error());
  expect_rows(nested.rows, {{1.5, 0, 0}});
  EXPECT_DOUBLE_EQ(nested.rows[0].timestamp_s, 1714564804.0);
}

struct Broken {
  const char* name;
  std::string text;
  const char* message;
  const char* where;  // appended to the temp file's path
};

TEST(LambdaLogs, BrokenInputsNameFileLocationAndWhat) {
  const std::string report = "REPORT RequestId: r\tDuration: 1.00 ms\tMax Memory Used: 8 MB\n";
  const Broken cases[] = {
      {"empty.txt", "", "empty input, expected Lambda REPORT lines or JSON log events", ""},
      {"blank.txt", "\n \t\n", "empty input, expected Lambda REPORT lines or JSON log events", ""},
      {"binary.bin",
       std::string("\x7f"
                   "ELF\x02\x01\x01\x00\x00\x00\n\x03\x00>\x00",
                   15),
       "no REPORT line or platform.report event found, expected AWS Lambda logs", ""},
      {"nan.txt", "REPORT RequestId: r\tDuration: NaN ms\n",
       "bad Duration \"NaN ms\", expected a non-negative number of ms", ":1"},
      {"negative.txt", report + "REPORT RequestId: r\tDuration: -2.00 ms\n",
       "bad Duration \"-2.00 ms\", expected a non-negative number of ms", ":2"},
      {"seconds.txt", "REPORT RequestId: r\tDuration: 2 s\n",
       "bad Duration \"2 s\", expected a non-negative number of ms", ":1"},
      {"memory.txt", "REPORT RequestId: r\tDuration: 2 ms\tMax Memory Used: 0 MB\n",
       "bad Max Memory Used \"0 MB\", expected a positive number of MB", ":1"},
      {"twice.txt", "REPORT RequestId: r\tDuration: 2 ms\tDuration: 3 ms\n",
       "REPORT line has Duration twice, expected it once", ":1"},
      {"mixed.txt", "2024-05-01T12:00:00Z " + report + report,
       "REPORT line has no timestamp but the first REPORT line has one, expected a leading "
       "RFC 3339 time",
       ":2"},
      {"untimed.txt", report + "2024-05-01T12:00:00Z " + report,
       "REPORT line has a timestamp but the first REPORT line has none, expected all or none "
       "timestamped",
       ":2"},
      {"localtime.txt", "2024-05-01T12:00:00 " + report,
       "bad timestamp \"2024-05-01T12:00:00\" before REPORT, expected RFC 3339 with an offset",
       ":1"},
      {"truncated.json", "{\n  \"events\": [\n    {\"timestamp\": 1, \"mess",
       "unexpected end of input, expected more JSON", ":3:27"},
      {"truncated.jsonl",
       "{\"time\":\"2024-05-01T12:00:00Z\",\"type\":\"platform.report\",\"record\":{\"metrics\":"
       "{\"durationMs\":1}}}\n{\"time\":\"2024-05-01T12:00:01Z\",\"type\":\"platform.rep",
       "malformed JSON line: unexpected end of input, expected more JSON", ":2"},
      {"events.json", "{\n \"events\": {}\n}\n", "expected an array, found an object",
       ": $.events"},
      {"shape.json", "{\n \"items\": []\n}\n",
       "expected \"events\" (aws logs get-log-events), \"logEvents\" (a subscription payload) or "
       "a Lambda event with \"type\"",
       ": $"},
      {"timestamp.json", "{\"events\": [\n{\"timestamp\": \"1\", \"message\": \"REPORT\"}]}\n",
       "expected a number, found a string", ": $.events[0].timestamp"},
      {"message.json", "{\"logEvents\": [\n{\"timestamp\": 1, \"message\": 7}]}\n",
       "expected a string, found a number", ": $.logEvents[0].message"},
      {"report.json",
       "{\"events\": [\n{\"timestamp\": 1, \"message\": \"START\"},\n{\"timestamp\": 1, "
       "\"message\": \"END\"},\n{\"timestamp\": 1, \"message\": \"START\"},\n{\"timestamp\": 1, "
       "\"message\": \"REPORT RequestId: x\\tDuration: -1 ms\\t\\n\"}]}\n",
       "bad Duration \"-1 ms\", expected a non-negative number of ms", ": $.events[3].message"},
      {"type.jsonl",
       "{\"time\":\"2024-05-01T12:00:00Z\",\"type\":\"platform.report\",\"record\":{\"metrics\":"
       "{\"durationMs\":\"12\"}}}\n",
       "record.metrics.durationMs: expected a number, found a string", ":1"},
      {"negative.jsonl",
       "{\"type\":\"platform.start\"}\n{\"time\":\"2024-05-01T12:00:00Z\",\"type\":\"platform."
       "report\",\"record\":{\"metrics\":{\"durationMs\":-1}}}\n",
       "record.metrics.durationMs: must not be negative, found -1", ":2"},
      {"nan.jsonl",
       "{\"time\":\"2024-05-01T12:00:00Z\",\"type\":\"platform.report\",\"record\":{\"metrics\":"
       "{\"durationMs\":NaN}}}\n",
       "malformed JSON line: unexpected 'N'", ":1"},
      {"missing.jsonl",
       "{\"time\":\"2024-05-01T12:00:00Z\",\"type\":\"platform.report\",\"record\":{\"metrics\":"
       "{\"billedDurationMs\":3}}}\n",
       "record.metrics.durationMs: missing required field \"durationMs\"", ":1"},
      {"time.jsonl",
       "{\"time\":\"2024-05-01 12:00\",\"type\":\"platform.report\",\"record\":{\"metrics\":"
       "{\"durationMs\":3}}}\n",
       "time: expected RFC 3339 with an offset, found \"2024-05-01 12:00\"", ":1"},
  };
  for (const Broken& c : cases) {
    SCOPED_TRACE(c.name);
    Collect rows;
    auto path = write_temp(c.name, c.text);
    auto stats = read(path, rows);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, ErrorCode::parse);
    EXPECT_EQ(stats.error().message, c.message);
    EXPECT_EQ(stats.error().where, path + c.where);
  }
}

TEST(LambdaLogs, SkipModeCountsBadEventsInDocuments) {
  Collect rows;
  auto path =
      write_temp("skip.json",
                 "{\"logEvents\": [\n"
                 "{\"timestamp\": 2000, \"message\": \"REPORT RequestId: a Duration: x ms\"},\n"
                 "{\"timestamp\": 3000, \"message\": \"REPORT RequestId: b Duration: 4 ms\"}\n"
                 "]}\n");
  auto stats = read(path, rows, BadRows::skip);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 1u);
  EXPECT_EQ(stats->skipped_rows, 1u);
  EXPECT_EQ(stats->first_skipped, path +
                                      ": $.logEvents[0].message: bad Duration \"x ms\", "
                                      "expected a non-negative number of ms");
  expect_rows(rows.rows, {{4, 0, 0}});
  EXPECT_DOUBLE_EQ(rows.rows[0].timestamp_s, 3.0);
}

TEST(LambdaLogs, MissingFileIsNotFound) {
  auto reader = LineReader::open(fixture("no-such-file.txt"));
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace placer::ingest
