#include "placer/sim/kubernetes_setup.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "placer/cost/allocatable.hpp"

namespace placer::sim {
namespace {

std::string number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace

Result<KubernetesSimConfig> kubernetes_config(const ModelSet& models,
                                              const PricingCatalog& catalog,
                                              const KubernetesDeployment& deployment,
                                              const WorkloadTrace& trace) {
  const InstanceType* type = catalog.find_instance_type(deployment.instance_type);
  if (type == nullptr) {
    return fail(ErrorCode::not_found,
                "unknown instance type \"" + deployment.instance_type + "\" in catalog " +
                    catalog.id + " (placer pricing show lists them)",
                "instance_type");
  }
  const double cpu = deployment.pod_cpu_millicores.value_or(models.value("k8s.pod_cpu_millicores"));
  const double memory = deployment.pod_memory_mib.value_or(
      trace.memory_mib.value_or(models.value("k8s.pod_memory_mib")));
  if (!(cpu > 0) || !(memory > 0)) {
    return fail(ErrorCode::invalid_argument, "pod CPU and memory requests must be positive",
                "pod_requests");
  }
  const NodeAllocatable node = node_allocatable(*type, catalog.eks.node_reservation);
  const double free_cpu = node.cpu.value() - deployment.daemonsets.cpu.value();
  const double free_memory = node.memory.value() - deployment.daemonsets.memory.value();
  const double free_pods = node.max_pods - deployment.daemonsets.pods;
  const double fit = std::min({std::floor(free_cpu / cpu), std::floor(free_memory / memory), free_pods});
  if (!(fit >= 1)) {
    return fail(ErrorCode::invalid_argument,
                "a pod of " + number(cpu) + "m CPU and " + number(memory) +
                    " MiB does not fit a " + type->name + " (allocatable " +
                    number(free_cpu) + "m, " + number(free_memory) +
                    " MiB after DaemonSets): choose a larger instance type or smaller requests",
                "instance_type");
  }
  KubernetesSimConfig c;
  c.pods_per_node = static_cast<int>(fit);
  c.hpa_sync_s = models.value("k8s.hpa_sync_s");
  c.hpa_tolerance = models.value("k8s.hpa_tolerance");
  c.scale_up_pods = static_cast<int>(models.value("k8s.hpa_scale_up_pods"));
  c.scale_up_percent = models.value("k8s.hpa_scale_up_percent");
  c.scale_up_period_s = c.hpa_sync_s;
  c.scale_down_stabilization_s = models.value("k8s.hpa_scale_down_stabilization_s");
  if (auto rps = models.optional_value("k8s.hpa_target_rps_per_pod")) {
    c.metric = HpaMetric::requests_per_pod;
    c.target_requests_per_pod_per_s = *rps;
  } else {
    c.metric = HpaMetric::cpu_utilization;
    c.target_cpu_utilization = models.value("k8s.hpa_target_utilization");
  }
  c.metric_lag_s = models.value("k8s.metric_lag_s");
  c.metric_window_s = c.hpa_sync_s;
  c.min_replicas = static_cast<int>(models.value("k8s.min_replicas"));
  c.max_replicas = static_cast<int>(models.value("k8s.max_replicas"));
  c.pod_start_s = models.value("k8s.pod_start_s") + models.value("k8s.app_init_s");
  c.readiness_delay_s = models.value("k8s.readiness_delay_s");
  c.concurrency_per_pod = static_cast<int>(models.value("k8s.concurrency_per_pod"));
  c.min_nodes = static_cast<int>(models.value("k8s.min_nodes"));
  c.node_provisioning_s = models.value("k8s.node_provision_s");
  c.node_unneeded_s = models.value("k8s.node_scale_down_unneeded_s");
  c.slo_ms = deployment.slo_ms.value_or(models.value("workload.slo_p99_ms"));
  return c;
}

SparseBins kubernetes_arrivals(const WorkloadTrace& trace, double bin_s, double multiplier) {
  // Counts per interval say nothing finer than their interval: bin no finer than that.
  if (trace.counted()) {
    double shortest = std::numeric_limits<double>::infinity();
    for (const CountedInterval& interval : trace.intervals) {
      if (interval.length_s > 0) {
        shortest = std::min(shortest, interval.length_s);
      }
    }
    if (std::isfinite(shortest)) {
      bin_s = std::max(bin_s, shortest);
    }
  }
  return bin_requests_sparse(trace, bin_s, multiplier);
}

ServiceTime service_time_of(const WorkloadTrace& trace) {
  ServiceTime s;
  s.quantiles_ms = trace.duration_quantiles_ms;
  s.mean_ms = trace.duration_mean_ms;
  s.scv = trace.duration_scv;
  return s;
}

}  // namespace placer::sim
