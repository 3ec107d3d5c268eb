// CloudWatch get-metric-statistics and get-metric-data exports (tests/data/cloudwatch/
// SOURCES.md: AWS CLI docs examples and a moto-backed export). Expected values are read from
// the JSON by hand, or for the weighted means of the 29-minute get-metric-data export with a
// few lines of Python over it: sum(Maximum[t] x Invocations[t]) / sum(Invocations[t]).
#include "placer/ingest/cloudwatch.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ingest_test_util.hpp"
#include "placer/trace_summary.hpp"

namespace placer::ingest {
namespace {

using test_util::Collect;
using test_util::write_temp;

const std::string k_moto = PLACER_TESTS_DIR "/data/cloudwatch/moto_export/";

const std::string k_epoch = k_moto + "get-metric-data.lambda_alb.cli-v1-default-epoch.json";
const std::string k_iso = k_moto + "get-metric-data.lambda_alb.cli_timestamp_format-iso8601.json";

Result<IngestStats> read(const std::string& path, InvocationSink& sink, BadRows bad = BadRows::fail,
                         const CloudWatchOptions& options = {}) {
  return test_util::read_file(path, [&](LineReader& r) { return read_cloudwatch(r, sink, bad, options); });
}

Result<IngestStats> read_all(const std::vector<std::string>& paths, InvocationSink& sink) {
  auto readers = LineReader::open_all(paths);
  if (!readers) {
    return tl::unexpected(readers.error());
  }
  return read_cloudwatch(*readers, CloudWatchOptions{}, sink, BadRows::fail);
}

std::vector<MetricQuery> moto_queries() {
  auto reader = LineReader::open(k_moto + "inputs/get-metric-data.queries.json");
  auto queries = read_metric_queries(*reader);
  EXPECT_TRUE(queries) << describe(queries.error());
  return queries ? *queries : std::vector<MetricQuery>{};
}

nlohmann::json load(const std::string& path) {
  std::ifstream in{path};
  return nlohmann::json::parse(in);
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
  // The AWS CLI docs' get-metric-data examples: a metric math result and billing.
  const std::pair<std::string, std::string> data[] = {
      {"get-metric-data.example1_metric_math.json",
       "cannot tell what Id \"m3\" (Label \"Avg Total IOPS\") holds, expected an Id such as "
       "invocations or duration_p99, a Label such as \"Duration p99\", or the queries "
       "(--metric-query)"},
      {"get-metric-data.example2_billing.json",
       "cannot tell what Id \"m1\" (Label \"EstimatedCharges\") holds, expected an Id such as "
       "invocations or duration_p99, a Label such as \"Duration p99\", or the queries "
       "(--metric-query)"},
  };
  for (const auto& [file, message] : data) {
    const std::string path = PLACER_TESTS_DIR "/data/cloudwatch/awscli_docs/" + file;
    stats = read(path, summary);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, ErrorCode::parse);
    EXPECT_EQ(stats.error().message, message);
    EXPECT_EQ(stats.error().where, path + ": $.MetricDataResults[0].Id");
    stats = read(path, summary, BadRows::skip);  // skipped, one result
    ASSERT_TRUE(stats) << describe(stats.error());
    EXPECT_EQ(stats->skipped_rows, 1u);
  }
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
       "unexpected end of input, expected more JSON", ":1:41"},
      {"shape.json", "{\"Label\": \"Invocations\"}", "missing required field \"Datapoints\"",
       ": $.Datapoints"},
      {"negative.json",
       "{\"Label\": \"Invocations\", \"Datapoints\": [{\"Timestamp\": 60, \"Sum\": -3, \"Unit\": "
       "\"Count\"}]}",
       "must not be negative, found -3", ": $.Datapoints[0].Sum"},
      {"type.json",
       "{\"Label\": \"Invocations\", \"Datapoints\": [{\"Timestamp\": 60, \"Sum\": \"3\", "
       "\"Unit\": "
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

TEST(CloudWatch, MetricDataIdsBecomeCountsAndDurationsOfEachSource) {
  // 6 Ids: inv (29 minutes, 12:17 missing, Sums add to 3444), dur_avg and dur_max (one
  // datapoint a minute, Maximum wins as in get-metric-statistics), conc (skipped), albreq
  // (6 periods of 300 s, 9972) and albrt (Average, seconds). Lambda and ALB are two sources.
  TraceSummarizer summary;
  auto stats = read(k_epoch, summary);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 29u + 29u + 6u + 6u);
  EXPECT_EQ(stats->skipped_rows, 29u);
  EXPECT_EQ(
      stats->first_skipped,
      k_epoch +
          ": $.MetricDataResults[3].Values[28]: \"ConcurrentExecutions\" is not a trace input");
  auto out = summary.finish();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].workload, "AWS/ApplicationELB");
  EXPECT_EQ(out[0].requests, 9972u);
  EXPECT_DOUBLE_EQ(out[0].start_s, 1714564800);  // 12:00, the oldest of the newest-first list
  EXPECT_DOUBLE_EQ(out[0].end_s, 1714566300 + 300);
  EXPECT_DOUBLE_EQ(out[0].duration_ms.max, 26.400125039075146);    // 0.026400125039075146 s
  EXPECT_NEAR(out[0].duration_ms.mean, 26.268329054288014, 1e-9);  // weighted by RequestCount
  EXPECT_EQ(out[1].workload, "AWS/Lambda");
  EXPECT_EQ(out[1].requests, 3444u);
  EXPECT_DOUBLE_EQ(out[1].start_s, 1714564800);
  EXPECT_DOUBLE_EQ(out[1].end_s, 1714566540 + 60);
  EXPECT_DOUBLE_EQ(out[1].peak_minute_rate_rps, 352.0 / 60);  // 12:11
  EXPECT_DOUBLE_EQ(out[1].duration_ms.min, 181.25);
  EXPECT_DOUBLE_EQ(out[1].duration_ms.max, 950);
  EXPECT_NEAR(out[1].duration_ms.mean, 318.0650406504065, 1e-9);  // weighted by Invocations
}

