// Private to the server: POST /v1/analyze. The request is read here into an
// AnalyzeRequest (the workload's attributes, its trace as a sim::WorkloadTrace read through
// core's ingest, the options), and run_analysis() turns it into the answer.
//
// Bodies: application/json {workload: {...}, trace: {format, content} | {format: "requests",
// requests: [[timestamp_s, duration_ms(, memory_mib)], ...]}, options: {...}}; or text/csv /
// application/x-ndjson, the trace itself, with the workload's attributes and the options in
// the query string (?memory_mib=512&runtime=python3.12&format=requests&seed=7). The workload
// object is the workload config of `placer analyze --workload-config`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http_types.hpp"
#include "json_body.hpp"
#include "placer/analysis/workload_config.hpp"
#include "placer/models.hpp"
#include "placer/pricing.hpp"
#include "placer/sim/workload_trace.hpp"

namespace placer::server {

struct AnalyzeOptions {
  std::uint64_t seed = 1;
  std::vector<double> what_if = {0.5, 2, 10};  // traffic multipliers (each > 0)
  std::optional<double> margin_pct;            // else analysis.margin_pct
  std::optional<analysis::CostView> k8s_cost_view;
};

struct AnalyzeRequest {
  analysis::WorkloadConfig workload;  // as a --workload-config file says it
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
