// From a workload trace, the model parameters and the price catalog to the Kubernetes
// simulator's inputs: arrivals per bin, the service time, and the config with pods per
// node from the node type's allocatable (cost/allocatable.hpp).
#pragma once

#include <optional>
#include <string>

#include "placer/cost/bin_packing.hpp"
#include "placer/error.hpp"
#include "placer/models.hpp"
#include "placer/pricing.hpp"
#include "placer/sim/kubernetes_sim.hpp"
#include "placer/sim/workload_trace.hpp"

namespace placer::sim {

// The deployment being placed. Unset values come from the k8s.* parameters.
struct KubernetesDeployment {
  std::string instance_type = "m6i.large";
  std::optional<double> pod_cpu_millicores;
  std::optional<double> pod_memory_mib;  // else the trace's memory, else k8s.pod_memory_mib
  std::optional<double> slo_ms;          // else workload.slo_p99_ms
  NodeOverhead daemonsets;               // taken from every node before the workload's pods
};

// Fails with not_found for an instance type the catalog lacks, invalid_argument when a pod
// does not fit the node's allocatable (naming both) or a request is not positive.
Result<KubernetesSimConfig> kubernetes_config(const ModelSet& models,
                                              const PricingCatalog& catalog,
                                              const KubernetesDeployment& deployment,
                                              const WorkloadTrace& trace);

// Requests per bin of `bin_s` (k8s.bin_s), or of the trace's shortest counting interval
// when that is longer, traffic scaled by `multiplier`; only the bins with requests.
SparseBins kubernetes_arrivals(const WorkloadTrace& trace, double bin_s, double multiplier = 1);

// The trace's duration distribution as the service time.
ServiceTime service_time_of(const WorkloadTrace& trace);

}  // namespace placer::sim
