// libFuzzer target: any bytes as a Prometheus query_range export, read as each kind of
// series (and as one workload per "job" label), must give rows or an Error, never a crash,
// a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "placer/ingest/prometheus.hpp"
#include "placer/trace_summary.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace placer::ingest;
  std::string_view text{reinterpret_cast<const char*>(data), size};
  PrometheusOptions options[4];
  options[0].kind = SeriesKind::counter;
  options[1].kind = SeriesKind::rate;
  options[1].workload_label = "job";
  options[2].kind = SeriesKind::latency_seconds;
  options[2].quantile = 0.99;
  options[3].series = {*parse_series_spec("kind=rate,index=0"),
                       *parse_series_spec("kind=latency-seconds,index=1,quantile=0.5"),
                       *parse_series_spec("kind=latency-seconds,match=quantile=0.99")};
  for (const PrometheusOptions& o : options) {
    for (auto mode : {BadRows::fail, BadRows::skip}) {
      auto reader = LineReader::from_memory(text, "fuzz");
      placer::TraceSummarizer summary;
      auto stats = read_prometheus(reader, o, summary, mode);
      (void)stats;
      (void)summary.finish();
    }
  }
  return 0;
}
