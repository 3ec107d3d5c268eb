// The report's gate, baseline diff, report.json round trip, markdown comment and CSV, on
// rows built by hand so each expected value is worked out in the test.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

#include "placer/report/gate.hpp"
#include "placer/report/manifest.hpp"
#include "placer/report/render.hpp"

namespace placer::report {
namespace {

Row row(std::size_t index, std::string name, std::optional<std::string> current, std::string recommended,
        double current_usd, double recommended_usd) {
  Row r;
  r.index = index;
  r.name = std::move(name);
  r.current = std::move(current);
  r.recommended = recommended;
  r.verdict = "clear";
  r.recommended_cost_usd = recommended_usd;
  r.current_cost_usd = current_usd;
  r.slo_p99_ms = 500;
  r.slo_stated = true;
  if (r.current && *r.current != recommended) {
    r.misplaced_pct = 100 * (current_usd - recommended_usd) / recommended_usd;
  }
  r.platforms.push_back({"lambda", "arm64 1024 MiB", recommended == "lambda" ? recommended_usd : current_usd,
                         40, 90, 120, 300, 50, 0.01, true});
  r.platforms.push_back({"kubernetes", "m6i.large, 4 pods/node",
                         recommended == "kubernetes" ? recommended_usd : current_usd, 30, 60, 80, 100, 35, 0, true});
  r.current_slo_met = true;
  r.current_p99_ms = 100;
  r.cost_curve = {{0.5, 10, 70}, {1, 20, 70}, {2, 40, 70}};
  r.traffic = {1700000000, 60, {1, 2, 3}};
  r.reasons = {"a reason, with a comma"};
  return r;
}

Report sample() {
  Report r;
  r.placer_version = "0.1.0";
  r.catalog_id = "aws-us-east-1";
  r.catalog_date = "2026-11-24";
  r.model_version = "cost-1";
  r.models = {"lambda-1"};
  r.manifest_name = "placer.yaml";
  r.manifest_digest = fnv1a64_hex("x");
  r.manifest_workloads = 3;
  // 121 is 21% over 100; 120 is exactly 20% over 100 (not more).
  r.rows = {row(0, "over", "kubernetes", "lambda", 121, 100), row(1, "at", "kubernetes", "lambda", 120, 100),
            row(2, "right", "lambda", "lambda", 20, 20)};
  r.analyses = {"{\"name\":\"over\",\"x\":1.5}", "{\"name\":\"at\"}", ""};
  return r;
}

TEST(ReportGate, MisplacedFiresOnlyAboveItsThreshold) {
  Report r = sample();
  auto rules = parse_rules("misplaced>20%, slo-breach");
  ASSERT_TRUE(rules) << rules.error().message;
  apply_gate(r, *rules);
  summarize(r);
  ASSERT_EQ(r.rows[0].findings.size(), 1u);
  EXPECT_EQ(r.rows[0].findings[0].rule, "misplaced>20%");
  EXPECT_EQ(r.rows[0].findings[0].text, "kubernetes costs $121.00/month, 21% over lambda's $100.00");
  EXPECT_TRUE(r.rows[1].findings.empty());  // 20% is not more than 20%
  EXPECT_TRUE(r.rows[2].findings.empty());
  EXPECT_EQ(r.summary.misplaced, 2u);
  EXPECT_EQ(r.summary.findings, 1u);
  EXPECT_TRUE(r.summary.gate_failed);
  // 121 + 120 + 20 now; 100 + 100 + 20 as recommended.
  EXPECT_DOUBLE_EQ(r.summary.current_monthly_cost_usd, 261);
  EXPECT_DOUBLE_EQ(r.summary.recommended_monthly_cost_usd, 220);
}

TEST(ReportGate, ACostUnderACentIsNotShownAsZero) {
  Report r = sample();
  // $103.37 against $0.0000007: 103.37 / 0.0000007 = 147,671,428.6 times, past 1000% a ratio.
  r.rows[0] = row(0, "tiny", "kubernetes", "lambda", 103.37, 0.0000007);
  apply_gate(r, *parse_rules("misplaced>20%"));
  ASSERT_EQ(r.rows[0].findings.size(), 1u);
  EXPECT_EQ(r.rows[0].findings[0].text, "kubernetes costs $103.37/month, 147,671,429 times lambda's <$0.01");
  EXPECT_NE(report_markdown(r).find("| $103.37 | <$0.01 |"), std::string::npos);
}

TEST(ReportGate, SloBreachFiresForTheCurrentPlatformOnly) {
  Report r = sample();
  r.rows[2].current_slo_met = false;
  r.rows[2].current_p99_ms = 812.5;
  apply_gate(r, *parse_rules("slo-breach"));
  ASSERT_EQ(r.rows[2].findings.size(), 1u);
  EXPECT_EQ(r.rows[2].findings[0].text, "lambda p99 812.5 ms misses the SLO of 500 ms");
  EXPECT_TRUE(r.rows[0].findings.empty());
}

TEST(ReportGate, RulesAreParsedStrictly) {
  EXPECT_EQ(parse_rules("misplaced>12.5")->front().threshold_pct, 12.5);
  EXPECT_EQ(parse_rules("")->size(), 0u);
  EXPECT_EQ(parse_rules("slo-breach,slo-breach")->size(), 1u);
  for (const char* bad : {"misplaced", "misplaced>-1%", "misplaced>x%", "misplaced>20%%", "flip", "error"}) {
    auto r = parse_rules(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(r.error().where, "--fail-on");
  }
}

TEST(ReportBaseline, FlipsCostMovesNewAndRemoved) {
  Report before = sample();
  before.rows[1].recommended = "kubernetes";
  before.rows[2].recommended_cost_usd = 10;  // now 20: +100%
  before.rows.push_back(row(3, "retired", "lambda", "lambda", 1, 1));
  Report now = sample();
  now.rows[0].name = "brand-new";
  now.baseline = "old.json";
  apply_baseline(now, before);
  EXPECT_EQ(now.rows[0].change.text, "new");
  EXPECT_EQ(now.rows[1].change.text, "flipped kubernetes -> lambda");
  EXPECT_TRUE(now.rows[1].change.verdict_flipped);
  EXPECT_EQ(now.rows[2].change.text, "cost +100%");
  EXPECT_EQ(now.summary.removed, (std::vector<std::string>{"over", "retired"}));
  apply_gate(now, *parse_rules("verdict-flip"));
  summarize(now);
  EXPECT_EQ(now.summary.flips, 1u);
  ASSERT_EQ(now.rows[1].findings.size(), 1u);
  EXPECT_EQ(now.rows[1].findings[0].text, "flipped kubernetes -> lambda");
}

TEST(ReportJson, ReadBackItRendersTheSameBytes) {
  Report r = sample();
  r.baseline = "old.json";
  apply_baseline(r, sample());
  apply_gate(r, *parse_rules("misplaced>20%"));
  r.rows.push_back(error_row(3, "broken \"one\"", Error{ErrorCode::parse, "bad row", "x.csv:3"}));
  r.analyses.push_back("");
  summarize(r);
  const std::string text = report_json(r);
  auto back = parse_report_json(text, "report.json");
  ASSERT_TRUE(back) << back.error().message << " " << back.error().where;
  EXPECT_EQ(report_json(*back), text);
  EXPECT_EQ(report_markdown(*back), report_markdown(r));
  EXPECT_EQ(report_csv(*back), report_csv(r));
  EXPECT_EQ(back->rows[3].error, "parse: bad row (x.csv:3)");
  EXPECT_EQ(back->analyses[0], "{\"name\":\"over\",\"x\":1.5}");
}

TEST(ReportJson, AnotherSchemaOrABrokenFileIsRefused) {
  auto other = parse_report_json(R"({"schema_version": 2})", "old.json");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::unsupported);
  auto broken = parse_report_json("{\"schema_version\": 1,", "old.json");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::parse);
  EXPECT_NE(broken.error().where.find("old.json:1"), std::string::npos) << broken.error().where;
  // Found by fuzz_report_json: a number past any double threw out of the parser.
  auto huge = parse_report_json(R"({"schema_version": 1e99999})", "old.json");
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code, ErrorCode::parse);
  std::string text = report_json(sample());
  text.replace(text.find("\"verdict\": \"clear\""), 18, "\"verdict\": 7");
  auto typed = parse_report_json(text, "old.json");
  ASSERT_FALSE(typed);
  EXPECT_EQ(typed.error().where, "old.json: $.workloads[0].verdict");
}

