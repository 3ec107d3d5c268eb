// placer synth: write a seeded synthetic request log (steady, diurnal, bursty, sparse).
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "../exit_codes.hpp"
#include "../table.hpp"
#include "commands.hpp"
#include "placer/ingest/timestamp.hpp"
#include "placer/synth.hpp"

namespace placer::cli {
namespace {

struct SynthFlags {
  std::string pattern;
  double mean_rps = 0;
  double hours = 0;
  double duration_ms = 0;
  double duration_sigma = synth::k_default_duration_sigma;
  std::optional<double> memory_mib;
  std::string workload;
  std::string start = "2025-01-06T00:00:00Z";  // synth::k_default_start_s
  std::uint64_t seed = 1;
  std::string output = "-";
  std::string format = "csv";
  double peak_trough_ratio = synth::k_default_peak_trough_ratio;
  double peak_hour = synth::k_default_peak_hour_utc;
  double burst_s = synth::k_default_burst.count();
  double gap_s = synth::k_default_gap.count();
  double cluster_size = synth::k_default_cluster_size;
  double cluster_gap_s = synth::k_default_cluster_gap.count();
  std::uint64_t max_requests = synth::k_default_max_requests;
  bool quiet = false;
};

// Core names a field as its flag is spelled with "_" for "-": "mean_rps" -> "--mean-rps".
Error as_flag(Error error) {
  if (!error.where.empty()) {
    std::replace(error.where.begin(), error.where.end(), '_', '-');
    error.where = "--" + error.where;
  }
  return error;
}

Result<synth::SynthSpec> spec_of(const SynthFlags& f) {
  auto pattern = synth::parse_pattern(f.pattern);
  if (!pattern) {
    return tl::unexpected(as_flag(pattern.error()));
  }
  auto start = ingest::parse_timestamp(f.start);
  if (!start) {
    return fail(ErrorCode::invalid_argument,
                "bad start \"" + f.start + "\", expected RFC 3339 or epoch seconds", "--start");
  }
  synth::SynthSpec spec;
  spec.pattern = *pattern;
  spec.mean_rps = f.mean_rps;
  spec.length = Hours{f.hours};
  spec.start_s = *start;
  spec.duration_median = Millis{f.duration_ms};
  spec.duration_sigma = f.duration_sigma;
  if (f.memory_mib) {
    spec.memory = MiB{*f.memory_mib};
  }
  spec.workload = f.workload;
  spec.seed = f.seed;
  spec.diurnal = {f.peak_trough_ratio, f.peak_hour};
  spec.bursty = {Seconds{f.burst_s}, Seconds{f.gap_s}};
  spec.sparse = {f.cluster_size, Seconds{f.cluster_gap_s}};
  spec.max_requests = f.max_requests;
  if (auto ok = synth::validate(spec); !ok) {
    return tl::unexpected(as_flag(ok.error()));
  }
  return spec;
}

// A progress line on standard error, rewritten in place, for runs longer than a second when
// standard error is a terminal.
class Progress {
 public:
  Progress(bool enabled, double expected) : enabled_(enabled), expected_(expected) {}

  void update(std::uint64_t rows, double share_of_window) {
    if (!enabled_) {
      return;
    }
    const auto now = Clock::now();
    if (now - begun_ < std::chrono::seconds{1} || now - shown_ < std::chrono::milliseconds{250}) {
      return;
    }
    shown_ = now;
    std::fprintf(stderr, "\rplacer synth: %s requests of about %s (%d%% of the window)",
                 format_quantity(static_cast<double>(rows), 0).c_str(),
                 format_quantity(expected_, 0).c_str(), static_cast<int>(100 * share_of_window));
    printed_ = true;
  }

