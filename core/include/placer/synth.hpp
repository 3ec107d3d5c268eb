// Synthetic request logs: seeded Poisson arrivals with lognormal durations, for what-ifs on
// workloads that do not exist yet and for benchmarks (`placer synth`, issue 5).
//
// A Generator yields requests in arrival order, one at a time, so a month at 1,000 req/s is
// never held in memory. Arrivals are a non-homogeneous Poisson process whose long-run mean
// is `mean_rps`, shaped by a Pattern:
//   steady   constant rate;
//   diurnal  rate R (1 + a cos(2 pi (t - t_peak) / 24 h)), a = (ratio - 1) / (ratio + 1), so
//            the peak over the trough is `peak_trough_ratio` and the mean over whole days R;
//            drawn by thinning a Poisson process at the peak rate;
//   bursty   on/off (a Markov-modulated Poisson process): bursts of exponential length
//            (mean `burst`) at rate R (burst + gap) / burst, separated by idle periods of
//            exactly `gap`, so every idle gap between requests lasts at least `gap`;
//   sparse   rare requests in clusters: a cluster holds a geometric number of requests
//            (mean `cluster_size`) at exponential gaps (mean `cluster_gap`); quiet periods
//            between clusters are exponential with the mean that makes the rate R.
// Durations are lognormal: median `duration_median`, log standard deviation `duration_sigma`.
// Arrivals and durations come from two generators seeded from `seed` (sim/random.hpp, never
// <random>'s distributions), so the output is the same byte for byte on every platform,
// and changing the duration flags leaves the arrival times alone.
//
// Everything here is pure: no I/O, no globals. A Generator is a value; use one per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "placer/error.hpp"
#include "placer/sim/random.hpp"
#include "placer/trace.hpp"
#include "placer/units.hpp"

namespace placer::synth {

enum class Pattern { steady, diurnal, bursty, sparse };

// "steady" -> Pattern::steady, ... Fails with invalid_argument (`where` = "pattern") on
// any other name.
Result<Pattern> parse_pattern(std::string_view name);
std::string_view to_string(Pattern pattern);

// 2025-01-06T00:00:00Z, a Monday at midnight UTC: a fixed start makes the output
// reproducible, and whole days and weeks line up with the calendar.
inline constexpr double k_default_start_s = 1736121600;
// Log standard deviation of durations: p95 = 2.3 x median, p99 = 3.2 x median. The nine
// functions with durations in the Azure Functions 2019 sample
// (tests/data/azure-functions/azure2019_invitro10_durations.csv) give
// ln(p99 / p50) / 2.326 from 0.10 to 1.61, median 0.23; those are percentiles of 30 s
// averages, narrower than per-request spread, so 0.5 sits above their median, inside
// their range.
inline constexpr double k_default_duration_sigma = 0.5;
// Beyond this, exp(sigma z) spans more orders of magnitude than any service's durations.
inline constexpr double k_max_duration_sigma = 5;
// A choice, not a measurement: set it from your own traffic (busiest hour over quietest).
inline constexpr double k_default_peak_trough_ratio = 3;
// A choice: 14:00 UTC is the working day in both Europe and the US east coast.
inline constexpr double k_default_peak_hour_utc = 14;
// One minute: longer than the HPA's 15 s sync plus a pod start (it sees the burst), shorter
// than a node's provisioning (~60-180 s, MODEL.md §5), so Kubernetes catches it only with
// idle headroom: the trade-off the bursty pattern exists to show.
inline constexpr Seconds k_default_burst{60};
// 20 min: longer than Lambda's 5-7 min keep-alive (models/lambda.json), so each burst
// starts cold, and than the cluster autoscaler's 10 min before removing an unneeded node.
inline constexpr Seconds k_default_gap{1200};
// Independent requests; raise it for a session or a job that makes several calls at once.
inline constexpr double k_default_cluster_size = 1;
// Gap between the requests of one cluster: a page or a job's follow-up calls.
inline constexpr Seconds k_default_cluster_gap{1};
// 100 million rows: 2.6 GB of CSV at its shortest (26 bytes a row) and minutes of
// writing; more needs max_requests.
inline constexpr std::uint64_t k_default_max_requests = 100'000'000;
// 10000-01-01T00:00:00Z: every timestamp keeps an RFC 3339 form with a four-digit year.
inline constexpr double k_max_end_s = 253402300800;

struct DiurnalShape {
  double peak_trough_ratio = k_default_peak_trough_ratio;  // >= 1
  double peak_hour_utc = k_default_peak_hour_utc;          // 0 <= h < 24; the rate peaks mid-hour
};

struct BurstyShape {
  Seconds burst = k_default_burst;  // mean burst length, > 0
  Seconds gap = k_default_gap;      // idle period between bursts, > 0
};

struct SparseShape {
  double cluster_size = k_default_cluster_size;  // mean requests per cluster, >= 1
  Seconds cluster_gap = k_default_cluster_gap;   // mean gap inside a cluster, >= 0
};

struct SynthSpec {
  Pattern pattern = Pattern::steady;
  double mean_rps = 1;                 // long-run mean arrival rate, requests per second, > 0
  Hours length{24};                    // the window [start_s, start_s + length), > 0
  double start_s = k_default_start_s;  // UTC epoch seconds, >= 0
  Millis duration_median{100};         // > 0
  double duration_sigma = k_default_duration_sigma;  // 0..k_max_duration_sigma
  std::optional<MiB> memory;                         // written as memory_mib when present, > 0
  std::string workload;  // written when not empty; no control characters
  std::uint64_t seed = 1;
  DiurnalShape diurnal;
  BurstyShape bursty;
  SparseShape sparse;
  std::uint64_t max_requests = k_default_max_requests;  // refuse more expected requests
};

// The requests `spec` should produce on average: mean_rps x length in seconds.
double expected_requests(const SynthSpec& spec);

// Checks `spec`. Fails with invalid_argument, `where` naming the field as its flag is
// spelled with "_" for "-" ("mean_rps", "hours", "duration_ms", "duration_sigma",
// "memory_mib", "workload", "start", "peak_trough_ratio", "peak_hour", "burst_s",
// "gap_s", "cluster_size", "cluster_gap_s", "max_requests"), when a value is out of the
// range stated beside it, when the window ends after k_max_end_s, when the expected
// requests exceed max_requests, or when a sparse spec's clusters alone would exceed the
// mean rate ((cluster_size - 1) x cluster_gap >= cluster_size / mean_rps).
Result<void> validate(const SynthSpec& spec);

// One synthetic request: arrival (UTC epoch seconds) and duration.
struct SynthRequest {
  double timestamp_s = 0;
  double duration_ms = 0;
};

// Requests in arrival order, all inside [start_s, start_s + length).
//
//   auto gen = placer::synth::Generator::create(spec);
//   if (!gen) { return tl::unexpected(gen.error()); }
//   while (auto r = gen->next()) { use(r->timestamp_s, r->duration_ms); }
class Generator {
 public:
  // Fails as validate() does.
  static Result<Generator> create(const SynthSpec& spec);

