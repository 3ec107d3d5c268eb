// Private to core: one Lambda REPORT line ("REPORT RequestId: ... Duration: 12.34 ms ...")
// read by key name, shared by every container of Lambda logs (lambda_logs.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "placer/trace.hpp"
#include "placer/units.hpp"

namespace placer::ingest::lambda {

// A bad report; the caller turns it into an Error at its line or JSON path.
struct RowError {
  std::string message;
};

// Lambda's "MB" (Memory Size, Max Memory Used, memorySizeMB) is 2^20 bytes: sizes run from
// 128 to 10240 MB in 1 MB steps and a GB-second is MB / 1024 (AWS Lambda pricing page).
constexpr MiB mib_from_lambda_mb(double mb) { return MiB{mb}; }

// Splits on runs of spaces, tabs and newlines.
std::vector<std::string_view> words(std::string_view text);

// The numbers of one REPORT line.
struct Report {
  Millis duration{0};
  std::optional<MiB> memory;
  std::optional<Millis> init_duration;
};

// Reads "Key: value [unit]" pairs by key name; `text` starts at "REPORT". Throws RowError.
Report parse_report(std::string_view text);

Invocation to_invocation(double timestamp_s, const Report& report);

// Whether `text` starts with the word REPORT.
bool starts_report(std::string_view text);

}  // namespace placer::ingest::lambda
