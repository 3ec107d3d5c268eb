// Format names and detection from the first lines.
#include "placer/ingest/format.hpp"

#include <gtest/gtest.h>

#include <string>

#include "ingest_test_util.hpp"

namespace placer::ingest {
namespace {

using test_util::write_temp;

TEST(DetectFormat, RecognisesEachFormatByItsFirstLine) {
  const std::pair<std::string, Format> cases[] = {
      {"timestamp,duration_ms\n1,2\n", Format::requests},
      {"REPORT RequestId: 1 Duration: 2.00 ms Billed Duration: 2 ms Memory Size: 128 MB Max "
       "Memory Used: 20 MB\n",
       Format::lambda_report},
      {"{\"Label\": \"Invocations\", \"Datapoints\": []}\n", Format::cloudwatch},
      {"HashOwner,HashApp,HashFunction,Trigger,1\n", Format::azure2019},
      {"app,func,end_timestamp,duration\n", Format::azure2021},
      {"h2 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 x\n", Format::alb},
      {"10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 2326 0.004\n",
       Format::nginx},
      {"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}\n",
       Format::prometheus},
      {"{\"status\": \"error\", \"errorType\": \"bad_data\", \"error\": \"x\"}\n",
       Format::prometheus},
      {"[{\"metric\": {}, \"values\": [[1, \"1\"]]}]", Format::prometheus},
      {"[\n  {\n    \"metric\": {\"job\": \"a\"},\n    \"values\": [\n", Format::prometheus},
      // A Lambda JSON error log before the first platform.report: not a Prometheus error.
      {"{\"level\": \"ERROR\", \"errorType\": \"Runtime.ExitError\"}\n{\"type\": "
       "\"platform.report\", \"record\": {}}\n",
       Format::lambda_report},
  };
  int i = 0;
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    auto path = write_temp("detect" + std::to_string(i++), text);
    auto format = detect_format(path);
    ASSERT_TRUE(format) << describe(format.error());
    EXPECT_EQ(*format, expected);
  }
}

TEST(DetectFormat, LongAndBinaryLinesAreRefusedNotCrashedOn) {
  // A 60 KB line shaped almost like nginx and ALB: the matcher must not recurse per byte.
  std::string line = "h2 2018-07-02T22:23:00.1" + std::string(60000, '1') + " - [" +
                     std::string(100, '-') + "\n";
  auto format = detect_format(write_temp("long", line));
  ASSERT_FALSE(format);
  EXPECT_EQ(format.error().code, ErrorCode::parse);
  std::string binary(60000, '\x01');
  format = detect_format(write_temp("binary", binary));
  ASSERT_FALSE(format);
  EXPECT_EQ(format.error().code, ErrorCode::parse);
}

TEST(ParseFormat, NamesRoundTripAndUnknownOnesAreRefused) {
  for (Format f : {Format::requests, Format::lambda_report, Format::cloudwatch, Format::prometheus,
                   Format::azure2019, Format::azure2021, Format::alb, Format::nginx}) {
    EXPECT_EQ(*parse_format(to_string(f)), f);
  }
  EXPECT_EQ(parse_format("csv").error().code, ErrorCode::invalid_argument);
}

TEST(DetectFormat, PrometheusExportsOnOneLongLineAndScrapesAreTold) {
  // The real Red Hat export is one 158 KB line: detection looks at its first 64 KiB.
  auto format = detect_format(PLACER_TESTS_DIR
                              "/data/prometheus_query_range/"
                              "realdata_result_array_only.up.redhat_aiops_201907281200.json");
  ASSERT_TRUE(format) << describe(format.error());
  EXPECT_EQ(*format, Format::prometheus);
  // A /metrics scrape is one snapshot, not a range: unsupported, with what to export instead.
  for (const char* file : {"docs_text_format_example.prom", "openmetrics_1histogram.om.txt",
                           "prometheus_self_scrape.alltypes.237mfs.prom.txt"}) {
    SCOPED_TRACE(file);
    const std::string path = PLACER_TESTS_DIR "/data/prometheus_exposition/" + std::string{file};
    format = detect_format(path);
    ASSERT_FALSE(format);
    EXPECT_EQ(format.error().code, ErrorCode::unsupported);
    EXPECT_EQ(format.error().message,
              "this is a Prometheus text exposition (a /metrics scrape): one snapshot, not a "
              "trace; export a range from /api/v1/query_range and read that as prometheus");
    EXPECT_EQ(format.error().where, path);
  }
}

TEST(ReadTrace, PassesEachFormatItsOptions) {
  // The Prometheus docs example through read_trace: node's counter goes 0, 0, 1.
  auto reader = LineReader::open(
      PLACER_TESTS_DIR "/data/prometheus_query_range/prometheus_docs_query_range_up.json");
  ASSERT_TRUE(reader);
  ReadOptions options;
  options.prometheus.series.push_back(*parse_series_spec("kind=counter,match=job=node"));
  test_util::Collect sink;
  auto stats = read_trace(*reader, Format::prometheus, sink, BadRows::fail, options);
  ASSERT_TRUE(stats) << describe(stats.error());
  ASSERT_EQ(sink.counts.size(), 2u);
  EXPECT_EQ(sink.counts[1].requests, 1);
}

}  // namespace
}  // namespace placer::ingest
