// Google Benchmark of the simulators: the Kubernetes simulation over a month of per-second
// bins (target: under 50 ms on one core), and its inner math: Erlang C is evaluated once
// per distinct (servers, load) group, so Erlang B must stay O(c).
//   cmake --preset bench && cmake --build --preset bench && build/bench/bench/placer_bench
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <numbers>
#include <random>

#include "placer/sim/kubernetes_sim.hpp"
#include "placer/sim/queueing.hpp"

namespace {

void BM_ErlangB(benchmark::State& state) {
  const int servers = static_cast<int>(state.range(0));
  const double load = 0.8 * servers;
  for (auto _ : state) {
    benchmark::DoNotOptimize(placer::sim::erlang_b(servers, load));
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_ErlangB)->Arg(10)->Arg(100)->Arg(1000)->Complexity(benchmark::oN);

void BM_ResponsePercentile(benchmark::State& state) {
  const placer::sim::MmcQueue q{100.0, 20.0, 6};
  for (auto _ : state) {
    benchmark::DoNotOptimize(placer::sim::response_percentile(q, 0.99));
  }
}
BENCHMARK(BM_ResponsePercentile);

// A month (30 days) of per-second Poisson counts around a diurnal mean of 300 rps
// (90 rps at night, 510 rps at the afternoon peak). With `spikes`, every 6 hours the rate
// triples for 2 minutes, faster than the HPA can follow: the backlog path runs.
const placer::sim::BinnedArrivals& month(bool spikes) {
  static const auto make = [](bool with_spikes) {
    placer::sim::BinnedArrivals a;
    constexpr int k_seconds = 30 * 86400;
    a.requests.reserve(k_seconds);
    std::mt19937_64 rng(42);
    for (int t = 0; t < k_seconds; ++t) {
      double rate = 300.0 * (1.0 - 0.7 * std::cos(2 * std::numbers::pi * t / 86400.0));
      if (with_spikes && t % 21600 < 120) {
        rate *= 3;
      }
      a.requests.push_back(static_cast<double>(std::poisson_distribution<int>(rate)(rng)));
    }
    return a;
  };
  static const placer::sim::BinnedArrivals smooth = make(false);
  static const placer::sim::BinnedArrivals spiky = make(true);
  return spikes ? spiky : smooth;
}

void BM_KubernetesMonth(benchmark::State& state) {
  using namespace placer::sim;
  const BinnedArrivals& arrivals = month(state.range(0) != 0);
  const ServiceTime service{{{0.0, 20}, {0.5, 80}, {0.9, 150}, {0.99, 400}, {1.0, 1000}}, 100, 1.5};
  KubernetesSimConfig config;
  config.pods_per_node = 16;
  config.slo_ms = 500;
  config.max_replicas = 1000;
  int groups = 0;
  for (auto _ : state) {
    auto result = simulate_kubernetes(arrivals, service, config);
    if (!result) {
      std::abort();
    }
    groups = result->queue_groups;
    benchmark::DoNotOptimize(result);
  }
  state.counters["groups"] = groups;
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(arrivals.requests.size()));
}
BENCHMARK(BM_KubernetesMonth)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
