// The synthetic generator against what each pattern's definition implies, worked out in the
// comments from the process alone (not from the generator's code).
#include "placer/synth.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace placer::synth {
namespace {

SynthSpec spec_of(Pattern pattern, double mean_rps, double hours) {
  SynthSpec spec;
  spec.pattern = pattern;
  spec.mean_rps = mean_rps;
  spec.length = Hours{hours};
  return spec;
}

std::vector<SynthRequest> all(const SynthSpec& spec) {
  auto gen = Generator::create(spec);
  EXPECT_TRUE(gen) << gen.error().message;
  std::vector<SynthRequest> out;
  if (gen) {
    while (auto r = gen->next()) {
      out.push_back(*r);
    }
  }
  return out;
}

std::string text_of(const SynthSpec& spec, LogFormat format) {
  auto gen = Generator::create(spec);
  EXPECT_TRUE(gen);
  LogWriter writer{spec, format};
  std::string out = writer.header();
  while (auto r = gen->next()) {
    writer.append(out, *r);
  }
  return out;
}

// A Poisson count with mean m has standard deviation sqrt(m).
void expect_poisson_count(double count, double mean) {
  EXPECT_NEAR(count, mean, 3 * std::sqrt(mean)) << "mean " << mean;
}

TEST(Synth, SteadyCountIsPoissonAroundRateTimesWindow) {
  // 5 req/s for 24 h: 5 x 86,400 = 432,000 expected, sd sqrt(432,000) = 657.
  const auto rows = all(spec_of(Pattern::steady, 5, 24));
  expect_poisson_count(static_cast<double>(rows.size()), 432000);
}

TEST(Synth, UnclusteredSparseIsPoissonAtTheMeanRate) {
  // One request every 10 min for 1,000 h: 0.1/60 x 3.6e6 = 6,000 expected, sd 77.
  const auto rows = all(spec_of(Pattern::sparse, 1.0 / 600, 1000));
  expect_poisson_count(static_cast<double>(rows.size()), 6000);
}

TEST(Synth, ClusteredSparseKeepsTheMeanRate) {
  // Clusters of 4 requests (geometric) 1 s apart at 0.01 req/s over 1,000 h: 36,000
  // requests expected in about 9,000 clusters. Counts of clusters are close to Poisson, so
  // the count is compound Poisson: variance = clusters x E[N^2], and for a geometric N of
  // mean c, E[N^2] = c(c - 1) + c^2 = 28: sd = sqrt(9,000 x 28) = 502.
  SynthSpec spec = spec_of(Pattern::sparse, 0.01, 1000);
  spec.sparse.cluster_size = 4;
  const auto rows = all(spec);
  EXPECT_NEAR(static_cast<double>(rows.size()), 36000, 3 * 502);
  // Each gap is inside a cluster with probability 1 - 1/4 (then exponential, mean 1 s)
  // or a quiet period (exponential, mean 4 / 0.01 - 3 x 1 = 397 s). Gaps under 5 s:
  // 0.75 (1 - e^-5) + 0.25 (1 - e^(-5/397)) = 0.7481 of them; over ~36,000 gaps the
  // share's sd is 0.0023, so within 0.01.
  std::size_t short_gaps = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].timestamp_s - rows[i - 1].timestamp_s < 5) {
      ++short_gaps;
    }
  }
  const double share = static_cast<double>(short_gaps) / static_cast<double>(rows.size() - 1);
  EXPECT_NEAR(share, 0.75 * (1 - std::exp(-5.0)) + 0.25 * (1 - std::exp(-5.0 / 397)), 0.01);
}