TEST(ReportJson, WorkloadsAreReadOneAtATimeWithADocumentsSemantics) {
  // report.json is read entry by entry (a fleet's is hundreds of MB); what it accepts and
  // refuses must stay what reading it whole did.
  const std::string text = report_json(sample());
  const std::size_t rows = sample().rows.size();
  // A second "workloads" key replaces the first, as in a DOM: the bad early entry is gone.
  std::string twice = text;
  twice.insert(1, "\"workloads\": [7, {\"bad\": true}],");
  auto replaced = parse_report_json(twice, "r.json");
  ASSERT_TRUE(replaced) << replaced.error().message << " " << replaced.error().where;
  EXPECT_EQ(replaced->rows.size(), rows);
  EXPECT_EQ(report_json(*replaced), text);
  // "workloads" that is not an array, or is missing.
  const std::size_t at = text.find("\"workloads\": [\n");
  ASSERT_NE(at, std::string::npos);
  for (const std::string& value : {std::string{"{\"a\": [1, {}]}"}, std::string{"5"}, std::string{"null"}}) {
    SCOPED_TRACE(value);
    std::string other = text.substr(0, at) + "\"workloads\": " + value + "\n}\n";
    auto refused = parse_report_json(other, "r.json");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, "expected an array of workloads");
    EXPECT_EQ(refused.error().where, "r.json: $.workloads");
  }
  // An entry that is not an object, after a good one: named by its index.
  std::string scalar = text;
  scalar.insert(at + std::string{"\"workloads\": [\n"}.size(), "\"w\",\n");
  auto bad_entry = parse_report_json(scalar, "r.json");
  ASSERT_FALSE(bad_entry);
  EXPECT_EQ(bad_entry.error().where, "r.json: $.workloads[0]");
  // A file cut after the workloads is broken JSON, named at its last line.
  auto cut = parse_report_json(text.substr(0, text.size() - 3), "r.json");
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, ErrorCode::parse);
  EXPECT_EQ(cut.error().message, "unexpected end of input, expected more JSON");
  EXPECT_EQ(cut.error().where.rfind("r.json:", 0), 0u) << cut.error().where;
}

