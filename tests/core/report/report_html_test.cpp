#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>

#include "placer/report/html.hpp"

namespace placer::report {
namespace {

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

PlatformBest best(const std::string& platform, double cost, double p50, bool slo_met) {
  PlatformBest p;
  p.platform = platform;
  p.config = platform == "lambda" ? "arm64 1024 MiB" : "m6i.large, 4 pods/node";
  p.monthly_cost_usd = cost;
  p.p50_ms = p50;
  p.p95_ms = p50 * 3;
  p.p99_ms = p50 * 6;
  p.p999_ms = p50 * 12;
  p.mean_ms = p50 * 1.4;
  p.cold_start_ratio = platform == "lambda" ? 0.012 : 0;
  p.slo_met = slo_met;
  return p;
}

// An analysed workload: a day of diurnal traffic in 10-minute bins from 2024-05-01 00:00
// UTC, lambda and kubernetes, a cost curve over x0.1..x10 with lambda cheaper below
// `break_even`.
Row ok_row(std::size_t index, const std::string& name, double break_even) {
  Row row;
  row.index = index;
  row.name = name;
  row.current = "kubernetes";
  row.recommended = "lambda";
  row.verdict = "clear";
  row.recommended_config = "arm64 1024 MiB";
  row.recommended_cost_usd = 120.5;
  row.current_cost_usd = 310.25;
  row.misplaced_pct = 157.5;
  row.savings_pct = 61.2;
  row.slo_p99_ms = 250;
  row.slo_stated = true;
  row.current_p99_ms = 180;
  row.current_slo_met = true;
  row.break_even_multiplier = break_even;
  row.reasons = {"lambda is cheaper at this traffic", "p99 fits the SLO on both",
                 "traffic is idle 60% of the day", "a fourth reason, not shown"};
  row.requests = 1.2e6;
  row.window_s = 86400;
  row.mean_rps = 13.9;
  row.peak_rps = 41.0;
  row.platforms = {best("lambda", 120.5, 22, true), best("kubernetes", 310.25, 15, true)};
  for (const double m : {0.1, 0.5, 1.0, 2.0, 10.0}) {
    row.cost_curve.push_back({m, 120.5 * m, 310.25 * std::max(1.0, m / break_even / 2)});
  }
  row.traffic.start_s = 1714521600;  // 2024-05-01T00:00:00Z
  row.traffic.bin_s = 600;
  for (int i = 0; i < 144; ++i) {
    row.traffic.requests.push_back(
        std::round(8000 + 7000 * std::sin(2 * 3.14159265358979 * (i - 36) / 144.0)));
  }
  row.change.text = "unchanged";
  return row;
}

Row error_row_named(std::size_t index, const std::string& name) {
  Row row;
  row.index = index;
  row.name = name;
  row.ok = false;
  row.error = "trace file not found: traces/batch.csv";
  row.error_code = "not_found";
  row.change.text = "new";
  return row;
}

Report small_report() {
  Report report;
  report.placer_version = "0.1.0";
  report.catalog_id = "aws-us-east-1";
  report.catalog_date = "2024-05-01";
  report.model_version = "cost-1";
  report.manifest_name = "fleet.yaml";
  report.manifest_workloads = 3;
  report.fail_on = {"misplaced>20%", "slo-breach"};
  report.baseline = "baseline.json";
  Row api = ok_row(0, "api <b>& 'x\"", 1.0);
  api.findings.push_back(
      {"misplaced>20%", "kubernetes costs $310.25/month, 157.5% over lambda ($120.50)"});
  report.rows = {api, error_row_named(1, "batch"), ok_row(2, "web", 40.0)};
  report.summary.workloads = 3;
  report.summary.errors = 1;
  report.summary.misplaced = 2;
  report.summary.with_current = 2;
  report.summary.current_monthly_cost_usd = 620.5;
  report.summary.recommended_monthly_cost_usd = 241;
  report.summary.removed = {"old-cron"};
  report.summary.gate_failed = true;
  report.summary.findings = 1;
  return report;
}

TEST(ReportHtml, IsOneSelfContainedPageWithoutScriptOrUrls) {
  const std::string html = report_html(small_report());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"),
            std::string::npos);
  EXPECT_EQ(lower(html).find("<script"), std::string::npos);
  EXPECT_EQ(lower(html).find("<link"), std::string::npos);
  EXPECT_EQ(lower(html).find("http"), std::string::npos);
  EXPECT_EQ(lower(html).find("nan"), std::string::npos);
  EXPECT_EQ(lower(html).find("inf"), std::string::npos);
  EXPECT_NE(html.find("gate failed"), std::string::npos);
  EXPECT_NE(html.find("<code>slo-breach</code>"), std::string::npos);
  EXPECT_NE(html.find("old-cron"), std::string::npos);
  EXPECT_NE(html.find("verdict flips"), std::string::npos);  // there is a baseline
}

TEST(ReportHtml, ChartsEveryAnalysedRowAndNoErrorRow) {
  const std::string html = report_html(small_report());
  for (const std::string kind : {"traffic", "cost", "latency"}) {
    EXPECT_EQ(count(html, "<svg class=\"chart chart-" + kind + "\" role=\"img\" viewBox="), 2u)
        << kind;
  }
  EXPECT_NE(html.find("<article class=\"workload\" id=\"w0\">"), std::string::npos);
  EXPECT_NE(html.find("<article class=\"workload\" id=\"w2\">"), std::string::npos);
  EXPECT_EQ(html.find("id=\"w1\""), std::string::npos);
  EXPECT_EQ(html.find("href=\"#w1\""), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"err\" id=\"r1\"><td>batch</td><td colspan=\"6\">error "
                      "(not_found): trace file not found: traces/batch.csv</td>"),
            std::string::npos);
}

