// Private to report.html: the three inline SVG charts of a workload's section, each an
// `<svg class="chart chart-KIND" role="img" viewBox=...>` with a `<title>` naming the
// workload. Pure; thread-safe; deterministic; no NaN or inf in the output whatever the
// Row holds (an empty series draws a framed note instead of a plot).
#pragma once

#include <string>

#include "placer/report/report.hpp"

namespace placer::report::detail {

// Requests per second per bin (requests / bin_s) against UTC time: a stepped area, one
// step a bin. Linear y from 0. x ticks at round times, "HH:MM", or "MM-DD" for windows of
// days.
std::string traffic_chart(const Row& row);

// Monthly cost of lambda and kubernetes against the traffic multiplier of `cost_curve`:
// log x over the curve's multipliers; linear y from $0, or log (said on the axis) when the
// costs span more than two decades, with $0 drawn on the bottom edge. Dashed markers at the
// break-even (when inside the range) and at x1, the observed traffic.
std::string cost_chart(const Row& row);

// p50, p95, p99 and p99.9 per platform, one line each, on a log-ms axis, and the SLO p99
// as a dashed horizontal line.
std::string latency_chart(const Row& row);

}  // namespace placer::report::detail