TEST(Synth, DiurnalHourlyCountsFollowTheSinusoid) {
  // 5 req/s on average over 2 days from midnight UTC, peak/trough 3, busiest hour 14:00.
  // The rate is 5 (1 + a cos(2 pi (t - 14:30) / 24 h)) with a = (3 - 1) / (3 + 1) = 0.5.
  // Averaged over one hour centred at a phase phi from the peak, cos averages to
  // cos(phi) x sin(pi / 24) / (pi / 24) = cos(phi) x 0.997147. Each clock hour over 2 days
  // gets 2 x 3,600 x 5 = 36,000 x (1 + 0.5 x 0.997147 x cos(phi)) requests on average:
  //   14:00 (phi = 0): 53,948.6;  02:00 (phi = pi): 18,051.4;  20:00 (phi = pi/2): 36,000.
  SynthSpec spec = spec_of(Pattern::diurnal, 5, 48);
  spec.diurnal.peak_trough_ratio = 3;
  spec.diurnal.peak_hour_utc = 14;
  const auto rows = all(spec);
  std::vector<double> per_hour(24, 0);
  for (const SynthRequest& r : rows) {
    const auto hour = static_cast<std::size_t>(std::fmod(r.timestamp_s, 86400) / 3600);
    per_hour[hour] += 1;
  }
  const double s = std::sin(std::numbers::pi / 24) / (std::numbers::pi / 24);
  expect_poisson_count(per_hour[14], 36000 * (1 + 0.5 * s));
  expect_poisson_count(per_hour[2], 36000 * (1 - 0.5 * s));
  expect_poisson_count(per_hour[20], 36000);
  // The busiest hour over the quietest: (1 + 0.5 s) / (1 - 0.5 s) = 2.9886 (the
  // instantaneous ratio 3, a little less after averaging over an hour); relative sd
  // sqrt(1/53,949 + 1/18,051) = 0.86%.
  EXPECT_NEAR(per_hour[14] / per_hour[2], (1 + 0.5 * s) / (1 - 0.5 * s), 3 * 0.0086 * 2.9886);
  EXPECT_EQ(std::max_element(per_hour.begin(), per_hour.end()) - per_hour.begin(), 14);
  // Over whole days the cosine integrates to zero: 5 x 2 x 86,400 = 864,000 requests.
  expect_poisson_count(static_cast<double>(rows.size()), 864000);
}

TEST(Synth, BurstyGapsOutlastTheIdlePeriodAndBurstsRunAtTheBurstRate) {
  // 1 req/s on average, bursts of mean 60 s, idle periods of 1,200 s, over 200 h. The mean
  // over a cycle of 60 + 1,200 s is burst_rate x 60 / 1,260 = 1, so burst_rate = 21 req/s.
  SynthSpec spec = spec_of(Pattern::bursty, 1, 200);
  spec.bursty.burst = Seconds{60};
  spec.bursty.gap = Seconds{1200};
  const auto rows = all(spec);
  std::size_t long_gaps = 0;
  std::size_t misplaced = 0;
  double short_sum = 0;
  std::size_t short_count = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const double gap = rows[i].timestamp_s - rows[i - 1].timestamp_s;
    if (gap >= 1200) {
      ++long_gaps;
    } else if (gap < 1) {
      short_sum += gap;
      ++short_count;
    } else {
      ++misplaced;
    }
  }
  // A gap either spans an idle period (then it is at least 1,200 s) or lies inside a burst,
  // where gaps are exponential at 21 req/s: one exceeds 1 s with probability e^-21 = 8e-10.
  EXPECT_EQ(misplaced, 0u);
  // One long gap per cycle: 720,000 s / 1,260 s = 571 cycles; the cycle count's sd is
  // sqrt(571) x 60 / 1,260 = 1.1 (on-periods exponential, sd 60 s), so within 4.
  EXPECT_NEAR(static_cast<double>(long_gaps), 571, 4);
  // Inside a burst the next event is an arrival (rate 21) or the burst's end (rate 1/60):
  // the gap to an arrival that wins is exponential at 21 + 1/60, mean 0.047581 s. Over
  // ~720,000 gaps the sample mean's relative sd is 0.12%: within 0.5%.
  EXPECT_NEAR(short_sum / static_cast<double>(short_count), 1 / (21 + 1.0 / 60), 0.005 * 0.0476);
  // Long-run mean 720,000 requests. Per cycle the count is Poisson(21 X), X ~ Exp(60):
  // variance 21 x 60 + 21^2 x 60^2 = 1,588,860; over 571 cycles sd = 30,120.
  EXPECT_NEAR(static_cast<double>(rows.size()), 720000, 3 * 30120);
}

