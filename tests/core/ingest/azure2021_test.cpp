// The Azure Functions 2021 trace parser on the official documentation sample and the
// InVitro 199-row sample (tests/data/azure-functions/SOURCES.md). Expected values were
// computed from the CSV text by hand (start + end_timestamp - duration).
#include "placer/ingest/azure2021.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <vector>

#include "placer/trace_summary.hpp"

#include "ingest_test_util.hpp"

namespace placer::ingest {
namespace {

using test_util::Collect;
using test_util::write_temp;

Result<IngestStats> read(const std::string& path, InvocationSink& sink, BadRows bad = BadRows::fail) {
  return test_util::read_file(path, [&](LineReader& r) { return read_azure2021(r, sink, bad); });
}

TEST(Azure2021, ReadsTheOfficialDocumentationSample) {
  Collect rows;
  auto stats = read(PLACER_TESTS_DIR "/data/azure-functions/azure2021_official_doc_sample.csv", rows);
  ASSERT_TRUE(stats) << describe(stats.error());
  ASSERT_EQ(rows.rows.size(), 6u);
  // Row 1: end_timestamp 5160.142570018768, duration 0.134 -> arrival 5160.008570018768.
  EXPECT_NEAR(rows.rows[0].timestamp_s, 1612051200 + 5160.008570018768, 1e-6);
  EXPECT_DOUBLE_EQ(rows.rows[0].duration.count(), 134.0);
  EXPECT_EQ(rows.rows[0].workload.substr(0, 8), "734272c0");
  EXPECT_EQ(rows.rows[0].workload.size(), 64u + 1 + 64u);
  // Row 3: duration 42.356 s.
  EXPECT_DOUBLE_EQ(rows.rows[2].duration.count(), 42356.0);
  // Rows are ordered by start, not end: row 5 ends before row 4 (5219.5 < 5253.9).
  EXPECT_LT(rows.rows[4].timestamp_s, rows.rows[5].timestamp_s);
}

TEST(Azure2021, ReadsTheInVitroSample) {
  TraceSummarizer summary;
  auto stats = read(PLACER_TESTS_DIR "/data/azure-functions/azure2021_invitro_199rows.csv", summary);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 199u);
  EXPECT_EQ(summary.finish().size(), 31u);  // distinct (app, func) pairs
}

TEST(Azure2021, BrokenRowsNameLineAndWhat) {
  struct Case {
    const char* name;
    std::string text;
    std::string message;
    std::string line;
  };
  const Case cases[] = {
      {"empty.csv", "", "empty input, expected the azure2021 CSV header", ""},
      {"header.csv", "app,func,end,duration\n",
       "header has no \"end_timestamp\" column, expected app,func,end_timestamp,duration, found "
       "\"app,func,end,duration\"",
       ":1"},
      {"nan.csv", "app,func,end_timestamp,duration\na,f,10,NaN\n",
       "bad duration \"NaN\", expected seconds as a non-negative number", ":2"},
      {"negative.csv", "app,func,end_timestamp,duration\na,f,-1,0.5\n",
       "bad end_timestamp \"-1\", expected seconds since the trace start", ":2"},
      {"before.csv", "app,func,end_timestamp,duration\na,f,1,2\n",
       "duration 2 s is longer than end_timestamp 1 s, expected an invocation after the trace "
       "start",
       ":2"},
      {"fields.csv", "app,func,end_timestamp,duration\na,f,1\n",
       "row has 3 fields, expected 4 as in the header", ":2"},
      {"nameless.csv", "app,func,end_timestamp,duration\n,f,1,0.5\n",
       "empty app or func, expected the hashed names", ":2"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Collect rows;
    auto path = write_temp(c.name, c.text);
    auto stats = read(path, rows);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, ErrorCode::parse);
    EXPECT_EQ(stats.error().message, c.message);
    EXPECT_EQ(stats.error().where, path + c.line);
  }
}

TEST(Azure2021, SkipModeCountsBadRows) {
  Collect rows;
  auto path = write_temp("skip.csv", "app,func,end_timestamp,duration\na,f,10,1\na,f,x,1\na,f,12,1\n");
  auto stats = read(path, rows, BadRows::skip);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->rows, 2u);
  EXPECT_EQ(stats->skipped_rows, 1u);
}

}  // namespace
}  // namespace placer::ingest
