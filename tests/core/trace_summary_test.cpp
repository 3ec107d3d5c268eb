// The streaming summary against values worked by hand.
#include "placer/trace_summary.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace placer {
namespace {

Invocation at(double t, double ms) {
  Invocation inv;
  inv.timestamp_s = t;
  inv.duration = Millis{ms};
  return inv;
}

TEST(TraceSummarizer, PercentilesRatesAndGaps) {
  TraceSummarizer s;
  // 100 requests, durations 1..100 ms, one per second from t = 0 to 99 s,
  // then one at t = 99 + 600 s (a 10-minute silence).
  for (int i = 0; i < 100; ++i) {
    s.add(at(i, i + 1));
  }
  s.add(at(699, 1000));
  auto out = s.finish();
  ASSERT_EQ(out.size(), 1u);
  const TraceSummary& w = out[0];
  EXPECT_EQ(w.requests, 101u);
  EXPECT_DOUBLE_EQ(w.start_s, 0);
  EXPECT_DOUBLE_EQ(w.end_s, 699);
  EXPECT_NEAR(w.mean_rate_rps, 101.0 / 699.0, 1e-12);
  EXPECT_DOUBLE_EQ(w.peak_minute_rate_rps, 1.0);  // minute 0 holds t = 0..59
  // Nearest rank of 101 values: p50 is the 51st smallest (51 ms), p99 the 100th (100 ms).
  EXPECT_NEAR(w.duration_ms.p50, 51, 51 * 0.01);
  EXPECT_NEAR(w.duration_ms.p99, 100, 100 * 0.01);
  EXPECT_DOUBLE_EQ(w.duration_ms.min, 1);
  EXPECT_DOUBLE_EQ(w.duration_ms.max, 1000);
  // Minutes 0 and 1 hold requests, then minutes 2..10 are empty, minute 11 holds t = 699.
  EXPECT_EQ(w.idle_gaps, 1u);
  EXPECT_DOUBLE_EQ(w.longest_idle_s, 9 * 60);
  EXPECT_FALSE(w.memory_mib);
}

TEST(TraceSummarizer, RepeatedMemoryCountsOncePerRequest) {
  // Memory repeats from row to row, and is counted in runs (trace_summary.cpp). By hand:
  // 5 x 128, 3 x 256, 2 x 128, 1 x 0.5, 4 x 3008 MiB: 15 requests, mean
  // (7 x 128 + 3 x 256 + 0.5 + 4 x 3008) / 15 = 13696.5 / 15 = 913.1 MiB; nearest ranks
  // p50 = 8th smallest (128, after 0.5), p90 = 14th (3008). The same split in two parts,
  // mid-run, merges to the same bits.
  const std::vector<std::pair<int, double>> runs = {
      {5, 128}, {3, 256}, {2, 128}, {1, 0.5}, {4, 3008}};
  std::vector<Invocation> rows;
  for (const auto& [count, mib] : runs) {
    for (int i = 0; i < count; ++i) {
      Invocation inv = at(static_cast<double>(rows.size()), 10);
      inv.memory = MiB{mib};
      rows.push_back(inv);
    }
  }
  TraceSummarizer one;
  for (const Invocation& r : rows) {
    one.add(r);
  }
  const auto whole = one.finish();
  ASSERT_EQ(whole.size(), 1u);
  ASSERT_TRUE(whole[0].memory_mib);
  const Percentiles& m = *whole[0].memory_mib;
  EXPECT_DOUBLE_EQ(m.mean, 13696.5 / 15);
  EXPECT_DOUBLE_EQ(m.min, 0.5);
  EXPECT_DOUBLE_EQ(m.max, 3008);
  EXPECT_NEAR(m.p50, 128, 128 * 0.001);
  EXPECT_NEAR(m.p90, 3008, 3008 * 0.001);
  for (std::size_t split : {1u, 3u, 6u, 12u}) {
    SCOPED_TRACE(split);
    TraceSummarizer merged;
    auto second = merged.make_part();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      (i < split ? static_cast<InvocationSink&>(merged) : *second).add(rows[i]);
    }
    merged.merge(*second);
    const auto parts = merged.finish();
    ASSERT_EQ(parts.size(), 1u);
    EXPECT_EQ(parts[0].requests, 15u);
    const Percentiles& p = *parts[0].memory_mib;
    EXPECT_EQ(p.mean, m.mean);
    EXPECT_EQ(p.p50, m.p50);
    EXPECT_EQ(p.p90, m.p90);
    EXPECT_EQ(p.p99, m.p99);
    EXPECT_EQ(p.min, m.min);
  }
}

