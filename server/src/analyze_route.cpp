// POST /v1/analyze: the route and run_analysis(), the same core call as `placer analyze`.
#include "analyze_route.hpp"

#include "placer/analysis/analysis.hpp"
#include "placer/render/analysis_json.hpp"

namespace placer::server {

// The document of `placer analyze --output json` for the request's one workload.
Result<std::string> run_analysis(const AnalyzeRequest& request) {
  analysis::AnalysisOptions options;
  options.seed = request.options.seed;
  options.what_if = request.options.what_if;
  options.margin_pct = request.options.margin_pct.value_or(request.models.value("analysis.margin_pct"));
  options.k8s_cost_view = request.options.k8s_cost_view;
  auto result = analysis::analyze(request.trace, request.workload.attributes, options,
                                  request.models, *request.catalog);
  if (!result) {
    return tl::unexpected(result.error());
  }
  return analysis_json({*result}, *request.catalog, request.models);
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
