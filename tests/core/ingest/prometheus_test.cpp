// Prometheus query_range exports (tests/data/prometheus_query_range/SOURCES.md: the
// Prometheus docs and OpenAPI examples, and a real Red Hat export). Expected values of the
// fixtures are worked out from the files without placer: the docs example by hand, the Red
// Hat file with a few lines of Python over its JSON (per series: sort the samples, add
// v1 - v0, or v1 where v1 < v0; for rates add value x the median spacing). The NaN, Inf,
// reset, gap and latency cases are small hand-written exports whose sums are in comments.
#include "placer/ingest/prometheus.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "ingest_test_util.hpp"
#include "placer/trace_summary.hpp"

namespace placer::ingest {
namespace {

using test_util::Collect;
using test_util::write_temp;

const std::string k_dir = PLACER_TESTS_DIR "/data/prometheus_query_range/";
const std::string k_docs = k_dir + "prometheus_docs_query_range_up.json";
const std::string k_redhat = k_dir + "realdata_result_array_only.up.redhat_aiops_201907281200.json";
constexpr double k_t0 = 1700000000;  // 2023-11-14T22:13:20Z

Result<IngestStats> read(const std::vector<std::string>& paths, const PrometheusOptions& options,
                         InvocationSink& sink, BadRows bad = BadRows::fail) {
  auto readers = LineReader::open_all(paths);
  if (!readers) {
    return tl::unexpected(readers.error());
  }
  return read_prometheus(*readers, options, sink, bad);
}

PrometheusOptions of_kind(SeriesKind kind, std::string workload_label = {}) {
  PrometheusOptions options;
  options.kind = kind;
  options.workload_label = std::move(workload_label);
  return options;
}

// A series: `labels` is the inside of the metric object, samples are (t0 + offset, value).
std::string series(const std::string& labels,
                   const std::vector<std::pair<double, std::string>>& samples) {
  std::string values;
  for (const auto& [offset, value] : samples) {
    values += (values.empty() ? "" : ", ") + std::string{"["} +
              std::to_string(static_cast<long long>(k_t0 + offset)) + ", \"" + value + "\"]";
  }
  return "{\"metric\": {" + labels + "}, \"values\": [" + values + "]}";
}

std::string response(const std::vector<std::string>& all) {
  std::string result;
  for (const std::string& s : all) {
    result += (result.empty() ? "" : ",\n") + s;
  }
  return "{\"status\": \"success\", \"data\": {\"resultType\": \"matrix\", \"result\": [\n" +
         result + "\n]}}\n";
}

double requests_of(const Collect& sink, const std::string& workload = {}) {
  double sum = 0;
  for (const IntervalCount& c : sink.counts) {
    sum += c.workload == workload ? c.requests : 0;
  }
  return sum;
}

TEST(Prometheus, DocsExampleCountsIncreasesPerJob) {
  // node: 0, 0, 1 -> increases 0 and 1; prometheus: 1, 1, 1 -> 0 and 0. Samples 15 s apart.
  Collect sink;
  auto stats = read({k_docs}, of_kind(SeriesKind::counter, "job"), sink);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 4u);
  EXPECT_EQ(stats->skipped_rows, 0u);
  ASSERT_EQ(sink.counts.size(), 4u);
  EXPECT_EQ(requests_of(sink, "node"), 1);
  EXPECT_EQ(requests_of(sink, "prometheus"), 0);
  EXPECT_EQ(sink.counts[1].workload, "node");  // workloads in name order
  EXPECT_DOUBLE_EQ(sink.counts[1].start_s, 1435781445.781);
  EXPECT_DOUBLE_EQ(sink.counts[1].length_s, 15);
  EXPECT_EQ(sink.counts[1].requests, 1);
}

TEST(Prometheus, DocsExampleSeriesPickedByIndexOrLabel) {
  // node's rates 0, 0, 1 req/s over a 15 s step: 15 requests, in [t - 15, t) each.
  for (const char* text : {"kind=rate,index=1", "kind=rate,match=job=node",
                           "kind=rate,match=job=node,match=__name__=up"}) {
    SCOPED_TRACE(text);
    PrometheusOptions options;
    options.series.push_back(*parse_series_spec(text));
    Collect sink;
    auto stats = read({k_docs}, options, sink);
    ASSERT_TRUE(stats) << describe(stats.error());
    ASSERT_EQ(sink.counts.size(), 3u);
    EXPECT_EQ(requests_of(sink), 15);
    EXPECT_DOUBLE_EQ(sink.counts[0].start_s, 1435781430.781 - 15);
    EXPECT_DOUBLE_EQ(sink.counts[0].length_s, 15);
  }
}

TEST(Prometheus, OpenApiMatrixAsRateUsesTheInferredStep) {
  // Three samples of 1 req/s, 1800 s apart: 3 x 1800 requests from the first minus a step.
  TraceSummarizer summary;
  auto stats = read({k_dir + "prometheus_openapi_example_matrixResult.json"},
                    of_kind(SeriesKind::rate), summary);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 3u);
  auto out = summary.finish();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].requests, 5400u);
  EXPECT_DOUBLE_EQ(out[0].start_s, 1767433020 - 1800);
  EXPECT_DOUBLE_EQ(out[0].end_s, 1767436620);
}

