// The JSON document for one priced bill, shared by the CLI (`--output json`) and the HTTP
// service, so both speak one schema:
//
//   {"schema_version": 1, "platform": "lambda", "total_usd": 2.733338,
//    "catalog": {"id": "aws-us-east-1", "date": "2026-11-24"}, "model_version": "cost-1",
//    "line_items": [{"name": "requests", "description": "Requests", "usd": 0.4,
//                    "quantity": 2000000, "unit": "requests", "rate_usd": 2e-07,
//                    "free_quantity": 1000000}, ...],
//    "notes": ["..."]}
//
// Money is unrounded. Pure; thread-safe.
#pragma once

#include <string>

#include "placer/cost/breakdown.hpp"
#include "placer/pricing.hpp"

namespace placer {

// Pretty-printed with two-space indentation and a trailing newline; keys in the order above.
std::string cost_json(const CostBreakdown& bill, const PricingCatalog& catalog);

}  // namespace placer