TEST(TraceSummarizer, CountsColdStartsAndSeparatesWorkloads) {
  TraceSummarizer s;
  Invocation cold = at(10, 5);
  cold.init_duration = Millis{300};
  cold.workload = "b";
  s.add(cold);
  Invocation warm = at(11, 5);
  warm.workload = "a";
  warm.memory = MiB{128};
  s.add(warm);
  auto out = s.finish();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].workload, "a");
  EXPECT_EQ(out[0].cold_starts, 0u);
  EXPECT_DOUBLE_EQ(out[0].memory_mib->p50, 128);
  EXPECT_EQ(out[1].cold_starts, 1u);
  EXPECT_DOUBLE_EQ(out[1].init_duration_ms->max, 300);
}

}  // namespace
}  // namespace placer

namespace placer {
namespace {

TEST(TraceSummarizer, PercentilesWithinATenthOfAPercentAcrossMagnitudes) {
  // 20,001 log-spaced durations from 1 us to 10^7 ms: every percentile is the nearest-rank
  // value within 0.1%, whichever bucket it falls in.
  std::vector<double> values;
  for (int i = 0; i <= 20000; ++i) {
    values.push_back(std::pow(10.0, -3 + 10.0 * i / 20000));
  }
  TraceSummarizer s;
  for (std::size_t i = 0; i < values.size(); ++i) {
    s.add(at(static_cast<double>(i), values[(i * 7919) % values.size()]));  // shuffled
  }
  auto out = s.finish();
  ASSERT_EQ(out.size(), 1u);
  const Percentiles& p = out[0].duration_ms;
  const auto rank = [&](double q) {
    return values[static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size()))) - 1];
  };
  EXPECT_NEAR(p.p50, rank(0.50), rank(0.50) * 0.001);
  EXPECT_NEAR(p.p90, rank(0.90), rank(0.90) * 0.001);
  EXPECT_NEAR(p.p95, rank(0.95), rank(0.95) * 0.001);
  EXPECT_NEAR(p.p99, rank(0.99), rank(0.99) * 0.001);
  EXPECT_DOUBLE_EQ(p.min, values.front());
  EXPECT_DOUBLE_EQ(p.max, values.back());
}

TEST(TraceSummarizer, InterleavedWorkloadsKeepTheirOwnCounts) {
  // 300 workloads, more than the recent-workload cache holds, some names differing only in
  // their first bytes; row i goes to workload i % 300.
  TraceSummarizer s;
  const auto name = [](int w) { return std::to_string(w) + "-same-tail-for-every-name"; };
  for (int i = 0; i < 3000; ++i) {
    Invocation inv = at(i, 1 + i % 300);
    inv.workload = name(i % 300);
    s.add(inv);
  }
  auto out = s.finish();
  ASSERT_EQ(out.size(), 300u);
  for (const TraceSummary& w : out) {
    SCOPED_TRACE(w.workload);
    EXPECT_EQ(w.requests, 10u);
    const double ms = 1 + std::stoi(w.workload);
    EXPECT_DOUBLE_EQ(w.duration_ms.min, ms);
    EXPECT_DOUBLE_EQ(w.duration_ms.p50, ms);
  }
}

