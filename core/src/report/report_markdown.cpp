// report.md and report.csv of `placer report`.
#include <algorithm>

#include "placer/render/quantity.hpp"
#include "placer/report/render.hpp"

namespace placer::report {
namespace {

// Rows shown in the comment's open table; the rest fold into a <details> block.
constexpr std::size_t k_open_rows = 20;

std::string usd(double v) { return format_usd(v); }
std::string usd(const std::optional<double>& v) { return v ? usd(*v) : "-"; }

// Text safe inside a markdown table cell.
std::string cell(const std::string& text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '|': out += "\\|"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '`': out += "\\`"; break;
      case '*': out += "\\*"; break;
      case '_': out += "\\_"; break;
      case '\n':
      case '\r': out += ' '; break;
      default: out += ch;
    }
  }
  return out;
}

const PlatformBest* platform(const Row& row, const std::optional<std::string>& name) {
  if (!name) {
    return nullptr;
  }
  for (const PlatformBest& p : row.platforms) {
    if (p.platform == *name) {
      return &p;
    }
  }
  return nullptr;
}

bool needs_attention(const Row& row) {
  return !row.ok || !row.findings.empty() || (row.current && row.recommended != row.current) ||
         (row.current_slo_met && !*row.current_slo_met) || row.change.verdict_flipped;
}

std::string p99_cell(const Row& row) {
  const PlatformBest* p = platform(row, row.current ? row.current : row.recommended);
  if (p == nullptr) {
    return "- / " + format_quantity(row.slo_p99_ms, 1);
  }
  return format_quantity(p->p99_ms, 1) + " / " + format_quantity(row.slo_p99_ms, 1) +
         (p->slo_met ? "" : " missed");
}

std::string table_row(const Row& row, bool with_change) {
  std::string name = cell(row.name);
  if (!row.findings.empty()) {
    name = "**" + name + "**";
  }
  if (!row.ok) {
    return "| " + name + " | " + row.current.value_or("-") + " | error | | | | " +
           (with_change ? cell(row.change.text) + " | " : "") + cell(row.error) + " |\n";
  }
  std::string rec = row.recommended.value_or("none feasible");
  if (row.recommended && row.verdict == "toss-up") {
    rec += " (toss-up)";
  }
  std::string rules;
  for (const Finding& f : row.findings) {
    rules += (rules.empty() ? "" : ", ") + cell(f.rule);
  }
  return "| " + name + " | " + row.current.value_or("-") + " | " + rec + " | " + usd(row.current_cost_usd) +
         " | " + usd(row.recommended_cost_usd) + " | " + p99_cell(row) + " | " +
         (with_change ? cell(row.change.text) + " | " : "") + rules + " |\n";
}

std::string table_head(bool with_change) {
  return std::string{"| workload | current | recommended | now $/month | recommended $/month | p99 / SLO ms | "} +
         (with_change ? "since baseline | " : "") + "gate |\n|---|---|---|---:|---:|---:|" +
         (with_change ? "---|" : "") + "---|\n";
}

std::string summary_line(const Report& r) {
  const Summary& s = r.summary;
  std::string line = "### placer report: " + std::to_string(s.workloads) + " workload" +
                     (s.workloads == 1 ? "" : "s");
  if (r.shard_index) {
    line += " (shard " + std::to_string(*r.shard_index) + "/" + std::to_string(r.shard_count) + ")";
  }
  line += ", " + std::to_string(s.misplaced) + " misplaced, " + std::to_string(s.slo_breaches) + " SLO breach" +
          (s.slo_breaches == 1 ? "" : "es");
  if (r.baseline) {
    line += ", " + std::to_string(s.flips) + " verdict flip" + (s.flips == 1 ? "" : "s");
  }
  if (s.errors > 0) {
    line += ", " + std::to_string(s.errors) + " error" + (s.errors == 1 ? "" : "s");
  }
  if (!r.fail_on.empty()) {
    line += s.gate_failed ? ": **gate failed**" : ": gate passed";
  }
  return line + "\n\n";
}

}  // namespace

