// report.html of `placer report`: one self-contained page (no network, no script) with the
// summary, the gate's findings, a table of every workload and, per workload, inline SVG
// charts: traffic over time, monthly cost against traffic multiplier with the break-even
// marked, and latency percentiles per platform. Readable on a phone. Deterministic: the
// same Report gives the same bytes.
#pragma once

#include <string>

#include "placer/report/report.hpp"

namespace placer::report {

std::string report_html(const Report& report);

}  // namespace placer::report
