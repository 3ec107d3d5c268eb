// libFuzzer target: any bytes as a CloudWatch export must give rows or an Error, never a crash,
// a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "placer/ingest/cloudwatch.hpp"
#include "placer/trace_summary.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  for (auto mode : {placer::ingest::BadRows::fail, placer::ingest::BadRows::skip}) {
    auto reader = placer::ingest::LineReader::from_memory(text, "fuzz");
    placer::TraceSummarizer summary;
    auto stats = placer::ingest::read_cloudwatch(reader, summary, mode);
    (void)stats;
    (void)summary.finish();
  }
  return 0;
}