TEST(CloudWatch, EpochAndIsoRenderingsOfOneExportReadTheSame) {
  TraceSummarizer epoch;
  TraceSummarizer iso;
  ASSERT_TRUE(read(k_epoch, epoch));
  ASSERT_TRUE(read(k_iso, iso));
  auto a = epoch.finish();
  auto b = iso.finish();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].workload, b[i].workload);
    EXPECT_EQ(a[i].requests, b[i].requests);
    EXPECT_DOUBLE_EQ(a[i].start_s, b[i].start_s);
    EXPECT_DOUBLE_EQ(a[i].duration_ms.mean, b[i].duration_ms.mean);
  }
}

TEST(CloudWatch, QueriesNameWorkloadsByDimensionAndGiveThePeriod) {
  CloudWatchOptions options{moto_queries()};
  Collect sink;
  auto stats = read(k_iso, sink, BadRows::fail, options);
  ASSERT_TRUE(stats) << describe(stats.error());
  std::map<std::string, double> requests;
  for (const IntervalCount& c : sink.counts) {
    requests[c.workload] += c.requests;
    EXPECT_DOUBLE_EQ(c.length_s, c.workload == "orders-api" ? 60 : 300);
  }
  EXPECT_EQ(requests["orders-api"], 3444);
  EXPECT_EQ(requests["app/orders-alb/50dc6c495c0c9188"], 9972);
}

TEST(CloudWatchQueries, ReadsTheQueriesGivenToTheCli) {
  auto queries = moto_queries();
  ASSERT_EQ(queries.size(), 6u);
  EXPECT_EQ(queries[0].id, "inv");
  EXPECT_EQ(queries[0].namespace_name, "AWS/Lambda");
  EXPECT_EQ(queries[0].metric, "Invocations");
  EXPECT_EQ(queries[0].stat, "Sum");
  EXPECT_EQ(queries[0].period_s, 60);
  ASSERT_EQ(queries[0].dimensions.size(), 1u);
  EXPECT_EQ(queries[0].dimensions[0].second, "orders-api");
  EXPECT_EQ(queries[1].unit, "Milliseconds");
  EXPECT_EQ(queries[4].period_s, 300);
  // The --cli-input-json form, and what is wrong with broken query files.
  auto wrapped = write_temp(
      "wrapped.json", "{\"MetricDataQueries\": [{\"Id\": \"e\", \"Expression\": \"m1/60\"}]}");
  auto reader = LineReader::open(wrapped);
  auto parsed = read_metric_queries(*reader);
  ASSERT_TRUE(parsed) << describe(parsed.error());
  EXPECT_TRUE((*parsed)[0].expression);
  const std::tuple<const char*, std::string, std::string, std::string> bad[] = {
      {"noperiod.json",
       "[{\"Id\": \"a\", \"MetricStat\": {\"Metric\": {\"Namespace\": \"AWS/Lambda\", "
       "\"MetricName\": \"Invocations\"}, \"Stat\": \"Sum\"}}]",
       "missing required field \"Period\"", ": $[0].MetricStat.Period"},
      {"twice.json",
       "[{\"Id\": \"a\", \"Expression\": \"1\"}, {\"Id\": \"a\", \"Expression\": \"2\"}]",
       "Id \"a\" appears twice, expected one query an Id", ": $[1].Id"},
      {"neither.json", "[{\"Id\": \"a\"}]",
       "a query with neither MetricStat nor Expression, expected one of them", ": $[0]"},
  };
  for (const auto& [name, text, message, where] : bad) {
    SCOPED_TRACE(name);
    auto path = write_temp(name, text);
    auto r = LineReader::open(path);
    auto result = read_metric_queries(*r);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message, message);
    EXPECT_EQ(result.error().where, path + where);
  }
}

