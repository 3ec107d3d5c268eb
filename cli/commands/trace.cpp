// placer trace summarize FILE...: what was read.
#include <CLI/CLI.hpp>
#include <array>
#include <iostream>
#include <memory>
#include <optional>
#include <span>

#include "../exit_codes.hpp"
#include "../inputs.hpp"
#include "../table.hpp"
#include "commands.hpp"
#include "placer/ingest/format.hpp"
#include "placer/ingest/line_reader.hpp"
#include "placer/ingest/request_log.hpp"
#include "placer/render/trace_json.hpp"
#include "placer/trace_summary.hpp"

namespace placer::cli {
namespace {

struct TraceFlags {
  InputFlags inputs;
  std::string workload;
  std::string output = "table";
};

std::string percentile_row(const Percentiles& p) {
  return format_quantity(p.p50, 2) + " / " + format_quantity(p.p95, 2) + " / " +
         format_quantity(p.p99, 2) + " (min " + format_quantity(p.min, 2) + ", max " +
         format_quantity(p.max, 2) + ", mean " + format_quantity(p.mean, 2) + ")";
}

std::string summary_table(const std::vector<IngestedFile>& files,
                          const std::vector<TraceSummary>& workloads) {
  std::string out;
  for (const IngestedFile& f : files) {
    const auto count = [](std::uint64_t n, const char* what) {
      return format_quantity(static_cast<double>(n)) + " " + what + (n == 1 ? "" : "s");
    };
    out += "read " + f.path + ": format " + f.format + ", " + count(f.rows, "row") +
           (f.skipped_rows > 0 ? ", " + count(f.skipped_rows, "row") + " skipped" : "") + "\n";
  }
  for (const TraceSummary& s : workloads) {
    out += "\nworkload " + (s.workload.empty() ? std::string{"(unnamed)"} : s.workload) + "\n";
    Table t{{"field", "value"}};
    const bool timed = !(s.start_s == 0 && s.end_s == 0);
    const std::string unknown = "unknown (the input has no times)";
    t.add_row({"requests", format_quantity(static_cast<double>(s.requests))});
    t.add_row({"window (UTC)", timed ? format_utc(s.start_s) + " to " + format_utc(s.end_s) : unknown});
    t.add_row({"window length", timed ? format_quantity(s.end_s - s.start_s, 1) + " s" : unknown});
    t.add_row({"mean rate", timed ? format_quantity(s.mean_rate_rps, 3) + " req/s" : unknown});
    t.add_row({"peak minute rate",
               timed ? format_quantity(s.peak_minute_rate_rps, 3) + " req/s" : unknown});
    t.add_row({"duration ms p50/p95/p99", percentile_row(s.duration_ms)});
    t.add_row({"memory MiB p50/p95/p99", s.memory_mib ? percentile_row(*s.memory_mib) : "not in the input"});
    t.add_row({"cold starts observed", format_quantity(static_cast<double>(s.cold_starts))});
    if (s.init_duration_ms) {
      t.add_row({"init ms p50/p95/p99", percentile_row(*s.init_duration_ms)});
    }
    t.add_row({"idle gaps of 5+ min",
               timed ? format_quantity(static_cast<double>(s.idle_gaps)) : unknown});
    t.add_row({"longest idle", timed ? format_quantity(s.longest_idle_s) + " s" : unknown});
    out += t.render({});
  }
  return out;
}

int run_summarize(const TraceFlags& f) {
  TraceSummarizer summarizer;
  auto files = read_inputs(f.inputs, summarizer);
  if (!files) {
    return report(files.error());
  }
  std::vector<TraceSummary> workloads = summarizer.finish();
  if (!f.workload.empty()) {
    std::erase_if(workloads, [&](const TraceSummary& s) { return s.workload != f.workload; });
    if (workloads.empty()) {
      return report(Error{ErrorCode::not_found, "no workload named \"" + f.workload + "\" in the input",
                          "--workload"});
    }
  }
  std::cout << (f.output == "json" ? trace_summary_json(*files, workloads)
                                   : summary_table(*files, workloads));
  return k_exit_ok;
}

}  // namespace

void register_trace(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<TraceFlags>();
  CLI::App* trace = app.add_subcommand("trace", "Read traces and say what they hold");
  trace->require_subcommand(1);
  CLI::App* summarize = trace->add_subcommand(
      "summarize", "Window, requests, rates, duration and memory percentiles, gaps, cold starts");
  summarize->footer(R"(Examples:
  placer trace summarize data/traces/azure2021-sample.csv
  zcat requests.csv.gz | placer trace summarize - --output json
  placer trace summarize a.jsonl b.csv --workload checkout --on-bad-row skip
  placer trace summarize requests-90d.csv --threads 4     # a big log, in parts on 4 threads
  placer trace summarize lambda-export.json --format lambda-report
  placer trace summarize access.log --format nginx \
      --log-format '$remote_addr [$time_local] "$request" $status $request_time'
  placer trace summarize cw-page1.json cw-page2.json --metric-query queries.json
  placer trace summarize requests_total.json --series-kind counter --workload-label job
  placer trace summarize rate.json p50.json p99.json \
      --series kind=rate,file=rate.json \
      --series kind=latency-seconds,file=p50.json,quantile=0.5 \
      --series kind=latency-seconds,file=p99.json,quantile=0.99

Percentiles are within 0.1%. A plain request log of 512 KiB or more is read in 256 KiB
parts on --threads threads (default: one per core), with the same answer as one thread.

)" + std::string{k_formats_help});
  add_input_options(summarize, f->inputs);
  summarize->add_option("--workload", f->workload, "only this workload");
  summarize->add_option("--threads", f->inputs.threads,
                        "threads for a large request log, read in parts (default: one per core)")
      ->check(CLI::Range(1u, 256u));
  summarize->add_option("--output,-o", f->output, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  summarize->callback([f, &exit_code] { exit_code = run_summarize(*f); });
}

}  // namespace placer::cli
