#include "placer/render/simulation_json.hpp"

#include <nlohmann/json.hpp>

#include "placer/render/trace_json.hpp"
#include "placer/version.hpp"

namespace placer {
namespace {

using ordered = nlohmann::ordered_json;

ordered optional_number(const std::optional<double>& value) {
  return value ? ordered(*value) : ordered(nullptr);
}

ordered overrides_of(const ModelSet& models) {
  ordered out = ordered::array();
  for (const ModelParameter& p : models.parameters) {
    if (p.overridden) {
      out.push_back(ordered{{"name", p.name}, {"value", optional_number(p.value)}});
    }
  }
  return out;
}

}  // namespace

std::string models_json(const ModelSet& models) {
  ordered doc;
  doc["schema_version"] = k_output_schema_version;
  doc["models"] = models.ids;
  ordered sources = ordered::object();
  for (const auto& [id, text] : models.sources) {
    sources[id] = text;
  }
  doc["sources"] = sources;
  ordered parameters = ordered::array();
  for (const ModelParameter& p : models.parameters) {
    parameters.push_back(ordered{{"name", p.name},
                                 {"value", optional_number(p.value)},
                                 {"unit", p.unit},
                                 {"min", p.min},
                                 {"max", p.max},
                                 {"source", p.source},
                                 {"overridden", p.overridden},
                                 {"description", p.description}});
  }
  doc["parameters"] = parameters;
  ordered runtimes = ordered::array();
  for (const RuntimeColdStart& r : models.runtimes) {
    runtimes.push_back(ordered{{"runtime", r.runtime},
                               {"init_p50_ms", r.init_p50_ms},
                               {"init_p95_ms", r.init_p95_ms},
                               {"image_init_p50_ms", optional_number(r.image_init_p50_ms)},
                               {"image_init_p95_ms", optional_number(r.image_init_p95_ms)},
                               {"arm64_init_factor", r.arm64_init_factor},
                               {"first_invoke_ms_at_1024_mib", r.first_invoke_ms_at_1024_mib},
                               {"source", r.source}});
  }
  doc["lambda_runtimes"] = runtimes;
  return doc.dump(2) + "\n";
}

ordered trace_json(const sim::WorkloadTrace& trace) {
  return ordered{{"requests", trace.requests()},
                 {"start", format_utc(trace.start_s)},
                 {"end", format_utc(trace.end_s)},
                 {"window_s", trace.window_s()},
                 {"counted", trace.counted()}};
}

ordered header(std::string_view platform, const sim::WorkloadTrace& trace, const ModelSet& models) {
  ordered doc;
  doc["schema_version"] = k_output_schema_version;
  doc["platform"] = platform;
  doc["workload"] = trace.name;
  doc["models"] = models.ids;
  doc["overrides"] = overrides_of(models);
  doc["trace"] = trace_json(trace);
  return doc;
}

std::string lambda_simulation_json(const LambdaSimulationReport& report) {
  const sim::WorkloadTrace& trace = *report.trace;
  const sim::LambdaFunction& function = *report.function;
  const sim::LambdaSimConfig& config = *report.config;
  const sim::LambdaSimResult& r = *report.result;
  ordered doc = header("lambda", trace, *report.models);
  doc["function"] = ordered{{"runtime", function.runtime},
                            {"architecture", std::string{to_string(function.arch)}},
                            {"package", function.container_image ? "image" : "zip"},
                            {"memory_mib", function.memory_mib},
                            {"measured_memory_mib", optional_number(function.measured_memory_mib)},
                            {"dependency_mib", function.dependency_mib}};
  ordered cold = ordered::object();
  if (config.cold_start.fixed_ms) {
    cold["fixed_ms"] = *config.cold_start.fixed_ms;
  } else {
    cold = ordered{{"overhead_ms", config.cold_start.overhead_ms},
                   {"init_median_ms", config.cold_start.init_median_ms},
                   {"init_log_sigma", config.cold_start.init_sigma},
                   {"dependency_ms", config.cold_start.dependency_ms},
                   {"first_invoke_ms", config.cold_start.first_invoke_ms}};
  }
  doc["config"] = ordered{{"duration_scale", config.duration_scale},
                          {"cold_start", cold},
                          {"keep_alive_s", ordered{{"min", config.keep_alive_min_s},
                                                   {"max", config.keep_alive_max_s}}},
                          {"max_lifetime_s", config.max_lifetime_s},
                          {"scale_per_10s", config.scale_per_10s},
                          {"concurrency_limit", config.concurrency_limit},
                          {"provisioned_concurrency", config.provisioned},
                          {"traffic_multiplier", report.traffic_multiplier},
                          {"seed", config.seed},
                          {"routing", "newest idle environment first"}};
  doc["engine"] = std::string{sim::to_string(r.engine)};
  doc["requests"] = r.requests;
  doc["served"] = r.served;
  doc["throttled"] = r.throttled;
  doc["cold_starts"] = r.cold_starts;
  doc["provisioned_requests"] = r.provisioned_requests;
  doc["cold_start_ratio"] = r.cold_start_ratio;
  doc["throttle_ratio"] = r.throttle_ratio;
  doc["latency_ms"] = ordered{{"p50", r.latency.p50_ms},   {"p95", r.latency.p95_ms},
                              {"p99", r.latency.p99_ms},   {"p999", r.latency.p999_ms},
                              {"mean", r.latency.mean_ms}, {"max", r.max_latency_ms}};
  doc["concurrency"] = ordered{{"mean", r.mean_concurrency}, {"peak", r.peak_concurrency}};
  doc["mean_environments"] = r.mean_environments;
  doc["billed_gb_s"] = ordered{{"duration", r.billed_duration_gb_s},
                               {"init", r.billed_init_gb_s},
                               {"provisioned_duration", r.provisioned_duration_gb_s},
                               {"provisioned_config", r.provisioned_config_gb_s}};
  doc["environments_over_time"] = ordered{{"start", format_utc(r.environments.start_s)},
                                          {"bin_s", r.environments.bin_s},
                                          {"values", r.environments.values}};
  return doc.dump(2) + "\n";
}

std::string kubernetes_simulation_json(const KubernetesSimulationReport& report) {
  const sim::KubernetesSimConfig& c = *report.config;
  const sim::KubernetesSimResult& r = *report.result;
  ordered doc = header("kubernetes", *report.trace, *report.models);
  const bool rps = c.metric == sim::HpaMetric::requests_per_pod;
  doc["deployment"] = ordered{
      {"instance_type", report.deployment->instance_type},
      {"pod_cpu_millicores", report.pod_cpu_millicores},
      {"pod_memory_mib", report.pod_memory_mib},
      {"pods_per_node", c.pods_per_node},
      {"concurrency_per_pod", c.concurrency_per_pod},
      {"min_replicas", c.min_replicas},
      {"max_replicas", c.max_replicas},
      {"hpa_metric", rps ? "requests_per_pod" : "cpu_utilization"},
      {"hpa_target", rps ? c.target_requests_per_pod_per_s : c.target_cpu_utilization},
      {"slo_ms", c.slo_ms},
      {"traffic_multiplier", report.traffic_multiplier}};
  doc["requests"] = r.requests;
  doc["latency_ms"] = ordered{{"p50", r.latency.p50_ms},
                              {"p95", r.latency.p95_ms},
                              {"p99", r.latency.p99_ms},
                              {"p999", r.latency.p999_ms},
                              {"mean", r.latency.mean_ms}};
  doc["share_over_slo"] = r.share_over_slo;
  doc["mean_wait_ms"] = r.mean_wait_ms;
  doc["mean_cpu_utilization"] = r.mean_cpu_utilization;
  doc["replica_hours"] = r.replica_hours;
  doc["ready_replica_hours"] = r.ready_replica_hours;
  doc["node_hours"] = r.node_hours;
  doc["peak_replicas"] = r.peak_replicas;
  doc["peak_nodes"] = r.peak_nodes;
  doc["hpa_scale_ups"] = r.hpa_scale_ups;
  doc["hpa_scale_downs"] = r.hpa_scale_downs;
  doc["backlog"] = ordered{{"requests", r.requests_backlogged},
                           {"seconds", r.backlogged_s},
                           {"seconds_over_slo", r.time_over_slo_s},
                           {"at_end", r.backlog_at_end_requests}};
  const double start = report.trace->start_s;
  ordered replicas = ordered::array();
  for (const sim::ReplicaPoint& p : r.replicas) {
    replicas.push_back(ordered{{"t_s", p.time_s - start}, {"replicas", p.replicas}, {"ready", p.ready_replicas}});
  }
  doc["replicas_over_time"] = replicas;
  ordered nodes = ordered::array();
  for (const sim::NodePoint& p : r.nodes) {
    nodes.push_back(ordered{{"t_s", p.time_s - start}, {"nodes", p.nodes}, {"ready", p.ready_nodes}});
  }
  doc["nodes_over_time"] = nodes;
  return doc.dump(2) + "\n";
}

}  // namespace placer
