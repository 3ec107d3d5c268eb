// placer report: the CI batch over a manifest of workloads (report.json, .md, .csv, .html),
// the diff against a baseline, the gate; and `placer report merge` of shard outputs.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <thread>

#include "../catalog_path.hpp"
#include "../exit_codes.hpp"
#include "../models_path.hpp"
#include "../report_runner.hpp"
#include "commands.hpp"
#include "placer/report/gate.hpp"
#include "placer/report/html.hpp"
#include "placer/report/manifest.hpp"
#include "placer/report/render.hpp"
#include "placer/version.hpp"

namespace placer::cli {
namespace {

namespace fs = std::filesystem;

struct ReportFlags {
  std::string manifest;
  std::string out_dir;
  std::string baseline;
  std::vector<std::string> fail_on;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  std::string shard;
  std::string models_dir;
  std::string catalog;
  bool quiet = false;
};

struct MergeFlags {
  std::string out_dir;
  std::vector<std::string> dirs;
  bool quiet = false;
};

// Writes through a temporary file renamed into place: a reader never sees half a report.
Result<void> write_file(const fs::path& path, const std::function<void(std::ostream&)>& render) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out{tmp, std::ios::binary | std::ios::trunc};
    render(out);
    if (!out.flush()) {
      return fail(ErrorCode::io, "cannot write", tmp.string());
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    return fail(ErrorCode::io, "cannot rename into place: " + ec.message(), path.string());
  }
  return {};
}

// "I/N" with 0 <= I < N.
Result<std::pair<std::size_t, std::size_t>> parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  std::size_t i = 0;
  std::size_t n = 0;
  auto whole = [](std::string_view s, std::size_t& v) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc{} && p == s.data() + s.size() && !s.empty();
  };
  if (slash == std::string::npos || !whole(std::string_view{text}.substr(0, slash), i) ||
      !whole(std::string_view{text}.substr(slash + 1), n) || n == 0 || i >= n) {
    return fail(ErrorCode::invalid_argument,
                "expected I/N with 0 <= I < N (I counts from 0, like a Kubernetes Indexed Job's "
                "completion index), found \"" + text + "\"",
                "--shard");
  }
  return std::pair{i, n};
}

// The exit code of a finished report: the first error row's, else 1 when the gate fired.
int exit_code_of(const report::Report& r) {
  for (const report::Row& row : r.rows) {
    if (!row.ok) {
      for (ErrorCode code : {ErrorCode::invalid_argument, ErrorCode::parse, ErrorCode::not_found,
                             ErrorCode::unsupported, ErrorCode::io, ErrorCode::internal}) {
        if (to_string(code) == row.error_code) {
          return exit_code_for(code);
        }
      }
      return k_exit_data;
    }
  }
  return r.summary.gate_failed ? k_exit_gate_failed : k_exit_ok;
}

// Writes the four files and tells what happened; returns the exit code.
int finish(const report::Report& r, const std::string& out_dir) {
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) {
    return report(Error{ErrorCode::io, "cannot create the output folder: " + ec.message(), out_dir});
  }
  const fs::path dir{out_dir};
  using Render = std::function<void(std::ostream&)>;
  const std::pair<const char*, Render> files[] = {
      {"report.json", [&](std::ostream& out) { report::write_report_json(r, out); }},
      {"report.md", [&](std::ostream& out) { out << report::report_markdown(r); }},
      {"report.csv", [&](std::ostream& out) { out << report::report_csv(r); }},
      {"report.html", [&](std::ostream& out) { out << report::report_html(r); }}};
  for (const auto& [name, render] : files) {
    if (auto ok = write_file(dir / name, render); !ok) {
      return report(ok.error());
    }
  }
  const report::Summary& s = r.summary;
  auto count = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  std::cout << "placer report: " << count(s.workloads, "workload", "workloads") << ", " << s.misplaced
            << " misplaced, " << count(s.slo_breaches, "SLO breach", "SLO breaches");
  if (r.baseline) std::cout << ", " << count(s.flips, "verdict flip", "verdict flips");
  if (s.errors > 0) std::cout << ", " << count(s.errors, "error", "errors");
  if (!r.fail_on.empty()) std::cout << (s.gate_failed ? "; gate failed" : "; gate passed");
  std::cout << '\n';
  for (const report::Row& row : r.rows) {
    if (!row.ok) {
      std::cout << "  " << row.name << ": error: " << row.error << '\n';
    }
    for (const report::Finding& f : row.findings) {
      std::cout << "  " << row.name << ": " << f.rule << ": " << f.text << '\n';
    }
  }
  std::cout << "wrote " << (dir / "report.json").string() << ", report.md, report.csv, report.html\n";
  return exit_code_of(r);
}

