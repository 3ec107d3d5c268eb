#include "inputs.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <iostream>
#include <optional>
#include <span>
#include <thread>

#include "placer/ingest/format.hpp"
#include "placer/ingest/line_reader.hpp"
#include "placer/ingest/request_log.hpp"

namespace placer::cli {
namespace {

tl::unexpected<Error> fail_with(const Error& error) { return tl::unexpected(error); }

// The format-specific flags as core's options; fails as the core parsers of them do.
Result<ingest::ReadOptions> read_options(const InputFlags& f) {
  ingest::ReadOptions options;
  options.nginx_log_format = f.log_format;
  ingest::PrometheusOptions& p = options.prometheus;
  if (!f.series_kind.empty()) {
    auto kind = ingest::parse_series_kind(f.series_kind);
    if (!kind) {
      return tl::unexpected(kind.error());
    }
    p.kind = *kind;
  }
  for (const std::string& text : f.series) {
    auto spec = ingest::parse_series_spec(text);
    if (!spec) {
      return tl::unexpected(spec.error());
    }
    p.series.push_back(std::move(*spec));
  }
  p.workload_label = f.workload_label;
  p.quantile = f.quantile;
  p.step_s = f.step_seconds;
  if (!f.metric_query.empty()) {
    auto reader = ingest::LineReader::open(f.metric_query);
    if (!reader) {
      return tl::unexpected(reader.error());
    }
    auto queries = ingest::read_metric_queries(*reader);
    if (!queries) {
      return tl::unexpected(queries.error());
    }
    options.cloudwatch.queries = std::move(*queries);
  }
  return options;
}

// Flags that only one format reads, when no input is in it: a mistake, not a no-op.
std::optional<Error> unused_flags(const InputFlags& f, bool prometheus, bool cloudwatch) {
  if (!prometheus && (!f.series_kind.empty() || !f.series.empty() || !f.workload_label.empty() ||
                      f.quantile || f.step_seconds)) {
    return Error{ErrorCode::invalid_argument,
                 "--series-kind, --series, --workload-label, --quantile and --step-seconds "
                 "describe Prometheus exports, and no input is one",
                 "--series-kind"};
  }
  if (!cloudwatch && !f.metric_query.empty()) {
    return Error{ErrorCode::invalid_argument,
                 "--metric-query describes CloudWatch get-metric-data exports, and no input is "
                 "one",
                 "--metric-query"};
  }
  return std::nullopt;
}

void warn_skipped(const std::string& what, const ingest::IngestStats& stats) {
  if (stats.skipped_rows > 0) {
    std::cerr << "placer: warning: " << what << ": skipped " << stats.skipped_rows
              << (stats.skipped_rows == 1 ? " row: " : " rows, the first: ") << stats.first_skipped
              << '\n';
  }
}

// Reads the files of one export together; "a + b" names them in the report.
template <typename Read>
Result<void> read_set(const std::vector<std::string>& paths, const std::string& format, Read read,
             std::vector<IngestedFile>& files) {
  auto readers = ingest::LineReader::open_all(paths);
  if (!readers) {
    return tl::unexpected(readers.error());
  }
  std::string names;
  for (const std::string& path : paths) {
    names += (names.empty() ? "" : " + ") + path;
  }
  auto stats = read(std::span<ingest::LineReader>{*readers});
  if (!stats) {
    return tl::unexpected(stats.error());
  }
  warn_skipped(names, *stats);
  files.push_back({names, format, stats->rows, stats->skipped_rows});
  return {};
}

}  // namespace

const char* const k_formats_help = R"(Formats (--format auto detects them from the first lines and says which it chose):
  requests       placer's request log, CSV with a header or JSON Lines, one request a
                 row: timestamp (epoch seconds or RFC 3339 with an offset), duration_ms,
                 and optionally memory_mib, workload, status, init_duration_ms
  lambda-report  AWS Lambda REPORT lines, aws logs get-log-events/filter-log-events JSON,
                 CloudWatch Logs subscription payloads, platform.report events; REPORT
                 lines without a leading time are read with time 0 (no rates then)
  cloudwatch     aws cloudwatch get-metric-statistics or get-metric-data JSON:
                 Invocations or RequestCount (Sum) as requests per period, Duration or
                 TargetResponseTime (Average, Minimum, Maximum, pNN) as latency. All the
                 CloudWatch files given are one export: pages are merged by Id. A
                 get-metric-data Id is looked up in --metric-query (the
                 --metric-data-queries JSON given to aws), else read from its name
                 (invocations, duration_p99, duration_avg, request_count,
                 target_response_time_p50) or its Label ("Duration p99")
  prometheus     Prometheus /api/v1/query_range JSON (or its bare result array). The
                 export does not say what a series measures, so say it:
                   --series-kind counter          raw counter samples (http_requests_total):
                                                  increases are requests, a drop is a reset
                   --series-kind rate             requests per second: rate x step requests
                   --series-kind latency-seconds  a latency quantile in seconds, e.g.
                                                  histogram_quantile(0.99, ...); the
                                                  quantile from quantile= or --quantile,
                                                  else the series' quantile label
                 Several series need --series KEY=VALUE,... to say which is which (repeat
                 it): kind=..., and index=N (result[N] of each response), match=LABEL=VALUE
                 (repeatable), file=PATH (one input), quantile=Q. Or --workload-label LABEL
                 for series of one kind, one workload per label value. Latency is weighted
                 by its workload's requests in the same step. NaN and Inf samples are no
                 data, skipped and counted. The step is the median spacing or --step-seconds.
                 All the Prometheus files given are one export.
  azure2019      the Azure Functions 2019 trace: one day's invocations file, with its
                 durations and memory files if given; counts per minute, percentiles
  azure2021      the Azure Functions 2021 invocation trace (app,func,end_timestamp,
                 duration); workloads are app/func, times start at 2021-01-31T00:00:00Z
  alb            AWS Application Load Balancer access logs; duration is the target's
                 processing time; entries no target served (-1, WebSocket) are skipped
  nginx          nginx combined with $request_time, or ingress-nginx upstreaminfo;
                 --log-format for any other nginx log_format
Gzip files are read as they are; "-" is standard input (auto means requests there).
Gzip files are read as they are; "-" is standard input (auto means requests there).)";

