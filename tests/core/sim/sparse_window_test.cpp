// A handful of requests over years (the bundled lambda_logs fixture spans 6.7 years with
// five REPORT events): the simulators' work and memory follow the requests, not the
// window. The assertions are on the work the engines report (bins held, bins evaluated,
// HPA syncs simulated), never on elapsed time.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "placer/sim/kubernetes_setup.hpp"
#include "placer/sim/kubernetes_sim.hpp"
#include "placer/sim/lambda_sim.hpp"
#include "placer/sim/workload_trace.hpp"

namespace placer::sim {
namespace {

constexpr double k_year_s = 365.25 * 86400;

// Five requests of 100-140 ms, one every 1.675 years from 2017 on: 6.7 years of window
// (the last request plus one mean gap), 211 million one-second bins.
WorkloadTrace five_over_years() {
  WorkloadTrace t;
  t.name = "sparse";
  t.start_s = 1.5e9;
  const double gap_s = 1.675 * k_year_s;
  for (int i = 0; i < 5; ++i) {
    t.arrival_s.push_back(t.start_s + i * gap_s);
    t.duration_ms.push_back(static_cast<float>(100 + 10 * i));
  }
  t.end_s = t.arrival_s.back() + gap_s;
  t.duration_quantiles_ms = {{0, 100}, {1, 140}};
  t.duration_mean_ms = 120;
  t.duration_scv = 0.02;
  return t;
}

KubernetesSimConfig kubernetes_defaults() {
  KubernetesSimConfig c;  // the upstream defaults
  c.pods_per_node = 4;
  c.slo_ms = 1000;
  return c;
}

ServiceTime constant_ms(double ms) { return ServiceTime{{{0.0, ms}, {1.0, ms}}, ms, 0.0}; }

TEST(SparseWindow, BinsHoldOnlyTheBusyOnes) {
  const WorkloadTrace trace = five_over_years();
  const SparseBins bins = bin_requests_sparse(trace, 1);
  EXPECT_EQ(bins.bins, static_cast<std::size_t>(std::ceil(trace.window_s())));
  EXPECT_GT(bins.bins, 200'000'000u);
  ASSERT_EQ(bins.index.size(), 5u);
  EXPECT_EQ(bins.index.front(), 0u);
  for (double n : bins.requests) {
    EXPECT_EQ(n, 1);
  }
}

// Arrivals out of order (a trace built by hand) over a long window still land in their bins.
TEST(SparseWindow, ArrivalsOutOfOrderLandInTheirBins) {
  WorkloadTrace trace;
  trace.arrival_s = {1e6, 0, 5e5, 5e5 + 0.5};
  trace.duration_ms = {1, 1, 1, 1};
  trace.end_s = 2e6;
  const SparseBins bins = bin_requests_sparse(trace, 1, 0.5);
  EXPECT_EQ(bins.bins, 2'000'000u);
  EXPECT_EQ(bins.index, (std::vector<std::size_t>{0, 500'000, 1'000'000}));
  EXPECT_EQ(bins.requests, (std::vector<double>{0.5, 1, 0.5}));
}

// lower() from any hint agrees with a plain binary search.
TEST(SparseWindow, LowerFindsTheFirstBusyBinFromAnyHint) {
  SparseBins bins;
  bins.bins = 200;
  for (std::size_t i = 3; i < 200; i += 1 + i % 7) {
    bins.index.push_back(i);
    bins.requests.push_back(1);
  }
  for (std::size_t bin = 0; bin <= 200; ++bin) {
    const auto expected = static_cast<std::size_t>(
        std::lower_bound(bins.index.begin(), bins.index.end(), bin) - bins.index.begin());
    for (std::size_t hint = 0; hint <= bins.index.size() + 1; ++hint) {
      ASSERT_EQ(bins.lower(bin, hint), expected) << "bin " << bin << " hint " << hint;
    }
  }
}

// Counted intervals [0, 10) with 10 requests and [5, 15) with 20 in bins of 4 s, by hand:
// [0, 4) 4; [4, 8) 4 + 3 x 2 = 10; [8, 12) 2 + 4 x 2 = 10; [12, 16) 3 x 2 = 6. Overlapping
// intervals revisit bins; the dense series is the sparse one with its zeros.
TEST(SparseWindow, OverlappingIntervalsSumPerBinAsTheDenseSeries) {
  WorkloadTrace trace;
  trace.intervals = {{0, 10, 10}, {5, 10, 20}};
  trace.end_s = 15;
  const SparseBins sparse = bin_requests_sparse(trace, 4, 1);
  EXPECT_EQ(sparse.bins, 4u);
  EXPECT_EQ(sparse.index, (std::vector<std::size_t>{0, 1, 2, 3}));
  EXPECT_EQ(sparse.requests, (std::vector<double>{4, 10, 10, 6}));
  EXPECT_EQ(bin_requests(trace, 4, 1).requests, dense_requests(sparse));
  trace.intervals.push_back({40, 4, 8});  // a quiet stretch, then one more interval
  trace.end_s = 44;
  const SparseBins gap = bin_requests_sparse(trace, 4, 0.5);
  EXPECT_EQ(gap.bins, 11u);
  EXPECT_EQ(gap.index, (std::vector<std::size_t>{0, 1, 2, 3, 10}));
  EXPECT_EQ(gap.requests, (std::vector<double>{2, 5, 5, 3, 4}));
  EXPECT_EQ(bin_requests(trace, 4, 0.5).requests, dense_requests(gap));
}

// Each request keeps the autoscaler ticking for at most its metric lag and window, the
// scale-down stabilization and a node's scale-down delay: (15 + 15 + 300 + 600) / 15 = 62
// syncs, and a few more for pods on their way. Every other sync is crossed at once.
TEST(SparseWindow, KubernetesSimulatesTheSyncsNearRequestsOnly) {
  const WorkloadTrace trace = five_over_years();
  const SparseBins arrivals = kubernetes_arrivals(trace, 1);
  EXPECT_EQ(arrivals.index.size(), 5u);
  const KubernetesSimConfig c = kubernetes_defaults();
  auto r = simulate_kubernetes(arrivals, constant_ms(120), c);
  ASSERT_TRUE(r) << describe(r.error());
  const auto syncs = static_cast<std::int64_t>(std::ceil(arrivals.window_s() / c.hpa_sync_s));
  EXPECT_GT(syncs, 14'000'000);
  EXPECT_EQ(r->hpa_ticks + r->idle_ticks, syncs);
  EXPECT_LE(r->hpa_ticks, 5 * 70);
  EXPECT_EQ(r->requests, 5);
  EXPECT_EQ(r->peak_replicas, 1);
  EXPECT_NEAR(r->replica_hours, trace.window_s() / 3600, 1e-6 * trace.window_s() / 3600);
  EXPECT_GT(r->mean_cpu_utilization, 0);
  EXPECT_LT(r->mean_cpu_utilization, 1e-8);  // 0.6 s of work in 6.7 years
}

// Two bursts of 200 req/s for two minutes (25 pods at 100 ms, 7 nodes of 4), a day or five
// years apart. After the first the cluster settles back to one pod on one node; the second
// then plays out the same way in both traces, on the same number of simulated syncs.
TEST(SparseWindow, AQuietStretchOfYearsCostsNoMoreThanOneOfADay) {
  auto two_bursts = [](std::size_t gap_s) {
    SparseBins a;
    a.bin_s = 1;
    a.bins = gap_s + 3600;
    for (std::size_t start : {std::size_t{0}, gap_s}) {
      for (std::size_t i = start; i < start + 120; ++i) {
        a.index.push_back(i);
        a.requests.push_back(200);
      }
    }
    return a;
  };
  const std::size_t day = 86'400;
  const std::size_t years = 157'788'000;  // five years of 365.25 days, whole syncs
  const KubernetesSimConfig c = kubernetes_defaults();
  auto near = simulate_kubernetes(two_bursts(day), constant_ms(100), c);
  auto far = simulate_kubernetes(two_bursts(years), constant_ms(100), c);
  ASSERT_TRUE(near) << describe(near.error());
  ASSERT_TRUE(far) << describe(far.error());
  EXPECT_EQ(near->hpa_ticks, far->hpa_ticks);
  EXPECT_LT(near->hpa_ticks, 400);
  EXPECT_GT(far->idle_ticks, 10'000'000);
  EXPECT_EQ(near->peak_replicas, far->peak_replicas);
  EXPECT_EQ(near->hpa_scale_ups, far->hpa_scale_ups);
  EXPECT_EQ(near->hpa_scale_downs, far->hpa_scale_downs);
  EXPECT_EQ(near->latency.p99_ms, far->latency.p99_ms);
  EXPECT_EQ(near->requests_backlogged, far->requests_backlogged);
  // The second burst's change points, shifted by the difference of the gaps.
  auto second = [](const KubernetesSimResult& r, double from_s, double shift_s) {
    std::vector<ReplicaPoint> out;
    for (const ReplicaPoint& p : r.replicas) {
      if (p.time_s >= from_s) {
        out.push_back({p.time_s - shift_s, p.replicas, p.ready_replicas});
      }
    }
    return out;
  };
  const auto a = second(*near, day, 0);
  const auto b = second(*far, years, static_cast<double>(years - day));
  ASSERT_EQ(a.size(), b.size());
  ASSERT_GT(a.size(), 2u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].time_s, b[i].time_s) << i;
    EXPECT_EQ(a[i].replicas, b[i].replicas) << i;
    EXPECT_EQ(a[i].ready_replicas, b[i].ready_replicas) << i;
  }
}

LambdaSimConfig lambda_defaults() {
  LambdaSimConfig c;
  c.memory_mib = 512;
  c.cold_start.fixed_ms = 300;
  return c;
}

// The fluid model evaluates each busy bin and the keep-alive after it: bins of 60 s and a
// mean keep-alive of 360 s, so at most 6 per request, of 3.5 million in the window.
TEST(SparseWindow, FluidLambdaEvaluatesTheBinsNearRequestsOnly) {
  const WorkloadTrace trace = five_over_years();
  LambdaSimConfig c = lambda_defaults();
  c.engine = LambdaEngine::fluid;
  auto r = simulate_lambda(trace, c);
  ASSERT_TRUE(r) << describe(r.error());
  EXPECT_EQ(r->engine, LambdaEngine::fluid);
  EXPECT_LE(r->fluid_bins, 5u * 6);
  EXPECT_GE(r->fluid_bins, 5u);
  EXPECT_DOUBLE_EQ(r->requests, 5);
  EXPECT_NEAR(r->cold_starts, 5, 1e-9);  // years apart: every one cold
}

// The environments-over-time series: bins of 60 s up to timeline_max_bins, then whole
// multiples of 60 s; the time-averaged environments do not depend on the bins.
TEST(SparseWindow, TheEnvironmentsSeriesStaysWithinItsBinBound) {
  const WorkloadTrace trace = five_over_years();
  LambdaSimConfig c = lambda_defaults();
  c.engine = LambdaEngine::event;
  c.timeline_max_bins = 1000;
  auto r = simulate_lambda(trace, c);
  ASSERT_TRUE(r) << describe(r.error());
  EXPECT_LE(r->environments.values.size(), 1001u);
  EXPECT_GT(r->environments.bin_s, 60);
  EXPECT_EQ(std::fmod(r->environments.bin_s, 60.0), 0.0);
  c.timeline_max_bins = 1;
  auto one = simulate_lambda(trace, c);
  ASSERT_TRUE(one) << describe(one.error());
  EXPECT_EQ(one->environments.values.size(), 1u);
  EXPECT_EQ(one->mean_environments, r->mean_environments);
  EXPECT_EQ(one->cold_starts, 5);
  c.timeline_max_bins = 0;
  EXPECT_FALSE(simulate_lambda(trace, c));
}

}  // namespace
}  // namespace placer::sim
