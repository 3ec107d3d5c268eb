// Private to core: a workload config read from a JSON node, for documents that embed one
// (the workload config file, a manifest's workload).
#pragma once

#include "json_reader.hpp"
#include "placer/analysis/workload_config.hpp"

namespace placer::detail {

// Throws placer::detail::InputError as JsonReader does.
analysis::WorkloadConfig read_workload_config(const JsonReader& root);

}  // namespace placer::detail
