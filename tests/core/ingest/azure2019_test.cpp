// The Azure Functions 2019 parser on the InVitro 10-function sample
// (tests/data/azure-functions/SOURCES.md). Expected values were computed from the CSV text
// independently of placer (sums of the minute columns; the percentile columns as written).
#include "placer/ingest/azure2019.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "placer/trace_summary.hpp"

#include "ingest_test_util.hpp"

namespace placer::ingest {
namespace {

using test_util::write_temp;

const std::string k_dir = PLACER_TESTS_DIR "/data/azure-functions/";
constexpr const char* k_first =
    "104f438d72947b49216b97034e44c8f80e90b58c41c08afdad10f25a6eb1af7d/"
    "734bb9a04a1d2e6917f75e46c093a6c95d114970e624b9975b98bad86c12f14b/"
    "47658c9cff05caaffd85722b6f81dd163f680f03d4026474a098f966e2f528b3";

struct Opened {
  std::optional<LineReader> invocations, durations, memory;
};

Result<IngestStats> read_set(const std::string& inv, const std::string& dur, const std::string& mem,
                             InvocationSink& sink, BadRows bad = BadRows::fail) {
  Opened o;
  for (auto [path, slot] : {std::pair{inv, &o.invocations}, std::pair{dur, &o.durations},
                            std::pair{mem, &o.memory}}) {
    if (path.empty()) {
      continue;
    }
    auto reader = LineReader::open(path);
    if (!reader) {
      return tl::unexpected(reader.error());
    }
    slot->emplace(std::move(*reader));
  }
  Azure2019Inputs inputs{o.invocations ? &*o.invocations : nullptr,
                         o.durations ? &*o.durations : nullptr, o.memory ? &*o.memory : nullptr};
  return read_azure2019(inputs, sink, bad);
}

TEST(Azure2019, JoinsInvocationsDurationsAndMemory) {
  TraceSummarizer summary;
  auto stats = read_set(k_dir + "azure2019_invitro10_invocations.csv",
                        k_dir + "azure2019_invitro10_durations.csv",
                        k_dir + "azure2019_invitro10_memory.csv", summary);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 30u);  // 10 functions in each of the 3 files
  auto workloads = summary.finish();
  ASSERT_EQ(workloads.size(), 10u);
  std::uint64_t total = 0;
  for (const auto& w : workloads) {
    total += w.requests;
  }
  EXPECT_EQ(total, 13037064u);  // the sum of every minute column
  auto it = std::find_if(workloads.begin(), workloads.end(),
                         [](const TraceSummary& s) { return s.workload == k_first; });
  ASSERT_NE(it, workloads.end());
  EXPECT_EQ(it->requests, 281962u);
  EXPECT_DOUBLE_EQ(it->start_s, k_azure2019_day_start_s);
  EXPECT_DOUBLE_EQ(it->end_s, k_azure2019_day_start_s + 86400);
  EXPECT_DOUBLE_EQ(it->peak_minute_rate_rps, 197.0 / 60);  // the busiest minute holds 197
  // percentile_Average_{0,50,99,100} = 1, 282, 481, 130686 ms.
  EXPECT_DOUBLE_EQ(it->duration_ms.min, 1);
  EXPECT_NEAR(it->duration_ms.p50, 282, 282 * 0.005);
  EXPECT_NEAR(it->duration_ms.p99, 481, 481 * 0.01);
  EXPECT_DOUBLE_EQ(it->duration_ms.max, 130686);
  // AverageAllocatedMb_pct{1,50,100} = 112, 208, 398 MiB.
  ASSERT_TRUE(it->memory_mib);
  EXPECT_NEAR(it->memory_mib->p50, 208, 208 * 0.005);
  EXPECT_DOUBLE_EQ(it->memory_mib->max, 398);
}

TEST(Azure2019, InvocationsAloneGiveCountsWithoutDurations) {
  TraceSummarizer summary;
  auto stats = read_set(k_dir + "azure2019_invitro10_invocations.csv", "", "", summary);
  ASSERT_TRUE(stats) << describe(stats.error());
  EXPECT_EQ(stats->rows, 10u);
  for (const auto& w : summary.finish()) {
    EXPECT_FALSE(w.memory_mib);
  }
}

TEST(Azure2019, TellsItsFilesApartByHeader) {
  EXPECT_EQ(azure2019_file_kind("HashOwner,HashApp,HashFunction,Trigger,1,2"),
            Azure2019File::invocations);
  EXPECT_EQ(azure2019_file_kind("HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,"
                                "percentile_Average_0,percentile_Average_50"),
            Azure2019File::durations);
  EXPECT_EQ(azure2019_file_kind("HashOwner,HashApp,SampleCount,AverageAllocatedMb"),
            Azure2019File::memory);
  EXPECT_FALSE(azure2019_file_kind("timestamp,duration_ms"));
}

TEST(Azure2019, BrokenFilesNameLineAndWhat) {
  const std::string header = "HashOwner,HashApp,HashFunction,Trigger,1,2\n";
  struct Case {
    const char* name;
    std::string text;
    std::string message;
    std::string line;
  };
  const Case cases[] = {
      {"empty.csv", "", "empty input, expected an azure2019 CSV header", ""},
      {"nominutes.csv", "HashOwner,HashApp,HashFunction,Trigger\n",
       "header has no minute columns (1..1440), found \"HashOwner,HashApp,HashFunction,Trigger\"",
       ":1"},
      {"noapp.csv", "HashOwner,HashFunction,Trigger,1\n",
       "header has no \"HashApp\" column, found \"HashOwner,HashFunction,Trigger,1\"", ":1"},
      {"negative.csv", header + "o,a,f,http,3,-1\n",
       "bad count \"-1\" for minute 2, expected a non-negative number", ":2"},
      {"nan.csv", header + "o,a,f,http,NaN,1\n",
       "bad count \"NaN\" for minute 1, expected a non-negative number", ":2"},
      {"fields.csv", header + "o,a,f,http,3\n", "row has 5 fields, expected 6 as in the header",
       ":2"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TraceSummarizer summary;
    auto path = write_temp(c.name, c.text);
    auto stats = read_set(path, "", "", summary);
    ASSERT_FALSE(stats);
    EXPECT_EQ(stats.error().code, ErrorCode::parse);
    EXPECT_EQ(stats.error().message, c.message);
    EXPECT_EQ(stats.error().where, path + c.line);
  }
  TraceSummarizer summary;
  auto durations = write_temp(
      "decreasing.csv",
      "HashOwner,HashApp,HashFunction,percentile_Average_0,percentile_Average_1,"
      "percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,"
      "percentile_Average_100\no,a,f,1,2,3,9,5,6,7\n");
  auto invocations = write_temp("inv.csv", header + "o,a,f,http,3,1\n");
  auto stats = read_set(invocations, durations, "", summary);
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().message,
            "percentile_Average_75 5 is below the previous percentile, expected ascending "
            "percentiles");
  EXPECT_EQ(stats.error().where, durations + ":2");
}

}  // namespace
}  // namespace placer::ingest