int run_report(const ReportFlags& f) {
  auto rules = report::parse_rules([&] {
    std::string all;
    for (const std::string& r : f.fail_on) all += r + ",";
    return all;
  }());
  if (!rules) {
    return report(rules.error());
  }
  std::pair<std::size_t, std::size_t> shard{0, 1};
  if (!f.shard.empty()) {
    auto parsed = parse_shard(f.shard);
    if (!parsed) {
      return report(parsed.error());
    }
    shard = *parsed;
  }
  auto manifest = report::load_manifest(f.manifest);
  if (!manifest) {
    return report(manifest.error());
  }
  auto models = load_model_set(f.models_dir, {});
  if (!models) {
    return report(models.error());
  }
  auto catalog = load_catalog(f.catalog);
  if (!catalog) {
    return report(catalog.error());
  }
  if (manifest->region && *manifest->region != catalog->region) {
    return report(Error{ErrorCode::unsupported,
                        "the manifest's region is " + *manifest->region + " and the price catalog " +
                            catalog->id + " prices " + catalog->region + " (give one with --catalog)",
                        f.manifest + ": $.defaults.region"});
  }
  std::optional<report::Report> baseline;
  if (!f.baseline.empty()) {
    auto parsed = report::load_report_json(f.baseline, "baseline report");
    if (!parsed) {
      return report(parsed.error());
    }
    baseline = std::move(*parsed);
  }
  std::vector<std::size_t> indices;
  for (std::size_t i = shard.first; i < manifest->workloads.size(); i += shard.second) {
    indices.push_back(i);
  }
  const bool tty = !f.quiet && isatty(STDERR_FILENO) != 0;
  auto progress = [&](std::size_t done, std::size_t total) {
    if (!tty) return;
    constexpr std::size_t k_width = 30;
    const std::size_t filled = total == 0 ? k_width : done * k_width / total;
    std::cerr << "\r[" << std::string(filled, '#') << std::string(k_width - filled, '.') << "] " << done << "/"
              << total << " workloads" << std::flush;
  };
  RunResult run = run_workloads(*manifest, indices, *models, *catalog, f.jobs, progress);
  if (tty) {
    std::cerr << "\33[2K\r" << std::flush;
  }

  report::Report r;
  r.placer_version = std::string{k_placer_version};
  r.catalog_id = catalog->id;
  r.catalog_date = catalog->date;
  r.model_version = std::string{k_cost_model_version};
  r.models = models->ids;
  r.manifest_name = manifest->name;
  r.manifest_digest = manifest->digest;
  r.manifest_workloads = manifest->workloads.size();
  if (!f.shard.empty()) {
    r.shard_index = shard.first;
    r.shard_count = shard.second;
  }
  r.rows = std::move(run.rows);
  r.analyses = std::move(run.analyses);
  if (baseline) {
    r.baseline = fs::path{f.baseline}.filename().string();
    // Removed workloads are judged against the whole manifest, so every shard agrees.
    report::Report all_names;
    for (const report::ManifestWorkload& w : manifest->workloads) {
      all_names.rows.push_back(report::Row{});
      all_names.rows.back().name = w.name;
    }
    report::apply_baseline(all_names, *baseline);
    report::apply_baseline(r, *baseline);
    r.summary.removed = all_names.summary.removed;
  } else {
    bool flip_rule = false;
    for (const report::Rule& rule : *rules) flip_rule |= rule.kind == report::Rule::Kind::verdict_flip;
    if (flip_rule) {
      std::cerr << "placer: note: --fail-on verdict-flip needs --baseline; no flip is checked\n";
    }
  }
  report::apply_gate(r, *rules);
  report::summarize(r);
  return finish(r, f.out_dir);
}

