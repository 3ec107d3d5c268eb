// `placer synth` through the real binary: its output reads back through placer's own
// parser, it is reproducible, and bad flags are usage errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_support.hpp"

namespace {

using placer::testing::placer;
using placer::testing::slurp;

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "placer_synth_" + std::to_string(getpid()) + "_" + name;
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Steady 2 req/s for 2 h: 14,400 requests expected (sd sqrt(14,400) = 120). What summarize
// reads back must match the file row for row: the rows are the lines after the header.
TEST(CliSynth, CsvReadsBackThroughTraceSummarize) {
  const std::string path = temp_path("steady.csv");
  auto run = placer(
      "synth --pattern steady --mean-rps 2 --hours 2 --duration-ms 80 "
      "--memory-mib 512 --workload api -o " +
      path);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "");  // no progress line: stderr is not a terminal here
  const std::string text = slurp(path);
  ASSERT_TRUE(text.starts_with("timestamp,duration_ms,memory_mib,workload\n"));
  const double rows = static_cast<double>(lines(text) - 1);
  EXPECT_NEAR(rows, 14400, 3 * 120);

  auto summary = placer("trace summarize " + path + " --output json");
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  auto doc = nlohmann::json::parse(summary.out);
  ASSERT_EQ(doc["workloads"].size(), 1u);
  const auto& w = doc["workloads"][0];
  EXPECT_EQ(w["workload"], "api");
  EXPECT_EQ(w["requests"].get<double>(), rows);
  // The window runs from 2025-01-06T00:00:00Z (the default start) for 7,200 s; the first
  // and last requests fall within a few seconds of its ends (gaps average 0.5 s).
  EXPECT_NEAR(w["window"]["start_s"].get<double>(), 1736121600, 10);
  EXPECT_NEAR(w["window"]["end_s"].get<double>(), 1736121600 + 7200, 10);
  // Mean rate = requests / window: 2 req/s within 3 sd of the count (3 x 120 / 7,200).
  EXPECT_NEAR(w["mean_rate_rps"].get<double>(), 2, 3 * 120.0 / 7200 + 0.01);
  // Lognormal median 80 ms: the p50 of ~14,400 values within 2% (relative sd 0.5%).
  EXPECT_NEAR(w["duration_ms"]["p50"].get<double>(), 80, 1.6);
  EXPECT_EQ(w["memory_mib"]["max"].get<double>(), 512);
  std::remove(path.c_str());
}

// Bursty, 1 req/s with 20 min gaps for 6 h: summarize counts idle gaps of 5+ min; every
// gap between bursts is at least 20 min, so there is one per burst, about 6 x 3,600 / 1,260
// = 17 of them.
TEST(CliSynth, JsonLinesReadBackWithTheIdleGaps) {
  auto run = placer(
      "synth --pattern bursty --mean-rps 1 --hours 6 --duration-ms 50 "
      "--format jsonl --seed 7 | " +
      std::string{PLACER_BINARY} + " trace summarize - --output json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  const auto& w = doc["workloads"][0];
  EXPECT_EQ(doc["files"][0]["format"], "requests (detected)");
  EXPECT_GE(w["idle_gaps"].get<int>(), 10);
  EXPECT_LE(w["idle_gaps"].get<int>(), 25);
  EXPECT_GE(w["longest_idle_s"].get<double>(), 1200 - 60);  // counted in whole minutes
}

TEST(CliSynth, SameSeedSameBytesOtherSeedOtherBytes) {
  const std::string flags = "synth --pattern diurnal --mean-rps 3 --hours 3 --duration-ms 20";
  auto a = placer(flags + " --seed 11");
  auto b = placer(flags + " --seed 11");
  auto c = placer(flags + " --seed 12");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_GT(lines(a.out), 1000u);
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
}

TEST(CliSynth, StartTakesRfc3339OrEpochSeconds) {
  auto rfc = placer(
      "synth --pattern steady --mean-rps 1 --hours 1 --duration-ms 5 "
      "--start 2026-03-01T12:00:00Z");
  auto epoch = placer(
      "synth --pattern steady --mean-rps 1 --hours 1 --duration-ms 5 "
      "--start 1772366400");  // date -u -d 2026-03-01T12:00:00Z +%s
  ASSERT_EQ(rfc.exit_code, 0) << rfc.err;
  EXPECT_EQ(rfc.out, epoch.out);
  EXPECT_TRUE(rfc.out.starts_with("timestamp,duration_ms\n17723"));
}

// Each bad flag: exit 64 and one line on stderr naming the flag.
TEST(CliSynth, BadFlagsAreOneLineUsageErrors) {
  const std::string ok = " --duration-ms 10";
  const std::pair<std::string, std::string> cases[] = {
      {"--pattern steady --mean-rps -1 --hours 1" + ok, "(--mean-rps)"},
      {"--pattern steady --mean-rps 1 --hours 0" + ok, "(--hours)"},
      {"--pattern spiky --mean-rps 1 --hours 1" + ok, "unknown pattern \"spiky\""},
      {"--pattern steady --mean-rps 1 --hours 1 --duration-ms 0", "(--duration-ms)"},
      {"--pattern steady --mean-rps 1 --hours 1" + ok + " --format xml", "(--format)"},
      {"--pattern steady --mean-rps 1 --hours 1" + ok + " --start yesterday", "(--start)"},
      {"--pattern bursty --mean-rps 1 --hours 1" + ok + " --gap-s -5", "(--gap-s)"},
      {"--pattern steady --mean-rps 1 --hours 1", "--duration-ms is required"},
      // A month at 1,000 req/s: 1,000 x 730 x 3,600 = 2.628e9 rows, over the 1e8 default.
      {"--pattern steady --mean-rps 1000 --hours 730" + ok, "(--max-requests)"},
  };
  for (const auto& [flags, expected] : cases) {
    auto run = placer("synth " + flags);
    EXPECT_EQ(run.exit_code, 64) << flags;
    EXPECT_EQ(run.out, "") << flags;
    EXPECT_EQ(lines(run.err), 1u) << run.err;
    EXPECT_TRUE(run.err.starts_with("placer: error: ")) << run.err;
    EXPECT_NE(run.err.find(expected), std::string::npos) << run.err;
  }
}

TEST(CliSynth, UnwritableOutputIsAnIoError) {
  auto run = placer(
      "synth --pattern steady --mean-rps 1 --hours 1 --duration-ms 5 "
      "-o /nonexistent-dir/x.csv");
  EXPECT_EQ(run.exit_code, 74);
  EXPECT_NE(run.err.find("(/nonexistent-dir/x.csv)"), std::string::npos) << run.err;
}

}  // namespace