TEST(Synth, LognormalDurationsHaveTheMedianAndShape) {
  // 100,000 rows of median 120 ms and log sd 0.5. The sample median of n lognormal values
  // has relative sd about 1.2533 x 0.5 / sqrt(n) = 0.2%: within 1%. The sample sd of the
  // logs has sd 0.5 / sqrt(2n) = 0.0011: within 1% (0.005).
  SynthSpec spec = spec_of(Pattern::steady, 1000, 100.0 / 3600);  // 100,000 expected
  spec.duration_median = Millis{120};
  spec.duration_sigma = 0.5;
  const auto rows = all(spec);
  ASSERT_GT(rows.size(), 99000u);
  std::vector<double> ms;
  double sum = 0;
  double sum_sq = 0;
  for (const SynthRequest& r : rows) {
    ms.push_back(r.duration_ms);
    sum += std::log(r.duration_ms);
    sum_sq += std::log(r.duration_ms) * std::log(r.duration_ms);
  }
  std::nth_element(ms.begin(), ms.begin() + static_cast<std::ptrdiff_t>(ms.size() / 2), ms.end());
  EXPECT_NEAR(ms[ms.size() / 2], 120, 1.2);
  const double n = static_cast<double>(rows.size());
  const double log_sd = std::sqrt(sum_sq / n - (sum / n) * (sum / n));
  EXPECT_NEAR(log_sd, 0.5, 0.005);
}

TEST(Synth, SameSeedSameBytesOtherSeedDifferentBytes) {
  for (Pattern p : {Pattern::steady, Pattern::diurnal, Pattern::bursty, Pattern::sparse}) {
    SynthSpec spec = spec_of(p, p == Pattern::sparse ? 0.05 : 2, 6);
    spec.memory = MiB{512};
    spec.workload = "checkout";
    const std::string first = text_of(spec, LogFormat::csv);
    EXPECT_EQ(first, text_of(spec, LogFormat::csv)) << to_string(p);
    spec.seed = 2;
    EXPECT_NE(first, text_of(spec, LogFormat::csv)) << to_string(p);
  }
}

TEST(Synth, DurationFlagsDoNotMoveArrivals) {
  SynthSpec spec = spec_of(Pattern::bursty, 2, 6);
  const auto a = all(spec);
  spec.duration_median = Millis{999};
  spec.duration_sigma = 1.5;
  const auto b = all(spec);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].timestamp_s, b[i].timestamp_s) << i;
  }
}

TEST(Synth, RowsAreOrderedInsideTheWindow) {
  for (Pattern p : {Pattern::steady, Pattern::diurnal, Pattern::bursty, Pattern::sparse}) {
    SynthSpec spec = spec_of(p, p == Pattern::sparse ? 0.01 : 3, 30);
    spec.start_s = 1'800'000'000.25;
    const auto rows = all(spec);
    ASSERT_FALSE(rows.empty()) << to_string(p);
    EXPECT_GE(rows.front().timestamp_s, spec.start_s);
    EXPECT_LT(rows.back().timestamp_s, spec.start_s + 30 * 3600);
    EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end(), [](const auto& x, const auto& y) {
      return x.timestamp_s < y.timestamp_s;
    })) << to_string(p);
  }
}

TEST(Synth, SynthesizeStreamsInvocationsWithMemoryAndWorkload) {
  struct Collect : InvocationSink {
    std::vector<Invocation> rows;
    void add(const Invocation& inv) override { rows.push_back(inv); }
  } sink;
  SynthSpec spec = spec_of(Pattern::steady, 1, 1);
  spec.memory = MiB{256};
  spec.workload = "api";
  auto count = synthesize(spec, sink);
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, sink.rows.size());
  EXPECT_EQ(sink.rows.size(), all(spec).size());
  ASSERT_FALSE(sink.rows.empty());
  EXPECT_EQ(sink.rows[0].workload, "api");
  EXPECT_EQ(sink.rows[0].memory, MiB{256});
}

