#include "placer/sim/kubernetes_setup.hpp"

#include <gtest/gtest.h>

#include "../../test_catalog.hpp"

namespace placer::sim {
namespace {

ModelSet shipped() {
  auto models = load_models(std::string{PLACER_SOURCE_DATA_DIR} + "/../models");
  EXPECT_TRUE(models);
  return models ? *models : ModelSet{};
}

WorkloadTrace small_trace() {
  WorkloadTrace t;
  t.arrival_s = {0, 1, 2};
  t.duration_ms = {10, 20, 30};
  t.duration_quantiles_ms = {{0, 10}, {1, 30}};
  t.duration_mean_ms = 20;
  t.end_s = 3;
  return t;
}

// Pods per node from Karpenter's published allocatable for m6i.large (1,930m CPU,
// 6,903 MiB, 29 pods; PRICING.md §3): 500m/512 MiB pods fit 3 (CPU-bound); 100m/2,048 MiB
// pods fit 3 (memory-bound); 10m/64 MiB pods are capped by max pods, 29.
TEST(KubernetesSetup, PodsPerNodeComeFromAllocatable) {
  const ModelSet models = shipped();
  const PricingCatalog& catalog = placer::testing::bundled_catalog();
  KubernetesDeployment d;
  d.instance_type = "m6i.large";
  d.pod_cpu_millicores = 500;
  d.pod_memory_mib = 512;
  EXPECT_EQ(kubernetes_config(models, catalog, d, small_trace())->pods_per_node, 3);
  d.pod_cpu_millicores = 100;
  d.pod_memory_mib = 2048;
  EXPECT_EQ(kubernetes_config(models, catalog, d, small_trace())->pods_per_node, 3);
  d.pod_cpu_millicores = 10;
  d.pod_memory_mib = 64;
  EXPECT_EQ(kubernetes_config(models, catalog, d, small_trace())->pods_per_node, 29);
  d.daemonsets.pods = 4;  // kube-proxy, CNI, ... take pod slots too
  EXPECT_EQ(kubernetes_config(models, catalog, d, small_trace())->pods_per_node, 25);
}

TEST(KubernetesSetup, ParametersFlowIntoTheConfig) {
  ModelSet models = shipped();
  ASSERT_TRUE(models.set("k8s.pod_start_s=3"));
  ASSERT_TRUE(models.set("k8s.app_init_s=4"));
  ASSERT_TRUE(models.set("k8s.min_replicas=2"));
  const PricingCatalog& catalog = placer::testing::bundled_catalog();
  auto c = kubernetes_config(models, catalog, KubernetesDeployment{}, small_trace());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->pod_start_s, 7);
  EXPECT_EQ(c->min_replicas, 2);
  EXPECT_EQ(c->hpa_sync_s, 15);
  EXPECT_EQ(c->metric, HpaMetric::cpu_utilization);
  EXPECT_EQ(c->slo_ms, 1000);
  ASSERT_TRUE(models.set("k8s.hpa_target_rps_per_pod=50"));
  c = kubernetes_config(models, catalog, KubernetesDeployment{}, small_trace());
  EXPECT_EQ(c->metric, HpaMetric::requests_per_pod);
  EXPECT_EQ(c->target_requests_per_pod_per_s, 50);
}

TEST(KubernetesSetup, ErrorsNameTheProblem) {
  const ModelSet models = shipped();
  const PricingCatalog& catalog = placer::testing::bundled_catalog();
  KubernetesDeployment d;
  d.instance_type = "m9z.huge";
  EXPECT_EQ(kubernetes_config(models, catalog, d, small_trace()).error().code, ErrorCode::not_found);
  d.instance_type = "t3.medium";
  d.pod_memory_mib = 8192;
  auto big = kubernetes_config(models, catalog, d, small_trace());
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().message.find("does not fit a t3.medium"), std::string::npos)
      << big.error().message;
}

}  // namespace
}  // namespace placer::sim
