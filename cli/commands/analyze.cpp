// placer analyze FILE...: where should each workload run, with the numbers behind it.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cmath>
#include <iostream>
#include <memory>

#include "../catalog_path.hpp"
#include "../exit_codes.hpp"
#include "../inputs.hpp"
#include "../models_path.hpp"
#include "../table.hpp"
#include "commands.hpp"
#include "placer/analysis/analysis.hpp"
#include "placer/analysis/workload_config.hpp"
#include "placer/render/analysis_json.hpp"
#include "placer/render/quantity.hpp"
#include "placer/report/report.hpp"
#include "placer/sim/workload_trace.hpp"

namespace placer::cli {
namespace {

struct AnalyzeFlags {
  InputFlags inputs;
  std::string workload;
  std::string workload_config;
  std::string models_dir;
  std::string catalog;
  std::vector<std::string> overrides;
  std::optional<std::string> runtime;
  std::optional<std::string> package;
  std::optional<double> package_mib;
  std::optional<double> memory_mib;
  std::optional<double> cpu_bound_share;
  std::optional<int> concurrency_per_pod;
  std::optional<double> pod_cpu_millicores;
  std::optional<double> slo_p99_ms;
  std::optional<double> slo_p95_ms;
  std::optional<double> slo_p50_ms;
  std::optional<std::string> current;
  bool existing_cluster = false;
  std::vector<std::string> allowed;
  std::string k8s_cost_view;
  std::optional<double> margin_pct;
  std::vector<double> what_if = {0.5, 2, 10};
  std::uint64_t seed = 1;
  std::string output = "table";
  bool quiet = false;
};

std::string money(double usd) { return format_usd(usd); }  // "$1,234.56", "<$0.01"

// The best candidate of each platform: feasible and cheapest first (candidates are sorted).
std::vector<const analysis::Candidate*> best_per_platform(const analysis::Analysis& a) {
  std::vector<const analysis::Candidate*> out;
  for (analysis::Platform p : {analysis::Platform::lambda, analysis::Platform::kubernetes,
                               analysis::Platform::fargate}) {
    for (const analysis::Candidate& c : a.candidates) {
      if (c.platform == p) {
        out.push_back(&c);
        break;
      }
    }
  }
  return out;
}

std::string verdict_line(const analysis::Analysis& a) {
  const auto& r = a.recommendation;
  if (!r.candidate) {
    return "verdict: none feasible";
  }
  const analysis::Candidate& c = a.candidates[*r.candidate];
  std::string line = "verdict: " + std::string{to_string(c.platform)} + " (" + r.verdict + ")";
  if (r.best_alternative) {
    const std::string pct =
        r.savings_pct > 99.9 && r.savings_pct < 100 ? ">99.9" : format_quantity(r.savings_pct, 1);
    line += ", " + pct + "% cheaper than " +
            std::string{to_string(a.candidates[*r.best_alternative].platform)};
  }
  if (a.break_even_multiplier) {
    line += "; break-even at x" + format_quantity(*a.break_even_multiplier, 2) + " traffic (" +
            format_quantity(a.break_even_mean_rps, 3) + " req/s)";
  }
  return line;
}

std::string analysis_table(const analysis::Analysis& a) {
  std::string out = "workload " + (a.workload.empty() ? std::string{"(unnamed)"} : a.workload) +
                    ": " + format_quantity(a.trace.requests, 0) + " requests over " +
                    format_quantity(a.trace.window_s / 3600, 1) + " h, mean " +
                    format_quantity(a.trace.mean_rps, 3) + " req/s, peak minute " +
                    format_quantity(a.trace.peak_rps, 3) + " req/s\n";
  Table t{{"platform", "best configuration", "$/month", "p99 ms", "cold %", "SLO"}};
  for (const analysis::Candidate* c : best_per_platform(a)) {
    t.add_row({std::string{to_string(c->platform)}, report::config_text(*c), money(c->monthly_cost_usd),
               format_quantity(c->latency.p99_ms, 1),
               c->platform == analysis::Platform::lambda ? format_quantity(100 * c->cold_start_ratio, 2) : "-",
               c->slo_met ? "met" : "missed"});
  }
  out += t.render({2, 3, 4});
  out += "SLO: p99 " + format_quantity(a.slo_p99_ms, 1) + " ms" +
         (a.slo_stated ? "" : " (default: no SLO given)") + "\n";
  out += verdict_line(a) + "\n";
  const auto& reasons = a.recommendation.reasons;
  for (std::size_t i = 0; i < reasons.size() && i < 3; ++i) {
    out += "  - " + reasons[i] + "\n";
  }
  if (!a.recommendation.flips_if.empty()) {
    out += "  flips if: " + a.recommendation.flips_if.front().text + "\n";
  }
  return out;
}

std::string analysis_markdown(const analysis::Analysis& a) {
  std::string out = "### " + (a.workload.empty() ? std::string{"(unnamed)"} : a.workload) + "\n\n";
  out += "| platform | best configuration | $/month | p99 ms | cold % | SLO |\n|---|---|---:|---:|---:|---|\n";
  for (const analysis::Candidate* c : best_per_platform(a)) {
    out += "| " + std::string{to_string(c->platform)} + " | " + report::config_text(*c) + " | " +
           money(c->monthly_cost_usd) + " | " + format_quantity(c->latency.p99_ms, 1) + " | " +
           (c->platform == analysis::Platform::lambda ? format_quantity(100 * c->cold_start_ratio, 2) : "-") +
           " | " + (c->slo_met ? "met" : "missed") + " |\n";
  }
  out += "\n**" + verdict_line(a) + "**\n\n";
  for (const std::string& r : a.recommendation.reasons) {
    out += "- " + r + "\n";
  }
  for (const analysis::Flip& f : a.recommendation.flips_if) {
    out += "- flips if " + f.text + "\n";
  }
  return out + "\n";
}

std::string analysis_csv(const std::vector<analysis::Analysis>& all) {
  std::string out =
      "workload,platform,candidate,monthly_cost_usd,p50_ms,p95_ms,p99_ms,cold_start_ratio,"
      "throttle_ratio,utilization,slo_met,recommended\n";
  for (const analysis::Analysis& a : all) {
    for (std::size_t i = 0; i < a.candidates.size(); ++i) {
      const analysis::Candidate& c = a.candidates[i];
      out += csv_field(a.workload) + "," + std::string{to_string(c.platform)} + "," + csv_field(c.id) +
             "," + format_number(c.monthly_cost_usd) + "," + format_number(c.latency.p50_ms) + "," +
             format_number(c.latency.p95_ms) + "," + format_number(c.latency.p99_ms) + "," +
             format_number(c.cold_start_ratio) + "," + format_number(c.throttle_ratio) + "," +
             format_number(c.utilization) + "," + (c.slo_met ? "true" : "false") + "," +
             (a.recommendation.candidate == i ? "true" : "false") + "\n";
    }
  }
  return out;
}

// Flags over the config file: a flag the user typed wins.
Result<analysis::WorkloadAttributes> attributes_of(const AnalyzeFlags& f,
                                                   analysis::WorkloadConfig& config) {
  analysis::WorkloadAttributes& a = config.attributes;
  if (f.runtime) a.runtime = *f.runtime;
  if (f.package) a.container_image = *f.package == "image";
  if (f.package_mib) a.package_mib = *f.package_mib;
  if (f.memory_mib) a.memory_mib = *f.memory_mib;
  if (f.cpu_bound_share) a.cpu_bound_share = *f.cpu_bound_share;
  if (f.concurrency_per_pod) a.concurrency_per_pod = *f.concurrency_per_pod;
  if (f.pod_cpu_millicores) a.pod_cpu_millicores = *f.pod_cpu_millicores;
  if (f.slo_p99_ms) a.slo_p99_ms = *f.slo_p99_ms;
  if (f.slo_p95_ms) a.slo_p95_ms = *f.slo_p95_ms;
  if (f.slo_p50_ms) a.slo_p50_ms = *f.slo_p50_ms;
  if (f.current) {
    auto p = analysis::parse_platform(*f.current);
    if (!p) return tl::unexpected(p.error());
    a.current = *p;
  }
  if (f.existing_cluster) a.existing_cluster = true;
  if (!f.allowed.empty()) {
    a.allowed.clear();
    for (const std::string& name : f.allowed) {
      auto p = analysis::parse_platform(name);
      if (!p) return tl::unexpected(p.error());
      a.allowed.push_back(*p);
    }
  }
  return a;
}

int run_analyze(const AnalyzeFlags& f) {
  analysis::WorkloadConfig config;
  if (!f.workload_config.empty()) {
    auto loaded = analysis::load_workload_config(f.workload_config);
    if (!loaded) {
      return report(loaded.error());
    }
    config = std::move(*loaded);
  }
  std::vector<std::string> overrides;
  for (const auto& [name, value] : config.set) {
    overrides.push_back(name + "=" + format_number(value));
  }
  overrides.insert(overrides.end(), f.overrides.begin(), f.overrides.end());
  auto models = load_model_set(f.models_dir, overrides);
  if (!models) {
    return report(models.error());
  }
  auto catalog = load_catalog(f.catalog);
  if (!catalog) {
    return report(catalog.error());
  }
  auto attributes = attributes_of(f, config);
  if (!attributes) {
    return report(attributes.error());
  }
  analysis::AnalysisOptions options;
  options.what_if = f.what_if;
  options.seed = f.seed;
  options.margin_pct = f.margin_pct.value_or(models->value("analysis.margin_pct"));
  if (!f.k8s_cost_view.empty()) {
    auto view = analysis::parse_cost_view(f.k8s_cost_view);
    if (!view) {
      return report(view.error());
    }
    options.k8s_cost_view = *view;
  }
  const bool progress = !f.quiet && isatty(STDERR_FILENO) != 0;
  if (progress) {
    std::cerr << "placer: reading " << f.inputs.files.size() << " file(s)...\r" << std::flush;
  }
  sim::WorkloadTraceBuilder builder;
  if (auto files = read_inputs(f.inputs, builder); !files) {
    return report(files.error());
  }
  auto traces = builder.finish();
  if (!traces) {
    return report(traces.error());
  }
  const std::string wanted = !f.workload.empty() ? f.workload : config.name;
  if (!wanted.empty()) {
    std::vector<sim::WorkloadTrace> chosen;
    for (sim::WorkloadTrace& t : *traces) {
      if (t.name == wanted || (chosen.empty() && t.name.starts_with(wanted))) {
        chosen.push_back(std::move(t));
      }
    }
    if (chosen.empty()) {
      return report(Error{ErrorCode::not_found, "no workload named \"" + wanted + "\" in the input",
                          "--workload"});
    }
    chosen.resize(1);
    *traces = std::move(chosen);
  }
  if (traces->empty()) {
    return report(Error{ErrorCode::parse, "the input holds no requests", "files"});
  }
  std::vector<analysis::Analysis> results;
  for (std::size_t i = 0; i < traces->size(); ++i) {
    const sim::WorkloadTrace& trace = (*traces)[i];
    if (progress) {
      std::cerr << "\33[2K\rplacer: analyzing " << (i + 1) << "/" << traces->size() << " "
                << trace.name.substr(0, 40) << "..." << std::flush;
    }
    auto result = analysis::analyze(trace, *attributes, options, *models, *catalog);
    if (!result) {
      if (progress) std::cerr << "\33[2K\r";
      Error e = result.error();
      if (!trace.name.empty()) {
        e.message = "workload \"" + trace.name + "\": " + e.message;
      }
      return report(e);
    }
    results.push_back(std::move(*result));
  }
  if (progress) {
    std::cerr << "\33[2K\r" << std::flush;
  }
  if (f.output == "json") {
    std::cout << analysis_json(results, *catalog, *models);
  } else if (f.output == "csv") {
    std::cout << analysis_csv(results);
  } else {
    for (std::size_t i = 0; i < results.size(); ++i) {
      std::cout << (i > 0 ? "\n" : "")
                << (f.output == "markdown" ? analysis_markdown(results[i]) : analysis_table(results[i]));
    }
  }
  return k_exit_ok;
}

}  // namespace

void register_analyze(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<AnalyzeFlags>();
  CLI::App* cmd = app.add_subcommand(
      "analyze", "Recommend Lambda or Kubernetes for each workload in the input, with reasons");
  cmd->footer(R"(Examples:
  placer analyze data/traces/azure2021-sample.csv --workload 1573b95c/09f931e5
  placer analyze requests.csv --runtime nodejs22.x --memory-mib 512 --slo-p99-ms 300
  placer analyze invocations.json durations.json --workload-config checkout.json -o json
  placer analyze requests.csv --existing-cluster --current kubernetes --what-if 0.5,2,10
  placer analyze requests.csv --set lambda.keep_alive_s=600 --set k8s.concurrency_per_pod=8

Each workload is simulated on Lambda (x86_64 and arm64 over a memory grid, with and without
provisioned concurrency), on Kubernetes (every node type of the catalog, HPA) and on EKS
Fargate, priced for a month (730 h), and the cheapest candidate that meets the SLO is
recommended. "toss-up" means the platforms' best are within --margin-pct. The Kubernetes
cost view is "shared" (the pods' share of existing nodes) with --existing-cluster, else
"dedicated" (the nodes and control plane it needs).

)" + std::string{k_formats_help});
  add_input_options(cmd, f->inputs);
  cmd->add_option("--workload", f->workload, "analyze only this workload (a unique prefix is enough)");
  cmd->add_option("--workload-config", f->workload_config,
                  "JSON with the workload's attributes (runtime, memory_mib, slo, current, set, ...)");
  cmd->add_option("--runtime", f->runtime, "Lambda runtime (placer models show lists them)");
  cmd->add_option("--package", f->package, "zip or image")->check(CLI::IsMember({"zip", "image"}));
  cmd->add_option("--package-mib", f->package_mib, "zipped dependencies loaded at init, MiB")
      ->check(CLI::Range(0.0, 10240.0));
  cmd->add_option("--memory-mib", f->memory_mib, "memory the workload uses (and its durations were measured at)")
      ->check(CLI::Range(1.0, 10240.0));
  cmd->add_option("--cpu-bound-share", f->cpu_bound_share, "share of the duration that is CPU work")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--concurrency-per-pod", f->concurrency_per_pod, "requests a pod serves at once")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--pod-cpu-millicores", f->pod_cpu_millicores, "CPU request per pod")
      ->check(CLI::Range(1.0, 1e6));
  cmd->add_option("--slo-p99-ms", f->slo_p99_ms, "p99 latency objective (default workload.slo_p99_ms)")
      ->check(CLI::Range(0.001, 3.6e6));
  cmd->add_option("--slo-p95-ms", f->slo_p95_ms, "p95 latency objective")->check(CLI::Range(0.001, 3.6e6));
  cmd->add_option("--slo-p50-ms", f->slo_p50_ms, "p50 latency objective")->check(CLI::Range(0.001, 3.6e6));
  cmd->add_option("--current", f->current, "where it runs today: lambda, kubernetes or fargate")
      ->check(CLI::IsMember({"lambda", "kubernetes", "fargate"}));
  cmd->add_flag("--existing-cluster", f->existing_cluster, "a cluster runs already (shared cost view)");
  cmd->add_option("--allow", f->allowed, "platforms to consider (repeat or comma-separate)")
      ->delimiter(',')
      ->check(CLI::IsMember({"lambda", "kubernetes", "fargate"}));
  cmd->add_option("--k8s-cost-view", f->k8s_cost_view, "dedicated or shared")
      ->check(CLI::IsMember({"dedicated", "shared"}));
  cmd->add_option("--margin-pct", f->margin_pct, "toss-up margin (default analysis.margin_pct)")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--what-if", f->what_if, "traffic multipliers to try")
      ->delimiter(',')
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--set", f->overrides, "override a model parameter, NAME=VALUE (repeatable)");
  cmd->add_option("--models", f->models_dir, "folder with the model files (default: the bundled models/)");
  cmd->add_option("--catalog", f->catalog, "price catalog JSON (default: the bundled one)");
  cmd->add_option("--seed", f->seed, "random seed; the same seed gives the same output")->capture_default_str();
  cmd->add_option("--output,-o", f->output, "table, json, markdown or csv")
      ->check(CLI::IsMember({"table", "json", "markdown", "csv"}))
      ->capture_default_str();
  cmd->add_flag("--quiet,-q", f->quiet, "no progress line on standard error");
  cmd->callback([f, &exit_code] { exit_code = run_analyze(*f); });
}

}  // namespace placer::cli
