#include "workload_html.hpp"

#include <algorithm>
#include <cmath>

#include "chart.hpp"
#include "charts.hpp"
#include "markup.hpp"
#include "placer/render/quantity.hpp"

namespace placer::report::detail {
namespace {

constexpr std::size_t k_reasons_shown = 3;
constexpr std::string_view k_none = "&ndash;";

std::string percent(double value) { return format_quantity(value, 1) + "%"; }
std::string ms(double value) { return format_quantity(value, value < 10 ? 2 : 1) + " ms"; }

// A duration for people: "45 s", "30 min", "6 h", "2.5 d".
std::string duration(double seconds) {
  if (!std::isfinite(seconds)) {
    return "n/a";
  }
  if (seconds < 120) {
    return format_quantity(seconds, 1) + " s";
  }
  if (seconds < 7200) {
    return format_quantity(seconds / 60, 1) + " min";
  }
  if (seconds < 172800) {
    return format_quantity(seconds / 3600, 1) + " h";
  }
  return format_quantity(seconds / 86400, 1) + " d";
}

void cell(std::string& out, std::string_view html, std::string_view css_class = "") {
  out += css_class.empty() ? "<td>" : "<td class=\"" + std::string{css_class} + "\">";
  out += html;
  out += "</td>";
}

std::string cost_or_none(const std::optional<double>& usd_value) {
  return usd_value ? usd(*usd_value) : std::string{k_none};
}

const PlatformBest* platform(const Row& row, const std::optional<std::string>& name) {
  if (!name) {
    return nullptr;
  }
  const auto it = std::find_if(row.platforms.begin(), row.platforms.end(),
                               [&](const PlatformBest& p) { return p.platform == *name; });
  return it == row.platforms.end() ? nullptr : &*it;
}

// "84 / 200 ms" for the current platform's p99, else the recommended one's; with a cross
// and class "miss" when it misses the SLO.
void p99_cell(std::string& out, const Row& row) {
  std::optional<double> p99 = row.current_p99_ms;
  std::optional<bool> met = row.current_slo_met;
  if (!p99) {
    if (const PlatformBest* best = platform(row, row.recommended)) {
      p99 = best->p99_ms;
      met = best->slo_met;
    }
  }
  if (!p99) {
    cell(out, k_none, "n");
    return;
  }
  const bool miss = met && !*met;
  cell(out,
       format_quantity(*p99, 1) + " / " + format_quantity(row.slo_p99_ms, 1) + " ms" +
           (miss ? " &#10007;" : ""),
       miss ? "n miss" : "n");
}

// The distinct rules of the row's findings, in order, escaped: "misplaced&gt;20%, slo-breach".
std::string rules(const Row& row) {
  std::vector<std::string> seen;
  std::string text;
  for (const Finding& finding : row.findings) {
    if (std::find(seen.begin(), seen.end(), finding.rule) == seen.end()) {
      text += (seen.empty() ? "" : ", ") + escaped(finding.rule);
      seen.push_back(finding.rule);
    }
  }
  return text;
}

void verdict_line(std::string& out, const Row& row) {
  out += "<p class=\"verdict\">";
  if (row.recommended) {
    out += "Recommended: <b>" + escaped(*row.recommended) + "</b>";
    if (!row.verdict.empty()) {
      out += " (" + escaped(row.verdict) + ")";
    }
    if (!row.recommended_config.empty()) {
      out += ", " + escaped(row.recommended_config);
    }
    if (row.recommended_cost_usd) {
      out += ", " + usd(*row.recommended_cost_usd) + "/month";
    }
    if (row.savings_pct > 0) {
      out += ", " + percent(row.savings_pct) + " cheaper than the best alternative";
    }
  } else {
    out += "Nothing recommended: " + escaped(row.verdict.empty() ? "none feasible" : row.verdict);
  }
  if (row.break_even_multiplier && std::isfinite(*row.break_even_multiplier)) {
    out += "; break-even at x" + format_quantity(*row.break_even_multiplier, 2) + " traffic";
  }
  out += ".";
  if (row.current) {
    out += " Runs on " + escaped(*row.current) + " today";
    if (row.current_cost_usd) {
      out += " at " + usd(*row.current_cost_usd) + "/month";
    }
    if (row.misplaced_pct) {
      out += ", " + percent(*row.misplaced_pct) + " over the recommendation";
    }
    out += ".";
  }
  out += "</p>";
}

void platforms_table(std::string& out, const Row& row) {
  if (row.platforms.empty()) {
    return;
  }
  out +=
      "<div class=\"scroll\"><table class=\"platforms\"><thead><tr><th>platform</th>"
      "<th>config</th><th class=\"n\">$/month</th><th class=\"n\">p50</th>"
      "<th class=\"n\">p95</th><th class=\"n\">p99</th><th class=\"n\">p99.9</th>"
      "<th class=\"n\">mean</th><th class=\"n\">cold starts</th><th>SLO</th></tr></thead>"
      "<tbody>";
  for (const PlatformBest& p : row.platforms) {
    out += "<tr><td><span class=\"swatch\" style=\"background:";
    out += platform_colour(p.platform);
    out += "\"></span>" + escaped(p.platform) + "</td>";
    cell(out, escaped(p.config));
    cell(out, usd(p.monthly_cost_usd), "n");
    for (const double v : {p.p50_ms, p.p95_ms, p.p99_ms, p.p999_ms, p.mean_ms}) {
      cell(out, ms(v), "n");
    }
    cell(out, percent(100 * p.cold_start_ratio), "n");
    cell(out, p.slo_met ? "met" : "missed &#10007;", p.slo_met ? "" : "miss");
    out += "</tr>";
  }
  out += "</tbody></table></div>";
}

}  // namespace

std::string anchor(const Row& row, bool charted) {
  return (charted ? "#w" : "#r") + std::to_string(row.index);
}

void append_table_head(std::string& out, bool baseline) {
  out +=
      "<thead><tr><th>workload</th><th>current</th><th>recommended</th>"
      "<th class=\"n\">current $/month</th><th class=\"n\">recommended $/month</th>"
      "<th class=\"n\">misplaced</th><th class=\"n\">p99 / SLO</th>";
  if (baseline) {
    out += "<th>since baseline</th>";
  }
  out += "<th>rules fired</th></tr></thead>";
}

void append_table_row(std::string& out, const Row& row, bool charted, bool baseline) {
  out += row.ok ? "<tr id=\"r" : "<tr class=\"err\" id=\"r";
  out += std::to_string(row.index) + "\">";
  cell(out, charted ? "<a href=\"" + anchor(row, true) + "\">" + escaped(row.name) + "</a>"
                    : escaped(row.name));
  if (!row.ok) {
    out += "<td colspan=\"6\">error";
    if (!row.error_code.empty()) {
      out += " (" + escaped(row.error_code) + ")";
    }
    out += ": " + escaped(row.error) + "</td>";
  } else {
    cell(out, row.current ? escaped(*row.current) : std::string{k_none});
    cell(out, row.recommended
                  ? escaped(*row.recommended) + " <small>" + escaped(row.verdict) + "</small>"
                  : escaped(row.verdict.empty() ? "none feasible" : row.verdict));
    cell(out, cost_or_none(row.current_cost_usd), "n");
    cell(out, cost_or_none(row.recommended_cost_usd), "n");
    cell(out, row.misplaced_pct ? percent(*row.misplaced_pct) : std::string{k_none}, "n");
    p99_cell(out, row);
  }
  if (baseline) {
    cell(out, escaped(row.change.text));
  }
  cell(out, rules(row));
  out += "</tr>\n";
}

void append_section(std::string& out, const Row& row) {
  out += "<article class=\"workload\" id=\"w" + std::to_string(row.index) + "\"><h3>" +
         escaped(row.name) + "</h3>";
  verdict_line(out, row);
  if (!row.findings.empty()) {
    out += "<ul class=\"findings\">";
    for (const Finding& finding : row.findings) {
      out += "<li><code>" + escaped(finding.rule) + "</code> " + escaped(finding.text) + "</li>";
    }
    out += "</ul>";
  }
  if (!row.reasons.empty()) {
    out += "<ol class=\"reasons\">";
    for (std::size_t i = 0; i < row.reasons.size() && i < k_reasons_shown; ++i) {
      out += "<li>" + escaped(row.reasons[i]) + "</li>";
    }
    out += "</ol>";
  }
  out += "<div class=\"charts\"><figure><figcaption>Traffic over time</figcaption>" +
         traffic_chart(row) +
         "</figure><figure><figcaption>Monthly cost against traffic</figcaption>" +
         cost_chart(row) + "</figure><figure><figcaption>Latency per platform</figcaption>" +
         latency_chart(row) + "</figure></div>";
  platforms_table(out, row);
  out += "<p class=\"trace\">Trace: " + format_quantity(row.requests, 0) + " requests over " +
         duration(row.window_s) + ", mean " + format_quantity(row.mean_rps, 2) + " req/s, peak " +
         format_quantity(row.peak_rps, 2) + " req/s.</p></article>\n";
}

}  // namespace placer::report::detail
