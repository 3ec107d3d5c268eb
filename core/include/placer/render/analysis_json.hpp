// The analysis document of `placer analyze --output json`, the HTTP API's /v1/analyze and
// the CI report (docs/schema/analysis.schema.json is its JSON Schema):
//   {"schema_version", "placer_version", "pricing_catalog": {"id", "retrieved_on"},
//    "model_version", "models": [ids], "workloads": [{"name", "trace": {...},
//    "candidates": [...], "recommendation": {...}, "break_even": {...} | null,
//    "what_if": [...], "current": {...} | null}]}
// Numbers are unrounded. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "placer/analysis/analysis.hpp"
#include "placer/models.hpp"
#include "placer/pricing.hpp"

namespace placer {

std::string analysis_json(const std::vector<analysis::Analysis>& analyses,
                          const PricingCatalog& catalog, const ModelSet& models);

// The same, one JSON object per workload (for embedding in other documents).
std::string workload_analysis_json(const analysis::Analysis& analysis);

}  // namespace placer
