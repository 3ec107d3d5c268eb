// JSON documents of the simulators and the model parameters, shared by the CLI
// (`placer simulate --output json`, `placer models show --output json`) and the service.
// Keys are stable and ordered; numbers are unrounded. Pure; thread-safe.
#pragma once

#include <string>

#include "placer/models.hpp"
#include "placer/sim/kubernetes_setup.hpp"
#include "placer/sim/lambda_sim.hpp"
#include "placer/sim/workload_trace.hpp"

namespace placer {

//   {"schema_version": 1, "models": [ids], "sources": {id: citation},
//    "parameters": [{"name", "value" (null when unset), "unit", "min", "max", "source",
//                    "overridden", "description"}],
//    "lambda_runtimes": [{"runtime", "init_p50_ms", "init_p95_ms", "image_init_p50_ms",
//                         "image_init_p95_ms", "arm64_init_factor",
//                         "first_invoke_ms_at_1024_mib", "source"}]}
std::string models_json(const ModelSet& models);

struct LambdaSimulationReport {
  const sim::WorkloadTrace* trace = nullptr;
  const sim::LambdaFunction* function = nullptr;
  const sim::LambdaSimConfig* config = nullptr;
  const sim::LambdaSimResult* result = nullptr;
  const ModelSet* models = nullptr;
  double traffic_multiplier = 1;
};

//   {"schema_version": 1, "platform": "lambda", "workload", "models": [ids],
//    "overrides": [{"name", "value"}], "trace": {"requests", "start", "end", "window_s",
//    "counted"}, "function": {...}, "config": {...}, "engine", "requests", "served",
//    "throttled", "cold_starts", "cold_start_ratio", "throttle_ratio", "latency_ms": {"p50",
//    "p95", "p99", "p999", "mean", "max"}, "concurrency": {"mean", "peak"},
//    "mean_environments", "billed_gb_s": {"duration", "init", "provisioned_duration",
//    "provisioned_config"}, "environments_over_time": {"start", "bin_s", "values"}}
std::string lambda_simulation_json(const LambdaSimulationReport& report);

struct KubernetesSimulationReport {
  const sim::WorkloadTrace* trace = nullptr;
  const sim::KubernetesDeployment* deployment = nullptr;
  const sim::KubernetesSimConfig* config = nullptr;
  const sim::KubernetesSimResult* result = nullptr;
  const ModelSet* models = nullptr;
  double pod_cpu_millicores = 0;
  double pod_memory_mib = 0;
  double traffic_multiplier = 1;
};

//   {"schema_version": 1, "platform": "kubernetes", "workload", "models", "overrides",
//    "trace": {...}, "deployment": {"instance_type", "pod_cpu_millicores", "pod_memory_mib",
//    "pods_per_node", "concurrency_per_pod", "min_replicas", "max_replicas", "hpa_metric",
//    "hpa_target", "slo_ms"}, "requests", "latency_ms": {"p50", "p95", "p99", "p999",
//    "mean"}, "share_over_slo", "mean_wait_ms", "mean_cpu_utilization", "replica_hours",
//    "ready_replica_hours", "node_hours", "peak_replicas", "peak_nodes", "hpa_scale_ups",
//    "hpa_scale_downs", "backlog": {"requests", "seconds", "seconds_over_slo", "at_end"},
//    "replicas_over_time": [{"t_s", "replicas", "ready"}], "nodes_over_time": [{"t_s",
//    "nodes", "ready"}]}; times in the series are seconds from the window's start.
std::string kubernetes_simulation_json(const KubernetesSimulationReport& report);

}  // namespace placer
