// Versions every output names, so a number can be traced to the code that made it.
#pragma once

#include <string_view>

namespace placer {

inline constexpr std::string_view k_placer_version = "0.1.0";
// Bumped whenever a cost formula changes what it computes for the same inputs.
inline constexpr std::string_view k_cost_model_version = "cost-1";
// The version of the JSON documents placer writes.
inline constexpr int k_output_schema_version = 1;

}  // namespace placer
