#include "placer/cost/allocatable.hpp"

#include <algorithm>
#include <cmath>

namespace placer {

Millicores kube_reserved_cpu(Millicores capacity, const NodeReservation& rules) {
  const double cores = vcpus(capacity);
  double reserved = 0;
  double covered = 0;
  for (const CpuReservationBand& band : rules.cpu_bands) {
    double top = std::min(cores, band.cores_up_to);
    if (top > covered) {
      reserved += (top - covered) * k_millicores_per_vcpu * band.fraction;
      covered = top;
    }
  }
  // Small epsilon: 0.06 * 1000 is 59.99999... in binary.
  return Millicores{std::floor(reserved + 1e-6)};
}

MiB kube_reserved_memory(int max_pods, const NodeReservation& rules) {
  return rules.memory_per_pod * static_cast<double>(max_pods) + rules.memory_base;
}

NodeAllocatable node_allocatable(const InstanceType& type, const NodeReservation& rules) {
  NodeAllocatable out;
  out.capacity_cpu = type.cpu;
  out.capacity_memory = type.memory;
  out.max_pods = type.max_pods > 0 ? type.max_pods : rules.default_max_pods;
  MiB usable = type.memory;
  if (type.arch == Arch::arm64) {
    usable -= rules.arm64_reserved_memory;
  }
  MiB overhead{std::ceil(usable.value() * rules.vm_memory_overhead_fraction - 1e-9)};
  out.vm_overhead_memory = type.memory - usable + overhead;
  out.kube_reserved_cpu = kube_reserved_cpu(type.cpu, rules);
  out.kube_reserved_memory = kube_reserved_memory(out.max_pods, rules);
  out.eviction_memory = rules.eviction_memory;
  out.cpu = std::max(Millicores{0}, type.cpu - out.kube_reserved_cpu);
  out.memory = std::max(MiB{0}, usable - overhead - out.kube_reserved_memory - out.eviction_memory);
  return out;
}

}  // namespace placer