TEST(Prometheus, RealExportReadAsCountersPerInstance) {
  // 9 series of 1079, 1080 x 4, 360 x 4 samples: 6830 increases. Only
  // prometheus-anomaly-detector-prophet-1 drops (1 -> 0, 12 times, then back to 1).
  TraceSummarizer summary;
  auto stats = read({k_redhat}, of_kind(SeriesKind::counter, "instance"), summary);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 6830u);
  auto out = summary.finish();
  ASSERT_EQ(out.size(), 9u);
  std::map<std::string, std::uint64_t> requests;
  for (const TraceSummary& s : out) {
    requests[s.workload.substr(0, s.workload.find('.'))] = s.requests;
  }
  EXPECT_EQ(requests["prometheus-anomaly-detector-prophet-1"], 12u);
  EXPECT_EQ(requests["prometheus-anomaly-detector-prophet-0"], 0u);  // always 0
  EXPECT_EQ(requests["metrics-exporter-thoth-frontend-stage"], 0u);  // always 1
}

TEST(Prometheus, RealExportReadAsRatesInfersEachSeriesStepDespiteJitter) {
  // Median spacing 20 s for the 20 s scrapes (jitter up to 133 ms), 60 s for the others;
  // sum of values x step per series: 21580 + 21600 x 6 + 0 + 20820 = 172000.
  Collect sink;
  auto stats = read({k_redhat}, of_kind(SeriesKind::rate, "instance"), sink);
  ASSERT_TRUE(stats) << describe(stats.error());
  double total = 0;
  std::map<double, int> lengths;
  for (const IntervalCount& c : sink.counts) {
    total += c.requests;
    ++lengths[c.length_s];
  }
  EXPECT_DOUBLE_EQ(total, 172000);
  EXPECT_EQ(lengths[20.0], 1079 + 1080 * 4);
  EXPECT_EQ(lengths[60.0], 360 * 4);
}

TEST(Prometheus, NativeHistogramsAreUnsupportedAndErrorAnswersSayWhy) {
  Collect sink;
  const std::string histogram = k_dir + "prometheus_openapi_example_histogramResult.json";
  auto stats = read({histogram}, of_kind(SeriesKind::latency_seconds), sink);
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().code, ErrorCode::unsupported);
  EXPECT_EQ(stats.error().where, histogram + ": $.data.result[0]");
  const std::string error = k_dir + "prometheus_openapi_example_error_tsdbNotReady.json";
  stats = read({error}, of_kind(SeriesKind::counter), sink);
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().code, ErrorCode::parse);
  EXPECT_EQ(stats.error().message,
            "found status \"error\" (internal: TSDB not ready), expected \"success\"");
  EXPECT_EQ(stats.error().where, error + ": $.status");
}

