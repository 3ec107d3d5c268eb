// POST /v1/analyze: the route, and run_analysis(), the one function the `placer analyze`
// integration replaces.
#include "analyze_route.hpp"

#include <algorithm>
#include <cmath>

#include "placer/render/simulation_json.hpp"
#include "placer/sim/kubernetes_setup.hpp"
#include "placer/sim/lambda_sim.hpp"

namespace placer::server {
namespace {

std::string without_trailing_newline(std::string text) {
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  return text;
}

Result<std::string> simulate_lambda_document(const AnalyzeRequest& request) {
  const WorkloadAttributes& w = request.workload;
  const sim::WorkloadTrace& trace = request.trace;
  sim::LambdaFunction function;
  function.runtime = w.runtime;
  auto arch = parse_arch(w.arch);
  if (!arch) {
    return fail(arch.error().code, arch.error().message, "workload.arch");
  }
  function.arch = *arch;
  function.container_image = w.package == "image";
  function.dependency_mib = w.dependency_mib;
  if (w.memory_mib) {
    function.memory_mib = *w.memory_mib;
  } else if (trace.memory_mib) {
    function.memory_mib = std::clamp(std::ceil(*trace.memory_mib), 128.0, 10240.0);
  } else {
    return fail(ErrorCode::invalid_argument,
                "the trace does not say the function's memory size: give workload.memory_mib",
                "workload.memory_mib");
  }
  function.measured_memory_mib = w.measured_memory_mib ? w.measured_memory_mib
                                 : trace.memory_mib    ? trace.memory_mib
                                                       : function.memory_mib;
  auto config = sim::lambda_config(request.models, function, request.options.seed);
  if (!config) {
    return tl::unexpected(config.error());
  }
  auto result = sim::simulate_lambda(trace, *config);
  if (!result) {
    return tl::unexpected(result.error());
  }
  return lambda_simulation_json(
      LambdaSimulationReport{&trace, &function, &*config, &*result, &request.models, 1});
}

Result<std::string> simulate_kubernetes_document(const AnalyzeRequest& request) {
  const WorkloadAttributes& w = request.workload;
  const sim::WorkloadTrace& trace = request.trace;
  const ModelSet& models = request.models;
  sim::KubernetesDeployment deployment;
  deployment.instance_type = w.instance_type;
  deployment.pod_cpu_millicores = w.pod_cpu_millicores;
  deployment.pod_memory_mib = w.pod_memory_mib;
  deployment.slo_ms = w.slo_p99_ms;
  auto config = sim::kubernetes_config(models, *request.catalog, deployment, trace);
  if (!config) {
    return tl::unexpected(config.error());
  }
  const auto arrivals = sim::kubernetes_arrivals(trace, models.value("k8s.bin_s"));
  auto result = sim::simulate_kubernetes(arrivals, sim::service_time_of(trace), *config);
  if (!result) {
    return tl::unexpected(result.error());
  }
  const double cpu = w.pod_cpu_millicores.value_or(models.value("k8s.pod_cpu_millicores"));
  const double memory =
      w.pod_memory_mib.value_or(trace.memory_mib.value_or(models.value("k8s.pod_memory_mib")));
  return kubernetes_simulation_json(
      KubernetesSimulationReport{&trace, &deployment, &*config, &*result, &models, cpu, memory, 1});
}

}  // namespace

// TEMPORARY, until `placer analyze` lands in core (placer/analysis/...): this is the place
// where the analysis document (`placer analyze --output json` for one workload) will be
// returned. Until then it runs both simulators, as `placer simulate lambda|kubernetes`
// would, and answers {"lambda": <simulation>, "kubernetes": <simulation>}; options.what_if
// is read and validated but not yet used.
Result<std::string> run_analysis(const AnalyzeRequest& request) {
  auto lambda = simulate_lambda_document(request);
  if (!lambda) {
    return tl::unexpected(lambda.error());
  }
  auto kubernetes = simulate_kubernetes_document(request);
  if (!kubernetes) {
    return tl::unexpected(kubernetes.error());
  }
  return "{\"lambda\": " + without_trailing_newline(std::move(*lambda)) +
         ",\n\"kubernetes\": " + without_trailing_newline(std::move(*kubernetes)) + "}\n";
}

HttpReply handle_analyze(const HttpRequest& request, const ModelSet& models,
                         const PricingCatalog& catalog) {
  Result<AnalyzeRequest> analyze_request = fail(ErrorCode::internal, "unreachable");
  if (request.content_type == "application/json") {
    auto body = parse_json_object(*request.body);
    if (!body) {
      return body_error_reply(body.error(), request.path);
    }
    analyze_request = read_analyze_json(*body, models, catalog);
  } else {
    analyze_request = read_analyze_stream(request, models, catalog);
  }
  if (!analyze_request) {
    return problem_reply(
        problem_from(analyze_request.error(), request.path, Origin::request_content));
  }
  auto document = run_analysis(*analyze_request);
  if (!document) {
    return problem_reply(problem_from(document.error(), request.path, Origin::request_content));
  }
  return HttpReply{200, "application/json", std::move(*document), {}};
}

}  // namespace placer::server