  void finish(std::uint64_t rows) {
    if (printed_) {
      std::fprintf(stderr, "\rplacer synth: %s requests written%30s\n",
                   format_quantity(static_cast<double>(rows), 0).c_str(), "");
    }
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  double expected_;
  bool printed_ = false;
  Clock::time_point begun_ = Clock::now();
  Clock::time_point shown_{};
};

// Writes `text` to `out`; an io error naming `path` when the write falls short.
Result<void> write_all(std::FILE* out, const std::string& text, const std::string& path) {
  if (std::fwrite(text.data(), 1, text.size(), out) != text.size()) {
    return fail(ErrorCode::io, std::string{"cannot write: "} + std::strerror(errno), path);
  }
  return {};
}

Result<std::uint64_t> write_log(const synth::SynthSpec& spec, synth::LogFormat format,
                                std::FILE* out, const std::string& path, bool quiet) {
  auto generator = synth::Generator::create(spec);
  if (!generator) {
    return tl::unexpected(as_flag(generator.error()));
  }
  const synth::LogWriter writer{spec, format};
  constexpr std::size_t k_flush_bytes = std::size_t{1} << 20;  // 1 MiB writes
  std::string buffer = writer.header();
  buffer.reserve(k_flush_bytes + 256);
  Progress progress{!quiet && isatty(STDERR_FILENO) != 0, synth::expected_requests(spec)};
  const double window_s = Seconds{spec.length}.count();
  std::uint64_t rows = 0;
  while (auto request = generator->next()) {
    writer.append(buffer, *request);
    if (++rows % 65536 == 0) {
      progress.update(rows, (request->timestamp_s - spec.start_s) / window_s);
    }
    if (buffer.size() >= k_flush_bytes) {
      if (auto ok = write_all(out, buffer, path); !ok) {
        return tl::unexpected(ok.error());
      }
      buffer.clear();
    }
  }
  if (auto ok = write_all(out, buffer, path); !ok) {
    return tl::unexpected(ok.error());
  }
  if (std::fflush(out) != 0) {
    return fail(ErrorCode::io, std::string{"cannot write: "} + std::strerror(errno), path);
  }
  progress.finish(rows);
  return rows;
}

int run_synth(const SynthFlags& f) {
  auto spec = spec_of(f);
  if (!spec) {
    return report(spec.error());
  }
  auto format = synth::parse_log_format(f.format);
  if (!format) {
    return report(as_flag(format.error()));
  }
  const bool to_stdout = f.output == "-";
  std::FILE* out = to_stdout ? stdout : std::fopen(f.output.c_str(), "wb");
  if (out == nullptr) {
    return report(Error{ErrorCode::io,
                        std::string{"cannot open for writing: "} + std::strerror(errno), f.output});
  }
  auto rows = write_log(*spec, *format, out, f.output, f.quiet);
  if (!to_stdout && std::fclose(out) != 0 && rows) {
    return report(
        Error{ErrorCode::io, std::string{"cannot write: "} + std::strerror(errno), f.output});
  }
  if (!rows) {
    return report(rows.error());
  }
  return k_exit_ok;
}

}  // namespace

void register_synth(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<SynthFlags>();
  CLI::App* cmd = app.add_subcommand(
      "synth", "Write a synthetic request log: seeded Poisson arrivals, lognormal durations");
  cmd->footer(R"(Examples:
  placer synth --pattern steady --mean-rps 50 --hours 24 --duration-ms 80 > steady.csv
  placer synth --pattern diurnal --mean-rps 20 --hours 168 --duration-ms 120 \
      --peak-trough-ratio 5 --peak-hour 18 --memory-mib 512 --workload api -o week.csv
  placer synth --pattern bursty --mean-rps 2 --hours 24 --duration-ms 300 --gap-s 1800
  placer synth --pattern sparse --mean-rps 0.001 --hours 720 --duration-ms 900 \
      --cluster-size 3 --format jsonl | placer trace summarize -

Patterns (the long-run mean rate is --mean-rps in each):
  steady   a constant rate.
  diurnal  a 24 h sinusoid: --peak-trough-ratio between the busiest and quietest moment,
           the hour --peak-hour (UTC) the busiest; its mean over whole days is the rate.
  bursty   bursts of exponential length, mean --burst-s, at the rate that keeps the mean,
           separated by idle periods of exactly --gap-s: every gap between requests in
           different bursts lasts at least --gap-s. The default burst (60 s) outlasts the
           HPA's 15 s sync and a pod start but not a node's provisioning; the default gap
           (1200 s) outlasts Lambda's 5-7 min keep-alive, so each burst starts cold.
  sparse   rare requests in clusters of geometric size, mean --cluster-size (1: each
           request alone), --cluster-gap-s apart on average inside a cluster.

Durations are lognormal with median --duration-ms and log standard deviation
--duration-sigma. Its default 0.5 (p99 = 3.2 x median) is a choice: the Azure Functions
2019 sample's functions give 0.10 to 1.61, median 0.23, from percentiles of 30 s averages,
which understate per-request spread.

The output (CSV with a header, or JSON Lines) is placer's request log: it reads back with
placer trace summarize and placer simulate. The same flags and --seed give the same bytes on
every platform. Runs expected to exceed --max-requests are refused: a month at 1,000 req/s
is 2.6 billion rows. A progress line goes to standard error when it is a terminal.
)");
  cmd->add_option("--pattern", f->pattern, "steady, diurnal, bursty or sparse")->required();
  cmd->add_option("--mean-rps", f->mean_rps, "long-run mean requests per second")->required();
  cmd->add_option("--hours", f->hours, "length of the window in hours")->required();
  cmd->add_option("--duration-ms", f->duration_ms, "median request duration in ms")->required();
  cmd->add_option("--duration-sigma", f->duration_sigma,
                  "log standard deviation of durations (0: all equal)")
      ->capture_default_str();
  cmd->add_option("--memory-mib", f->memory_mib, "write a memory_mib column with this value");
  cmd->add_option("--workload", f->workload, "write a workload column with this name");
  cmd->add_option("--start", f->start,
                  "the window's start, RFC 3339 or epoch seconds (a fixed Monday, 00:00 UTC)")
      ->capture_default_str();
  cmd->add_option("--seed", f->seed, "random seed; the same seed gives the same bytes")
      ->capture_default_str();
  cmd->add_option("--output,-o", f->output, "file to write, or - for standard output")
      ->capture_default_str();
  cmd->add_option("--format", f->format, "csv or jsonl")->capture_default_str();
  cmd->add_option("--peak-trough-ratio", f->peak_trough_ratio,
                  "diurnal: peak rate over trough rate (a choice; measure yours)")
      ->capture_default_str();
  cmd->add_option("--peak-hour", f->peak_hour,
                  "diurnal: the busiest hour, UTC, 0-23 (Europe's and US east's working day)")
      ->capture_default_str();
  cmd->add_option("--burst-s", f->burst_s, "bursty: mean burst length in seconds")
      ->capture_default_str();
  cmd->add_option("--gap-s", f->gap_s, "bursty: idle period between bursts in seconds")
      ->capture_default_str();
  cmd->add_option("--cluster-size", f->cluster_size, "sparse: mean requests per cluster")
      ->capture_default_str();
  cmd->add_option("--cluster-gap-s", f->cluster_gap_s,
                  "sparse: mean seconds between requests of a cluster")
      ->capture_default_str();
  cmd->add_option("--max-requests", f->max_requests,
                  "refuse runs expecting more requests than this (2.6 GB of CSV at least)")
      ->capture_default_str();
  cmd->add_flag("--quiet,-q", f->quiet, "no progress line");
  cmd->callback([f, &exit_code] { exit_code = run_synth(*f); });
}

}  // namespace placer::cli
