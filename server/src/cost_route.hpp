// Private to the server: POST /v1/cost, the calculator. The body holds `placer cost`'s
// flags in snake_case plus `platform`; the answer is `placer cost --output json`'s
// document, made by the same core calls (placer/cost/cost_request.hpp, cost_json).
#pragma once

#include "http_types.hpp"
#include "json_body.hpp"
#include "placer/cost/cost_request.hpp"
#include "placer/pricing.hpp"

namespace placer::server {

// The request a JSON object describes. Fails with invalid_argument, `where` = the JSON path
// of a missing `platform`, an unknown one, a field of the wrong type or an unknown field.
Result<CostRequest> cost_request_from_json(const nlohmann::json& body);

HttpReply handle_cost(const HttpRequest& request, const PricingCatalog& catalog);

}  // namespace placer::server