std::string report_markdown(const Report& r) {
  const Summary& s = r.summary;
  const bool with_change = r.baseline.has_value();
  std::string out = std::string{k_markdown_marker} + "\n" + summary_line(r);
  if (s.with_current > 0) {
    const double delta = s.recommended_monthly_cost_usd - s.current_monthly_cost_usd;
    out += "Where they run now: " + usd(s.current_monthly_cost_usd) + "/month; as recommended: " +
           usd(s.recommended_monthly_cost_usd) + "/month (" + (delta <= 0 ? "saves " : "costs ") +
           usd(std::abs(delta)) + (delta <= 0 ? "" : " more") + ").\n";
  }
  if (!r.fail_on.empty()) {
    std::string rules;
    for (const std::string& rule : r.fail_on) {
      rules += (rules.empty() ? "`" : ", `") + rule + "`";
    }
    out += "Gate rules: " + rules + ".";
  }
  if (r.baseline) {
    out += " Compared with `" + cell(*r.baseline) + "`" +
           (s.removed.empty() ? std::string{"."} : "; removed since: " + std::to_string(s.removed.size()) + ".");
  }
  out += "\n\n";

  std::vector<const Row*> order;
  for (const Row& row : r.rows) {
    if (needs_attention(row)) order.push_back(&row);
  }
  for (const Row& row : r.rows) {
    if (!needs_attention(row)) order.push_back(&row);
  }
  // The findings, then the table; both stop short of GitHub's comment limit.
  const std::string footer = "\n<sub>placer " + r.placer_version + " · prices " + r.catalog_id + " (" +
                             r.catalog_date + ") · model " + r.model_version +
                             " · charts in report.html, every number in report.json and report.csv</sub>\n";
  const std::size_t budget = k_markdown_max_chars - footer.size() - 200;
  if (s.findings > 0) {
    out += "**Gate findings**\n\n";
    std::size_t shown = 0;
    for (const Row* row : order) {
      for (const Finding& f : row->findings) {
        const std::string line = "- **" + cell(row->name) + "** `" + f.rule + "`: " + cell(f.text) + "\n";
        if (out.size() + line.size() > budget / 2) {
          break;
        }
        out += line;
        ++shown;
      }
    }
    if (shown < s.findings) {
      out += "- ... and " + std::to_string(s.findings - shown) + " more in report.json\n";
    }
    out += "\n";
  }
  out += table_head(with_change);
  std::size_t i = 0;
  for (; i < order.size() && i < k_open_rows; ++i) {
    const std::string line = table_row(*order[i], with_change);
    if (out.size() + line.size() > budget) break;
    out += line;
  }
  if (i < order.size()) {
    const std::size_t folded_from = i;
    std::string details = "\n<details><summary>" + std::to_string(order.size() - i) +
                          " more workloads</summary>\n\n" + table_head(with_change);
    const std::string close = "\n</details>\n";
    for (; i < order.size(); ++i) {
      const std::string line = table_row(*order[i], with_change);
      if (out.size() + details.size() + line.size() + close.size() > budget) break;
      details += line;
    }
    if (i > folded_from) {
      out += details + close;
    }
    if (i < order.size()) {
      out += "\n" + std::to_string(order.size() - i) + " more workloads do not fit a comment: see report.csv.\n";
    }
  }
  return out + footer;
}

std::string report_csv(const Report& r) {
  std::string out =
      "index,workload,status,current,recommended,verdict,current_monthly_cost_usd,"
      "recommended_monthly_cost_usd,misplaced_pct,savings_pct,lambda_monthly_cost_usd,"
      "kubernetes_monthly_cost_usd,fargate_monthly_cost_usd,slo_p99_ms,current_p99_ms,current_slo_met,"
      "recommended_p99_ms,break_even_multiplier,requests,mean_rps,change,findings,error\n";
  auto number = [](const std::optional<double>& v) { return v ? format_number(*v) : std::string{}; };
  for (const Row& row : r.rows) {
    auto cost_of = [&](const char* name) {
      const PlatformBest* p = platform(row, std::string{name});
      return p ? format_number(p->monthly_cost_usd) : std::string{};
    };
    const PlatformBest* rec = platform(row, row.recommended);
    std::string findings;
    for (const Finding& f : row.findings) {
      findings += (findings.empty() ? "" : "; ") + f.rule + ": " + f.text;
    }
    out += std::to_string(row.index) + "," + csv_field(row.name) + "," + (row.ok ? "ok" : "error") + "," +
           row.current.value_or("") + "," + row.recommended.value_or("") + "," + row.verdict + "," +
           number(row.current_cost_usd) + "," + number(row.recommended_cost_usd) + "," +
           number(row.misplaced_pct) + "," + (row.ok ? format_number(row.savings_pct) : "") + "," +
           cost_of("lambda") + "," + cost_of("kubernetes") + "," + cost_of("fargate") + "," +
           (row.ok ? format_number(row.slo_p99_ms) : "") + "," + number(row.current_p99_ms) + "," +
           (row.current_slo_met ? (*row.current_slo_met ? "true" : "false") : "") + "," +
           (rec ? format_number(rec->p99_ms) : "") + "," + number(row.break_even_multiplier) + "," +
           (row.ok ? format_number(row.requests) + "," + format_number(row.mean_rps) : ",") + "," +
           csv_field(row.change.text) + "," + csv_field(findings) + "," + csv_field(row.error) + "\n";
  }
  return out;
}

}  // namespace placer::report
