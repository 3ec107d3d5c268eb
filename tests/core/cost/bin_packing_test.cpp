// First-fit decreasing against hand-worked packings.
#include "placer/cost/bin_packing.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace placer {
namespace {

// An m5.large as the EKS table gives it: 1930m, 6903 MiB, 29 pods.
NodeAllocatable m5_large() {
  NodeAllocatable node;
  node.cpu = Millicores{1930};
  node.memory = MiB{6903};
  node.max_pods = 29;
  return node;
}

TEST(PackPods, CpuBoundPodsFillThreePerNode) {
  // 500m each: 4 x 500 = 2000m > 1930m, so 3 per node; 10 pods need 4 nodes.
  std::vector<PodRequest> pods(10, PodRequest{Millicores{500}, MiB{1024}});
  auto packing = pack_pods(pods, m5_large(), NodeOverhead{});
  ASSERT_TRUE(packing);
  EXPECT_EQ(packing->node_count(), 4u);
  EXPECT_EQ(packing->nodes[0].size(), 3u);
  EXPECT_EQ(packing->nodes[3].size(), 1u);
}

TEST(PackPods, MemoryBoundPodsAndDaemonSetOverhead) {
  // 100m / 2000 MiB: 3 fit in 6903 MiB; with 1000 MiB of DaemonSets, only 2 (5903 MiB).
  std::vector<PodRequest> pods(6, PodRequest{Millicores{100}, MiB{2000}});
  auto packing = pack_pods(pods, m5_large(), NodeOverhead{});
  ASSERT_TRUE(packing);
  EXPECT_EQ(packing->node_count(), 2u);
  packing = pack_pods(pods, m5_large(), NodeOverhead{Millicores{0}, MiB{1000}, 2});
  ASSERT_TRUE(packing);
  EXPECT_EQ(packing->node_count(), 3u);
}

TEST(PackPods, PodLimitBindsForTinyPods) {
  // 29 pods per node, 3 taken by DaemonSets: 26 tiny pods per node; 27 pods need 2 nodes.
  std::vector<PodRequest> pods(27, PodRequest{Millicores{1}, MiB{1}});
  auto packing = pack_pods(pods, m5_large(), NodeOverhead{Millicores{0}, MiB{0}, 3});
  ASSERT_TRUE(packing);
  EXPECT_EQ(packing->node_count(), 2u);
}

TEST(PackPods, LargestFirstFillsGapsWithSmallPods) {
  // 1500m + 400m fit one node; 1500m + 400m another: FFD pairs them, 2 nodes.
  std::vector<PodRequest> pods{{Millicores{400}, MiB{10}},
                               {Millicores{1500}, MiB{10}},
                               {Millicores{400}, MiB{10}},
                               {Millicores{1500}, MiB{10}}};
  auto packing = pack_pods(pods, m5_large(), NodeOverhead{});
  ASSERT_TRUE(packing);
  EXPECT_EQ(packing->node_count(), 2u);
  EXPECT_EQ(packing->nodes[0], (std::vector<std::size_t>{1, 0}));
}

TEST(PackPods, NoPodsNeedNoNodes) {
  auto packing = pack_pods({}, m5_large(), NodeOverhead{});
  ASSERT_TRUE(packing);
  EXPECT_EQ(packing->node_count(), 0u);
}

TEST(PackPods, RejectsAPodLargerThanANode) {
  std::vector<PodRequest> pods{{Millicores{100}, MiB{10}}, {Millicores{2000}, MiB{10}}};
  auto packing = pack_pods(pods, m5_large(), NodeOverhead{});
  ASSERT_FALSE(packing);
  EXPECT_EQ(packing.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(packing.error().where, "pods[1]");
}

TEST(PackPods, RejectsOverheadThatFillsTheNode) {
  auto packing = pack_pods({}, m5_large(), NodeOverhead{Millicores{1930}, MiB{0}, 0});
  ASSERT_FALSE(packing);
  EXPECT_EQ(packing.error().where, "overhead");
}

}  // namespace
}  // namespace placer
