// Places pod requests onto identical nodes, first-fit decreasing, and reports how many
// nodes that takes. The Kubernetes simulator drives it with its replica counts.
// Pure function; thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "placer/cost/allocatable.hpp"
#include "placer/error.hpp"

namespace placer {

struct PodRequest {
  Millicores cpu{};
  MiB memory{};
};

// Taken from every node before any pod: DaemonSets (kube-proxy, CNI, log agents).
struct NodeOverhead {
  Millicores cpu{0};
  MiB memory{0};
  int pods = 0;
};

struct Packing {
  std::vector<std::vector<std::size_t>> nodes;  // pod indices per node, nodes in open order
  std::size_t node_count() const { return nodes.size(); }
};

// First-fit decreasing: pods sorted by their larger share of the node's free CPU or
// memory (ties: input order), each put on the first open node it fits (CPU, memory and
// pod count), else on a new node. No pods: no nodes.
// Fails with invalid_argument (`where` = "pods[<i>]") when a pod does not fit an empty
// node or has a negative request, and when the overhead leaves nothing for pods.
Result<Packing> pack_pods(std::span<const PodRequest> pods, const NodeAllocatable& node,
                          const NodeOverhead& overhead);

}  // namespace placer
