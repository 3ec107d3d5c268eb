#include "placer/render/trace_json.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "placer/version.hpp"

namespace placer {
namespace {

using ordered = nlohmann::ordered_json;

ordered percentiles(const Percentiles& p) {
  return ordered{{"p50", p.p50}, {"p90", p.p90}, {"p95", p.p95}, {"p99", p.p99},
                 {"min", p.min}, {"max", p.max}, {"mean", p.mean}};
}

// Civil date from days since 1970-01-01 (Howard Hinnant's civil_from_days).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

}  // namespace

std::string format_utc(double epoch_s) {
  if (!std::isfinite(epoch_s) || std::fabs(epoch_s) > 1e13) {
    return "out of range";
  }
  auto ms = static_cast<std::int64_t>(std::llround(epoch_s * 1000));
  std::int64_t seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  auto millis = static_cast<int>(ms - seconds * 1000);
  std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  auto in_day = static_cast<int>(seconds - days * 86400);
  std::int64_t y = 0;
  unsigned m = 0;
  unsigned d = 0;
  civil_from_days(days, y, m, d);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<long long>(y), m, d, in_day / 3600, in_day / 60 % 60, in_day % 60,
                millis);
  return buffer;
}

std::string trace_summary_json(const std::vector<IngestedFile>& files,
                               const std::vector<TraceSummary>& workloads) {
  ordered file_list = ordered::array();
  for (const IngestedFile& f : files) {
    file_list.push_back(ordered{{"path", f.path},
                                {"format", f.format},
                                {"rows", f.rows},
                                {"skipped_rows", f.skipped_rows}});
  }
  ordered list = ordered::array();
  for (const TraceSummary& s : workloads) {
    // Inputs without times (bare Lambda REPORT lines) put every request at 0: no window.
    const bool timed = !(s.start_s == 0 && s.end_s == 0);
    list.push_back(ordered{
        {"workload", s.workload},
        {"requests", s.requests},
        {"window", timed ? ordered{{"start", format_utc(s.start_s)},
                                   {"end", format_utc(s.end_s)},
                                   {"start_s", s.start_s},
                                   {"end_s", s.end_s},
                                   {"duration_s", s.end_s - s.start_s}}
                         : ordered()},
        {"mean_rate_rps", timed ? ordered(s.mean_rate_rps) : ordered()},
        {"peak_minute_rate_rps", timed ? ordered(s.peak_minute_rate_rps) : ordered()},
        {"duration_ms", percentiles(s.duration_ms)},
        {"memory_mib", s.memory_mib ? percentiles(*s.memory_mib) : ordered()},
        {"cold_starts", s.cold_starts},
        {"init_duration_ms", s.init_duration_ms ? percentiles(*s.init_duration_ms) : ordered()},
        {"idle_gaps", timed ? ordered(s.idle_gaps) : ordered()},
        {"longest_idle_s", timed ? ordered(s.longest_idle_s) : ordered()}});
  }
  ordered doc{{"schema_version", k_output_schema_version},
              {"files", file_list},
              {"workloads", list}};
  return doc.dump(2) + "\n";
}

}  // namespace placer
