// The CI gate and the baseline diff of `placer report`. Rules (`--fail-on`, comma-separated):
//   misplaced>N%   the current platform's best costs more than N% over the recommended one
//   slo-breach     the current platform's best misses the SLO
//   verdict-flip   the recommended platform differs from the baseline report's
// A workload that could not be analysed is an error row, not a finding: the report's exit
// code says so whatever the rules.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "placer/error.hpp"
#include "placer/report/report.hpp"

namespace placer::report {

struct Rule {
  enum class Kind { misplaced, slo_breach, verdict_flip };
  Kind kind = Kind::misplaced;
  double threshold_pct = 0;  // misplaced only
  std::string text;          // as written, canonical ("misplaced>20%")
};

// Parses "misplaced>20%,slo-breach". Fails with invalid_argument naming the rule and the
// accepted spellings. An empty text is no rule.
Result<std::vector<Rule>> parse_rules(std::string_view text);

// Sets each row's change against `baseline` (rows matched by workload name) and the
// summary's removed list. Rows are untouched by a report without a baseline.
void apply_baseline(Report& report, const Report& baseline);

// Sets each row's findings for `rules`. verdict-flip fires only for rows the baseline had.
void apply_gate(Report& report, const std::vector<Rule>& rules);

// Recomputes the summary from the rows (the removed list is kept).
void summarize(Report& report);

}  // namespace placer::report
