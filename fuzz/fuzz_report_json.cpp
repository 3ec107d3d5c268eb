// libFuzzer target: any bytes as a report.json (a baseline or a shard) must read or give an
// Error; a report that reads must render back to bytes that read as the same report (the
// property `placer report merge` rests on).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "placer/report/render.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  auto report = placer::report::parse_report_json(text, "fuzz.json");
  if (!report) {
    return 0;
  }
  const std::string once = placer::report::report_json(*report);
  auto again = placer::report::parse_report_json(once, "again.json");
  if (!again || placer::report::report_json(*again) != once) {
    std::abort();
  }
  (void)placer::report::report_markdown(*report);
  (void)placer::report::report_csv(*report);
  return 0;
}