TEST(Prometheus, CounterResetCountsTheNewValue) {
  // 10, 15, 3 (restarted), 8: increases 5, 3, 5 = 13.
  auto path = write_temp("reset.json",
                         response({series("", {{0, "10"}, {60, "15"}, {120, "3"}, {180, "8"}})}));
  Collect sink;
  auto stats = read({path}, of_kind(SeriesKind::counter), sink);
  ASSERT_TRUE(stats) << describe(stats.error());
  ASSERT_EQ(sink.counts.size(), 3u);
  EXPECT_EQ(sink.counts[0].requests, 5);
  EXPECT_EQ(sink.counts[1].requests, 3);
  EXPECT_EQ(sink.counts[2].requests, 5);
  EXPECT_DOUBLE_EQ(sink.counts[2].start_s, k_t0 + 120);
  EXPECT_DOUBLE_EQ(sink.counts[2].length_s, 60);
}

TEST(Prometheus, CounterIncreaseSpansGapsAndNaNIsNoDataNotZero) {
  // 0, 5, NaN, (no sample at 180), 12: increases 5 over [0, 60) and 7 over [60, 240).
  auto path = write_temp("gap.json",
                         response({series("", {{0, "0"}, {60, "5"}, {120, "NaN"}, {240, "12"}})}));
  Collect sink;
  auto stats = read({path}, of_kind(SeriesKind::counter), sink);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 2u);
  EXPECT_EQ(stats->skipped_rows, 1u);
  EXPECT_EQ(stats->first_skipped, path + ": $.data.result[0].values[2][1]: found NaN, no data");
  ASSERT_EQ(sink.counts.size(), 2u);
  EXPECT_EQ(sink.counts[1].requests, 7);
  EXPECT_DOUBLE_EQ(sink.counts[1].start_s, k_t0 + 60);
  EXPECT_DOUBLE_EQ(sink.counts[1].length_s, 180);
}

TEST(Prometheus, RateNaNAndInfinitiesAreSkippedAndCounted) {
  // 2, NaN, +Inf, -Inf, 4 req/s, 10 s apart: 20 + 40 requests, 3 samples of no data.
  auto path = write_temp(
      "rate_nan.json",
      response({series("\"job\": \"api\"",
                       {{0, "2"}, {10, "NaN"}, {20, "+Inf"}, {30, "-Inf"}, {40, "4e0"}})}));
  Collect sink;
  auto stats = read({path}, of_kind(SeriesKind::rate), sink);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 2u);
  EXPECT_EQ(stats->skipped_rows, 3u);
  ASSERT_EQ(sink.counts.size(), 2u);
  EXPECT_EQ(sink.counts[0].requests, 20);
  EXPECT_EQ(sink.counts[1].requests, 40);
}

TEST(Prometheus, NegativeCounterNamesTheJsonPath) {
  std::vector<std::pair<double, std::string>> samples;
  for (int i = 0; i < 18; ++i) {
    samples.emplace_back(15 * i, i == 17 ? "-3" : std::to_string(i));
  }
  auto path = write_temp("negative.json", response({series("\"job\": \"a\"", {{0, "1"}}),
                                                    series("\"job\": \"b\"", {{0, "1"}}),
                                                    series("\"job\": \"c\"", samples)}));
  Collect sink;
  auto stats = read({path}, of_kind(SeriesKind::counter, "job"), sink);
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().code, ErrorCode::parse);
  EXPECT_EQ(stats.error().message, "found -3, expected a counter, which is never negative");
  EXPECT_EQ(stats.error().where, path + ": $.data.result[2].values[17][1]");
  Collect skipping;
  stats = read({path}, of_kind(SeriesKind::counter, "job"), skipping, BadRows::skip);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->skipped_rows, 1u);
  EXPECT_EQ(requests_of(skipping, "c"), 16);  // 0 .. 16, one a step
}