  // The next request, or nullopt once the window is over (and on every later call).
  std::optional<SynthRequest> next();

  const SynthSpec& spec() const { return spec_; }

 private:
  explicit Generator(const SynthSpec& spec);
  double next_offset_s();  // the next arrival's offset from start_s; may be >= the window

  SynthSpec spec_;
  sim::Random arrivals_;
  sim::Random durations_;
  double window_s_ = 0;
  double t_s_ = 0;  // offset of the last arrival from start_s
  bool done_ = false;
  // diurnal
  double peak_rps_ = 0;
  double amplitude_ = 0;
  double peak_offset_s_ = 0;  // seconds after midnight UTC at which the rate peaks
  // bursty: the current burst is [t_s_, burst_end_s_) once started
  double burst_rps_ = 0;
  double burst_end_s_ = 0;
  // sparse
  double quiet_mean_s_ = 0;
  bool started_ = false;  // a first request has opened a cluster
};

// Streams every request of `spec` into `sink` as an Invocation (memory and workload set
// from `spec`), for in-memory use (placer analyze, benchmarks). Returns the number of
// requests. Fails as validate() does, before calling the sink.
Result<std::uint64_t> synthesize(const SynthSpec& spec, InvocationSink& sink);

enum class LogFormat { csv, jsonl };

// "csv" / "jsonl"; fails with invalid_argument (`where` = "format") on anything else.
Result<LogFormat> parse_log_format(std::string_view name);

// Rows of placer's request log (ingest/request_log.hpp) for a spec's requests: timestamp
// as epoch seconds with 6 decimals, duration_ms with 3, then memory_mib and workload when
// the spec has them. Numbers come from std::to_chars, so text is the same on every platform.
class LogWriter {
 public:
  // Requires: `spec` passed validate().
  LogWriter(const SynthSpec& spec, LogFormat format);

  // "timestamp,duration_ms[,memory_mib][,workload]\n" for CSV, "" for JSON Lines.
  const std::string& header() const { return header_; }

  // Appends one row, newline included, to `out`.
  void append(std::string& out, const SynthRequest& request) const;

 private:
  LogFormat format_;
  std::string header_;
  std::string suffix_;  // the constant memory and workload fields, and the row's end
};

}  // namespace placer::synth
