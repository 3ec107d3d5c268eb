// libFuzzer target: any bytes as a CloudWatch export (with and without the queries that made
// it) or as a query file must give rows or an Error, never a crash, a hang or a sanitizer
// report.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "placer/ingest/cloudwatch.hpp"
#include "placer/trace_summary.hpp"

// The queries of the moto get-metric-data seed (Ids inv, dur_avg, albrt), for the path that
// names Ids by the user's queries.
std::vector<placer::ingest::MetricQuery> moto_queries() {
  using placer::ingest::MetricQuery;
  MetricQuery inv{"inv", "AWS/Lambda", "Invocations", "Sum", "", {{"FunctionName", "f"}}, 60};
  MetricQuery dur{
      "dur_avg", "AWS/Lambda", "Duration", "Average", "Milliseconds", {{"FunctionName", "f"}}, 60};
  MetricQuery alb{"albrt", "AWS/ApplicationELB", "TargetResponseTime", "p99", "", {}, 300};
  return {inv, dur, alb};
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const placer::ingest::CloudWatchOptions with_queries{moto_queries()};
  std::string_view text{reinterpret_cast<const char*>(data), size};
  for (const auto* options :
       {&with_queries, static_cast<const placer::ingest::CloudWatchOptions*>(nullptr)}) {
    for (auto mode : {placer::ingest::BadRows::fail, placer::ingest::BadRows::skip}) {
      auto reader = placer::ingest::LineReader::from_memory(text, "fuzz");
      placer::TraceSummarizer summary;
      auto stats = options != nullptr
                       ? placer::ingest::read_cloudwatch(reader, summary, mode, *options)
                       : placer::ingest::read_cloudwatch(reader, summary, mode);
      (void)stats;
      (void)summary.finish();
    }
  }
  // The same bytes as a --metric-query file.
  auto reader = placer::ingest::LineReader::from_memory(text, "fuzz");
  (void)placer::ingest::read_metric_queries(reader);
  return 0;
}