TEST(Prometheus, LatencyQuantilesAreWeightedByTheStepsRequests) {
  // Rate 1, 2, 0 req/s over 15 s steps: 15, 30 and 0 requests. p50 0.1, 0.12, 0.1 s and p99
  // 0.3, NaN, 0.5 s. Step 1: {p50 100 ms, p99 300 ms} x 15; step 2: {p50 120 ms} x 30 (p99
  // is no data); step 3 has no requests to weigh by: skipped.
  auto rate = write_temp("w_rate.json", response({series("", {{0, "1"}, {15, "2"}, {30, "0"}})}));
  auto p50 =
      write_temp("w_p50.json", response({series("", {{0, "0.1"}, {15, "0.12"}, {30, "0.1"}})}));
  auto p99 =
      write_temp("w_p99.json", response({series("", {{0, "0.3"}, {15, "NaN"}, {30, "0.5"}})}));
  PrometheusOptions options;
  for (const std::string& text :
       {"kind=rate,file=" + rate, "kind=latency-seconds,quantile=0.5,file=" + p50,
        "kind=latency-seconds,quantile=0.99,file=" + p99}) {
    options.series.push_back(*parse_series_spec(text));
  }
  Collect sink;
  auto stats = read({rate, p50, p99}, options, sink);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 5u);          // 3 counts, 2 summaries
  EXPECT_EQ(stats->skipped_rows, 2u);  // the NaN, the step without requests
  ASSERT_EQ(sink.durations.size(), 2u);
  const auto& first = sink.durations[0];
  ASSERT_EQ(first.quantiles.size(), 2u);
  EXPECT_DOUBLE_EQ(first.quantiles[0].q, 0.5);
  EXPECT_DOUBLE_EQ(first.quantiles[0].value, 100);
  EXPECT_DOUBLE_EQ(first.quantiles[1].q, 0.99);
  EXPECT_DOUBLE_EQ(first.quantiles[1].value, 300);
  EXPECT_DOUBLE_EQ(first.weight, 15);
  ASSERT_EQ(sink.durations[1].quantiles.size(), 1u);
  EXPECT_DOUBLE_EQ(sink.durations[1].quantiles[0].value, 120);
  EXPECT_DOUBLE_EQ(sink.durations[1].weight, 30);
}

TEST(Prometheus, LatencyQuantileComesFromTheSummaryLabelAndWeighsOneAStepAlone) {
  auto path = write_temp(
      "summary.json",
      response({series("\"__name__\": \"rpc_seconds\", \"quantile\": \"0.9\"", {{0, "0.25"}})}));
  Collect sink;
  auto stats = read({path}, of_kind(SeriesKind::latency_seconds), sink);
  ASSERT_TRUE(stats) << describe(stats.error());
  ASSERT_EQ(sink.durations.size(), 1u);
  EXPECT_DOUBLE_EQ(sink.durations[0].quantiles[0].q, 0.9);
  EXPECT_DOUBLE_EQ(sink.durations[0].quantiles[0].value, 250);
  EXPECT_DOUBLE_EQ(sink.durations[0].weight, 1);
}

TEST(Prometheus, LatencyRefusesBucketsMissingAndConflictingQuantiles) {
  struct Case {
    const char* name;
    std::string labels;
    std::optional<double> quantile;
    std::string message;
    std::string where;
  };
  const Case cases[] = {
      {"le.json", "\"le\": \"0.5\"", 0.99,
       "series [0] {le=\"0.5\"} has an le label: it is a histogram bucket, expected a quantile "
       "such as histogram_quantile(0.99, ...) gives",
       "--series"},
      {"noq.json", "", std::nullopt,
       "latency series [0] {} has no quantile, expected quantile=Q in its --series, --quantile "
       "or a quantile label",
       "--quantile"},
      {"twoq.json", "\"quantile\": \"0.99\"", 0.5,
       "series [0] {quantile=\"0.99\"} is quantile 0.99 by its label, and the options say "
       "0.5, expected one answer",
       "--quantile"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto path = write_temp(c.name, response({series(c.labels, {{0, "0.1"}})}));
    PrometheusOptions options = of_kind(SeriesKind::latency_seconds);
    options.quantile = c.quantile;
    Collect sink;
    auto stats = read({path}, options, sink);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(stats.error().message, c.message);
    EXPECT_EQ(stats.error().where, c.where);
  }
}

TEST(Prometheus, QuantilesFallingWithRankAreBadRows) {
  auto path = write_temp("falling.json",
                         response({series("\"quantile\": \"0.5\"", {{0, "0.3"}, {15, "0.1"}}),
                                   series("\"quantile\": \"0.99\"", {{0, "0.2"}, {15, "0.2"}})}));
  PrometheusOptions options = of_kind(SeriesKind::latency_seconds);
  Collect sink;
  auto stats = read({path}, options, sink);
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().message,
            "found quantile 0.99 at 200 ms, below quantile 0.5 at 300 ms, expected quantiles "
            "rising with rank");
  EXPECT_EQ(stats.error().where, path + ": $.data.result[1].values[0][1]");
  Collect skipping;
  stats = read({path}, options, skipping, BadRows::skip);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->skipped_rows, 1u);
  EXPECT_EQ(skipping.durations.size(), 1u);  // the second step, 100 ms then 200 ms
}

