// The JSON document of `placer trace summarize --output json`, shared with the service:
//   {"schema_version": 1, "files": [{"path", "format", "rows", "skipped_rows"}],
//    "workloads": [{"workload", "requests", "window": {"start", "end", "start_s", "end_s",
//      "duration_s"}, "mean_rate_rps", "peak_minute_rate_rps", "duration_ms": {...},
//      "memory_mib": {...} | null, "cold_starts", "init_duration_ms": {...} | null,
//      "idle_gaps", "longest_idle_s"}]}
// Times are UTC ("2026-11-24T17:30:00.000Z") and epoch seconds. When every request sits
// at time 0 (inputs without times, such as bare Lambda REPORT lines) the window, rates and
// gaps are null: unknown, not zero. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "placer/trace_summary.hpp"

namespace placer {

struct IngestedFile {
  std::string path;
  std::string format;
  std::uint64_t rows = 0;
  std::uint64_t skipped_rows = 0;
};

std::string trace_summary_json(const std::vector<IngestedFile>& files,
                               const std::vector<TraceSummary>& workloads);

// "2026-11-24T17:30:00.000Z"
std::string format_utc(double epoch_s);

}  // namespace placer
