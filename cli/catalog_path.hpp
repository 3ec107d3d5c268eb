// Finds and loads the price catalog a command uses.
#pragma once

#include <string>

#include "placer/pricing.hpp"

namespace placer::cli {

// `explicit_path` when given (--catalog); else $PLACER_CATALOG; else the installed
// share/placer/data/pricing/aws-us-east-1.json beside the binary; else the source tree's
// data/pricing/aws-us-east-1.json (for a build-tree binary).
Result<PricingCatalog> load_catalog(const std::string& explicit_path);

}  // namespace placer::cli
