// The bundled price catalog, loaded once for the tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "placer/pricing.hpp"

namespace placer::testing {

inline std::string data_dir() { return PLACER_SOURCE_DATA_DIR; }

inline const PricingCatalog& bundled_catalog() {
  static const PricingCatalog catalog = [] {
    auto loaded = load_pricing_catalog(data_dir() + "/pricing/aws-us-east-1.json");
    if (!loaded) {
      ADD_FAILURE() << describe(loaded.error());
      return PricingCatalog{};
    }
    return *loaded;
  }();
  return catalog;
}

}  // namespace placer::testing