TEST(TraceSummarizer, NamesOfEveryLengthThatDifferInOneByteStayApart) {
  // Names of 0 to 40 bytes of 'a', and each with one byte changed to 'b' at every place:
  // the lookup compares names up to 16 bytes by their length and first and last 8 bytes,
  // and longer ones by a hash of every word and then whole, so a changed byte anywhere
  // must still tell them apart.
  // Name k gets k + 1 requests of k + 1 ms, half by add() and half by add_with_workload()
  // (a view into a longer buffer, as parsers pass it), which must meet in one workload.
  std::vector<std::string> names;
  for (std::size_t size = 0; size <= 40; ++size) {
    names.emplace_back(size, 'a');
    for (std::size_t at = 0; at < size; ++at) {
      std::string changed(size, 'a');
      changed[at] = 'b';
      names.push_back(changed);
    }
  }
  TraceSummarizer s;
  for (std::size_t k = 0; k < names.size(); ++k) {
    const std::string buffer = names[k] + ",rest of the row\n";
    for (std::size_t i = 0; i <= k; ++i) {
      Invocation inv = at(static_cast<double>(i), static_cast<double>(k + 1));
      if (i % 2 == 0) {
        inv.workload = names[k];
        s.add(inv);
      } else {
        inv.workload = "stale name, not read";
        s.add_with_workload(inv, std::string_view{buffer.data(), names[k].size()});
      }
    }
  }
  const auto out = s.finish();
  ASSERT_EQ(out.size(), names.size());
  ASSERT_EQ(out.size(), 861u);  // 41 of 'a' alone, and 0 + 1 + ... + 40 = 820 with a 'b'
  for (const TraceSummary& w : out) {
    const auto k =
        static_cast<std::size_t>(std::find(names.begin(), names.end(), w.workload) - names.begin());
    ASSERT_LT(k, names.size()) << w.workload;
    EXPECT_EQ(w.requests, k + 1) << w.workload;
    EXPECT_EQ(w.duration_ms.max, static_cast<double>(k + 1)) << w.workload;
  }
}

TEST(InverseCdf, InterpolatesLinearlyBetweenQuantiles) {
  const std::vector<Quantile> q{{0.0, 1.0}, {0.5, 3.0}, {1.0, 5.0}};
  EXPECT_DOUBLE_EQ(inverse_cdf(q, 0.25), 2.0);
  EXPECT_DOUBLE_EQ(inverse_cdf(q, 0.75), 4.0);
  EXPECT_DOUBLE_EQ(inverse_cdf(q, -1.0), 1.0);
  EXPECT_DOUBLE_EQ(inverse_cdf(q, 2.0), 5.0);
}

TEST(TraceSummarizer, IntervalCountsSpreadOverTheMinutesTheyCover) {
  TraceSummarizer s;
  // 120 requests over a 5-minute period from minute 1: 24 a minute; 30 in one minute later.
  s.add_counts(IntervalCount{"w", 60, 300, 120});
  s.add_counts(IntervalCount{"w", 3600, 60, 30});
  auto out = s.finish();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].requests, 150u);
  EXPECT_DOUBLE_EQ(out[0].start_s, 60);
  EXPECT_DOUBLE_EQ(out[0].end_s, 3660);
  EXPECT_DOUBLE_EQ(out[0].peak_minute_rate_rps, 0.5);  // 30 in minute 60
  EXPECT_EQ(out[0].idle_gaps, 1u);                      // minutes 6..59 are empty
  EXPECT_DOUBLE_EQ(out[0].longest_idle_s, 54 * 60);
}

TEST(TraceSummarizer, RequestsOnEitherSideOfAMinuteBoundaryCountInTheirOwnMinute) {
  // Minute 28,333,334 starts at 1,700,000,040 s exactly. Out of order, so that the minute
  // the summary counted into last is left and entered again, and the boundary comes right
  // after the last double before it. That double (twice), the minute's first second and
  // one in its middle belong to the minute before, 4 requests; the boundary itself and
  // 1,700,000,099.5 to the minute it starts, 2.
  const double boundary = 1700000040;
  const double before = std::nextafter(boundary, 0.0);
  TraceSummarizer s;
  for (double t : {before, boundary, 1699999980.0, before, 1700000099.5, 1700000010.0}) {
    s.add(at(t, 1));
  }
  // Interval counts reset the minute the summary counts into: 60 requests over the next
  // minute, then one more request in it.
  s.add_counts(IntervalCount{"", 1700000100, 60, 60});
  s.add(at(1700000100, 1));
  auto out = s.finish();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].requests, 67u);
  EXPECT_DOUBLE_EQ(out[0].peak_minute_rate_rps, 61.0 / 60);  // the interval's minute, 61
  EXPECT_EQ(out[0].idle_gaps, 0u);

  TraceSummarizer without_counts;
  for (double t : {before, boundary, 1699999980.0, before, 1700000099.5, 1700000010.0}) {
    without_counts.add(at(t, 1));
  }
  out = without_counts.finish();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_DOUBLE_EQ(out[0].peak_minute_rate_rps, 4.0 / 60);  // 3 if `before` were counted late
}

}  // namespace
}  // namespace placer