TEST(CloudWatch, PagesInFilesInAnArrayOrAppendedMergeById) {
  // The epoch export cut in two pages: each Id's 3 newest values, then the rest (as
  // pagination does), given as two files in either order, a JSON array, or appended.
  nlohmann::json whole = load(k_epoch);
  nlohmann::json first = whole;
  nlohmann::json second = whole;
  for (std::size_t i = 0; i < whole["MetricDataResults"].size(); ++i) {
    for (const char* key : {"Timestamps", "Values"}) {
      auto& all = whole["MetricDataResults"][i][key];
      first["MetricDataResults"][i][key] = nlohmann::json(all.begin(), all.begin() + 3);
      second["MetricDataResults"][i][key] = nlohmann::json(all.begin() + 3, all.end());
    }
    first["MetricDataResults"][i]["StatusCode"] = "PartialData";
  }
  const auto a = write_temp("page_a.json", first.dump(2));
  const auto b = write_temp("page_b.json", second.dump(2));
  const auto array = write_temp("pages_array.json", nlohmann::json::array({first, second}).dump());
  const auto appended = write_temp("pages_appended.json", first.dump(2) + "\n" + second.dump(2));
  TraceSummarizer reference;
  ASSERT_TRUE(read(k_epoch, reference));
  const auto expected = reference.finish();
  for (const std::vector<std::string>& paths :
       {std::vector<std::string>{a, b}, {b, a}, {array}, {appended}}) {
    SCOPED_TRACE(paths.front());
    TraceSummarizer summary;
    auto stats = read_all(paths, summary);
    ASSERT_TRUE(stats) << describe(stats.error());
    EXPECT_EQ(stats->rows, 70u);
    auto out = summary.finish();
    ASSERT_EQ(out.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(out[i].requests, expected[i].requests);
      EXPECT_DOUBLE_EQ(out[i].start_s, expected[i].start_s);
      EXPECT_DOUBLE_EQ(out[i].end_s, expected[i].end_s);
      EXPECT_DOUBLE_EQ(out[i].duration_ms.mean, expected[i].duration_ms.mean);
    }
  }
  // A value repeated by overlapping pages is one value; a different one at the same time
  // is an error, named with the line its page starts on.
  second["MetricDataResults"][0]["Timestamps"].push_back(1714566540);
  second["MetricDataResults"][0]["Values"].push_back(88.0);
  const auto overlap = write_temp("pages_overlap.json", first.dump() + "\n" + second.dump());
  TraceSummarizer summary;
  ASSERT_TRUE(read(overlap, summary));
  EXPECT_EQ(summary.finish()[1].requests, 3444u);
  second["MetricDataResults"][0]["Values"].back() = 89.0;
  const auto clash = write_temp("pages_clash.json", first.dump() + "\n" + second.dump());
  auto stats = read(clash, summary);
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().message, "two values of Sum at one time, expected one per period");
  EXPECT_EQ(stats.error().where, clash + ":2: $.MetricDataResults[0].Values[26]");
}

std::string metric_data(const std::string& results) {
  return "{\"MetricDataResults\": [" + results + "], \"Messages\": []}";
}

std::string result(const std::string& id, const std::string& label, const std::string& values,
                   const std::string& times = "[1714566540, 1714566480]") {
  return "{\"Id\": \"" + id + "\", \"Label\": \"" + label + "\", \"Timestamps\": " + times +
         ", \"Values\": " + values + ", \"StatusCode\": \"Complete\"}";
}

