// The price catalog in use as a JSON document (for `placer pricing show --output json` and
// GET /v1/pricing): every price with its unit in the key, source and retrieval date, and
// each EC2 instance type with its EKS allocatable resources. Pure; thread-safe.
#pragma once

#include <string>

#include "placer/pricing.hpp"

namespace placer {

std::string pricing_json(const PricingCatalog& catalog);

}  // namespace placer
