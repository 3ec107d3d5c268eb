// The files of `placer report` other than the HTML page (html.hpp):
//   report.json  {"schema_version", "kind": "placer-report", provenance, "manifest",
//                 "shard", "fail_on", "baseline", "summary", "workloads": [{row fields...,
//                 "analysis": the analyze document's workload object | null}]}
//   report.md    the pull-request comment (a hidden marker first, under GitHub's limit)
//   report.csv   one line per workload
// A Report read back with parse_report_json renders to the same bytes. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "placer/error.hpp"
#include "placer/report/report.hpp"

namespace placer::report {

inline constexpr int k_report_schema_version = 1;

// The marker a bot looks for to update its comment in place.
inline constexpr std::string_view k_markdown_marker = "<!-- placer-report -->";

// GitHub's limit on a comment body is 65,536 characters; the comment stays below this.
inline constexpr std::size_t k_markdown_max_chars = 60000;

std::string report_json(const Report& report);
// The same, written to `out` a workload at a time (a fleet's report.json is hundreds of MB).
void write_report_json(const Report& report, std::ostream& out);

// Reads a report.json (a run's, a shard's or a baseline). Fails with parse naming `origin`
// and the JSON path, or unsupported for another schema_version.
Result<Report> parse_report_json(std::string_view text, std::string_view origin);

// Reads the report.json at `path` (`what` names it in errors: "baseline report"): not_found,
// io, parse for a file past k_max_report_bytes, then as parse_report_json. The whole text
// is held while it is read.
inline constexpr std::uintmax_t k_max_report_bytes = std::uintmax_t{8} << 30;  // 8 GiB
Result<Report> load_report_json(const std::string& path, std::string_view what);

std::string report_markdown(const Report& report);
std::string report_csv(const Report& report);

}  // namespace placer::report
