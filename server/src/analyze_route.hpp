// Private to the server: POST /v1/analyze. The request is read here into an
// AnalyzeRequest (the workload's attributes, its trace as a sim::WorkloadTrace read through
// core's ingest, the options), and run_analysis() turns it into the answer.
//
// Bodies: application/json {workload: {...}, trace: {format, content} | {format: "requests",
// requests: [[timestamp_s, duration_ms(, memory_mib)], ...]}, options: {...}}; or text/csv /
// application/x-ndjson, the trace itself, with the workload's attributes and the options in
// the query string (?memory_mib=512&runtime=python3.12&format=requests&seed=7).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http_types.hpp"
#include "json_body.hpp"
#include "placer/models.hpp"
#include "placer/pricing.hpp"
#include "placer/sim/workload_trace.hpp"

namespace placer::server {

// What the caller says about the workload (as `placer simulate`'s flags say it); unset
// values come from the trace or the models.
struct WorkloadAttributes {
  std::string name;  // which workload of the trace, when it holds several (a unique prefix)
  // Lambda
  std::string runtime = "python3.12";
  std::string arch = "x86_64";
  std::string package = "zip";  // or "image"
  std::optional<double> memory_mib;
  std::optional<double> measured_memory_mib;
  double dependency_mib = 0;
  // Kubernetes
  std::string instance_type = "m6i.large";
  std::optional<double> pod_cpu_millicores;
  std::optional<double> pod_memory_mib;
  std::optional<double> slo_p99_ms;
};

struct AnalyzeOptions {
  std::uint64_t seed = 1;
  std::vector<double> what_if;  // traffic multipliers to evaluate besides 1 (each > 0)
};

struct AnalyzeRequest {
  WorkloadAttributes workload;
  AnalyzeOptions options;
  sim::WorkloadTrace trace;                 // the one workload to analyse
  ModelSet models;                          // the service's, with the request's overrides applied
  const PricingCatalog* catalog = nullptr;  // the service's; never null
};

// Reads a JSON request `body` (already parsed: malformed JSON is the caller's 400) into an
// AnalyzeRequest. Fails with invalid_argument (`where` = the JSON path) or as core's
// ingest does (parse, `where` = "$.trace.content:<line>") for a request the analysis
// cannot use; `models` get the request's overrides ($.options.set).
Result<AnalyzeRequest> read_analyze_json(const nlohmann::json& body, const ModelSet& models,
                                         const PricingCatalog& catalog);

// Reads a streamed trace file (`request`'s body, text/csv or application/x-ndjson, in
// ?format=, default "requests") with the attributes and options in the query string
// (?memory_mib=512&seed=7&what_if=0.5,2&set=lambda.keep_alive_s=600). Fails as above,
// `where` = "?<name>" or "body:<line>".
Result<AnalyzeRequest> read_analyze_stream(const HttpRequest& request, const ModelSet& models,
                                           const PricingCatalog& catalog);

// THE INTEGRATION POINT. Runs the analysis of `request` and returns its JSON document.
// Fails with invalid_argument / not_found / parse when the workload cannot be analysed as
// described (answered 422), internal for a bug (500).
Result<std::string> run_analysis(const AnalyzeRequest& request);

HttpReply handle_analyze(const HttpRequest& request, const ModelSet& models,
                         const PricingCatalog& catalog);

}  // namespace placer::server
