// The recommender on scenarios whose answer can be worked out by hand (the four),
// each with the arithmetic in its comment.
#include "placer/analysis/analysis.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "../../test_catalog.hpp"
#include "placer/sim/random.hpp"

namespace placer::analysis {
namespace {

ModelSet shipped() {
  auto models = load_models(std::string{PLACER_SOURCE_DATA_DIR} + "/../models");
  EXPECT_TRUE(models) << (models ? "" : describe(models.error()));
  return models ? *models : ModelSet{};
}

// Durations: lognormal with median `median_ms` and log-sd 0.2, as 1,001 quantiles.
std::vector<Quantile> lognormal_quantiles(double median_ms) {
  std::vector<Quantile> q;
  for (int k = 0; k <= 1000; ++k) {
    const double p = std::clamp(k / 1000.0, 1e-4, 1 - 1e-4);
    double lo = -8;
    double hi = 8;
    for (int i = 0; i < 80; ++i) {
      const double mid = (lo + hi) / 2;
      (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
    }
    q.push_back({k / 1000.0, median_ms * std::exp(0.2 * lo)});
  }
  return q;
}

// A counted trace: `rps(t)` requests per second, counted per `bin_s`, over `hours`.
template <typename Rate>
sim::WorkloadTrace counted(double hours, double bin_s, double median_ms, Rate rps) {
  sim::WorkloadTrace t;
  t.name = "scenario";
  t.duration_quantiles_ms = lognormal_quantiles(median_ms);
  t.duration_mean_ms = median_ms * std::exp(0.02);
  t.duration_scv = std::exp(0.04) - 1;
  for (double s = 0; s < hours * 3600; s += bin_s) {
    const double n = std::round(rps(s) * bin_s);
    t.intervals.push_back({s, bin_s, n});
  }
  t.start_s = 0;
  t.end_s = hours * 3600;
  return t;
}

// Exact arrivals: one request every `gap_s` seconds, jittered by up to 10%.
sim::WorkloadTrace sparse(double hours, double gap_s, double median_ms) {
  sim::WorkloadTrace t;
  t.name = "sparse";
  sim::Random random{5};
  for (double s = 0; s < hours * 3600; s += gap_s * random.uniform(0.9, 1.1)) {
    t.arrival_s.push_back(s);
    t.duration_ms.push_back(static_cast<float>(median_ms));
  }
  t.duration_quantiles_ms = {{0, median_ms}, {1, median_ms}};
  t.duration_mean_ms = median_ms;
  t.start_s = 0;
  t.end_s = hours * 3600;
  return t;
}

const Candidate& recommended(const Analysis& a) {
  EXPECT_TRUE(a.recommendation.candidate.has_value());
  return a.candidates.at(*a.recommendation.candidate);
}

// Steady, CPU-bound traffic: 200 req/s of 50 ms at 1,769 MiB (one vCPU) all day.
// Lambda arm64 per request: 1.727 GiB x 0.05 s x $0.0000133334 + $0.0000002 = $1.35e-6,
// x 525.6 M requests a month = ~$710 (x86 ~$860). Kubernetes: a 900m pod at the HPA's 80%
// serves 0.8 / 0.05 = 16 req/s, so ~13 pods; m6i.large (1,930m allocatable) holds 2 of them
// at $0.096/h: ~7 nodes x $70 + $73 control plane = ~$560. Kubernetes is cheaper.
TEST(AnalysisScenario, SteadyHighTrafficGoesToKubernetes) {
  const auto trace = counted(24, 1, 50, [](double) { return 200.0; });
  WorkloadAttributes attributes;
  attributes.memory_mib = 1769;
  attributes.cpu_bound_share = 1;
  attributes.pod_cpu_millicores = 900;
  AnalysisOptions options;
  options.what_if = {0.1, 10};
  auto a = analyze(trace, attributes, options, shipped(), placer::testing::bundled_catalog());
  ASSERT_TRUE(a) << describe(a.error());
  const Candidate& c = recommended(*a);
  EXPECT_EQ(c.platform, Platform::kubernetes) << c.description;
  EXPECT_EQ(a->recommendation.verdict, "clear");
  ASSERT_TRUE(a->recommendation.best_alternative);
  EXPECT_GT(a->candidates[*a->recommendation.best_alternative].monthly_cost_usd, 600);
  EXPECT_LT(c.monthly_cost_usd, 700);
  // At a tenth of the traffic Lambda is cheaper: a crossing below 1 exists.
  ASSERT_TRUE(a->break_even_multiplier);
  EXPECT_LT(*a->break_even_multiplier, 1);
  EXPECT_EQ(a->what_if.front().platform, Platform::lambda);
  EXPECT_FALSE(a->recommendation.reasons.empty());
}

// One 100 ms request every ~10 minutes: ~4,300 a month. Lambda costs cents (4,300 x 0.1 s x
// 0.5 GiB x $0.0000133334 + requests = ~$0.004, plus INIT on each cold start); the cheapest
// node is ~$30 a month plus $73 of control plane. Lambda by far.
TEST(AnalysisScenario, SparseTrafficGoesToLambda) {
  const auto trace = sparse(48, 600, 100);
  WorkloadAttributes attributes;
  attributes.memory_mib = 512;
  auto a = analyze(trace, attributes, AnalysisOptions{}, shipped(), placer::testing::bundled_catalog());
  ASSERT_TRUE(a) << describe(a.error());
  const Candidate& c = recommended(*a);
  EXPECT_EQ(c.platform, Platform::lambda);
  EXPECT_LT(c.monthly_cost_usd, 1.0);
  EXPECT_GT(a->recommendation.savings_pct, 95);
  EXPECT_GT(c.cold_start_ratio, 0.9);  // gaps of 9-11 min outlast the 5-7 min keep-alive
}

// Java 21 at 512 MiB, one request every ~10 minutes (every one cold), p99 SLO 300 ms. A cold
// start is 100 ms overhead + Init (java21 lognormal, p50 238.5 / p95 301 ms) + 10 x 1024/512
// = 20 ms first invocation + 100 ms of work: at least 440 ms, so on-demand Lambda misses
// the SLO. One provisioned environment serves every request warm (100 ms) for ~$5.5 a
// month of PC (0.5 GiB x 2.63 M s x $0.0000041667), far below a node.
TEST(AnalysisScenario, TightSloWithJavaAndSparseTrafficNeedsProvisionedConcurrency) {
  const auto trace = sparse(48, 600, 100);
  WorkloadAttributes attributes;
  attributes.runtime = "java21";
  attributes.memory_mib = 512;
  attributes.slo_p99_ms = 300;
  auto a = analyze(trace, attributes, AnalysisOptions{}, shipped(), placer::testing::bundled_catalog());
  ASSERT_TRUE(a) << describe(a.error());
  for (const Candidate& c : a->candidates) {
    if (c.platform == Platform::lambda && c.provisioned_concurrency == 0) {
      EXPECT_FALSE(c.slo_met) << c.description << " p99 " << c.latency.p99_ms;
      EXPECT_GT(c.latency.p99_ms, 440) << c.description;
    }
  }
  const Candidate& c = recommended(*a);
  EXPECT_TRUE(c.platform != Platform::lambda || c.provisioned_concurrency > 0) << c.description;
  EXPECT_EQ(c.platform, Platform::lambda);
  EXPECT_GE(c.provisioned_concurrency, 1);
  EXPECT_LT(c.monthly_cost_usd, 15);
}

// Bursts: 5 minutes at 50 req/s of 200 ms every 2 hours, silent in between. A burst needs
// 50 x 0.2 = 10 requests in flight at once. Kubernetes idles at its one minimum pod: the HPA
// sees the burst 15-30 s late, adds at most max(4, 100%) pods per 15 s, each ready 7 s
// later and on a new node 60 s later, so the first minute of every burst queues far past
// the 1 s SLO; meeting it would mean paying for ~13 idle pods all day. Lambda starts ~10
// environments per burst (cold starts on 0.07% of requests) and costs ~$3 a month.
TEST(AnalysisScenario, BurstyTraceWithLongIdleGapsGoesToLambda) {
  const auto trace = counted(24, 1, 200, [](double s) {
    return std::fmod(s, 7200.0) < 300 ? 50.0 : 0.0;
  });
  WorkloadAttributes attributes;
  attributes.memory_mib = 512;
  attributes.slo_p99_ms = 1000;
  auto a = analyze(trace, attributes, AnalysisOptions{}, shipped(), placer::testing::bundled_catalog());
  ASSERT_TRUE(a) << describe(a.error());
  const Candidate& c = recommended(*a);
  EXPECT_EQ(c.platform, Platform::lambda) << c.description;
  for (const Candidate& k : a->candidates) {
    if (k.platform == Platform::kubernetes) {
      EXPECT_FALSE(k.slo_met) << k.description << " p99 " << k.latency.p99_ms;
    }
  }
  EXPECT_LT(c.cold_start_ratio, 0.01);
}

// Five requests of 100 ms spread over 6.7 years (as the bundled lambda_logs fixture): 211
// million one-second bins, 14 million HPA syncs. Each candidate's simulation works on the
// requests and the syncs near them only (the Kubernetes ones at most ~70 syncs a request:
// metric lag, scale-down stabilization, node scale-down), and Lambda wins by far.
TEST(AnalysisScenario, AHandfulOfRequestsOverYearsAnalysesWithBoundedWork) {
  sim::WorkloadTrace trace;
  trace.name = "years";
  trace.start_s = 1.5e9;
  const double gap_s = 1.675 * 365.25 * 86400;
  for (int i = 0; i < 5; ++i) {
    trace.arrival_s.push_back(trace.start_s + i * gap_s);
    trace.duration_ms.push_back(100);
  }
  trace.end_s = trace.arrival_s.back() + gap_s;
  trace.duration_quantiles_ms = {{0, 100}, {1, 100}};
  trace.duration_mean_ms = 100;
  WorkloadAttributes attributes;
  attributes.memory_mib = 512;
  AnalysisOptions options;
  options.what_if = {10, 1000};
  auto a = analyze(trace, attributes, options, shipped(), placer::testing::bundled_catalog());
  ASSERT_TRUE(a) << describe(a.error());
  EXPECT_GT(a->trace.window_s, 2e8);
  ASSERT_FALSE(a->candidates.empty());
  for (const Candidate& c : a->candidates) {
    EXPECT_GT(c.simulated_steps, 0) << c.id;
    EXPECT_LE(c.simulated_steps, 5 * 70) << c.id;
  }
  const Candidate& c = recommended(*a);
  EXPECT_EQ(c.platform, Platform::lambda);
  EXPECT_EQ(c.cold_start_ratio, 1);
  EXPECT_EQ(a->what_if.size(), 2u);
}

TEST(Analysis, SameSeedSameAnswer) {
  const auto trace = sparse(24, 300, 100);
  const ModelSet models = shipped();
  auto a = analyze(trace, WorkloadAttributes{}, AnalysisOptions{}, models, placer::testing::bundled_catalog());
  auto b = analyze(trace, WorkloadAttributes{}, AnalysisOptions{}, models, placer::testing::bundled_catalog());
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->candidates.size(), b->candidates.size());
  for (std::size_t i = 0; i < a->candidates.size(); ++i) {
    EXPECT_EQ(a->candidates[i].monthly_cost_usd, b->candidates[i].monthly_cost_usd);
    EXPECT_EQ(a->candidates[i].latency.p99_ms, b->candidates[i].latency.p99_ms);
  }
}

TEST(Analysis, AllowedPlatformsAndCostViews) {
  const auto trace = sparse(24, 60, 100);
  WorkloadAttributes attributes;
  attributes.allowed = {Platform::kubernetes};
  AnalysisOptions options;
  options.k8s_cost_view = CostView::shared;
  auto a = analyze(trace, attributes, options, shipped(), placer::testing::bundled_catalog());
  ASSERT_TRUE(a);
  for (const Candidate& c : a->candidates) {
    EXPECT_EQ(c.platform, Platform::kubernetes);
    // Shared: one 1000m pod all month on m6i.large (1,930m allocatable: 51.8% of it) at
    // $0.096/h grossed up for 30% headroom is 730 x 0.096 x 0.518 / 0.7 = $51.9, less
    // than the dedicated node plus control plane ($70.08 + $73).
    EXPECT_LT(c.shared_cost_usd, c.dedicated_cost_usd);
    EXPECT_EQ(c.monthly_cost_usd, c.shared_cost_usd);
    if (c.instance_type == "m6i.large") {
      EXPECT_NEAR(c.shared_cost_usd, 730 * 0.096 * 1000 / 1930 / 0.7, 0.5);
    }
  }
  EXPECT_EQ(a->recommendation.cost_view, CostView::shared);
}

TEST(Analysis, RejectsBadOptions) {
  const auto trace = sparse(1, 60, 100);
  AnalysisOptions options;
  options.what_if = {0};
  auto a = analyze(trace, WorkloadAttributes{}, options, shipped(), placer::testing::bundled_catalog());
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().where, "what_if");
}

}  // namespace
}  // namespace placer::analysis
