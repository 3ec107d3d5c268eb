// Google Benchmark of the simulators' inner math: the Kubernetes simulation evaluates
// Erlang C once per distinct (servers, load) group, so Erlang B must stay O(c).
//   cmake --preset bench && cmake --build --preset bench && build/bench/bench/placer_bench
#include <benchmark/benchmark.h>

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

}  // namespace