void add_input_options(CLI::App* command, InputFlags& f) {
  command->add_option("files", f.files, "input files, - for standard input")->required();
  command->add_option("--log-format", f.log_format,
                      "nginx log_format string, e.g. '$remote_addr [$time_local] $request_time'");
  command
      ->add_option("--format", f.format,
                   "auto, requests, lambda-report, cloudwatch, prometheus, azure2019, "
                   "azure2021, alb or nginx")
      ->capture_default_str();
  command
      ->add_option("--series-kind", f.series_kind,
                   "prometheus: counter, rate or latency-seconds, for every series no "
                   "--series gives a kind")
      ->check(CLI::IsMember({"counter", "rate", "latency-seconds"}));
  command
      ->add_option("--series", f.series,
                   "prometheus: which series is what, e.g. "
                   "'kind=counter,match=__name__=http_requests_total'; repeatable")
      ->allow_extra_args(false);
  command->add_option("--workload-label", f.workload_label,
                      "prometheus: the label whose value names each series' workload");
  command->add_option("--quantile", f.quantile,
                      "prometheus: the quantile (0-1) of latency series that do not say it");
  command->add_option("--step-seconds", f.step_seconds,
                      "prometheus: the query's step, instead of the samples' median spacing");
  command->add_option("--metric-query", f.metric_query,
                      "cloudwatch: the --metric-data-queries JSON of get-metric-data");
  command->add_option("--as-workload", f.as_workload,
                      "read every input as this one workload: requests from one export, "
                      "durations from another");
  command->add_option("--on-bad-row", f.on_bad_row, "fail or skip")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->capture_default_str();
}

namespace {

// Passes every row on as one named workload (--as-workload).
class RenamingSink final : public InvocationSink {
 public:
  RenamingSink(InvocationSink& inner, std::string name) : inner_(inner), name_(std::move(name)) {}
  void add(const Invocation& invocation) override {
    Invocation renamed = invocation;
    renamed.workload = name_;
    inner_.add(renamed);
  }
  void add_counts(const IntervalCount& counts) override {
    IntervalCount renamed = counts;
    renamed.workload = name_;
    inner_.add_counts(renamed);
  }
  void add_durations(const QuantileSummary& summary) override {
    QuantileSummary renamed = summary;
    renamed.workload = name_;
    inner_.add_durations(renamed);
  }
  void add_memory(const QuantileSummary& summary) override {
    QuantileSummary renamed = summary;
    renamed.workload = name_;
    inner_.add_memory(renamed);
  }

 private:
  InvocationSink& inner_;
  std::string name_;
};

}  // namespace

