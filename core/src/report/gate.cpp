#include "placer/report/gate.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "placer/render/quantity.hpp"

namespace placer::report {
namespace {

std::string usd(double v) { return format_usd(v); }

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string{s};
}

Result<Rule> parse_rule(const std::string& text) {
  const std::string_view k_expected =
      "expected misplaced>N% (N a percentage), slo-breach or verdict-flip";
  Rule rule;
  rule.text = text;
  if (text == "slo-breach") {
    rule.kind = Rule::Kind::slo_breach;
    return rule;
  }
  if (text == "verdict-flip") {
    rule.kind = Rule::Kind::verdict_flip;
    return rule;
  }
  constexpr std::string_view k_prefix = "misplaced>";
  if (text.starts_with(k_prefix)) {
    std::string_view number{text};
    number.remove_prefix(k_prefix.size());
    if (number.ends_with('%')) {
      number.remove_suffix(1);
    }
    double pct = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), pct);
    if (ec == std::errc{} && end == number.data() + number.size() && !number.empty() &&
        std::isfinite(pct) && pct >= 0) {
      rule.kind = Rule::Kind::misplaced;
      rule.threshold_pct = pct;
      rule.text = "misplaced>" + format_quantity(pct, 6) + "%";
      return rule;
    }
  }
  return fail(ErrorCode::invalid_argument,
              "unknown gate rule \"" + text + "\", " + std::string{k_expected}, "--fail-on");
}

}  // namespace

Result<std::vector<Rule>> parse_rules(std::string_view text) {
  std::vector<Rule> rules;
  std::set<std::string> seen;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (item.empty()) {
      continue;
    }
    auto rule = parse_rule(item);
    if (!rule) {
      return tl::unexpected(rule.error());
    }
    if (seen.insert(rule->text).second) {
      rules.push_back(std::move(*rule));
    }
  }
  return rules;
}

void apply_baseline(Report& report, const Report& baseline) {
  std::map<std::string, const Row*> before;
  for (const Row& row : baseline.rows) {
    before.emplace(row.name, &row);
  }
  std::set<std::string> now;
  for (Row& row : report.rows) {
    now.insert(row.name);
    Change& c = row.change;
    c = Change{};
    const auto it = before.find(row.name);
    if (it == before.end()) {
      c.text = "new";
      continue;
    }
    const Row& old = *it->second;
    c.baseline = true;
    c.previous_recommended = old.recommended;
    c.previous_recommended_cost_usd = old.recommended_cost_usd;
    c.previous_current_slo_met = old.current_slo_met;
    std::vector<std::string> parts;
    if (!old.ok || !row.ok) {
      if (old.ok != row.ok) {
        parts.push_back(row.ok ? "error resolved" : "now an error");
      }
    } else {
      c.verdict_flipped = old.recommended != row.recommended;
      if (c.verdict_flipped) {
        parts.push_back("flipped " + old.recommended.value_or("none") + " -> " +
                        row.recommended.value_or("none"));
      } else if (old.recommended_cost_usd && row.recommended_cost_usd && *old.recommended_cost_usd > 0) {
        const double move = 100 * (*row.recommended_cost_usd / *old.recommended_cost_usd - 1);
        if (std::abs(move) >= 1) {
          parts.push_back(std::string{move > 0 ? "cost +" : "cost "} + format_quantity(move, 1) + "%");
        }
      }
      if (old.current_slo_met && row.current_slo_met && *old.current_slo_met != *row.current_slo_met) {
        parts.push_back(*row.current_slo_met ? "SLO now met" : "SLO now missed");
      }
    }
    if (parts.empty()) {
      c.text = "unchanged";
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
      c.text += (i > 0 ? "; " : "") + parts[i];
    }
  }
  report.summary.removed.clear();
  for (const Row& row : baseline.rows) {
    if (!now.contains(row.name)) {
      report.summary.removed.push_back(row.name);
    }
  }
  report.baseline = report.baseline.value_or("baseline");
}

void apply_gate(Report& report, const std::vector<Rule>& rules) {
  report.fail_on.clear();
  for (const Rule& rule : rules) {
    report.fail_on.push_back(rule.text);
  }
  for (Row& row : report.rows) {
    row.findings.clear();
    for (const Rule& rule : rules) {
      switch (rule.kind) {
        case Rule::Kind::misplaced:
          if (row.ok && row.current && row.recommended && *row.current != *row.recommended) {
            if (!row.current_cost_usd) {
              row.findings.push_back({rule.text, *row.current + " has no configuration that meets the SLO; " +
                                                     *row.recommended + " does at " +
                                                     usd(row.recommended_cost_usd.value_or(0)) + "/month"});
            } else if (row.misplaced_pct && *row.misplaced_pct > rule.threshold_pct) {
              // Past 1000% a ratio reads better than a percentage.
              const std::string over = *row.misplaced_pct <= 1000
                                           ? format_quantity(*row.misplaced_pct, 1) + "% over "
                                           : format_quantity(1 + *row.misplaced_pct / 100, 0) + " times ";
              row.findings.push_back({rule.text, *row.current + " costs " + usd(*row.current_cost_usd) +
                                                     "/month, " + over + *row.recommended + "'s " +
                                                     usd(row.recommended_cost_usd.value_or(0))});
            }
          }
          break;
        case Rule::Kind::slo_breach:
          if (row.ok && row.current && row.current_slo_met && !*row.current_slo_met) {
            row.findings.push_back({rule.text, *row.current + " p99 " +
                                                   format_quantity(row.current_p99_ms.value_or(0), 1) +
                                                   " ms misses the SLO of " + format_quantity(row.slo_p99_ms, 1) +
                                                   " ms"});
          }
          break;
        case Rule::Kind::verdict_flip:
          if (row.change.verdict_flipped) {
            row.findings.push_back({rule.text, row.change.text});
          }
          break;
      }
    }
  }
}

void summarize(Report& report) {
  Summary& s = report.summary;
  std::vector<std::string> removed = std::move(s.removed);
  s = Summary{};
  s.removed = std::move(removed);
  s.workloads = report.rows.size();
  for (const Row& row : report.rows) {
    s.findings += row.findings.size();
    if (!row.ok) {
      ++s.errors;
      continue;
    }
    if (row.current) {
      ++s.with_current;
      if (row.recommended && *row.recommended != *row.current) {
        ++s.misplaced;
      }
      if (row.current_slo_met && !*row.current_slo_met) {
        ++s.slo_breaches;
      }
      if (row.current_cost_usd && row.recommended_cost_usd) {
        s.current_monthly_cost_usd += *row.current_cost_usd;
        s.recommended_monthly_cost_usd += *row.recommended_cost_usd;
      }
    }
    if (row.change.verdict_flipped) {
      ++s.flips;
    }
  }
  s.gate_failed = s.findings > 0;
}

}  // namespace placer::report