TEST(ReportHtml, EscapesTextFromTheReport) {
  const std::string html = report_html(small_report());
  EXPECT_EQ(html.find("api <b>&"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#w0\">api &lt;b&gt;&amp; &#39;x&quot;</a>"), std::string::npos);
  EXPECT_NE(html.find("<title>Traffic over time: api &lt;b&gt;&amp; &#39;x&quot;</title>"),
            std::string::npos);
  EXPECT_NE(html.find("<code>misplaced&gt;20%</code>"), std::string::npos);
}

TEST(ReportHtml, PutsNoUrlIntoThePageFromReportText) {
  Report report = small_report();
  report.rows[1].error = "cannot fetch https://example.com/trace.csv";
  const std::string html = report_html(report);
  EXPECT_EQ(html.find("://"), std::string::npos);
  EXPECT_NE(html.find("cannot fetch https&#58;//example.com/trace.csv"), std::string::npos);
}

TEST(ReportHtml, MarksTheBreakEvenWhereTheLogAxisPutsIt) {
  // The cost curve spans x0.1..x10 on a log axis over the plot area 48..348 (chart.hpp), so
  // x1 sits at 48 + (log10(1) - log10(0.1)) / (log10(10) - log10(0.1)) * 300 = 48 + 150.
  const std::string html = report_html(small_report());
  EXPECT_NE(html.find("<line class=\"break-even\" x1=\"198.0\" y1=\"30.0\" x2=\"198.0\" "
                      "y2=\"200.0\"/>"),
            std::string::npos);
  EXPECT_NE(html.find(">break-even x1</text>"), std::string::npos);
  // The other row's break-even, x40, is off the chart: in its verdict line only.
  EXPECT_EQ(count(html, "class=\"break-even\""), 1u);
  EXPECT_NE(html.find("break-even at x40 traffic"), std::string::npos);
}

TEST(ReportHtml, RendersTheSameBytesTwice) {
  EXPECT_EQ(report_html(small_report()), report_html(small_report()));
}

TEST(ReportHtml, ChartsAtMostAHundredRowsThoseWithFindingsFirst) {
  Report report = small_report();
  report.rows.clear();
  for (std::size_t i = 0; i < 150; ++i) {
    report.rows.push_back(ok_row(i, "w-" + std::to_string(i), 1.5));
  }
  for (std::size_t i = 140; i < 150; ++i) {
    report.rows[i].findings.push_back({"slo-breach", "p99 over the SLO"});
  }
  const std::string html = report_html(report);
  EXPECT_EQ(count(html, "<article class=\"workload\""), 100u);
  EXPECT_EQ(count(html, "class=\"chart chart-latency\""), 100u);
  EXPECT_NE(html.find("Charts for the first 100 of 150 workloads"), std::string::npos);
  EXPECT_NE(html.find("id=\"w149\""), std::string::npos);  // a finding: charted
  EXPECT_NE(html.find("id=\"w89\""), std::string::npos);   // 10 with findings + rows 0..89
  EXPECT_EQ(html.find("id=\"w90\""), std::string::npos);
  EXPECT_NE(html.find("<tr id=\"r90\"><td>w-90</td>"), std::string::npos);  // in the table
  EXPECT_LT(html.find("id=\"w140\""), html.find("id=\"w0\""));
}

TEST(ReportHtml, ListsTenThousandRows) {
  Report report = small_report();
  const Row template_row = ok_row(0, "", 1.5);
  report.rows.assign(10000, template_row);
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    report.rows[i].index = i;
    report.rows[i].name = "service-" + std::to_string(i);
  }
  const std::string html = report_html(report);
  EXPECT_NE(html.find("<tr id=\"r9999\"><td>service-9999</td>"), std::string::npos);
  EXPECT_EQ(count(html, "<tr id=\"r"), 10000u);
  EXPECT_LT(html.size(), 10'000'000u);  // about 300 bytes a table row plus 100 chart sections
}

TEST(ReportHtml, DrawsDegenerateSeriesWithoutNanOrInf) {
  Report report = small_report();
  Row empty = ok_row(3, "empty", 1);
  empty.traffic.requests.clear();
  empty.cost_curve.clear();
  empty.platforms.clear();
  empty.break_even_multiplier.reset();
  Row single = ok_row(4, "single", 1000);
  single.traffic.requests = {42};
  single.traffic.bin_s = 0;
  single.cost_curve = {{1, 0, 0}};
  Row zeros = ok_row(5, "zeros", std::nan(""));
  std::fill(zeros.traffic.requests.begin(), zeros.traffic.requests.end(), 0.0);
  zeros.traffic.requests[3] = std::nan("");
  zeros.cost_curve = {{0, 1, 1}, {0.5, 0, 2000}, {2, 0, 0}, {4, HUGE_VAL, 3}};
  for (PlatformBest& p : zeros.platforms) {
    p.p50_ms = p.p95_ms = p.p99_ms = p.p999_ms = p.mean_ms = 0;
  }
  zeros.slo_p99_ms = 0;
  report.rows = {empty, single, zeros};
  const std::string html = lower(report_html(report));
  EXPECT_EQ(html.find("nan"), std::string::npos);
  EXPECT_EQ(html.find("inf"), std::string::npos);
  EXPECT_NE(html.find("no traffic in the trace"), std::string::npos);
  EXPECT_NE(html.find("no cost curve"), std::string::npos);
  EXPECT_NE(html.find("no platform evaluated"), std::string::npos);
  EXPECT_EQ(count(html, "class=\"chart chart-cost\""), 3u);
}

// The sample page: four workloads, one an error, one with three platforms and a long name.
// PLACER_HTML_SAMPLE_OUT=FILE also writes it, to look at or render in a browser
// (tests/report/html_render.sh) before `placer report` writes real ones.
TEST(ReportHtml, RendersTheSamplePage) {
  Report report = small_report();
  Row checkout = ok_row(3, "checkout-with-a-rather-long-workload-name", 0.35);
  checkout.platforms.push_back(best("fargate", 190, 18, false));
  checkout.recommended = "kubernetes";
  checkout.current = "lambda";
  checkout.current_p99_ms = 310;
  checkout.current_slo_met = false;
  checkout.findings.push_back({"slo-breach", "lambda p99 310 ms over the SLO of 250 ms"});
  report.rows.push_back(checkout);
  report.summary.findings = 2;
  const std::string html = report_html(report);
  EXPECT_EQ(count(html, "<polyline class=\"series\" stroke=\"#15803d\""), 1u);  // fargate
  EXPECT_NE(html.find("<td class=\"n miss\">310 / 250 ms &#10007;</td>"), std::string::npos);
  if (const char* path = std::getenv("PLACER_HTML_SAMPLE_OUT")) {
    std::ofstream(path) << html;
  }
}

}  // namespace
}  // namespace placer::report
