// libFuzzer target: any bytes as a report manifest, read as YAML (first byte even) or as
// JSON (odd), must give a Manifest or an Error, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "placer/report/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const bool yaml = (data[0] & 1) == 0;
  std::string_view text{reinterpret_cast<const char*>(data) + 1, size - 1};
  auto manifest = placer::report::parse_manifest(text, "fuzz.yaml", yaml, "base");
  (void)manifest;
  return 0;
}