// Checks that the shard reports are the N shards of one run, then joins them.
Result<report::Report> merge_shards(const std::vector<std::string>& dirs) {
  std::vector<report::Report> shards;
  for (const std::string& dir : dirs) {
    const std::string path = (fs::path{dir} / "report.json").string();
    auto parsed = report::load_report_json(path, "shard report");
    if (!parsed) {
      return tl::unexpected(parsed.error());
    }
    if (!parsed->shard_index) {
      return fail(ErrorCode::invalid_argument, "not a shard's report (it was run without --shard)", path);
    }
    shards.push_back(std::move(*parsed));
  }
  const report::Report& first = shards.front();
  std::vector<bool> seen(first.shard_count, false);
  for (std::size_t k = 0; k < shards.size(); ++k) {
    const report::Report& s = shards[k];
    const std::string where = (fs::path{dirs[k]} / "report.json").string();
    if (s.manifest_digest != first.manifest_digest || s.manifest_name != first.manifest_name) {
      return fail(ErrorCode::invalid_argument,
                  "shard of another manifest (" + s.manifest_name + " " + s.manifest_digest + ", expected " +
                      first.manifest_name + " " + first.manifest_digest + ")",
                  where);
    }
    if (s.shard_count != first.shard_count || s.fail_on != first.fail_on || s.baseline != first.baseline ||
        s.catalog_id != first.catalog_id || s.catalog_date != first.catalog_date ||
        s.placer_version != first.placer_version || s.models != first.models) {
      return fail(ErrorCode::invalid_argument,
                  "shard run with other settings (shard count, --fail-on, --baseline, catalog, models "
                  "or placer version differ from " + dirs.front() + ")",
                  where);
    }
    if (*s.shard_index >= seen.size() || seen[*s.shard_index]) {
      return fail(ErrorCode::invalid_argument, "shard " + std::to_string(*s.shard_index) + " given twice", where);
    }
    seen[*s.shard_index] = true;
  }
  for (std::size_t i = 0; i < seen.size(); ++i) {
    if (!seen[i]) {
      return fail(ErrorCode::invalid_argument,
                  "shard " + std::to_string(i) + "/" + std::to_string(seen.size()) + " is missing", "DIR...");
    }
  }
  report::Report out = first;
  out.shard_index.reset();
  out.shard_count = 1;
  out.rows.clear();
  out.analyses.clear();
  std::vector<std::pair<std::size_t, std::pair<std::size_t, std::size_t>>> order;  // index -> shard, row
  for (std::size_t k = 0; k < shards.size(); ++k) {
    for (std::size_t j = 0; j < shards[k].rows.size(); ++j) {
      order.push_back({shards[k].rows[j].index, {k, j}});
    }
  }
  std::sort(order.begin(), order.end());
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (order[i].first != i) {
      return fail(ErrorCode::invalid_argument,
                  "the shards do not hold workload " + std::to_string(i) + " exactly once", "DIR...");
    }
    auto [k, j] = order[i].second;
    out.rows.push_back(std::move(shards[k].rows[j]));
    out.analyses.push_back(std::move(shards[k].analyses[j]));
  }
  if (out.rows.size() != first.manifest_workloads) {
    return fail(ErrorCode::invalid_argument,
                "the shards hold " + std::to_string(out.rows.size()) + " workloads of the manifest's " +
                    std::to_string(first.manifest_workloads),
                "DIR...");
  }
  report::summarize(out);
  return out;
}

