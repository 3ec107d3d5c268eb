// What an EKS node can give to pods: capacity minus the VM overhead, kube-reserved CPU
// and memory, and the hard eviction threshold (EKS AMI nodeadm formulas, Karpenter's VM
// overhead). The rules are data: NodeReservation in the price catalog.
// Pure functions; thread-safe.
#pragma once

#include "placer/pricing.hpp"

namespace placer {

struct NodeAllocatable {
  Millicores capacity_cpu{};
  MiB capacity_memory{};
  MiB vm_overhead_memory{};   // incl. the arm64 reservation
  Millicores kube_reserved_cpu{};
  MiB kube_reserved_memory{};
  MiB eviction_memory{};
  Millicores cpu{};  // allocatable
  MiB memory{};      // allocatable
  int max_pods = 0;
};

// kube-reserved CPU: each band's fraction of the cores it covers (6% of the first core,
// 1% of the second, 0.5% of cores 3-4, 0.25% above), rounded down to whole millicores.
Millicores kube_reserved_cpu(Millicores capacity, const NodeReservation& rules);

// kube-reserved memory: memory_per_pod * max_pods + memory_base (11 * max_pods + 255 MiB).
MiB kube_reserved_memory(int max_pods, const NodeReservation& rules);

// The node's allocatable CPU, memory and pod count. Memory: capacity, less the arm64
// reservation on Graviton, less the VM overhead fraction of what remains (rounded up to
// whole MiB), less kube-reserved memory and the eviction threshold. Never negative.
NodeAllocatable node_allocatable(const InstanceType& type, const NodeReservation& rules);

}  // namespace placer