TEST(ReportJson, LoadedFromAFileOrNamedMissing) {
  const std::string path = ::testing::TempDir() + "placer_report_load.json";
  const std::string text = report_json(sample());
  std::ofstream{path, std::ios::binary} << text;
  auto loaded = load_report_json(path, "baseline report");
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(report_json(*loaded), text);
  auto missing = load_report_json(path + ".missing", "baseline report");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_EQ(missing.error().message, "baseline report not found");
  std::remove(path.c_str());
}

TEST(ReportMarkdown, AFleetFitsOneCommentWithTheTailFolded) {
  Report r = sample();
  r.rows.clear();
  r.analyses.clear();
  for (std::size_t i = 0; i < 10000; ++i) {
    r.rows.push_back(row(i, "service-" + std::to_string(i), "lambda", "lambda", 1, 1));
    r.analyses.emplace_back();
  }
  r.rows[9999].current = "kubernetes";  // the one needing attention comes first
  summarize(r);
  const std::string md = report_markdown(r);
  EXPECT_LE(md.size(), k_markdown_max_chars);
  EXPECT_EQ(md.rfind(std::string{k_markdown_marker} + "\n", 0), 0u);
  const std::size_t table = md.find("| workload |");
  EXPECT_LT(md.find("| service-9999 |"), md.find("| service-0 |"));
  EXPECT_GT(md.find("| service-9999 |"), table);
  EXPECT_NE(md.find("<details><summary>"), std::string::npos);
  EXPECT_NE(md.find("more workloads do not fit a comment: see report.csv"), std::string::npos);
}

TEST(ReportMarkdown, NamesCannotBreakTheTable) {
  Report r = sample();
  r.rows[0].name = "a|b<script>";
  const std::string md = report_markdown(r);
  EXPECT_NE(md.find("| a\\|b&lt;script&gt; |"), std::string::npos) << md;
}

TEST(ReportCsv, OneQuotedLinePerWorkload) {
  Report r = sample();
  r.rows[0].name = "with,comma";
  const std::string csv = report_csv(r);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);
  EXPECT_NE(csv.find("\n0,\"with,comma\",ok,kubernetes,lambda,clear,121,100,21,"), std::string::npos) << csv;
}

}  // namespace
}  // namespace placer::report
