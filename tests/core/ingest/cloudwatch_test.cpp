// CloudWatch get-metric-statistics exports (tests/data/cloudwatch/SOURCES.md: AWS CLI docs
// examples and a moto-backed export). Expected values are read from the JSON by hand.
#include "placer/ingest/cloudwatch.hpp"

#include <gtest/gtest.h>

#include "placer/trace_summary.hpp"

#include "ingest_test_util.hpp"

namespace placer::ingest {
namespace {

using test_util::write_temp;

const std::string k_moto = PLACER_TESTS_DIR "/data/cloudwatch/moto_export/";

Result<IngestStats> read(const std::string& path, InvocationSink& sink, BadRows bad = BadRows::fail) {
  auto reader = LineReader::open(path);
  if (!reader) {
    return tl::unexpected(reader.error());
  }
  return read_cloudwatch(*reader, sink, bad);
}

TEST(CloudWatch, InvocationsAndDurationFromTwoExportsMakeOneWorkload) {
  TraceSummarizer summary;
  auto counts = read(k_moto + "get-metric-statistics.lambda_invocations_sum.period300.epoch.json", summary);
  ASSERT_TRUE(counts) << describe(counts.error());
  EXPECT_EQ(counts->rows, 6u);
  auto durations = read(k_moto + "get-metric-statistics.lambda_duration.period60.epoch.json", summary);
  ASSERT_TRUE(durations) << describe(durations.error());
  EXPECT_EQ(durations->rows, 10u);
  auto out = summary.finish();
  ASSERT_EQ(out.size(), 1u);
  // Sums 736 + 786 + 1068 + 308 + 214 + 332, in 300 s periods from 1714564830.
  EXPECT_EQ(out[0].requests, 3444u);
  EXPECT_DOUBLE_EQ(out[0].start_s, 1714564830);
  EXPECT_DOUBLE_EQ(out[0].end_s, 1714564830 + 6 * 300);
  EXPECT_DOUBLE_EQ(out[0].peak_minute_rate_rps, 1068.0 / 300);
  // The smallest Minimum and the largest Maximum of the 10 Duration datapoints.
  EXPECT_DOUBLE_EQ(out[0].duration_ms.min, 42.5);
  EXPECT_DOUBLE_EQ(out[0].duration_ms.max, 950.0);
}

TEST(CloudWatch, SecondsBecomeMillisecondsAndIsoTimesAreRead) {
  TraceSummarizer summary;
  auto stats = read(k_moto + "get-metric-statistics.alb_targetresponsetime.period300.iso8601.json", summary);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 6u);
  auto out = summary.finish();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_DOUBLE_EQ(out[0].duration_ms.max, 250.0);  // "Maximum": 0.25 s
}

TEST(CloudWatch, ConcurrencyIsNotATraceInputAndEmptyDatapointsAreSkipped) {
  TraceSummarizer summary;
  auto stats = read(k_moto + "get-metric-statistics.lambda_concurrentexecutions.period300.iso8601.json", summary);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 0u);
  EXPECT_EQ(stats->skipped_rows, 6u);
  stats = read(k_moto + "get-metric-statistics.lambda_duration.p50_p99.moto-unsupported-empty.json", summary);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 0u);
  EXPECT_GT(stats->skipped_rows, 0u);
}

TEST(CloudWatch, RefusesWhatItCannotRead) {
  TraceSummarizer summary;
  const std::string cpu = PLACER_TESTS_DIR
      "/data/cloudwatch/awscli_docs/get-metric-statistics.example_cpu_unordered.json";
  auto stats = read(cpu, summary);
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().code, ErrorCode::parse);
  EXPECT_EQ(stats.error().message,
            "a series of \"CPUUtilization\" in Percent is neither requests nor latency, expected "
            "Invocations or RequestCount (Count) or a latency in Milliseconds or Seconds");
  EXPECT_EQ(stats.error().where, cpu + ": $.Datapoints[17]");  // the earliest, 2014-04-08T23:18:00Z
  stats = read(k_moto + "get-metric-data.lambda_alb.cli-v1-default-epoch.json", summary);
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().code, ErrorCode::unsupported);
}

TEST(CloudWatch, BrokenExportsNamePathAndWhat) {
  struct Case {
    const char* name;
    std::string text;
    std::string message;
    std::string where;
  };
  const Case cases[] = {
      {"trunc.json", "{\"Label\": \"Invocations\", \"Datapoints\": [", 
       "unexpected end of input, expected more JSON", ":2:1"},
      {"shape.json", "{\"Label\": \"Invocations\"}", "missing required field \"Datapoints\"",
       ": $.Datapoints"},
      {"negative.json",
       "{\"Label\": \"Invocations\", \"Datapoints\": [{\"Timestamp\": 60, \"Sum\": -3, \"Unit\": "
       "\"Count\"}]}",
       "must not be negative, found -3", ": $.Datapoints[0].Sum"},
      {"type.json",
       "{\"Label\": \"Invocations\", \"Datapoints\": [{\"Timestamp\": 60, \"Sum\": \"3\", \"Unit\": "
       "\"Count\"}]}",
       "expected a number, found a string", ": $.Datapoints[0].Sum"},
      {"time.json",
       "{\"Label\": \"Invocations\", \"Datapoints\": [{\"Timestamp\": \"yesterday\", \"Sum\": 3}]}",
       "bad timestamp \"yesterday\", expected epoch seconds or ISO 8601 with a zone",
       ": $.Datapoints[0].Timestamp"},
      {"twice.json",
       "{\"Label\": \"Invocations\", \"Datapoints\": [{\"Timestamp\": 60, \"Sum\": 1, \"Unit\": "
       "\"Count\"}, {\"Timestamp\": 60, \"Sum\": 2, \"Unit\": \"Count\"}]}",
       "two datapoints at one time, expected one per period", ": $.Datapoints[1].Timestamp"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TraceSummarizer summary;
    auto path = write_temp(c.name, c.text);
    auto stats = read(path, summary);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, ErrorCode::parse);
    EXPECT_EQ(stats.error().message, c.message);
    EXPECT_EQ(stats.error().where, path + c.where);
  }
}

}  // namespace
}  // namespace placer::ingest