TEST(Prometheus, OptionsMustSayWhatEachSeriesIs) {
  struct Case {
    const char* name;
    PrometheusOptions options;
    std::string message;
    std::string where;
  };
  PrometheusOptions two_specs;
  two_specs.series = {*parse_series_spec("kind=rate,index=0"),
                      *parse_series_spec("kind=counter,match=job=prometheus")};
  PrometheusOptions no_match;
  no_match.series = {*parse_series_spec("kind=rate,match=job=api")};
  PrometheusOptions no_kind;
  no_kind.series = {*parse_series_spec("index=0")};
  const Case cases[] = {
      {"none", PrometheusOptions{},
       "the export does not say what its series measure, expected --series-kind counter, rate "
       "or latency-seconds",
       "--series-kind"},
      {"several", of_kind(SeriesKind::counter),
       "2 series and nothing tells them apart: [0] {__name__=\"up\", instance=\"localhost:9090\", "
       "job=\"prometheus\"}, [1] {__name__=\"up\", instance=\"localhost:9091\", job=\"node\"}; "
       "expected --series to say which is which (e.g. 'kind=counter,index=0') or "
       "--workload-label to name workloads by a label",
       "--series"},
      {"twice", two_specs,
       "series [0] {__name__=\"up\", instance=\"localhost:9090\", job=\"prometheus\"} is selected "
       "by --series 'kind=rate,index=0' and --series 'kind=counter,match=job=prometheus', "
       "expected one --series a series",
       "--series"},
      {"nothing", no_match,
       "--series 'kind=rate,match=job=api' selects no series, the export holds [0] "
       "{__name__=\"up\", instance=\"localhost:9090\", job=\"prometheus\"}, [1] {__name__=\"up\", "
       "instance=\"localhost:9091\", job=\"node\"}",
       "--series"},
      {"kindless", no_kind,
       "--series 'index=0' gives no kind, expected kind=counter, rate or latency-seconds in it "
       "or --series-kind",
       "--series"},
      {"label", of_kind(SeriesKind::counter, "pod"),
       "series [0] {__name__=\"up\", instance=\"localhost:9090\", job=\"prometheus\"} has no "
       "label \"pod\" to name its workload, expected every selected series to have it",
       "--workload-label"},
      {"shared", of_kind(SeriesKind::counter, "__name__"),
       "workload \"up\" has several request series: [0] {__name__=\"up\", "
       "instance=\"localhost:9090\", job=\"prometheus\"}, [1] {__name__=\"up\", "
       "instance=\"localhost:9091\", job=\"node\"}, expected one (select it with --series)",
       "--series"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Collect sink;
    auto stats = read({k_docs}, c.options, sink);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(stats.error().message, c.message);
    EXPECT_EQ(stats.error().where, c.where);
  }
}

TEST(PrometheusSeriesSpec, ParsesKeysAndRefusesTheRest) {
  auto spec = parse_series_spec("kind=counter,match=__name__=http_requests_total,match=code=");
  ASSERT_TRUE(spec) << describe(spec.error());
  EXPECT_EQ(spec->kind, SeriesKind::counter);
  ASSERT_EQ(spec->match.size(), 2u);
  EXPECT_EQ(spec->match[0],
            (std::pair<std::string, std::string>{"__name__", "http_requests_total"}));
  EXPECT_EQ(spec->match[1], (std::pair<std::string, std::string>{"code", ""}));
  spec = parse_series_spec("kind=latency-seconds,index=1,quantile=0.99,file=p99.json");
  ASSERT_TRUE(spec) << describe(spec.error());
  EXPECT_EQ(spec->kind, SeriesKind::latency_seconds);
  EXPECT_EQ(spec->index, 1u);
  EXPECT_DOUBLE_EQ(*spec->quantile, 0.99);
  EXPECT_EQ(spec->file, "p99.json");
  const std::pair<const char*, const char*> bad[] = {
      {"kind=gauge",
       "found series kind \"gauge\", expected counter, rate or latency-seconds in \"kind=gauge\""},
      {"index=-1", "found index \"-1\", expected 0, 1, 2, ... in \"index=-1\""},
      {"index=1.5", "found index \"1.5\", expected 0, 1, 2, ... in \"index=1.5\""},
      {"quantile=99", "found quantile \"99\", expected 0 to 1 (0.99) in \"quantile=99\""},
      {"job=api",
       "found key \"job\", expected kind, file, index, match or quantile in \"job=api\""},
      {"kind", "found \"kind\", expected key=value in \"kind\""},
      {"", "found \"\", expected key=value in \"\""},
      {"kind=rate,kind=counter",
       "found kind twice, expected it once in \"kind=rate,kind=counter\""},
      {"match=job", "found match \"job\", expected match=LABEL=VALUE in \"match=job\""},
  };
  for (const auto& [text, message] : bad) {
    SCOPED_TRACE(text);
    auto parsed = parse_series_spec(text);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(parsed.error().message, message);
    EXPECT_EQ(parsed.error().where, "--series");
  }
  EXPECT_EQ(parse_series_kind("rate").value(), SeriesKind::rate);
  EXPECT_EQ(to_string(SeriesKind::latency_seconds), "latency-seconds");
}

TEST(Prometheus, PagesOfOneSeriesInSeveralFilesOrOneFileAreMerged) {
  // A counter 0, 10 | 10, 25 split in two pages that overlap at t0 + 60: increases 10 + 15.
  const std::string page1 = response({series("", {{0, "0"}, {60, "10"}})});
  const std::string page2 = response({series("", {{60, "10"}, {120, "25"}})});
  const auto a = write_temp("page1.json", page1);
  const auto b = write_temp("page2.json", page2);
  const auto both = write_temp("pages.json", page1 + page2);
  for (const std::vector<std::string>& paths : {std::vector<std::string>{a, b}, {b, a}, {both}}) {
    SCOPED_TRACE(paths.front());
    Collect sink;
    auto stats = read(paths, of_kind(SeriesKind::counter), sink);
    ASSERT_TRUE(stats) << describe(stats.error());
    ASSERT_EQ(sink.counts.size(), 2u);
    EXPECT_EQ(requests_of(sink), 25);
  }
  // Pages that disagree at one time: the second page starts on line 4 of the file.
  const auto clash =
      write_temp("clash.json", page1 + response({series("", {{60, "11"}, {120, "25"}})}));
  Collect sink;
  auto stats = read({clash}, of_kind(SeriesKind::counter), sink);
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().message, "found 11 at a time that has 10, expected one value a time");
  EXPECT_EQ(stats.error().where, clash + ":4: $.data.result[0].values[0][1]");
}

