// Private to report.html: what the page shows of one workload, its line in the table of
// every workload and its section with the charts. Pure; thread-safe; every text from the
// Row is escaped.
#pragma once

#include <string>

#include "placer/report/report.hpp"

namespace placer::report::detail {

// Where a workload's name links to: its section (`#w<index>`) when it has charts, else its
// line in the table (`#r<index>`). `index` is Row::index, stable across runs and shards.
std::string anchor(const Row& row, bool charted);

// The table's header cells and one `<tr id="r<index>">`; `baseline`: the report has a
// baseline, so the "since baseline" column is there.
void append_table_head(std::string& out, bool baseline);
void append_table_row(std::string& out, const Row& row, bool charted, bool baseline);

// `<article class="workload" id="w<index>">`: name, verdict line, findings, top three
// reasons, the traffic, cost and latency charts and the platforms' table.
void append_section(std::string& out, const Row& row);

}  // namespace placer::report::detail