TEST(CloudWatch, IdsAndLabelsFollowNamingConventions) {
  // Two minutes: 10 and 30 invocations; Duration min, p50, p99 (from a Label) and max.
  auto path = write_temp("named.json", metric_data(result("invocations", "", "[30, 10]") + "," +
                                                   result("duration_min", "", "[5, 4]") + "," +
                                                   result("Duration_P50", "", "[50, 40]") + "," +
                                                   result("m7", "Duration p99", "[90, 80]") + "," +
                                                   result("duration_maximum", "", "[100, 95]")));
  Collect sink;
  auto stats = read(path, sink);
  ASSERT_TRUE(stats) << describe(stats.error());
  ASSERT_EQ(sink.counts.size(), 2u);
  EXPECT_EQ(sink.counts[0].requests, 10);  // the older minute first
  ASSERT_EQ(sink.durations.size(), 2u);
  const QuantileSummary& older = sink.durations[0];
  ASSERT_EQ(older.quantiles.size(), 4u);
  EXPECT_DOUBLE_EQ(older.quantiles[0].value, 4);
  EXPECT_DOUBLE_EQ(older.quantiles[1].q, 0.5);
  EXPECT_DOUBLE_EQ(older.quantiles[2].q, 0.99);
  EXPECT_DOUBLE_EQ(older.quantiles[2].value, 80);
  EXPECT_DOUBLE_EQ(older.quantiles[3].value, 95);
  EXPECT_DOUBLE_EQ(older.weight, 10);  // no SampleCount: the minute's invocations
  // ALB response time in seconds, p99.9 spelled p99_9 in an Id.
  path =
      write_temp("alb.json", metric_data(result("target_response_time_p99_9", "", "[0.5, 0.25]")));
  Collect alb;
  ASSERT_TRUE(read(path, alb));
  ASSERT_EQ(alb.durations.size(), 2u);
  EXPECT_DOUBLE_EQ(alb.durations[0].quantiles[0].q, 0.999);
  EXPECT_DOUBLE_EQ(alb.durations[0].quantiles[0].value, 250);
  EXPECT_DOUBLE_EQ(alb.durations[0].weight, 1);
}

TEST(CloudWatch, BrokenMetricDataNamePathAndWhat) {
  struct Case {
    const char* name;
    std::string text;
    std::string message;
    std::string where;
    std::vector<MetricQuery> queries;
  };
  MetricQuery expression;
  expression.id = "e1";
  expression.expression = true;
  MetricQuery trimmed;
  trimmed.id = "d";
  trimmed.metric = "Duration";
  trimmed.stat = "tm99";
  const Case cases[] = {
      {"lengths.json",
       metric_data(result("invocations", "", "[1]")),
       "found 1 values for 2 timestamps, expected one value per timestamp",
       ": $.MetricDataResults[0].Values",
       {}},
      {"forbidden.json",
       metric_data("{\"Id\": \"invocations\", \"Timestamps\": [], \"Values\": [], "
                   "\"StatusCode\": \"Forbidden\", \"Messages\": [{\"Code\": \"Forbidden\", "
                   "\"Value\": \"no access\"}]}"),
       "CloudWatch answered Forbidden for Id \"invocations\": no access, expected Complete or "
       "PartialData",
       ": $.MetricDataResults[0].StatusCode",
       {}},
      {"negative.json",
       metric_data(result("invocations", "", "[-1, 2]")),
       "must not be negative, found -1",
       ": $.MetricDataResults[0].Values[0]",
       {}},
      {"time.json",
       metric_data(result("invocations", "", "[1, 2]", "[\"noon\", 1714566480]")),
       "bad timestamp \"noon\", expected epoch seconds or ISO 8601 with a zone",
       ": $.MetricDataResults[0].Timestamps[0]",
       {}},
      {"nostat.json",
       metric_data(result("duration", "Duration", "[1, 2]")),
       "Id \"duration\" (Label \"Duration\") names Duration but not its statistic, expected e.g. "
       "duration_p99 or duration_avg",
       ": $.MetricDataResults[0].Id",
       {}},
      {"unknown.json",
       metric_data(result("x", "", "[1, 2]")),
       "found Id \"x\", expected an Id of the queries (e1)",
       ": $.MetricDataResults[0].Id",
       {expression}},
      {"math.json",
       metric_data(result("e1", "", "[1, 2]")),
       "Id \"e1\" is a metric math expression, expected a MetricStat query",
       ": $.MetricDataResults[0].Id",
       {expression}},
      {"trimmed.json",
       metric_data(result("d", "", "[1, 2]")),
       "Id \"d\" holds the statistic \"tm99\", expected Sum, Average, Minimum, Maximum, "
       "SampleCount or pNN",
       ": $.MetricDataResults[0].Id",
       {trimmed}},
      {"page.json",
       "[" + metric_data("") + ", 3]",
       "expected an object, found a number",
       ": $[1]",
       {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TraceSummarizer summary;
    auto path = write_temp(c.name, c.text);
    auto stats = read(path, summary, BadRows::fail, CloudWatchOptions{c.queries});
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, ErrorCode::parse);
    EXPECT_EQ(stats.error().message, c.message);
    EXPECT_EQ(stats.error().where, path + c.where);
  }
}

}  // namespace
}  // namespace placer::ingest