TEST(Prometheus, ACompactExportLongerThanALineLimitIsRead) {
  // 60,000 samples of 1 req/s, 15 s apart, on one line of about 1.4 MB: 900,000 requests.
  std::string values;
  for (int i = 0; i < 60000; ++i) {
    values +=
        (i == 0 ? "" : ",") + std::string{"["} + std::to_string(1700000000 + 15 * i) + ",\"1\"]";
  }
  auto path = write_temp("compact.json", "[{\"metric\":{},\"values\":[" + values + "]}]");
  TraceSummarizer summary;
  auto stats = read({path}, of_kind(SeriesKind::rate), summary);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(summary.finish()[0].requests, 900000u);
}

TEST(Prometheus, RateOfOneSampleNeedsTheStep) {
  auto path = write_temp("one.json", response({series("", {{0, "2"}})}));
  Collect sink;
  auto stats = read({path}, of_kind(SeriesKind::rate), sink);
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(stats.error().where, "--step-seconds");
  PrometheusOptions options = of_kind(SeriesKind::rate);
  options.step_s = 30;
  stats = read({path}, options, sink);
  ASSERT_TRUE(stats) << describe(stats.error());
  ASSERT_EQ(sink.counts.size(), 1u);
  EXPECT_EQ(sink.counts[0].requests, 60);  // 2 req/s x 30 s
}