Result<std::vector<IngestedFile>> read_inputs(const InputFlags& flags, InvocationSink& target) {
  std::optional<RenamingSink> renaming;
  if (!flags.as_workload.empty()) {
    renaming.emplace(target, flags.as_workload);
  }
  InvocationSink& sink = renaming ? static_cast<InvocationSink&>(*renaming) : target;
  const InputFlags& f = flags;
  std::optional<ingest::Format> chosen;
  if (f.format != "auto") {
    auto parsed = ingest::parse_format(f.format);
    if (!parsed) {
      return fail_with(parsed.error());
    }
    chosen = *parsed;
  }
  auto options = read_options(f);
  if (!options) {
    return fail_with(options.error());
  }
  const auto bad_rows = f.on_bad_row == "skip" ? ingest::BadRows::skip : ingest::BadRows::fail;
    std::vector<IngestedFile> files;
  // An azure2019 file set (invocations, durations, memory), the Prometheus files and the
  // CloudWatch files are each one export, read together after the rest.
  std::array<std::optional<std::string>, 3> azure2019;
  std::vector<std::string> prometheus;
  std::vector<std::string> cloudwatch;
  std::string prometheus_format = chosen ? "prometheus" : "prometheus (detected)";
  std::string cloudwatch_format = chosen ? "cloudwatch" : "cloudwatch (detected)";
  for (const std::string& path : f.files) {
    ingest::Format format = ingest::Format::requests;
    if (chosen) {
      format = *chosen;
    } else if (path != "-") {
      auto detected = ingest::detect_format(path);
      if (!detected) {
        return fail_with(detected.error());
      }
      format = *detected;
    }
    const std::string name{ingest::to_string(format)};
    if (format == ingest::Format::prometheus) {
      prometheus.push_back(path);
      continue;
    }
    if (format == ingest::Format::cloudwatch) {
      cloudwatch.push_back(path);
      continue;
    }
    if (format == ingest::Format::azure2019) {
      auto kind = ingest::azure2019_kind_of(path);
      if (!kind) {
        return fail_with(kind.error());
      }
      auto& slot = azure2019[static_cast<std::size_t>(*kind)];
      if (slot) {
        return fail_with(Error{ErrorCode::invalid_argument,
                            "two azure2019 files of one kind (" + *slot + ", " + path +
                                "): read one day's file set at a time",
                            "files"});
      }
      slot = path;
      continue;
    }
    Result<ingest::IngestStats> stats;
    if (format == ingest::Format::requests) {
      const unsigned threads = f.threads > 0 ? f.threads : std::max(1u, std::thread::hardware_concurrency());
      stats = ingest::read_request_log_file(path, sink, bad_rows, threads);
    } else {
      auto reader = ingest::LineReader::open(path);
      if (!reader) {
        return fail_with(reader.error());
      }
      stats = ingest::read_trace(*reader, format, sink, bad_rows, *options);
    }
    if (!stats) {
      return fail_with(stats.error());
    }
    warn_skipped(path, *stats);
    files.push_back({path, chosen ? name : name + " (detected)", stats->rows, stats->skipped_rows});
  }
  if (auto unused = unused_flags(f, !prometheus.empty(), !cloudwatch.empty())) {
    return fail_with(*unused);
  }
  if (azure2019[0] || azure2019[1] || azure2019[2]) {
    std::array<std::optional<ingest::LineReader>, 3> readers;
    std::string paths;
    for (std::size_t i = 0; i < 3; ++i) {
      if (azure2019[i]) {
        auto reader = ingest::LineReader::open(*azure2019[i]);
        if (!reader) {
          return fail_with(reader.error());
        }
        readers[i] = std::move(*reader);
        paths += (paths.empty() ? "" : " + ") + *azure2019[i];
      }
    }
    ingest::Azure2019Inputs inputs{readers[0] ? &*readers[0] : nullptr,
                                   readers[1] ? &*readers[1] : nullptr,
                                   readers[2] ? &*readers[2] : nullptr};
    auto stats = ingest::read_azure2019(inputs, sink, bad_rows);
    if (!stats) {
      return fail_with(stats.error());
    }
    warn_skipped(paths, *stats);
    files.push_back({paths, chosen ? "azure2019" : "azure2019 (detected)", stats->rows,
                     stats->skipped_rows});
  }
  if (!cloudwatch.empty()) {
    auto read = [&](std::span<ingest::LineReader> readers) {
      return ingest::read_cloudwatch(readers, options->cloudwatch, sink, bad_rows);
    };
    if (auto ok = read_set(cloudwatch, cloudwatch_format, read, files); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  if (!prometheus.empty()) {
    auto read = [&](std::span<ingest::LineReader> readers) {
      return ingest::read_prometheus(readers, options->prometheus, sink, bad_rows);
    };
    if (auto ok = read_set(prometheus, prometheus_format, read, files); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  return files;
}

}  // namespace placer::cli
