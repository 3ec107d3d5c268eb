// `placer report` through the real binary: a manifest of the bundled real samples gives the
// four files, the gate's exit codes, shards that merge into the single run byte for byte,
// broken inputs as error rows, the baseline diff, and manifest errors that name the line.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>
#include <string>

#include "../json_schema.hpp"
#include "cli_support.hpp"

namespace {

namespace fs = std::filesystem;
using placer::testing::placer;
using placer::testing::slurp;

const std::string k_tests = PLACER_TESTS_DIR;
const std::string k_data = PLACER_SOURCE_DATA_DIR;

// The bundled 100-function Azure sample (CC-BY, data/samples/azure2019-invitro100/README.md).
const std::string k_sample = k_data + "/samples/azure2019-invitro100/azure2019_invitro100_";
// Two of its functions: one invoked once a second, one busy (about 9.5 req/s).
const std::string k_hourly =
    "95dc325a4a22f2d6368e04c54265752aad1ef0207cd08ed2ffa698403f3c30b3/480a212a57230d14ce1da5674614fecec178867baaf5215680b8206deaa92de3/08d3e511f0e7a798645a540dc6757c2d69cf3547226f23b451b3cc2b4f0657e2";
const std::string k_busy = "cab4536b6f941cb760aaac841b7519440eb4b9043ea356dedf01813b6929343f/ff2af7e8";

// A fresh folder for one test.
std::string temp_dir(const std::string& name) {
  const fs::path dir = fs::path{::testing::TempDir()} / ("placer_report_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

void write(const std::string& path, const std::string& text) {
  std::ofstream out{path, std::ios::binary};
  out << text;
}

// A manifest over the real samples, and a sparse synthetic job (its path relative to the
// manifest's folder); `current` is where the every-second function "runs".
void write_manifest(const std::string& dir, const std::string& current, const std::string& extra = "") {
  const auto synth = placer("synth --pattern sparse --mean-rps 0.02 --hours 6 --duration-ms 900 --seed 7 -q -o " +
                            dir + "/sparse.csv");
  ASSERT_EQ(synth.exit_code, 0) << synth.err;
  write(dir + "/placer.yaml",
        "version: 1\n"
        "defaults:\n"
        "  region: us-east-1\n"
        "  slo: {p99_ms: 2000}\n"
        "  margin_pct: 10\n"
        "  inputs:\n"
        "    - {path: " + k_sample + "invocations_min480-959.csv, format: azure2019}\n"
        "    - {path: " + k_sample + "durations.csv, format: azure2019}\n"
        "    - {path: " + k_sample + "memory.csv, format: azure2019}\n"
        "workloads:\n"
        "  - name: every-second\n"
        "    select: " + k_hourly + "\n"
        "    current: " + current + "\n"
        "  - name: busy\n"
        "    select: " + k_busy + "\n"
        "    current: lambda\n"
        "  - name: sparse-job\n"
        "    inputs: [{path: sparse.csv, format: requests}]\n"
        "    runtime: nodejs22.x\n"
        "    memory_mib: 1024\n"
        "    slo: {p99_ms: 10000}\n"
        "    current: lambda\n" +
        extra);
}

nlohmann::json report_json(const std::string& dir) { return nlohmann::json::parse(slurp(dir + "/report.json")); }

TEST(CliReport, AManifestOfTheRealSamplesWritesTheFourFiles) {
  const std::string dir = temp_dir("four");
  write_manifest(dir, "lambda");
  auto run = placer("report --manifest " + dir + "/placer.yaml --out-dir " + dir + "/out --quiet");
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  for (const char* name : {"report.json", "report.md", "report.csv", "report.html"}) {
    EXPECT_TRUE(fs::file_size(dir + "/out/" + name) > 0) << name;
  }
  const auto doc = report_json(dir + "/out");
  ASSERT_EQ(doc["workloads"].size(), 3u);
  EXPECT_EQ(doc["summary"]["workloads"], 3);
  EXPECT_EQ(doc["summary"]["errors"], 0);
  EXPECT_EQ(doc["workloads"][0]["name"], "every-second");
  // The every-second function's row of the invocations file: 60 calls in each of its 480
  // minutes (counted from the CSV here, not by placer's parser).
  {
    std::ifstream csv{k_sample + "invocations_min480-959.csv"};
    std::string line;
    double total = -1;
    while (std::getline(csv, line)) {
      if (line.rfind("95dc325a4a22", 0) == 0) {
        std::stringstream cells{line};
        std::string cell;
        total = 0;
        for (int column = 0; std::getline(cells, cell, ','); ++column) {
          if (column >= 4) total += std::stod(cell);
        }
      }
    }
    EXPECT_EQ(total, 480 * 60);
    EXPECT_EQ(doc["workloads"][0]["trace"]["requests"].get<double>(), total);
  }
  // Every analysis object follows the committed schema of `placer analyze --output json`.
  nlohmann::json as_analyze = {{"schema_version", 1},
                               {"placer_version", doc["placer_version"]},
                               {"pricing_catalog", doc["pricing_catalog"]},
                               {"model_version", doc["model_version"]},
                               {"models", doc["models"]},
                               {"workloads", nlohmann::json::array()}};
  for (const auto& w : doc["workloads"]) {
    as_analyze["workloads"].push_back(w["analysis"]);
  }
  const auto schema = nlohmann::json::parse(slurp(k_tests + "/../docs/schema/analysis.schema.json"));
  std::vector<std::string> errors;
  placer::testing::check_schema(schema, as_analyze, "$", errors);
  EXPECT_TRUE(errors.empty()) << errors.front();
  // The markdown comment: the marker first, one row per workload.
  const std::string md = slurp(dir + "/out/report.md");
  EXPECT_EQ(md.rfind("<!-- placer-report -->\n", 0), 0u);
  for (const char* name : {"every-second", "busy", "sparse-job"}) {
    EXPECT_NE(md.find("| " + std::string{name} + " |"), std::string::npos) << name;
  }
  // The CSV: a header and one line per workload.
  const std::string csv = slurp(dir + "/out/report.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);
  // The HTML page is whole and self-contained.
  const std::string html = slurp(dir + "/out/report.html");
  EXPECT_NE(html.find("</html>"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
}

TEST(CliReport, AWorkloadsAnalysisIsTheOneOfPlacerAnalyze) {
  const std::string dir = temp_dir("same");
  write_manifest(dir, "lambda");
  ASSERT_EQ(placer("report -m " + dir + "/placer.yaml -d " + dir + "/out -q").exit_code, 0);
  auto analyze = placer("analyze " + k_sample + "invocations_min480-959.csv " + k_sample + "durations.csv " +
                        k_sample + "memory.csv --workload " + k_busy +
                        " --slo-p99-ms 2000 --current lambda --what-if 0.1,0.25,0.5,2,4,10 -q -o json");
  ASSERT_EQ(analyze.exit_code, 0) << analyze.err;
  auto expected = nlohmann::json::parse(analyze.out)["workloads"][0];
  auto got = report_json(dir + "/out")["workloads"][1]["analysis"];
  got["name"] = expected["name"];  // the report names the row after the manifest
  EXPECT_EQ(got, expected);
}

TEST(CliReport, TheGateFailsOnAMisplacedWorkloadAndPassesWhenAllArePlacedRight) {
  const std::string dir = temp_dir("gate");
  // The every-second function on Kubernetes: its dedicated cluster costs far more than
  // Lambda's $0.53 a month.
  write_manifest(dir, "kubernetes");
  fs::rename(dir + "/placer.yaml", dir + "/wrong.yaml");
  auto wrong = placer("report -m " + dir + "/wrong.yaml -d " + dir + "/wrong --fail-on 'misplaced>20%' -q");
  EXPECT_EQ(wrong.exit_code, 1) << wrong.err << wrong.out;
  EXPECT_NE(wrong.out.find("every-second: misplaced>20%: kubernetes costs $"), std::string::npos) << wrong.out;
  const auto doc = report_json(dir + "/wrong");
  EXPECT_TRUE(doc["summary"]["gate_failed"].get<bool>());
  EXPECT_EQ(doc["summary"]["misplaced"], 1);
  EXPECT_EQ(doc["workloads"][0]["findings"][0]["rule"], "misplaced>20%");
  EXPECT_GT(doc["workloads"][0]["misplaced_pct"].get<double>(), 20);
  EXPECT_NE(slurp(dir + "/wrong/report.md").find("**gate failed**"), std::string::npos);
  // Without a rule the same report passes: the gate is the rules, not the findings.
  EXPECT_EQ(placer("report -m " + dir + "/wrong.yaml -d " + dir + "/norule -q").exit_code, 0);

  write_manifest(dir, "lambda");
  fs::rename(dir + "/placer.yaml", dir + "/right.yaml");
  auto right = placer("report -m " + dir + "/right.yaml -d " + dir + "/right --fail-on 'misplaced>20%,slo-breach' -q");
  EXPECT_EQ(right.exit_code, 0) << right.err << right.out;
  EXPECT_FALSE(report_json(dir + "/right")["summary"]["gate_failed"].get<bool>());
}

TEST(CliReport, ThreeShardsMergeIntoTheSingleRunByteForByte) {
  const std::string dir = temp_dir("shards");
  write_manifest(dir, "kubernetes", "  - name: missing\n    inputs: [{path: nowhere.csv}]\n");
  const std::string common = "report -m " + dir + "/placer.yaml --fail-on 'misplaced>20%' -q ";
  auto single = placer(common + "-d " + dir + "/single --jobs 2");
  EXPECT_EQ(single.exit_code, 66) << single.err;  // the missing input
  std::string shard_dirs;
  for (int i = 0; i < 3; ++i) {
    const std::string out = dir + "/shard-" + std::to_string(i);
    placer(common + "-d " + out + " --shard " + std::to_string(i) + "/3 --jobs 1");
    shard_dirs += " " + out;
  }
  auto merge = placer("report merge --out-dir " + dir + "/merged" + shard_dirs);
  EXPECT_EQ(merge.exit_code, 66) << merge.err;
  for (const char* name : {"report.json", "report.md", "report.csv", "report.html"}) {
    const std::string a = slurp(dir + "/single/" + name);
    EXPECT_FALSE(a.empty()) << name;
    EXPECT_TRUE(a == slurp(dir + "/merged/" + name)) << name << " differs";
  }
  // A shard missing, or given twice, is refused.
  auto partial = placer("report merge -d " + dir + "/partial " + dir + "/shard-0 " + dir + "/shard-1");
  EXPECT_EQ(partial.exit_code, 64) << partial.err;
  EXPECT_NE(partial.err.find("shard 2/3 is missing"), std::string::npos) << partial.err;
  auto twice = placer("report merge -d " + dir + "/twice " + dir + "/shard-0 " + dir + "/shard-0");
  EXPECT_NE(twice.err.find("shard 0 given twice"), std::string::npos) << twice.err;
}

TEST(CliReport, TheSameManifestGivesTheSameBytesWhateverTheJobs) {
  const std::string dir = temp_dir("jobs");
  write_manifest(dir, "lambda");
  ASSERT_EQ(placer("report -m " + dir + "/placer.yaml -d " + dir + "/one -j 1 -q").exit_code, 0);
  ASSERT_EQ(placer("report -m " + dir + "/placer.yaml -d " + dir + "/two -j 2 -q").exit_code, 0);
  for (const char* name : {"report.json", "report.md", "report.csv", "report.html"}) {
    EXPECT_TRUE(slurp(dir + "/one/" + name) == slurp(dir + "/two/" + name)) << name;
  }
}

TEST(CliReport, ABrokenInputIsAnErrorRowAndTheOthersStillRun) {
  const std::string dir = temp_dir("broken");
  write(dir + "/garbage.csv", "timestamp,duration_ms\n1700000000,12\n1700000001,not-a-number\n");
  write_manifest(dir, "lambda", "  - name: broken\n    inputs: [{path: garbage.csv, format: requests}]\n");
  auto run = placer("report -m " + dir + "/placer.yaml -d " + dir + "/out -q");
  EXPECT_EQ(run.exit_code, 65) << run.err << run.out;  // bad data in an input
  const auto doc = report_json(dir + "/out");
  ASSERT_EQ(doc["workloads"].size(), 4u);
  const auto& broken = doc["workloads"][3];
  EXPECT_EQ(broken["status"], "error");
  EXPECT_EQ(broken["error"]["code"], "parse");
  // The error names the file (resolved against the manifest's folder) and the line.
  EXPECT_NE(broken["error"]["message"].get<std::string>().find("garbage.csv:3"), std::string::npos)
      << broken["error"]["message"];
  EXPECT_TRUE(broken["analysis"].is_null());
  EXPECT_EQ(doc["workloads"][0]["status"], "ok");
  EXPECT_EQ(doc["summary"]["errors"], 1);
  EXPECT_NE(run.out.find("broken: error: parse:"), std::string::npos) << run.out;
}

TEST(CliReport, TheBaselineDiffFindsAFlippedVerdict) {
  const std::string dir = temp_dir("baseline");
  write_manifest(dir, "lambda");
  ASSERT_EQ(placer("report -m " + dir + "/placer.yaml -d " + dir + "/before -q").exit_code, 0);
  // Last week's report recommended Kubernetes for the busy function and knew a workload
  // since removed.
  auto old = report_json(dir + "/before");
  old["workloads"][1]["recommended"] = "kubernetes";
  old["workloads"][2]["name"] = "retired";
  write(dir + "/old.json", old.dump(2));
  auto run = placer("report -m " + dir + "/placer.yaml -d " + dir + "/after --baseline " + dir +
                    "/old.json --fail-on verdict-flip -q");
  EXPECT_EQ(run.exit_code, 1) << run.err << run.out;
  const auto doc = report_json(dir + "/after");
  EXPECT_EQ(doc["baseline"], "old.json");
  EXPECT_EQ(doc["workloads"][1]["change"]["text"], "flipped kubernetes -> lambda");
  EXPECT_EQ(doc["workloads"][1]["findings"][0]["rule"], "verdict-flip");
  EXPECT_EQ(doc["workloads"][0]["change"]["text"], "unchanged");
  EXPECT_EQ(doc["workloads"][2]["change"]["text"], "new");
  EXPECT_EQ(doc["summary"]["removed"], nlohmann::json::array({"retired"}));
  EXPECT_EQ(doc["summary"]["verdict_flips"], 1);
  EXPECT_NE(slurp(dir + "/after/report.md").find("flipped kubernetes -&gt; lambda"), std::string::npos);
}

TEST(CliReport, ManifestErrorsNameTheFileLineAndPath) {
  const std::string dir = temp_dir("manifest");
  write(dir + "/typo.yaml", "version: 1\nworkloads:\n  - name: a\n    inputs: [{path: x.csv}]\n    memry_mib: 512\n");
  auto typo = placer("report -m " + dir + "/typo.yaml -d " + dir + "/out");
  EXPECT_EQ(typo.exit_code, 65);
  EXPECT_NE(typo.err.find("unknown key \"memry_mib\""), std::string::npos) << typo.err;
  EXPECT_NE(typo.err.find("typo.yaml:5: $.workloads[0].memry_mib"), std::string::npos) << typo.err;

  write(dir + "/syntax.yaml", "version: 1\nworkloads:\n  - name: [unclosed\n");
  auto syntax = placer("report -m " + dir + "/syntax.yaml -d " + dir + "/out");
  EXPECT_EQ(syntax.exit_code, 65) << syntax.err;
  EXPECT_NE(syntax.err.find("syntax.yaml:"), std::string::npos) << syntax.err;

  write(dir + "/type.json", R"({"version": 1, "workloads": [{"name": "a", "inputs": [{"path": "x"}], "slo": {"p99_ms": "fast"}}]})");
  auto type = placer("report -m " + dir + "/type.json -d " + dir + "/out");
  EXPECT_EQ(type.exit_code, 65);
  EXPECT_NE(type.err.find("$.workloads[0].slo.p99_ms"), std::string::npos) << type.err;

  write(dir + "/v2.yaml", "version: 2\nworkloads: []\n");
  EXPECT_EQ(placer("report -m " + dir + "/v2.yaml -d " + dir + "/out").exit_code, 69);
  write(dir + "/region.yaml", "version: 1\ndefaults: {region: eu-west-1}\nworkloads:\n  - {name: a, inputs: [{path: x}]}\n");
  auto region = placer("report -m " + dir + "/region.yaml -d " + dir + "/out");
  EXPECT_EQ(region.exit_code, 69);
  EXPECT_NE(region.err.find("eu-west-1"), std::string::npos) << region.err;
  EXPECT_EQ(placer("report -m " + dir + "/none.yaml -d " + dir + "/out").exit_code, 66);
  write_manifest(dir, "lambda");
  auto rule = placer("report -m " + dir + "/placer.yaml -d " + dir + "/out --fail-on 'misplaced>lots'");
  EXPECT_EQ(rule.exit_code, 64);
  EXPECT_NE(rule.err.find("unknown gate rule \"misplaced>lots\""), std::string::npos) << rule.err;
  EXPECT_EQ(placer("report -m " + dir + "/placer.yaml -d " + dir + "/out --shard 3/3").exit_code, 64);
  EXPECT_EQ(placer("report -d " + dir + "/out").exit_code, 64);  // no manifest
}

}  // namespace
