// Google Benchmark of the cost models: the recommendation engine prices thousands of
// candidates per workload, so these are on its hot path.
//   cmake --preset bench && cmake --build --preset bench && build/bench/bench/placer_bench
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <vector>

#include "placer/cost/bin_packing.hpp"
#include "placer/cost/fargate.hpp"
#include "placer/cost/kubernetes.hpp"
#include "placer/cost/lambda.hpp"

namespace {

const placer::PricingCatalog& catalog() {
  static const placer::PricingCatalog c = [] {
    auto loaded = placer::load_pricing_catalog(PLACER_SOURCE_DATA_DIR "/pricing/aws-us-east-1.json");
    if (!loaded) {
      std::abort();
    }
    return *loaded;
  }();
  return c;
}

void BM_LoadCatalog(benchmark::State& state) {
  for (auto _ : state) {
    auto c = placer::load_pricing_catalog(PLACER_SOURCE_DATA_DIR "/pricing/aws-us-east-1.json");
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_LoadCatalog);

void BM_LambdaCost(benchmark::State& state) {
  using namespace placer;
  LambdaUsage u;
  u.memory = MiB{1536};
  u.requests = Requests{2.5e6};
  u.billed_duration = billed_duration(u.requests, Millis{120}, catalog().lambda);
  u.provisioned = {100, Hours{8}, Requests{5e5}, Millis{5e7}};
  u.free_tier = FreeTier::on;
  for (auto _ : state) {
    auto bill = lambda_cost(u, catalog().lambda);
    benchmark::DoNotOptimize(bill);
  }
}
BENCHMARK(BM_LambdaCost);

void BM_FargateBilledSize(benchmark::State& state) {
  using namespace placer;
  for (auto _ : state) {
    auto size = fargate_billed_size(Millicores{1000}, MiB{8192}, catalog().fargate);
    benchmark::DoNotOptimize(size);
  }
}
BENCHMARK(BM_FargateBilledSize);

void BM_PackPods(benchmark::State& state) {
  using namespace placer;
  const InstanceType* type = catalog().find_instance_type("m5.xlarge");
  NodeAllocatable node = node_allocatable(*type, catalog().eks.node_reservation);
  std::vector<PodRequest> pods;
  for (int64_t i = 0; i < state.range(0); ++i) {
    pods.push_back(PodRequest{Millicores{static_cast<double>(100 + (i * 37) % 900)},
                              MiB{static_cast<double>(128 + (i * 53) % 2048)}});
  }
  for (auto _ : state) {
    auto packing = pack_pods(pods, node, NodeOverhead{});
    benchmark::DoNotOptimize(packing);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PackPods)->Arg(100)->Arg(1000)->Arg(10000);

}  // namespace
