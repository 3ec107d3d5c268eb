// Private to core: one workload's analysis object as ordered JSON, for documents that embed
// it (the analyze document, report.json).
#pragma once

#include <nlohmann/json.hpp>

#include "placer/analysis/analysis.hpp"

namespace placer::detail {

nlohmann::ordered_json workload_json(const analysis::Analysis& analysis);

}  // namespace placer::detail