int run_merge(const MergeFlags& f) {
  auto merged = merge_shards(f.dirs);
  if (!merged) {
    return report(merged.error());
  }
  return finish(*merged, f.out_dir);
}

}  // namespace

void register_report(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<ReportFlags>();
  auto m = std::make_shared<MergeFlags>();
  CLI::App* cmd = app.add_subcommand(
      "report", "The CI batch: every workload of a manifest, report.{json,md,csv,html}, a baseline diff, a gate");
  cmd->footer(R"(Examples:
  placer report --manifest placer.yaml --out-dir out
  placer report --manifest placer.yaml --out-dir out --baseline main/report.json \
      --fail-on 'misplaced>20%,slo-breach,verdict-flip'
  placer report --manifest placer.yaml --out-dir shard-0 --shard 0/3   # and 1/3, 2/3
  placer report merge --out-dir out shard-0 shard-1 shard-2

The manifest (YAML, or JSON when it ends in .json):
  version: 1
  defaults: {region: us-east-1, slo: {p99_ms: 500}, margin_pct: 10, cost_view: dedicated}
  workloads:
    - name: checkout-api
      current: kubernetes
      inputs: [{path: exports/checkout.json, format: cloudwatch}]
      runtime: python3.12
      memory_mib: 512
      set: {k8s.concurrency_per_pod: 8}
A workload takes the keys of a workload config (see placer analyze --workload-config) over
the defaults; `select` names the workload inside inputs that hold several; an input takes
path, format and the format options of placer analyze (series_kind, series, metric_query,
log_format, workload_label, quantile, step_s, as_workload, on_bad_row). Relative paths
resolve against the manifest's folder. A workload whose input is missing or broken is an
error row; the others still run.

Gate rules (--fail-on, comma-separated or repeated):
  misplaced>N%   the current platform costs more than N% over the recommended one
  slo-breach     the current platform misses the SLO
  verdict-flip   the recommendation changed since --baseline

Exit codes: 0 all placed right, 1 a gate rule fired, 65 a workload's input is broken,
66 a workload's input is missing (these win over 1: the report is incomplete),
64 usage, 74 I/O.)");
  cmd->add_option("--manifest,-m", f->manifest, "the manifest of workloads (YAML or JSON)");
  cmd->add_option("--out-dir,-d", f->out_dir, "folder for report.json, report.md, report.csv and report.html");
  cmd->add_option("--baseline", f->baseline, "an earlier report.json to diff against");
  cmd->add_option("--fail-on", f->fail_on, "gate rules: misplaced>N%, slo-breach, verdict-flip")->delimiter(',');
  cmd->add_option("--jobs,-j", f->jobs, "workloads analysed at once (default: the core count)")
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--shard", f->shard, "run every N-th workload from the I-th: I/N, I from 0");
  cmd->add_option("--models", f->models_dir, "folder with the model files (default: the bundled models/)");
  cmd->add_option("--catalog", f->catalog, "price catalog JSON (default: the bundled one)");
  cmd->add_flag("--quiet,-q", f->quiet, "no progress bar on standard error");

  CLI::App* merge = cmd->add_subcommand("merge", "Join the outputs of `placer report --shard I/N` into one report");
  merge->footer(R"(Example:
  placer report merge --out-dir out shard-0 shard-1 shard-2

Every shard of one manifest, run with the same flags, must be given once; the result is
byte for byte the report a single run writes.)");
  merge->add_option("--out-dir,-d", m->out_dir, "folder for the merged report")->required();
  merge->add_option("DIR", m->dirs, "the shards' output folders")->required();
  merge->callback([m, &exit_code] { exit_code = run_merge(*m); });

  cmd->callback([f, cmd, merge, &exit_code] {
    if (merge->parsed()) {
      return;
    }
    if (f->manifest.empty() || f->out_dir.empty()) {
      throw CLI::RequiredError(f->manifest.empty() ? "--manifest" : "--out-dir");
    }
    exit_code = run_report(*f);
  });
  (void)cmd;
}

}  // namespace placer::cli
