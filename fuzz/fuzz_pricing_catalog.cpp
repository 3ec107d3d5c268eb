// libFuzzer target: any bytes as a price catalog must load or give an Error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "placer/pricing.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  auto catalog = placer::parse_pricing_catalog(text, "fuzz");
  (void)catalog;
  return 0;
}
