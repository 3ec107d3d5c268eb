// Runs the workloads of a report manifest: reads each workload's inputs (workloads that
// share the same inputs read them once), analyses it with the same core call as `placer
// analyze`, and returns one row per workload in manifest order, however many threads ran.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "placer/models.hpp"
#include "placer/pricing.hpp"
#include "placer/report/manifest.hpp"
#include "placer/report/report.hpp"

namespace placer::cli {

struct RunResult {
  std::vector<report::Row> rows;
  std::vector<std::string> analyses;  // per row, "" for an error row
};

// Analyses `manifest.workloads[i]` for each i of `indices` on `jobs` threads. A workload
// whose input is missing or broken becomes an error row. `progress(done, total)` is called
// from the worker threads, one call at a time.
RunResult run_workloads(const report::Manifest& manifest, const std::vector<std::size_t>& indices,
                        const ModelSet& models, const PricingCatalog& catalog, unsigned jobs,
                        const std::function<void(std::size_t, std::size_t)>& progress);

}  // namespace placer::cli