TEST(SynthLogWriter, WritesCsvAndJsonLinesRows) {
  SynthSpec spec;
  const SynthRequest r{1736121600.5, 12.3456};
  std::string out;
  LogWriter plain{spec, LogFormat::csv};
  EXPECT_EQ(plain.header(), "timestamp,duration_ms\n");
  plain.append(out, r);
  EXPECT_EQ(out, "1736121600.500000,12.346\n");

  spec.memory = MiB{512};
  spec.workload = "a,\"b\"";
  LogWriter full{spec, LogFormat::csv};
  EXPECT_EQ(full.header(), "timestamp,duration_ms,memory_mib,workload\n");
  out.clear();
  full.append(out, r);
  EXPECT_EQ(out, "1736121600.500000,12.346,512,\"a,\"\"b\"\"\"\n");

  LogWriter json{spec, LogFormat::jsonl};
  EXPECT_EQ(json.header(), "");
  out.clear();
  json.append(out, r);
  EXPECT_EQ(out,
            "{\"timestamp\":1736121600.500000,\"duration_ms\":12.346,\"memory_mib\":512,"
            "\"workload\":\"a,\\\"b\\\"\"}\n");
}

TEST(SynthValidate, RejectsImpossibleSpecsNamingTheField) {
  auto where = [](const SynthSpec& spec) {
    auto ok = validate(spec);
    EXPECT_FALSE(ok);
    EXPECT_EQ(ok ? ErrorCode::internal : ok.error().code, ErrorCode::invalid_argument);
    return ok ? std::string{} : ok.error().where;
  };
  EXPECT_EQ(where(spec_of(Pattern::steady, -1, 1)), "mean_rps");
  EXPECT_EQ(where(spec_of(Pattern::steady, 1, 0)), "hours");
  EXPECT_EQ(where(spec_of(Pattern::steady, NAN, 1)), "mean_rps");
  SynthSpec spec = spec_of(Pattern::steady, 1, 1);
  spec.duration_median = Millis{0};
  EXPECT_EQ(where(spec), "duration_ms");
  spec = spec_of(Pattern::diurnal, 1, 1);
  spec.diurnal.peak_trough_ratio = 0.5;
  EXPECT_EQ(where(spec), "peak_trough_ratio");
  spec = spec_of(Pattern::bursty, 1, 1);
  spec.bursty.gap = Seconds{0};
  EXPECT_EQ(where(spec), "gap_s");
  spec = spec_of(Pattern::steady, 1, 1);
  spec.workload = "a\nb";
  EXPECT_EQ(where(spec), "workload");
  // A month at 1,000 req/s is 1,000 x 730 x 3,600 = 2.6e9 requests: over the default
  // 1e8 limit, accepted once the limit is raised.
  spec = spec_of(Pattern::steady, 1000, 730);
  EXPECT_EQ(where(spec), "max_requests");
  spec.max_requests = 3'000'000'000;
  EXPECT_TRUE(validate(spec));
  // Clusters of 10 requests 60 s apart take 540 s of their own, more than the 10 / 0.1 =
  // 100 s a cycle may last at 0.1 req/s.
  spec = spec_of(Pattern::sparse, 0.1, 1);
  spec.sparse.cluster_size = 10;
  spec.sparse.cluster_gap = Seconds{60};
  EXPECT_EQ(where(spec), "mean_rps");
  // 1e8 h (11,400 years) from 2025 ends past the year 9999.
  EXPECT_EQ(where(spec_of(Pattern::steady, 1e-6, 1e8)), "hours");
  auto pattern = parse_pattern("spiky");
  ASSERT_FALSE(pattern);
  EXPECT_EQ(pattern.error().where, "pattern");
  EXPECT_EQ(*parse_pattern("bursty"), Pattern::bursty);
}

}  // namespace
}  // namespace placer::synth
