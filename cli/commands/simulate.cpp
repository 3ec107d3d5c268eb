// placer simulate lambda|kubernetes FILE...: run a platform simulator over a trace.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>

#include "../exit_codes.hpp"
#include "../inputs.hpp"
#include "../catalog_path.hpp"
#include "../models_path.hpp"
#include "../table.hpp"
#include "commands.hpp"
#include "placer/render/simulation_json.hpp"
#include "placer/sim/kubernetes_setup.hpp"
#include "placer/sim/lambda_sim.hpp"
#include "placer/sim/workload_trace.hpp"

namespace placer::cli {
namespace {

struct SimulateFlags {
  InputFlags inputs;
  std::string workload;
  std::string models_dir;
  std::vector<std::string> overrides;
  std::uint64_t seed = 1;
  double traffic_multiplier = 1;
  std::string output = "table";
  // Lambda
  std::string runtime = "python3.12";
  std::string arch = "x86_64";
  std::string package = "zip";
  std::optional<double> memory_mib;
  std::optional<double> measured_memory_mib;
  double dependency_mib = 0;
  std::string engine = "auto";
  // Kubernetes
  std::string catalog;
  std::string instance_type = "m6i.large";
  std::optional<double> pod_cpu_millicores;
  std::optional<double> pod_memory_mib;
  std::optional<double> slo_ms;
  double daemonset_millicores = 0;
  double daemonset_memory_mib = 0;
  int daemonset_pods = 0;
};

// The one workload to simulate: --workload, or the input's only one.
Result<sim::WorkloadTrace> choose_workload(std::vector<sim::WorkloadTrace> traces,
                                           const std::string& wanted) {
  if (traces.empty()) {
    return fail(ErrorCode::parse, "the input holds no requests", "files");
  }
  if (!wanted.empty()) {
    for (sim::WorkloadTrace& t : traces) {
      if (t.name == wanted) {
        return std::move(t);
      }
    }
    // A unique prefix will do: trace hashes are long.
    sim::WorkloadTrace* match = nullptr;
    for (sim::WorkloadTrace& t : traces) {
      if (t.name.starts_with(wanted)) {
        if (match != nullptr) {
          return fail(ErrorCode::invalid_argument,
                      "\"" + wanted + "\" starts several workload names (" + match->name +
                          ", " + t.name + ", ...): give more of it",
                      "--workload");
        }
        match = &t;
      }
    }
    if (match != nullptr) {
      return std::move(*match);
    }
    return fail(ErrorCode::not_found, "no workload named \"" + wanted + "\" in the input",
                "--workload");
  }
  if (traces.size() > 1) {
    std::string names;
    for (std::size_t i = 0; i < traces.size() && i < 5; ++i) {
      names += (i == 0 ? "" : ", ") + (traces[i].name.empty() ? "(unnamed)" : traces[i].name);
    }
    if (traces.size() > 5) {
      names += ", ...";
    }
    return fail(ErrorCode::invalid_argument,
                "the input holds " + std::to_string(traces.size()) + " workloads (" + names +
                    "): choose one with --workload",
                "--workload");
  }
  return std::move(traces.front());
}

std::string lambda_table(const LambdaSimulationReport& report) {
  const sim::LambdaSimResult& r = *report.result;
  const sim::WorkloadTrace& trace = *report.trace;
  const sim::LambdaFunction& fn = *report.function;
  std::string out = "workload " + (trace.name.empty() ? std::string{"(unnamed)"} : trace.name) +
                    ": Lambda " + fn.runtime + " " + std::string{to_string(fn.arch)} + " " +
                    (fn.container_image ? "image" : "zip") + ", " +
                    format_quantity(fn.memory_mib, 0) + " MiB; " +
                    std::string{sim::to_string(r.engine)} + " engine\n";
  Table t{{"result", "value"}};
  t.add_row({"requests", format_quantity(r.requests, 0)});
  t.add_row({"window", format_quantity(r.window_s, 1) + " s from " + format_utc(trace.start_s)});
  t.add_row({"cold starts", format_quantity(r.cold_starts, 1) + " (" +
                                format_quantity(100 * r.cold_start_ratio, 3) + "% of served)"});
  t.add_row({"throttled", format_quantity(r.throttled, 1) + " (" +
                              format_quantity(100 * r.throttle_ratio, 3) + "%)"});
  t.add_row({"latency ms p50 / p95 / p99 / p99.9",
             format_quantity(r.latency.p50_ms, 1) + " / " + format_quantity(r.latency.p95_ms, 1) +
                 " / " + format_quantity(r.latency.p99_ms, 1) + " / " +
                 format_quantity(r.latency.p999_ms, 1)});
  t.add_row({"concurrency mean / peak", format_quantity(r.mean_concurrency, 3) + " / " +
                                            format_quantity(r.peak_concurrency, 0)});
  t.add_row({"environments alive (mean)", format_quantity(r.mean_environments, 3)});
  t.add_row({"billed GB-s duration / INIT", format_quantity(r.billed_duration_gb_s, 1) + " / " +
                                                format_quantity(r.billed_init_gb_s, 1)});
  if (report.config->provisioned > 0) {
    t.add_row({"provisioned: requests / duration GB-s / configured GB-s",
               format_quantity(r.provisioned_requests, 0) + " / " +
                   format_quantity(r.provisioned_duration_gb_s, 1) + " / " +
                   format_quantity(r.provisioned_config_gb_s, 1)});
  }
  out += t.render({});
  return out;
}

// The inputs read into per-workload traces, and the one chosen.
Result<sim::WorkloadTrace> load_trace(const SimulateFlags& f) {
  sim::WorkloadTraceBuilder builder;
  if (auto files = read_inputs(f.inputs, builder); !files) {
    return tl::unexpected(files.error());
  }
  auto traces = builder.finish();
  if (!traces) {
    return tl::unexpected(traces.error());
  }
  return choose_workload(std::move(*traces), f.workload);
}

std::string kubernetes_table(const KubernetesSimulationReport& report) {
  const sim::KubernetesSimResult& r = *report.result;
  const sim::KubernetesSimConfig& c = *report.config;
  const sim::WorkloadTrace& trace = *report.trace;
  std::string out = "workload " + (trace.name.empty() ? std::string{"(unnamed)"} : trace.name) +
                    ": Kubernetes on " + report.deployment->instance_type + ", pods of " +
                    format_quantity(report.pod_cpu_millicores, 0) + "m / " +
                    format_quantity(report.pod_memory_mib, 0) + " MiB, " +
                    std::to_string(c.pods_per_node) + " per node, " +
                    std::to_string(c.concurrency_per_pod) + " request(s) at once per pod\n";
  Table t{{"result", "value"}};
  t.add_row({"requests", format_quantity(r.requests, 0)});
  t.add_row({"window", format_quantity(r.window_s, 1) + " s from " + format_utc(trace.start_s)});
  t.add_row({"latency ms p50 / p95 / p99 / p99.9",
             format_quantity(r.latency.p50_ms, 1) + " / " + format_quantity(r.latency.p95_ms, 1) +
                 " / " + format_quantity(r.latency.p99_ms, 1) + " / " +
                 format_quantity(r.latency.p999_ms, 1)});
  t.add_row({"share over the " + format_quantity(c.slo_ms, 0) + " ms SLO",
             format_quantity(100 * r.share_over_slo, 3) + "%"});
  t.add_row({"mean queueing wait", format_quantity(r.mean_wait_ms, 3) + " ms"});
  t.add_row({"CPU utilization (mean)", format_quantity(100 * r.mean_cpu_utilization, 1) + "%"});
  t.add_row({"replicas peak / pod-hours", std::to_string(r.peak_replicas) + " / " +
                                              format_quantity(r.replica_hours, 2)});
  t.add_row({"nodes peak / node-hours",
             std::to_string(r.peak_nodes) + " / " + format_quantity(r.node_hours, 2)});
  t.add_row({"HPA scale-ups / scale-downs",
             std::to_string(r.hpa_scale_ups) + " / " + std::to_string(r.hpa_scale_downs)});
  t.add_row({"requests meeting a backlog", format_quantity(r.requests_backlogged, 0)});
  out += t.render({});
  return out;
}

int run_kubernetes(const SimulateFlags& f) {
  auto models = load_model_set(f.models_dir, f.overrides);
  if (!models) {
    return report(models.error());
  }
  auto catalog = load_catalog(f.catalog);
  if (!catalog) {
    return report(catalog.error());
  }
  auto trace = load_trace(f);
  if (!trace) {
    return report(trace.error());
  }
  sim::KubernetesDeployment deployment;
  deployment.instance_type = f.instance_type;
  deployment.pod_cpu_millicores = f.pod_cpu_millicores;
  deployment.pod_memory_mib = f.pod_memory_mib;
  deployment.slo_ms = f.slo_ms;
  deployment.daemonsets = NodeOverhead{Millicores{f.daemonset_millicores},
                                       MiB{f.daemonset_memory_mib}, f.daemonset_pods};
  auto config = sim::kubernetes_config(*models, *catalog, deployment, *trace);
  if (!config) {
    return report(config.error());
  }
  const auto arrivals =
      sim::kubernetes_arrivals(*trace, models->value("k8s.bin_s"), f.traffic_multiplier);
  auto result = sim::simulate_kubernetes(arrivals, sim::service_time_of(*trace), *config);
  if (!result) {
    return report(result.error());
  }
  const double cpu = f.pod_cpu_millicores.value_or(models->value("k8s.pod_cpu_millicores"));
  const double memory = f.pod_memory_mib.value_or(
      trace->memory_mib.value_or(models->value("k8s.pod_memory_mib")));
  const KubernetesSimulationReport rendered{&*trace, &deployment, &*config, &*result,
                                            &*models, cpu, memory, f.traffic_multiplier};
  std::cout << (f.output == "json" ? kubernetes_simulation_json(rendered)
                                   : kubernetes_table(rendered));
  return k_exit_ok;
}

int run_lambda(const SimulateFlags& f) {
  auto models = load_model_set(f.models_dir, f.overrides);
  if (!models) {
    return report(models.error());
  }
  auto trace = load_trace(f);
  if (!trace) {
    return report(trace.error());
  }
  sim::LambdaFunction function;
  function.runtime = f.runtime;
  auto arch = parse_arch(f.arch);
  if (!arch) {
    return report(arch.error());
  }
  function.arch = *arch;
  function.container_image = f.package == "image";
  function.dependency_mib = f.dependency_mib;
  if (f.memory_mib) {
    function.memory_mib = *f.memory_mib;
  } else if (trace->memory_mib) {
    function.memory_mib = std::clamp(std::ceil(*trace->memory_mib), 128.0, 10240.0);
  } else {
    return report(Error{ErrorCode::invalid_argument,
                        "the input does not say the function's memory size: give --memory-mib",
                        "--memory-mib"});
  }
  function.measured_memory_mib =
      f.measured_memory_mib ? f.measured_memory_mib
                            : (trace->memory_mib ? trace->memory_mib : function.memory_mib);
  auto config = sim::lambda_config(*models, function, f.seed);
  if (!config) {
    return report(config.error());
  }
  auto engine = sim::parse_lambda_engine(f.engine);
  if (!engine) {
    return report(engine.error());
  }
  config->engine = *engine;
  auto result = sim::simulate_lambda(*trace, *config, f.traffic_multiplier);
  if (!result) {
    return report(result.error());
  }
  const LambdaSimulationReport rendered{&*trace,  &function, &*config, &*result,
                                        &*models, f.traffic_multiplier};
  std::cout << (f.output == "json" ? lambda_simulation_json(rendered) : lambda_table(rendered));
  return k_exit_ok;
}

void add_common_options(CLI::App* command, SimulateFlags& f) {
  add_input_options(command, f.inputs);
  command->add_option("--workload", f.workload, "the workload to simulate when the input holds several (a unique prefix is enough)");
  command->add_option("--models", f.models_dir,
                      "folder with lambda.json and kubernetes.json (default: the bundled models/)");
  command->add_option("--set", f.overrides,
                      "override a model parameter, NAME=VALUE (repeatable; placer models show "
                      "lists them)");
  command->add_option("--seed", f.seed, "random seed; the same seed gives the same output")
      ->capture_default_str();
  command->add_option("--traffic-multiplier", f.traffic_multiplier,
                      "scale the trace's traffic (2 doubles the requests)")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
  command->add_option("--output,-o", f.output, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
}

}  // namespace

void register_simulate(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<SimulateFlags>();
  CLI::App* simulate = app.add_subcommand("simulate", "Simulate a platform over a trace");
  simulate->require_subcommand(1);
  CLI::App* lambda = simulate->add_subcommand(
      "lambda", "Cold starts, throttling, latency, concurrency and billed GB-s on Lambda");
  lambda->footer(R"(Examples:
  placer simulate lambda data/traces/azure2021-sample.csv --workload <app/func> --memory-mib 512
  placer simulate lambda requests.csv --runtime nodejs22.x --arch arm64 --memory-mib 1024
  placer simulate lambda requests.csv --memory-mib 512 --set lambda.keep_alive_s=600 -o json
  placer simulate lambda big.csv.gz --memory-mib 256 --engine fluid --traffic-multiplier 10

The event engine follows every request (one per environment, the newest idle environment
first, keep-alive drawn per environment, +1,000 environments per 10 s, the concurrency
limit); the fluid engine works per interval and runs automatically above
lambda.event_sim_max_requests requests. Durations are scaled from --measured-memory-mib
to --memory-mib by t = t_io + t_cpu * max(1, 1769/m) (lambda.cpu_bound_share).

)" + std::string{k_formats_help});
  add_common_options(lambda, *f);
  lambda->add_option("--runtime", f->runtime, "runtime (placer models show lists them)")
      ->capture_default_str();
  lambda->add_option("--arch", f->arch, "x86_64 or arm64")
      ->check(CLI::IsMember({"x86_64", "arm64"}))
      ->capture_default_str();
  lambda->add_option("--package", f->package, "zip or image")
      ->check(CLI::IsMember({"zip", "image"}))
      ->capture_default_str();
  lambda->add_option("--memory-mib", f->memory_mib,
                     "memory size to simulate (default: the trace's, when it has one)")
      ->check(CLI::Range(128.0, 10240.0));
  lambda->add_option("--measured-memory-mib", f->measured_memory_mib,
                     "memory size the trace's durations were measured at (default: the "
                     "trace's, else --memory-mib)")
      ->check(CLI::Range(128.0, 10240.0));
  lambda->add_option("--dependency-mib", f->dependency_mib,
                     "zipped dependencies loaded at init, MiB (each adds to the cold start)")
      ->check(CLI::Range(0.0, 10240.0))
      ->capture_default_str();
  lambda->add_option("--engine", f->engine, "auto, event or fluid")
      ->check(CLI::IsMember({"auto", "event", "fluid"}))
      ->capture_default_str();
  lambda->callback([f, &exit_code] { exit_code = run_lambda(*f); });

  CLI::App* kubernetes = simulate->add_subcommand(
      "kubernetes", "HPA replicas, nodes, queueing latency and node-hours on Kubernetes");
  kubernetes->footer(R"(Examples:
  placer simulate kubernetes requests.csv --instance-type m6i.large --pod-cpu-millicores 500
  placer simulate kubernetes requests.csv --slo-ms 300 --set k8s.concurrency_per_pod=8 -o json
  placer simulate kubernetes requests.csv --set k8s.hpa_target_rps_per_pod=40 --set k8s.min_replicas=2

Every 15 s the HPA sets replicas from the CPU utilization the trace implies (target
k8s.hpa_target_utilization) or from requests per pod (k8s.hpa_target_rps_per_pod), up by
at most max(4, 100%), down only to the highest recommendation of the last 300 s; new pods
start in k8s.pod_start_s + k8s.app_init_s + k8s.readiness_delay_s and wait
k8s.node_provision_s when no node has room. Each interval is an M/M/c queue (Erlang C
with the Allen-Cunneen correction), with a fluid backlog when saturated.

)" + std::string{k_formats_help});
  add_common_options(kubernetes, *f);
  kubernetes->add_option("--catalog", f->catalog, "price catalog JSON (default: the bundled one)");
  kubernetes->add_option("--instance-type", f->instance_type, "node type, an EC2 instance type in the catalog")
      ->capture_default_str();
  kubernetes->add_option("--pod-cpu-millicores", f->pod_cpu_millicores,
                         "CPU request per pod (default k8s.pod_cpu_millicores)")
      ->check(CLI::Range(1.0, 1e6));
  kubernetes->add_option("--pod-memory-mib", f->pod_memory_mib,
                         "memory request per pod (default: the trace's, else k8s.pod_memory_mib)")
      ->check(CLI::Range(1.0, 1e7));
  kubernetes->add_option("--slo-ms", f->slo_ms, "latency objective (default workload.slo_p99_ms)")
      ->check(CLI::Range(1.0, 3.6e6));
  kubernetes->add_option("--daemonset-millicores", f->daemonset_millicores,
                         "DaemonSet CPU requests per node")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
  kubernetes->add_option("--daemonset-memory-mib", f->daemonset_memory_mib,
                         "DaemonSet memory requests per node")
      ->check(CLI::Range(0.0, 1e7))
      ->capture_default_str();
  kubernetes->add_option("--daemonset-pods", f->daemonset_pods, "DaemonSet pods per node")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  kubernetes->callback([f, &exit_code] { exit_code = run_kubernetes(*f); });
}

}  // namespace placer::cli
