#include "markup.hpp"
#include "placer/render/quantity.hpp"
#include "placer/report/html.hpp"
#include "workload_html.hpp"

namespace placer::report {
namespace {

using detail::escaped;
using detail::usd;

// Chart sections cost about 15 KB each; beyond this many the table alone must do.
constexpr std::size_t k_max_charted = 100;

constexpr std::string_view k_style = R"css(
*{box-sizing:border-box}
body{margin:0;background:#f6f7f9;color:#1f2933;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1120px;margin:0 auto;padding:12px}
h1{font-size:1.5rem;margin:.3rem 0}
h2{font-size:1.2rem;margin:0 0 .5rem}
h3{font-size:1.05rem;margin:0 0 .3rem;overflow-wrap:anywhere}
a{color:#1d4ed8}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eef1f5;padding:0 3px;border-radius:3px;white-space:nowrap}
.meta,.note,.trace{color:#4b5563;font-size:.9rem;overflow-wrap:anywhere}
.card{background:#fff;border:1px solid #e3e6ea;border-radius:8px;padding:12px 14px;margin:12px 0}
.gate{display:inline-block;font-weight:700;padding:3px 10px;border-radius:5px;margin:0 .5rem .3rem 0}
.pass{background:#dcf5e3;color:#14532d}
.fail{background:#fde2e2;color:#7f1d1d}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px;margin:.6rem 0}
.stats div{background:#f6f7f9;border-radius:6px;padding:6px 10px}
.stats dt{font-size:.8rem;color:#4b5563}
.stats dd{margin:0;font-size:1.1rem;font-weight:600;font-variant-numeric:tabular-nums}
.findings{padding-left:1.2rem;overflow-wrap:anywhere}
.findings li{margin:.15rem 0}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.5rem 0}
table{border-collapse:collapse;font-size:14px;min-width:100%}
th,td{padding:5px 7px;border-bottom:1px solid #e3e6ea;text-align:left;white-space:nowrap;vertical-align:top}
th{background:#f6f7f9;font-weight:600;white-space:normal;min-width:4.5rem}
td:first-child{white-space:normal;overflow-wrap:anywhere;min-width:8rem;max-width:14rem}
.n{text-align:right;font-variant-numeric:tabular-nums}
small{color:#4b5563}
.miss{color:#b91c1c;font-weight:600}
tr.err td{background:#fdf1f1;color:#7f1d1d}
tr.err td[colspan]{white-space:normal;min-width:16rem}
tr:target td,.workload:target{background:#fff8db}
.workload{border-top:1px solid #e3e6ea;padding:12px 0}
.verdict{margin:.2rem 0}
.reasons{padding-left:1.4rem;margin:.3rem 0}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,300px),1fr));gap:12px;margin:.6rem 0}
figure{margin:0;min-width:0}
figcaption{font-weight:600;font-size:.9rem}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px}
svg.chart{display:block;width:100%;height:auto}
.chart text{font-size:12px;fill:#374151}
.chart .unit,.chart .title{fill:#4b5563}
.chart .note{font-size:13px;fill:#6b7280}
.chart .mark{font-size:11px;fill:#111827;paint-order:stroke;stroke:#fff;stroke-width:3px}
.chart .grid{stroke:#edf0f3}
.chart .axis{stroke:#9aa3ad}
.chart .frame{fill:#f9fafb;stroke:#e3e6ea}
.chart .series{fill:none;stroke-width:2}
.chart .area{fill:#c7d2fe;fill-opacity:.7}
.chart .line{fill:none;stroke:#4338ca;stroke-width:1.5}
.chart .break-even{stroke:#111827;stroke-width:1.5;stroke-dasharray:5 4}
.chart .observed{stroke:#6b7280;stroke-dasharray:2 3}
.chart .slo{stroke:#b91c1c;stroke-width:1.5;stroke-dasharray:5 4}
)css";

// The positions in `rows` that get a chart section, in the order shown: error rows never;
// rows with findings first, then the others, each in manifest order; at most
// k_max_charted.
std::vector<std::size_t> charted_rows(const std::vector<Row>& rows) {
  std::vector<std::size_t> chosen;
  for (const bool with_findings : {true, false}) {
    for (std::size_t i = 0; i < rows.size() && chosen.size() < k_max_charted; ++i) {
      if (rows[i].ok && rows[i].findings.empty() != with_findings) {
        chosen.push_back(i);
      }
    }
  }
  return chosen;
}

void stat(std::string& out, std::string_view term, const std::string& value) {
  out += "<div><dt>";
  out += term;
  out += "</dt><dd>" + value + "</dd></div>";
}

void header(std::string& out, const Report& report) {
  out += "<header><h1>placer report</h1><p class=\"meta\">manifest <b>" +
         escaped(report.manifest_name) + "</b> &middot; placer " + escaped(report.placer_version) +
         " &middot; pricing catalog " + escaped(report.catalog_id) + " (" +
         escaped(report.catalog_date) + ") &middot; model " + escaped(report.model_version);
  if (report.shard_index) {
    out += " &middot; shard " + std::to_string(*report.shard_index) + "/" +
           std::to_string(report.shard_count) + " of " + std::to_string(report.manifest_workloads) +
           " workloads";
  }
  if (report.baseline) {
    out += " &middot; baseline " + escaped(*report.baseline);
  }
  out += "</p></header>\n";
}

void summary(std::string& out, const Report& report, const std::vector<bool>& charted) {
  const Summary& s = report.summary;
  out += "<section class=\"card\" id=\"summary\"><h2>Summary</h2>";
  out += s.gate_failed ? "<span class=\"gate fail\">gate failed</span>"
                       : "<span class=\"gate pass\">gate passed</span>";
  if (report.fail_on.empty()) {
    out += "no gate rules";
  } else {
    out += "rules:";
    for (const std::string& rule : report.fail_on) {
      out += " <code>" + escaped(rule) + "</code>";
    }
  }
  out += "<dl class=\"stats\">";
  stat(out, "workloads", std::to_string(s.workloads));
  stat(out, "errors", std::to_string(s.errors));
  stat(out, "misplaced", std::to_string(s.misplaced));
  stat(out, "SLO breaches", std::to_string(s.slo_breaches));
  if (report.baseline) {
    stat(out, "verdict flips", std::to_string(s.flips));
  }
  stat(out, "current cost (" + std::to_string(s.with_current) + " with a current platform)",
       usd(s.current_monthly_cost_usd) + "/month");
  stat(out, "at the recommendation", usd(s.recommended_monthly_cost_usd) + "/month");
  const double difference = s.recommended_monthly_cost_usd - s.current_monthly_cost_usd;
  std::string change = (difference > 0 ? "+" : "") + usd(difference) + "/month";
  if (s.current_monthly_cost_usd > 0) {
    change += " (" + (difference > 0 ? std::string{"+"} : "") +
              format_quantity(100 * difference / s.current_monthly_cost_usd, 1) + "%)";
  }
  stat(out, "difference", change);
  out += "</dl>";
  if (!s.removed.empty()) {
    out += "<p>Removed since the baseline:";
    for (std::size_t i = 0; i < s.removed.size(); ++i) {
      out += (i == 0 ? " " : ", ") + escaped(s.removed[i]);
    }
    out += "</p>";
  }
  out += "<h3>Findings (" + std::to_string(s.findings) + ")</h3>";
  if (s.findings == 0) {
    out += "<p class=\"note\">No gate rule fired.</p>";
  }
  out += "<ul class=\"findings\">";
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    const Row& row = report.rows[i];
    for (const Finding& finding : row.findings) {
      out += "<li><a href=\"" + detail::anchor(row, charted[i]) + "\">" + escaped(row.name) +
             "</a> <code>" + escaped(finding.rule) + "</code> " + escaped(finding.text) + "</li>\n";
    }
  }
  out += "</ul></section>\n";
}

void table(std::string& out, const Report& report, const std::vector<bool>& charted) {
  out += "<section class=\"card\" id=\"workloads\"><h2>Workloads (" +
         std::to_string(report.rows.size()) + ")</h2><div class=\"scroll\"><table>";
  const bool baseline = report.baseline.has_value();
  detail::append_table_head(out, baseline);
  out += "<tbody>\n";
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    detail::append_table_row(out, report.rows[i], charted[i], baseline);
  }
  out += "</tbody></table></div></section>\n";
}

void sections(std::string& out, const Report& report, const std::vector<std::size_t>& chosen) {
  std::size_t chartable = 0;
  for (const Row& row : report.rows) {
    chartable += row.ok ? 1 : 0;
  }
  out += "<section class=\"card\" id=\"charts\"><h2>Charts</h2>";
  if (chosen.size() < chartable) {
    out += "<p class=\"note\">Charts for the first " + std::to_string(chosen.size()) + " of " +
           std::to_string(chartable) +
           " workloads (those with findings first); all are in the table and in "
           "report.json/report.csv.</p>";
  } else if (chosen.empty()) {
    out += "<p class=\"note\">No workload to chart.</p>";
  }
  for (const std::size_t i : chosen) {
    detail::append_section(out, report.rows[i]);
  }
  out += "</section>\n";
}

}  // namespace

std::string report_html(const Report& report) {
  const std::vector<std::size_t> chosen = charted_rows(report.rows);
  std::vector<bool> charted(report.rows.size(), false);
  for (const std::size_t i : chosen) {
    charted[i] = true;
  }
  std::string out;
  out.reserve(4096 + report.rows.size() * 400 + chosen.size() * 16384);
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>placer report: " +
      escaped(report.manifest_name) + "</title><style>";
  out += k_style;
  out += "</style></head>\n<body><main>\n";
  header(out, report);
  summary(out, report, charted);
  table(out, report, charted);
  sections(out, report, chosen);
  out += "<footer class=\"note\">Made by placer " + escaped(report.placer_version) +
         ". The same data: report.json, report.csv.</footer>\n</main></body></html>\n";
  return out;
}

}  // namespace placer::report