TEST(Prometheus, BrokenExportsNamePathAndWhat) {
  struct Case {
    const char* name;
    std::string text;
    std::string message;
    std::string where;
  };
  const std::string head =
      "{\"status\": \"success\", \"data\": {\"resultType\": \"matrix\", \"result\": ";
  const Case cases[] = {
      {"empty.json", "", "empty input, expected a JSON document", ":1:1"},
      {"blank.json", "\n  \n", "empty input, expected a JSON document", ":3:1"},
      {"trunc.json", head + "[", "unexpected end of input, expected more JSON", ":1:67"},
      {"binary.json", std::string{"\x01\x02\xff\x00", 4}, "malformed JSON: unexpected byte 1",
       ":1:1"},
      {"vector.json",
       "{\"status\": \"success\", \"data\": {\"resultType\": \"vector\", \"result\": []}}",
       "found \"vector\", expected \"matrix\", the answer to a range query (/api/v1/query_range)",
       ": $.data.resultType"},
      {"nodata.json", "{\"status\": \"success\"}", "missing required field \"data\"", ": $.data"},
      {"noseries.json", head + "[]}}",
       "found no series, expected one or more (the query matched nothing)", ": $.data.result"},
      {"values.json", head + "[{\"metric\": {}, \"values\": 5}]}}",
       "expected an array, found a number", ": $.data.result[0].values"},
      {"novalues.json", head + "[{\"metric\": {}}]}}", "missing required field \"values\"",
       ": $.data.result[0].values"},
      {"pair.json", head + "[{\"metric\": {}, \"values\": [[1, \"1\", 2]]}]}}",
       "found 3 items, expected a [time, \"value\"] pair", ": $.data.result[0].values[0]"},
      {"time.json", head + "[{\"metric\": {}, \"values\": [[\"1\", \"1\"]]}]}}",
       "expected a number, found a string", ": $.data.result[0].values[0][0]"},
      {"before.json", head + "[{\"metric\": {}, \"values\": [[-5, \"1\"]]}]}}",
       "found -5, expected unix seconds between 1970 and 9999", ": $.data.result[0].values[0][0]"},
      {"word.json", head + "[{\"metric\": {}, \"values\": [[1, \"many\"]]}]}}",
       "found \"many\", expected a number as a string (\"12.5\", \"NaN\", \"+Inf\")",
       ": $.data.result[0].values[0][1]"},
      {"bool.json", head + "[{\"metric\": {}, \"values\": [[1, true]]}]}}",
       "expected a number, found a boolean", ": $.data.result[0].values[0][1]"},
      {"label.json", head + "[{\"metric\": {\"job\": 1}, \"values\": []}]}}",
       "expected a string, found a number", ": $.data.result[0].metric.job"},
      {"bare.json", "[{\"metric\": {}, \"values\": [[1, \"-1\"]]}]",
       "found -1, expected a counter, which is never negative", ": $[0].values[0][1]"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Collect sink;
    auto path = write_temp(c.name, c.text);
    auto stats = read({path}, of_kind(SeriesKind::counter), sink);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, ErrorCode::parse);
    EXPECT_EQ(stats.error().message, c.message);
    EXPECT_EQ(stats.error().where, path + c.where);
  }
}

}  // namespace
}  // namespace placer::ingest
