#include "placer/cost/bin_packing.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace placer {
namespace {

struct OpenNode {
  Millicores cpu;
  MiB memory;
  int pods;
};

std::string pod_where(std::size_t i) { return "pods[" + std::to_string(i) + "]"; }

}  // namespace

Result<Packing> pack_pods(std::span<const PodRequest> pods, const NodeAllocatable& node,
                          const NodeOverhead& overhead) {
  const Millicores free_cpu = node.cpu - overhead.cpu;
  const MiB free_memory = node.memory - overhead.memory;
  const int free_pods = node.max_pods - overhead.pods;
  if (free_cpu <= Millicores{0} || free_memory <= MiB{0} || free_pods <= 0) {
    return fail(ErrorCode::invalid_argument,
                "per-node overhead leaves no room for pods on this node type", "overhead");
  }
  for (std::size_t i = 0; i < pods.size(); ++i) {
    const PodRequest& pod = pods[i];
    if (!std::isfinite(pod.cpu.value()) || !std::isfinite(pod.memory.value()) ||
        pod.cpu < Millicores{0} || pod.memory < MiB{0}) {
      return fail(ErrorCode::invalid_argument, "pod requests must be non-negative",
                  pod_where(i));
    }
    if (pod.cpu > free_cpu || pod.memory > free_memory) {
      return fail(ErrorCode::invalid_argument,
                  "pod requests " + std::to_string(std::llround(pod.cpu.value())) + "m CPU and " +
                      std::to_string(std::llround(pod.memory.value())) +
                      " MiB, more than an empty node offers (" +
                      std::to_string(std::llround(free_cpu.value())) + "m, " +
                      std::to_string(std::llround(free_memory.value())) + " MiB)",
                  pod_where(i));
    }
  }
  auto share = [&](const PodRequest& pod) {
    return std::max(pod.cpu / free_cpu, pod.memory / free_memory);
  };
  std::vector<std::size_t> order(pods.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return share(pods[a]) > share(pods[b]);
  });

  Packing out;
  std::vector<OpenNode> open;
  for (std::size_t index : order) {
    const PodRequest& pod = pods[index];
    std::size_t target = open.size();
    for (std::size_t n = 0; n < open.size(); ++n) {
      if (open[n].cpu >= pod.cpu && open[n].memory >= pod.memory && open[n].pods >= 1) {
        target = n;
        break;
      }
    }
    if (target == open.size()) {
      open.push_back({free_cpu, free_memory, free_pods});
      out.nodes.emplace_back();
    }
    open[target].cpu -= pod.cpu;
    open[target].memory -= pod.memory;
    open[target].pods -= 1;
    out.nodes[target].push_back(index);
  }
  return out;
}

}  // namespace placer
