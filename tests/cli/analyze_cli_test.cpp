// `placer analyze` through the real binary, on the bundled real samples: outputs valid
// against the committed JSON Schema, golden answers, formats and errors.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "../json_schema.hpp"
#include "cli_support.hpp"

namespace {

using placer::testing::placer;
using placer::testing::slurp;

const std::string k_tests = PLACER_TESTS_DIR;
const std::string k_azure2019 = k_tests + "/data/azure-functions/azure2019_invitro10_invocations.csv " +
                                k_tests + "/data/azure-functions/azure2019_invitro10_durations.csv " +
                                k_tests + "/data/azure-functions/azure2019_invitro10_memory.csv";

std::vector<std::string> schema_errors(const std::string& text) {
  const auto schema = nlohmann::json::parse(slurp(k_tests + "/../docs/schema/analysis.schema.json"));
  std::vector<std::string> errors;
  placer::testing::check_schema(schema, nlohmann::json::parse(text), "$", errors);
  return errors;
}

TEST(CliAnalyze, JsonOfTheAzureSampleFollowsTheSchema) {
  auto run = placer("analyze " + k_azure2019 + " --quiet -o json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto errors = schema_errors(run.out);
  EXPECT_TRUE(errors.empty()) << errors.size() << " errors, the first: " << errors.front();
  const auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["workloads"].size(), 10u);  // the sample's ten functions
  EXPECT_EQ(doc["pricing_catalog"]["id"], "aws-us-east-1");
  for (const auto& w : doc["workloads"]) {
    EXPECT_FALSE(w["recommendation"]["reasons"].empty()) << w["name"];
  }
}

TEST(CliAnalyze, TheCheckerCatchesADocumentOffTheSchema) {
  auto run = placer("analyze " + k_azure2019 + " --workload 88951a --quiet -o json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  doc["workloads"][0]["recommendation"]["verdict"] = "maybe";
  doc["workloads"][0]["candidates"][0].erase("latency_ms");
  EXPECT_EQ(schema_errors(doc.dump()).size(), 2u);
}

// Golden answers (DuckDB style: the input and the expected document under
// tests/golden/<case>/). Regenerate with tests/golden/update.sh after a reviewed change.
TEST(CliAnalyze, GoldenAnswersOnTheRealSamples) {
  std::ifstream cases{k_tests + "/golden/cases.txt"};
  std::string line;
  int checked = 0;
  while (std::getline(cases, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const auto bar = line.find('|');
    const std::string name = line.substr(0, bar);
    std::string args = line.substr(bar + 1);
    for (std::size_t at; (at = args.find("$TESTS")) != std::string::npos;) {
      args.replace(at, 6, k_tests);
    }
    auto run = placer(args);
    ASSERT_EQ(run.exit_code, 0) << name << ": " << run.err;
    EXPECT_EQ(run.out, slurp(k_tests + "/golden/" + name + ".out")) << name;
    ++checked;
  }
  EXPECT_GE(checked, 3);
}

TEST(CliAnalyze, TableFitsOneHundredColumnsAndOtherFormats) {
  auto table = placer("analyze " + k_azure2019 + " --workload 88951a --quiet");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  std::istringstream lines{table.out};
  std::string row;
  std::getline(lines, row);  // the workload line names the hashes: long by nature
  while (std::getline(lines, row)) {
    if (!row.starts_with("  - ")) {
      EXPECT_LE(row.size(), 100u) << row;
    }
  }
  EXPECT_NE(table.out.find("verdict: "), std::string::npos);
  auto csv = placer("analyze " + k_azure2019 + " --workload 88951a --quiet -o csv");
  EXPECT_EQ(csv.out.rfind("workload,platform,candidate,monthly_cost_usd", 0), 0u);
  auto md = placer("analyze " + k_azure2019 + " --workload 88951a --quiet -o markdown");
  EXPECT_NE(md.out.find("| platform | best configuration |"), std::string::npos);
}

// Five real REPORT events whose timestamps span 6.7 years: a window of 211 million
// one-second bins, five of them busy. The analysis answers (it took a minute and 3 GB
// when the simulators walked every bin and sync), with the trace as it is.
TEST(CliAnalyze, FiveReportEventsOverSixYearsAnalyse) {
  auto run = placer("analyze " + k_tests + "/data/lambda_logs/platform-report.json-log-format.jsonl --quiet -o json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(schema_errors(run.out).empty());
  const auto doc = nlohmann::json::parse(run.out);
  ASSERT_EQ(doc["workloads"].size(), 1u);
  const auto& w = doc["workloads"][0];
  EXPECT_EQ(w["trace"]["requests"], 5.0);
  EXPECT_GT(w["trace"]["window_s"].get<double>(), 2e8);
  EXPECT_EQ(w["recommendation"]["verdict"], "clear");
  EXPECT_FALSE(w["candidates"].empty());
}

TEST(CliAnalyze, WorkloadConfigAndErrors) {
  const std::string config = ::testing::TempDir() + "placer_workload_config.json";
  std::ofstream{config} << R"({"runtime": "java21", "slo": {"p99_ms": 250}, "current": "kubernetes",
                            "set": {"lambda.keep_alive_s": 600}})";
  auto run = placer("analyze " + k_azure2019 + " --workload 88951a --quiet -o json --workload-config " + config);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["workloads"][0]["current"]["platform"], "kubernetes");

  std::ofstream{config} << R"({"runtime": "java21", "slo": {"p99": 250}})";
  auto typo = placer("analyze " + k_azure2019 + " --workload 88951a --quiet --workload-config " + config);
  EXPECT_EQ(typo.exit_code, 65);
  EXPECT_NE(typo.err.find("unknown key \"p99\""), std::string::npos) << typo.err;
  EXPECT_NE(typo.err.find("$.slo.p99"), std::string::npos) << typo.err;

  auto bad_set = placer("analyze " + k_azure2019 + " --quiet --set nope=1");
  EXPECT_EQ(bad_set.exit_code, 64);
  auto what_if = placer("analyze " + k_azure2019 + " --quiet --what-if 0,2");
  EXPECT_EQ(what_if.exit_code, 64);
}

}  // namespace
