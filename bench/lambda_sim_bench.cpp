// Google Benchmark of the Lambda simulator (issue: at least 20 million requests per second
// on one core for a warm-heavy trace; the fluid model on a month of per-second bins).
//   cmake --preset bench && cmake --build --preset bench && build/bench/bench/placer_bench
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "placer/sim/lambda_sim.hpp"
#include "placer/sim/random.hpp"

namespace {

using namespace placer::sim;

LambdaSimConfig config() {
  LambdaSimConfig c;
  c.memory_mib = 512;
  c.cold_start.overhead_ms = 100;
  c.cold_start.init_median_ms = 84;
  c.cold_start.init_sigma = 0.135;
  c.concurrency_limit = 100000;
  return c;
}

// Warm-heavy: Poisson arrivals at `rps` with 50 ms lognormal durations, 10 million requests.
struct Trace {
  std::vector<double> arrival_s;
  std::vector<float> duration_ms;
};
const Trace& warm_trace(double rps) {
  static std::vector<std::pair<double, Trace>> cache;
  for (auto& [r, t] : cache) {
    if (r == rps) {
      return t;
    }
  }
  Trace t;
  Random random{1};
  double now = 0;
  for (int i = 0; i < 10'000'000; ++i) {
    now += random.exponential() / rps;
    t.arrival_s.push_back(now);
    t.duration_ms.push_back(static_cast<float>(random.lognormal(50, 0.5)));
  }
  cache.emplace_back(rps, std::move(t));
  return cache.back().second;
}

void BM_LambdaEventSimulation(benchmark::State& state) {
  const Trace& t = warm_trace(static_cast<double>(state.range(0)));
  const LambdaSimConfig c = config();
  double cold = 0;
  for (auto _ : state) {
    auto r = simulate_lambda_events(t.arrival_s, t.duration_ms, 0, t.arrival_s.back() + 1, c);
    cold = r.cold_start_ratio;
    benchmark::DoNotOptimize(r);
  }
  state.counters["requests_per_s"] = benchmark::Counter(
      static_cast<double>(t.arrival_s.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
  state.counters["cold_start_ratio"] = cold;
}
// 100 rps (mean concurrency 5.6), 1,000 rps (56), 10,000 rps (560).
BENCHMARK(BM_LambdaEventSimulation)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// A month (30 days) of per-second bins with a diurnal pattern around 200 req/s.
void BM_LambdaFluidMonthPerSecond(benchmark::State& state) {
  BinnedRequests bins;
  bins.bin_s = 1;
  Random random{2};
  for (int s = 0; s < 30 * 86400; ++s) {
    const double rps = 200 * (1.0 - 0.8 * std::cos(2 * 3.14159265358979 * s / 86400.0));
    bins.requests.push_back(std::floor(rps + random.uniform()));
  }
  std::vector<placer::Quantile> durations;
  for (int k = 0; k <= 1000; ++k) {
    durations.push_back({k / 1000.0, 20 + 60.0 * k / 1000.0});
  }
  const LambdaSimConfig c = config();  // the fluid model re-bins to lambda.fluid_bin_s (60 s)
  for (auto _ : state) {
    auto r = simulate_lambda_fluid(bins, durations, 0, 30 * 86400.0, c);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_LambdaFluidMonthPerSecond)->Unit(benchmark::kMillisecond);

}  // namespace
