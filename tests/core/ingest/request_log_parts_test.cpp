// A request log read in parts on several threads must give what one pass gives: the same
// summary bit for bit, the same rows and skipped rows, the same errors at the same lines.
// One pass is the reference (request_log_test.cpp checks it against the Azure trace); here
// parts of a few bytes put a part boundary at every kind of place in the file: inside a
// number, on a newline, inside a "\r\n", on a blank line, inside a long line.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
#include <zlib.h>

#include "placer/ingest/request_log.hpp"
#include "placer/trace_summary.hpp"

#include "ingest/request_log_internal.hpp"
#include "ingest_test_util.hpp"

namespace placer::ingest {
namespace {

using test_util::write_temp;

// Every field of every workload's summary, doubles in hex: equal texts, equal bits.
std::string fingerprint(const std::vector<TraceSummary>& workloads) {
  std::ostringstream out;
  out << std::hexfloat;
  const auto percentiles = [&out](const Percentiles& p) {
    out << p.p50 << ' ' << p.p90 << ' ' << p.p95 << ' ' << p.p99 << ' ' << p.min << ' ' << p.max
        << ' ' << p.mean << ' ';
  };
  for (const TraceSummary& s : workloads) {
    out << s.workload << ' ' << s.requests << ' ' << s.start_s << ' ' << s.end_s << ' '
        << s.mean_rate_rps << ' ' << s.peak_minute_rate_rps << ' ';
    percentiles(s.duration_ms);
    if (s.memory_mib) {
      percentiles(*s.memory_mib);
    }
    out << s.cold_starts << ' ';
    if (s.init_duration_ms) {
      percentiles(*s.init_duration_ms);
    }
    out << s.idle_gaps << ' ' << s.longest_idle_s << '\n';
  }
  return out.str();
}

struct Outcome {
  std::string text;  // the summary's fingerprint and the stats, or the error
};

Outcome one_pass(const std::string& path, BadRows bad_rows) {
  TraceSummarizer summary;
  auto reader = LineReader::open(path);
  EXPECT_TRUE(reader);
  auto stats = read_request_log(*reader, summary, bad_rows);
  if (!stats) {
    return {"error " + stats.error().where + ": " + stats.error().message};
  }
  return {fingerprint(summary.finish()) + std::to_string(stats->rows) + " rows, " +
          std::to_string(stats->skipped_rows) + " skipped, first " + stats->first_skipped};
}

Outcome in_parts(const std::string& path, BadRows bad_rows, unsigned threads, std::size_t bytes) {
  TraceSummarizer summary;
  auto stats = internal::read_request_log_file(path, summary, bad_rows, threads, bytes);
  if (!stats) {
    return {"error " + stats.error().where + ": " + stats.error().message};
  }
  return {fingerprint(summary.finish()) + std::to_string(stats->rows) + " rows, " +
          std::to_string(stats->skipped_rows) + " skipped, first " + stats->first_skipped};
}

const std::vector<std::size_t> k_small_parts = {1, 2, 3, 5, 8, 13, 64, 100, 333, 1000, 4096};

// The one-pass outcome, checked equal for parts of many sizes on 2 and 3 threads.
std::string expect_parts_agree(const std::string& path, BadRows bad_rows = BadRows::fail,
                               const std::vector<std::size_t>& sizes = k_small_parts) {
  const Outcome reference = one_pass(path, bad_rows);
  for (std::size_t bytes : sizes) {
    for (unsigned threads : {2u, 3u}) {
      SCOPED_TRACE(std::to_string(bytes) + " bytes a part, " + std::to_string(threads) + " threads");
      EXPECT_EQ(in_parts(path, bad_rows, threads, bytes).text, reference.text);
    }
  }
  return reference.text;
}

std::string read_text(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

const std::string k_sample = std::string{PLACER_SOURCE_DATA_DIR} + "/traces/azure2021-sample.csv";

TEST(RequestLogParts, TheBundledSampleSummarizesBitForBitAsOnePass) {
  const std::string text = expect_parts_agree(k_sample);
  // 199 rows, as the Azure trace sample it comes from.
  EXPECT_NE(text.find("\n199 rows, 0 skipped"), std::string::npos) << text;
}

TEST(RequestLogParts, JsonLinesCrlfAndBlankLines) {
  // The sample as JSON Lines, with "\r\n" endings, blank lines before and among the rows,
  // and no newline after the last.
  std::istringstream csv{read_text(k_sample)};
  std::string line;
  std::getline(csv, line);  // header
  std::string jsonl = "\r\n  \n";
  int n = 0;
  while (std::getline(csv, line)) {
    const auto a = line.find(',');
    const auto b = line.find(',', a + 1);
    jsonl += "{\"timestamp\": " + line.substr(0, a) + ", \"duration_ms\": " +
             line.substr(a + 1, b - a - 1) + ", \"memory_mib\": " + std::to_string(128 + n % 3 * 64) +
             ", \"workload\": \"" + line.substr(b + 1) + "\"" +
             (n % 10 == 0 ? ", \"init_duration_ms\": 250.5" : "") + "}\r\n";
    if (n % 17 == 0) {
      jsonl += "\t\r\n";
    }
    ++n;
  }
  jsonl.resize(jsonl.size() - 2);
  const std::string text = expect_parts_agree(write_temp("parts.jsonl", jsonl));
  EXPECT_NE(text.find("\n199 rows, 0 skipped"), std::string::npos) << text;
}

// A CSV of `rows` rows; row i (0-based) is file line i + 2 and takes `bad` at i == bad_row.
std::string numbered_csv(int rows, int bad_row, const std::string& bad) {
  std::string text = "timestamp,duration_ms,workload,status\n";
  for (int i = 0; i < rows; ++i) {
    text += i == bad_row ? bad : std::to_string(1700000000 + i) + "." + std::to_string(i % 1000) + "," +
                                     std::to_string(i % 50 * 7 + 1) + ".25,svc-" + std::to_string(i % 3) +
                                     ",200";
    text += "\n";
  }
  return text;
}

TEST(RequestLogParts, ABadRowIsNamedAtItsLine) {
  const std::string path = write_temp("parts-bad.csv", numbered_csv(300, 249, "1700000249,-3,svc-0,200"));
  // Row 249 is line 251.
  EXPECT_EQ(expect_parts_agree(path),
            "error " + path + ":251: bad duration_ms \"-3\", expected a non-negative number");
}

TEST(RequestLogParts, SkippedRowsAreCountedAndTheFirstNamed) {
  std::string text = numbered_csv(300, 120, "x,1,svc-1,200");
  text += "bad,2,svc-2,200\n";  // line 302
  const std::string path = write_temp("parts-skip.csv", text);
  const std::string outcome = expect_parts_agree(path, BadRows::skip);
  EXPECT_NE(outcome.find("299 rows, 2 skipped, first " + path +
                         ":122: bad timestamp \"x\", expected epoch seconds or RFC 3339 with an "
                         "offset"),
            std::string::npos)
      << outcome;
}

TEST(RequestLogParts, ALineLongerThanOneMebibyteInALaterPart) {
  const std::string path = write_temp(
      "parts-long.csv", numbered_csv(100, 60, std::string((1u << 20) + 10, '7')));
  // Parts of a byte would be a million parts: boundaries before, in and after the line.
  EXPECT_EQ(expect_parts_agree(path, BadRows::fail, {1000, 4096, 65536, 300000, 600000}),
            "error " + path + ":62: line longer than 1 MiB");
}

TEST(RequestLogParts, AHeaderAfterBlankLinesAndAFileOfOnlyAHeader) {
  expect_parts_agree(write_temp("parts-head.csv", "\n \r\n" + numbered_csv(50, -1, "")));
  expect_parts_agree(write_temp("parts-only-header.csv",
                                "timestamp,duration_ms\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"));
  const std::string bad_header = write_temp("parts-bad-header.csv", "\n\nwhen,ms\n1,2\n3,4\n5,6\n");
  EXPECT_EQ(expect_parts_agree(bad_header),
            "error " + bad_header +
                ":3: header has no \"timestamp\" column, expected a CSV header with timestamp "
                "and duration_ms, found \"when,ms\"");
}

TEST(RequestLogParts, GzipAndStandardInputAreReadInOnePass) {
  const std::string text = read_text(k_sample);
  const std::string path = ::testing::TempDir() + "placer_parts_sample.csv.gz";
  gzFile gz = gzopen(path.c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
  gzclose(gz);
  EXPECT_EQ(in_parts(path, BadRows::fail, 2, 16).text, one_pass(k_sample, BadRows::fail).text);
}

TEST(RequestLogParts, ThePublicReaderUsesItsOwnPartSize) {
  // Below two parts of 1 MiB: one pass, the same answer.
  TraceSummarizer summary;
  auto stats = read_request_log_file(k_sample, summary, BadRows::fail, 2);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 199u);
  auto missing = read_request_log_file(k_sample + ".missing", summary, BadRows::fail, 2);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace placer::ingest
