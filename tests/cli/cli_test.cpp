// The real `placer` binary: exit codes, one-line errors, and the worked examples of the
// shared reference PRICING.md §2 through `placer cost ... --output json`.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli_support.hpp"

namespace {

using placer::testing::Outcome;
using placer::testing::placer;
using placer::testing::slurp;

std::map<std::string, double> line_items(const Outcome& run) {
  std::map<std::string, double> out;
  auto doc = nlohmann::json::parse(run.out);
  for (const auto& item : doc["line_items"]) {
    out[item["name"].get<std::string>()] = item["usd"].get<double>();
  }
  return out;
}

int count_lines(const std::string& text) {
  int lines = 0;
  for (char c : text) {
    lines += c == '\n';
  }
  return lines;
}

TEST(CliCost, LambdaExample1MobileBackend) {
  Outcome run = placer("cost lambda --memory-mib 1536 --requests 3000000 --duration-ms 120 --free-tier -o json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto usd = line_items(run);
  EXPECT_NEAR(usd["duration"], 2.33, 0.01);
  EXPECT_NEAR(usd["requests"], 0.40, 0.01);
  auto doc = nlohmann::json::parse(run.out);
  EXPECT_NEAR(doc["total_usd"].get<double>(), 2.73, 0.01);
  EXPECT_EQ(doc["catalog"]["id"], "aws-us-east-1");
}

TEST(CliCost, LambdaExample2Telemetry) {
  Outcome run = placer("cost lambda --memory-mib 1024 --requests 7440000 --duration-ms 2000 --output json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto usd = line_items(run);
  EXPECT_NEAR(usd["requests"], 1.49, 0.01);
  EXPECT_NEAR(usd["duration"], 248.00, 0.01);
}

TEST(CliCost, LambdaExample3EphemeralStorage) {
  Outcome run = placer(
      "cost lambda --memory-mib 4096 --requests 6000000 --duration-ms 280 "
      "--ephemeral-storage-mib 2048 --free-tier --output json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto usd = line_items(run);
  EXPECT_NEAR(usd["duration"], 105.33, 0.01);
  EXPECT_NEAR(usd["requests"], 1.00, 0.01);
  EXPECT_NEAR(usd["ephemeral_storage"], 0.08, 0.01);
}

TEST(CliCost, LambdaProvisionedConcurrencyExample1) {
  Outcome run = placer(
      "cost lambda --memory-mib 1536 --requests 2500000 --duration-ms 120 --pc-count 100 "
      "--pc-hours 8 --pc-requests 500000 --pc-duration-ms 100 --free-tier --output json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto usd = line_items(run);
  EXPECT_NEAR(usd["provisioned_concurrency"], 18.00, 0.01);
  EXPECT_NEAR(usd["requests"], 0.40, 0.01);
  EXPECT_NEAR(usd["provisioned_duration"], 0.73, 0.01);
  EXPECT_NEAR(usd["duration"], 0.83, 0.01);
}

TEST(CliCost, TableShowsCentsAndTheCatalog) {
  Outcome run = placer("cost lambda --memory-mib 1536 --requests 3000000 --duration-ms 120 --free-tier");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("catalog aws-us-east-1"), std::string::npos);
  EXPECT_NE(run.out.find("2.33\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("2.73\n"), std::string::npos) << run.out;
}

TEST(CliCost, KubernetesThreeNodesForAMonth) {
  Outcome run = placer("cost kubernetes --instance-type m6i.large --nodes 3 --hours 730 -o json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto usd = line_items(run);
  EXPECT_NEAR(usd["nodes"], 210.24, 0.01);        // 3 x $70.08 (PRICING.md §3)
  EXPECT_NEAR(usd["control_plane"], 73.00, 0.01);  // $0.10 x 730 h
  Outcome no_cp = placer("cost kubernetes --instance-type m6i.large --nodes 3 --no-control-plane -o json");
  ASSERT_EQ(no_cp.exit_code, 0) << no_cp.err;
  EXPECT_EQ(line_items(no_cp).count("control_plane"), 0u);
}

TEST(CliCost, KubernetesBinPacksPods) {
  // 10 pods of 500m on m5.large (1930m allocatable): 3 per node, 4 nodes.
  Outcome run = placer(
      "cost kubernetes --instance-type m5.large --pods 10 --pod-vcpu 0.5 --pod-memory-mib 1024 "
      "--no-control-plane -o json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  EXPECT_DOUBLE_EQ(doc["line_items"][0]["quantity"].get<double>(), 4 * 730.0);
}

TEST(CliCost, FargateRoundsOneVcpuEightGbUpToTwoVcpuNineGb) {
  Outcome run = placer("cost fargate --vcpu 1 --memory-mib 8192 --hours 1 -o json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto usd = line_items(run);
  EXPECT_NEAR(usd["vcpu"], 2 * 0.04048, 1e-9);
  EXPECT_NEAR(usd["memory"], 9 * 0.004445, 1e-9);
}

TEST(CliErrors, BadFlagsExit64WithOneLine) {
  for (const char* args : {"cost lambda --memory-mib abc", "cost lambda --requests 5",
                           "cost lambda --memory-mib 128 --bogus", "cost", "frobnicate",
                           "cost lambda --memory-mib 128 --arch sparc",
                           "cost lambda --memory-mib 128 --requests -5",
                           "cost lambda --memory-mib 64 --requests 1",
                           "cost kubernetes --instance-type m5.large",
                           "cost kubernetes --instance-type m5.large --node-schedule 3:x",
                           "cost kubernetes --instance-type m5.large --nodes 1e300 --hours 1e300"}) {
    SCOPED_TRACE(args);
    Outcome run = placer(args);
    EXPECT_EQ(run.exit_code, 64);
    EXPECT_EQ(count_lines(run.err), 1) << run.err;
    EXPECT_EQ(run.err.rfind("placer: error: ", 0), 0u) << run.err;
  }
}

TEST(CliErrors, UnknownInstanceTypeExits66) {
  Outcome run = placer("cost kubernetes --instance-type m99.huge --nodes 1");
  EXPECT_EQ(run.exit_code, 66);
  EXPECT_NE(run.err.find("unknown instance type \"m99.huge\""), std::string::npos) << run.err;
}

TEST(CliErrors, BrokenCatalogExits65NamingTheJsonPath) {
  std::string text = slurp(std::string{PLACER_SOURCE_DATA_DIR} + "/pricing/aws-us-east-1.json");
  auto doc = nlohmann::json::parse(text);
  doc["fargate"]["architectures"]["x86_64"]["vcpu"]["usd_per_vcpu_hour"] = -1;
  const std::string path =
      ::testing::TempDir() + "placer_broken_catalog_" + std::to_string(getpid()) + ".json";
  std::ofstream{path} << doc.dump(2);
  for (const std::string& args : {"pricing validate --catalog " + path,
                                 "cost fargate --vcpu 1 --catalog " + path}) {
    Outcome run = placer(args);
    EXPECT_EQ(run.exit_code, 65) << args;
    EXPECT_EQ(run.err, "placer: error: parse: must not be negative, found -1 (" + path +
                           ": $.fargate.architectures.x86_64.vcpu.usd_per_vcpu_hour)\n");
  }
  std::ofstream{path} << "{\"schema_version\": 1,";
  Outcome run = placer("pricing validate --catalog " + path);
  EXPECT_EQ(run.exit_code, 65);
  EXPECT_NE(run.err.find(path + ":1:22"), std::string::npos) << run.err;
}

TEST(CliErrors, MissingCatalogExits66) {
  Outcome run = placer("pricing validate --catalog /nonexistent/prices.json");
  EXPECT_EQ(run.exit_code, 66);
  EXPECT_EQ(run.err, "placer: error: not_found: price catalog not found (/nonexistent/prices.json)\n");
}

TEST(CliPricing, ValidateAndShowTheBundledCatalog) {
  Outcome run = placer("pricing validate");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("ok: catalog aws-us-east-1", 0), 0u);
  run = placer("pricing show");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("m6i.large"), std::string::npos);
  run = placer("pricing show --output json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["ec2"]["instance_types"][0]["allocatable_memory_mib"], 6903);
}

TEST(CliTrace, SummarizesTheBundledSampleFromAFileGzipAndStdin) {
  const std::string sample = std::string{PLACER_SOURCE_DATA_DIR} + "/traces/azure2021-sample.csv";
  Outcome run = placer("trace summarize " + sample + " --workload 734272c0/556ccf87 -o json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["files"][0]["rows"], 199);
  ASSERT_EQ(doc["workloads"].size(), 1u);
  EXPECT_EQ(doc["workloads"][0]["requests"], 32);
  EXPECT_EQ(doc["workloads"][0]["window"]["start"], "2021-01-31T00:00:15.338Z");

  const std::string gz = ::testing::TempDir() + "placer_sample_" + std::to_string(getpid()) + ".csv.gz";
  ASSERT_EQ(std::system(("gzip -c " + sample + " > " + gz).c_str()), 0);
  Outcome zipped = placer("trace summarize " + gz + " -o json");
  ASSERT_EQ(zipped.exit_code, 0) << zipped.err;
  Outcome piped = placer("trace summarize - -o json < " + sample);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  auto a = nlohmann::json::parse(zipped.out);
  auto b = nlohmann::json::parse(piped.out);
  EXPECT_EQ(a["workloads"], b["workloads"]);  // same content, same summary, byte for byte

  ASSERT_EQ(std::system(("head -c 300 " + gz + " > " + gz + ".cut").c_str()), 0);
  Outcome cut = placer("trace summarize " + gz + ".cut");
  EXPECT_EQ(cut.exit_code, 65);
  EXPECT_NE(cut.err.find("truncated gzip stream"), std::string::npos) << cut.err;
  std::remove(gz.c_str());
  std::remove((gz + ".cut").c_str());
}

TEST(CliTrace, ALargeRequestLogReadsTheSameOnOneThreadAndOnTwo) {
  // 5 MiB: twenty parts of 256 KiB, so --threads 2 reads it in parts (one pass below 512 KiB).
  const std::string path = ::testing::TempDir() + "placer_parts_" + std::to_string(getpid()) + ".csv";
  std::string text = "timestamp,duration_ms,memory_mib,workload,status\n";
  for (long i = 0; text.size() < (5u << 20); ++i) {
    text += std::to_string(1700000000 + i / 200) + "." + std::to_string(100 + i % 200 * 4) + "," +
            std::to_string(i * 7919 % 200000 / 100 + 1) + "." + std::to_string(10 + i % 90) + "," +
            std::to_string(128 + i % 8 * 128) + ",svc-" + std::to_string(i % 8) + ",200\n";
  }
  std::ofstream{path, std::ios::binary} << text;
  Outcome one = placer("trace summarize " + path + " --threads 1 -o json");
  Outcome two = placer("trace summarize " + path + " --threads 2 -o json");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(one.out, two.out);  // byte for byte
  // A bad row near the end: the same error at the same line. The file has
  // 1 + rows lines; the last row is line rows + 1 and the bad one is the line after it.
  const auto rows = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) - 1;
  std::ofstream{path, std::ios::binary | std::ios::app} << "1700009999,-5,128,svc-1,200\n";
  one = placer("trace summarize " + path + " --threads 1");
  two = placer("trace summarize " + path + " --threads 2");
  EXPECT_EQ(one.exit_code, 65);
  EXPECT_EQ(two.exit_code, 65);
  EXPECT_EQ(one.err, two.err);
  EXPECT_NE(two.err.find(path + ":" + std::to_string(rows + 2) + ")"), std::string::npos) << two.err;
  std::remove(path.c_str());
}

TEST(CliTrace, BadInputExitCodes) {
  Outcome missing = placer("trace summarize /nonexistent/trace.csv");
  EXPECT_EQ(missing.exit_code, 66);
  Outcome binary = placer("trace summarize " PLACER_BINARY);
  EXPECT_EQ(binary.exit_code, 65);
  EXPECT_EQ(count_lines(binary.err), 1);
  Outcome unknown = placer("trace summarize x.log --format nonsense");
  EXPECT_EQ(unknown.exit_code, 64);
  Outcome scrape = placer("trace summarize " PLACER_TESTS_DIR
                          "/data/prometheus_exposition/docs_text_format_example.prom");
  EXPECT_EQ(scrape.exit_code, 69);  // a /metrics scrape is not a trace
  EXPECT_EQ(count_lines(scrape.err), 1) << scrape.err;
  const std::string base = ::testing::TempDir() + "placer_cli_" + std::to_string(getpid());
  std::ofstream{base + "_empty.csv"};
  Outcome empty = placer("trace summarize " + base + "_empty.csv");
  EXPECT_EQ(empty.exit_code, 65);
  EXPECT_NE(empty.err.find("empty input"), std::string::npos) << empty.err;
  std::ofstream{base + "_prom.json"}
      << "{\"status\": \"success\", \"data\": {\"resultType\": \"matrix\", \"result\": []}}\n";
  Outcome prometheus = placer("trace summarize " + base + "_prom.json --series-kind rate");
  EXPECT_EQ(prometheus.exit_code, 65);
  EXPECT_EQ(prometheus.err,
            "placer: error: parse: found no series, expected one or more (the "
            "query matched nothing) (" +
                base + "_prom.json: $.data.result)\n");
  std::remove((base + "_empty.csv").c_str());
  std::remove((base + "_prom.json").c_str());
  Outcome no_workload = placer("trace summarize " + std::string{PLACER_SOURCE_DATA_DIR} +
                               "/traces/azure2021-sample.csv --workload nope");
  EXPECT_EQ(no_workload.exit_code, 66);
}

TEST(CliTrace, DetectsLambdaReportLogs) {
  // aws-logs-get-log-events.awsdocs.json: one REPORT event, Duration 26.73 ms (hand-read).
  Outcome run = placer("trace summarize " PLACER_TESTS_DIR
                       "/data/lambda_logs/aws-logs-get-log-events.awsdocs.json -o json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["files"][0]["format"], "lambda-report (detected)");
  EXPECT_EQ(doc["workloads"][0]["requests"], 1);
  EXPECT_DOUBLE_EQ(doc["workloads"][0]["duration_ms"]["max"].get<double>(), 26.73);
  // report_lines.awsdocs.txt: 13 bare REPORT lines (10 with Init Duration), no times.
  Outcome bare = placer("trace summarize " PLACER_TESTS_DIR
                        "/data/lambda_logs/report_lines.awsdocs.txt -o json");
  ASSERT_EQ(bare.exit_code, 0) << bare.err;
  auto bare_doc = nlohmann::json::parse(bare.out);
  EXPECT_EQ(bare_doc["workloads"][0]["requests"], 13);
  EXPECT_EQ(bare_doc["workloads"][0]["cold_starts"], 10);
  EXPECT_TRUE(bare_doc["workloads"][0]["window"].is_null());
  EXPECT_TRUE(bare_doc["workloads"][0]["mean_rate_rps"].is_null());
  Outcome invalid = placer("trace summarize " PLACER_TESTS_DIR
                           "/data/lambda_logs/platform-report.awsdocs-telemetry-schema.INVALID-trailing-comma.json");
  EXPECT_EQ(invalid.exit_code, 65);
  EXPECT_EQ(count_lines(invalid.err), 1) << invalid.err;
}

TEST(CliTrace, DetectsAlbAndNginxAccessLogs) {
  // alb_access_log.awsdocs_examples.log: 7 entries, 2 of them WebSocket (ws, wss).
  Outcome alb = placer("trace summarize " PLACER_TESTS_DIR
                       "/data/alb_access_logs/alb_access_log.awsdocs_examples.log -o json");
  ASSERT_EQ(alb.exit_code, 0) << alb.err;
  auto doc = nlohmann::json::parse(alb.out);
  EXPECT_EQ(doc["files"][0]["format"], "alb (detected)");
  EXPECT_EQ(doc["files"][0]["rows"], 5);
  EXPECT_EQ(doc["files"][0]["skipped_rows"], 2);
  // ingress-nginx-upstreaminfo.beats-test.log: 29 requests.
  Outcome nginx = placer("trace summarize " PLACER_TESTS_DIR
                         "/data/nginx_access_logs/ingress-nginx-upstreaminfo.beats-test.log -o json");
  ASSERT_EQ(nginx.exit_code, 0) << nginx.err;
  doc = nlohmann::json::parse(nginx.out);
  EXPECT_EQ(doc["files"][0]["format"], "nginx (detected)");
  EXPECT_EQ(doc["files"][0]["rows"], 29);
  // Plain combined logs carry no latency: a one-line error, exit 65.
  Outcome combined = placer("trace summarize " PLACER_TESTS_DIR
                            "/data/nginx_access_logs/nginx-combined.beats-test.log");
  EXPECT_EQ(combined.exit_code, 65);
  EXPECT_EQ(count_lines(combined.err), 1) << combined.err;
}

TEST(CliTrace, ReadsAnAzure2019FileSetTogether) {
  const std::string dir = PLACER_TESTS_DIR "/data/azure-functions/azure2019_invitro10_";
  // Given in any order: the memory file first.
  Outcome run = placer("trace summarize " + dir + "memory.csv " + dir + "invocations.csv " + dir +
                       "durations.csv -o json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["files"][0]["format"], "azure2019 (detected)");
  EXPECT_EQ(doc["files"][0]["rows"], 30);
  EXPECT_EQ(doc["workloads"].size(), 10u);
  Outcome twice = placer("trace summarize " + dir + "invocations.csv " + dir + "invocations.csv");
  EXPECT_EQ(twice.exit_code, 64);
  EXPECT_EQ(count_lines(twice.err), 1) << twice.err;
}

TEST(CliTrace, CloudWatchExportsOfTwoMetricsFeedOneWorkload) {
  const std::string dir = PLACER_TESTS_DIR "/data/cloudwatch/moto_export/get-metric-statistics.";
  Outcome run = placer("trace summarize " + dir + "lambda_invocations_sum.period300.epoch.json " +
                       dir + "lambda_duration.period60.epoch.json -o json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["files"][0]["format"], "cloudwatch (detected)");
  ASSERT_EQ(doc["workloads"].size(), 1u);
  EXPECT_EQ(doc["workloads"][0]["requests"], 3444);  // the six Sums
  EXPECT_DOUBLE_EQ(doc["workloads"][0]["duration_ms"]["max"].get<double>(), 950.0);
}

TEST(CliTrace, CloudWatchMetricDataWithAndWithoutItsQueries) {
  // 6 Ids: Lambda Invocations (3444 over 29 minutes) and Duration, ALB RequestCount (9972)
  // and TargetResponseTime, and ConcurrentExecutions (29 datapoints, not a trace input).
  const std::string dir = PLACER_TESTS_DIR "/data/cloudwatch/moto_export/";
  Outcome run = placer("trace summarize " + dir +
                       "get-metric-data.lambda_alb.cli-v1-default-epoch.json -o json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["files"][0]["format"], "cloudwatch (detected)");
  EXPECT_EQ(doc["files"][0]["rows"], 70);
  EXPECT_EQ(doc["files"][0]["skipped_rows"], 29);
  ASSERT_EQ(doc["workloads"].size(), 2u);
  EXPECT_EQ(doc["workloads"][0]["workload"], "AWS/ApplicationELB");
  EXPECT_EQ(doc["workloads"][0]["requests"], 9972);
  EXPECT_EQ(doc["workloads"][1]["workload"], "AWS/Lambda");
  EXPECT_EQ(doc["workloads"][1]["requests"], 3444);
  EXPECT_EQ(count_lines(run.err), 1) << run.err;  // the warning about the skipped datapoints
  Outcome named = placer("trace summarize " + dir +
                         "get-metric-data.lambda_alb.cli_timestamp_format-iso8601.json "
                         "--metric-query " +
                         dir + "inputs/get-metric-data.queries.json -o json");
  ASSERT_EQ(named.exit_code, 0) << named.err;
  doc = nlohmann::json::parse(named.out);
  EXPECT_EQ(doc["workloads"][0]["workload"], "app/orders-alb/50dc6c495c0c9188");
  EXPECT_EQ(doc["workloads"][1]["workload"], "orders-api");
  Outcome math = placer("trace summarize " PLACER_TESTS_DIR
                        "/data/cloudwatch/awscli_docs/get-metric-data.example1_metric_math.json");
  EXPECT_EQ(math.exit_code, 65);
  EXPECT_EQ(count_lines(math.err), 1) << math.err;
}

TEST(CliTrace, PrometheusSeriesAreWhatTheFlagsSay) {
  const std::string docs =
      PLACER_TESTS_DIR "/data/prometheus_query_range/prometheus_docs_query_range_up.json";
  // `up` read as counters, one workload per job: node 0, 0, 1 (1 request), prometheus 1, 1, 1.
  Outcome run =
      placer("trace summarize " + docs + " --series-kind counter --workload-label job -o json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["files"][0]["format"], "prometheus (detected)");
  EXPECT_EQ(doc["files"][0]["rows"], 4);
  ASSERT_EQ(doc["workloads"].size(), 2u);
  EXPECT_EQ(doc["workloads"][0]["workload"], "node");
  EXPECT_EQ(doc["workloads"][0]["requests"], 1);
  EXPECT_EQ(doc["workloads"][1]["requests"], 0);
  // One series picked as a rate (0, 0, 1 req/s, 15 s step: 15), the flag before the file.
  run = placer("trace summarize --series kind=rate,match=job=node " + docs + " -o json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  doc = nlohmann::json::parse(run.out);
  ASSERT_EQ(doc["workloads"].size(), 1u);
  EXPECT_EQ(doc["workloads"][0]["requests"], 15);
  // Two series and nothing that tells them apart: a usage error listing both.
  run = placer("trace summarize " + docs + " --series-kind counter");
  EXPECT_EQ(run.exit_code, 64);
  EXPECT_EQ(run.err,
            "placer: error: invalid_argument: 2 series and nothing tells them apart: [0] "
            "{__name__=\"up\", instance=\"localhost:9090\", job=\"prometheus\"}, [1] "
            "{__name__=\"up\", instance=\"localhost:9091\", job=\"node\"}; expected --series to "
            "say which is which (e.g. 'kind=counter,index=0') or --workload-label to name "
            "workloads by a label (--series)\n");
  for (const std::string& args :
       {docs, docs + " --series-kind gauge", docs + " --series kind=gauge,index=0",
        docs + " --series-kind counter --workload-label job --quantile 2",
        docs + " --series-kind rate --workload-label job --metric-query " PLACER_TESTS_DIR
               "/data/cloudwatch/moto_export/inputs/get-metric-data.queries.json",
        std::string{PLACER_SOURCE_DATA_DIR} + "/traces/azure2021-sample.csv --series-kind rate"}) {
    SCOPED_TRACE(args);
    Outcome bad = placer("trace summarize " + args);
    EXPECT_EQ(bad.exit_code, 64);
    EXPECT_EQ(count_lines(bad.err), 1) << bad.err;
  }
  Outcome histograms = placer("trace summarize " PLACER_TESTS_DIR
                              "/data/prometheus_query_range/"
                              "prometheus_openapi_example_histogramResult.json --series-kind "
                              "latency-seconds --quantile 0.99");
  EXPECT_EQ(histograms.exit_code, 69);
  EXPECT_EQ(count_lines(histograms.err), 1) << histograms.err;
  const std::string answer = PLACER_TESTS_DIR
      "/data/prometheus_query_range/prometheus_openapi_example_error_tsdbNotReady.json";
  Outcome error = placer("trace summarize " + answer + " --series-kind rate");
  EXPECT_EQ(error.exit_code, 65);
  EXPECT_EQ(error.err,
            "placer: error: parse: found status \"error\" (internal: TSDB not ready), "
            "expected \"success\" (" +
                answer + ": $.status)\n");
}

TEST(CliTrace, BrokenPrometheusExportsExit65WithTheJsonPath) {
  const std::string base = ::testing::TempDir() + "placer_prom_" + std::to_string(getpid());
  std::string values;
  for (int i = 0; i < 18; ++i) {
    values += (i == 0 ? "" : ", ") + std::string{"["} + std::to_string(1700000000 + 15 * i) +
              ", \"" + (i == 17 ? std::string{"-3"} : std::to_string(i)) + "\"]";
  }
  std::string result;
  for (const char* job : {"a", "b", "c"}) {
    result += std::string{result.empty() ? "" : ", "} + "{\"metric\": {\"job\": \"" + job +
              "\"}, \"values\": [" + values + "]}";
  }
  std::ofstream{base + "_negative.json"}
      << "{\"status\": \"success\", \"data\": {\"resultType\": \"matrix\", \"result\": [" + result +
             "]}}";
  Outcome negative = placer("trace summarize " + base +
                            "_negative.json --series-kind counter "
                            "--workload-label job");
  EXPECT_EQ(negative.exit_code, 65);
  EXPECT_EQ(negative.err,
            "placer: error: parse: found -3, expected a counter, which is never "
            "negative (" +
                base + "_negative.json: $.data.result[0].values[17][1])\n");
  Outcome skipped = placer("trace summarize " + base +
                           "_negative.json --series-kind counter "
                           "--workload-label job --on-bad-row skip -o json");
  ASSERT_EQ(skipped.exit_code, 0) << skipped.err;
  EXPECT_EQ(nlohmann::json::parse(skipped.out)["files"][0]["skipped_rows"], 3);
  std::ofstream{base + "_cut.json"} << "{\"status\": \"success\", \"data\": {\"resultType\"";
  std::ofstream{base + "_empty.json"};
  std::ofstream{base + "_binary.json"} << std::string{
      "\x7f"
      "ELF\x02\x01\x01\0\0\0",
      10};
  std::ofstream{base + "_types.json"} << "[{\"metric\": {}, \"values\": [[1, true]]}]";
  const std::pair<std::string, std::string> broken[] = {
      {"_cut.json", "unexpected end of input, expected more JSON (" + base + "_cut.json:1:44)"},
      {"_empty.json", "empty input, expected a JSON document (" + base + "_empty.json:1:1)"},
      {"_binary.json", "malformed JSON: unexpected byte 127 (" + base + "_binary.json:1:1)"},
      {"_types.json",
       "expected a number, found a boolean (" + base + "_types.json: $[0].values[0][1])"},
  };
  for (const auto& [suffix, message] : broken) {
    SCOPED_TRACE(suffix);
    Outcome run =
        placer("trace summarize " + base + suffix + " --format prometheus --series-kind rate");
    EXPECT_EQ(run.exit_code, 65);
    EXPECT_EQ(run.err, "placer: error: parse: " + message + "\n");
    std::remove((base + suffix).c_str());
  }
  std::remove((base + "_negative.json").c_str());
}

TEST(CliHelp, HelpListsExamplesAndExitsZero) {
  Outcome run = placer("cost lambda --help");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("Examples:"), std::string::npos);
}

}  // namespace
