// The Lambda simulator (MODEL.md §3): cold starts, warm reuse, keep-alive reaping, the
// scaling rate and the concurrency limit, provisioned concurrency, and duration against
// memory. Two engines: an event simulation over every arrival (exact), and an interval
// (fluid) model for traces too large for it; `automatic` picks by request count. Both are
// pure functions of their inputs and the seed; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "placer/error.hpp"
#include "placer/models.hpp"
#include "placer/pricing.hpp"
#include "placer/sim/latency.hpp"
#include "placer/sim/workload_trace.hpp"

namespace placer::sim {

enum class LambdaEngine { automatic, event, fluid };
std::string_view to_string(LambdaEngine engine);           // "auto", "event", "fluid"
Result<LambdaEngine> parse_lambda_engine(std::string_view name);

// What a cold start adds to a request, from the runtime model or a fixed value.
struct ColdStartModel {
  std::optional<double> fixed_ms;  // replaces everything below (lambda.cold_start_ms)
  double overhead_ms = 0;          // sandbox placement, not billed
  double init_median_ms = 0;       // Init Duration, lognormal: billed as INIT
  double init_sigma = 0;           // standard deviation of ln(Init Duration)
  double dependency_ms = 0;        // added to Init (package size), billed as INIT
  double first_invoke_ms = 0;      // added to the first request's duration, billed
};

struct LambdaSimConfig {
  double memory_mib = 1024;
  double duration_scale = 1;  // t(m) / t(measured memory), applied to every duration
  ColdStartModel cold_start;
  double keep_alive_min_s = 300;  // each environment draws uniformly in [min, max]
  double keep_alive_max_s = 420;
  double max_lifetime_s = 14400;
  double scale_per_10s = 1000;
  double concurrency_limit = 1000;
  int provisioned = 0;
  LambdaEngine engine = LambdaEngine::automatic;
  double event_max_requests = 5e7;
  double fluid_bin_s = 60;
  double timeline_bin_s = 60;
  double timeline_max_bins = 1e6;  // longer windows get bins of whole multiples of timeline_bin_s
  std::uint64_t seed = 1;
};

// The function being placed, as far as the model needs it.
struct LambdaFunction {
  std::string runtime = "python3.12";
  Arch arch = Arch::x86_64;
  bool container_image = false;
  double memory_mib = 1024;                    // the configuration simulated
  std::optional<double> measured_memory_mib;   // where the trace's durations were measured
  double dependency_mib = 0;                   // zipped dependencies loaded at init
};

// The config for `function` under `models` (lambda.* parameters and the runtime table).
// Fails with not_found for a runtime the table lacks (naming the known ones) and
// invalid_argument for a memory size outside 128..10240 MiB.
Result<LambdaSimConfig> lambda_config(const ModelSet& models, const LambdaFunction& function,
                                      std::uint64_t seed);

// A series of per-bin time averages, for charts.
struct Timeline {
  double start_s = 0;
  double bin_s = 60;
  std::vector<double> values;
};

struct LambdaSimResult {
  LambdaEngine engine = LambdaEngine::event;  // which one ran
  double requests = 0;
  double served = 0;
  double throttled = 0;       // refused with 429: over the concurrency limit or scaling rate
  double cold_starts = 0;
  double provisioned_requests = 0;  // served by provisioned environments
  double cold_start_ratio = 0;      // cold starts / served
  double throttle_ratio = 0;        // throttled / requests
  LatencyPercentiles latency;       // served requests: duration plus any cold start
  double max_latency_ms = 0;
  double mean_concurrency = 0;      // requests in flight, time-averaged over the window
  double peak_concurrency = 0;
  double mean_environments = 0;     // alive environments (busy + idle), time-averaged
  double window_s = 0;
  // Billed GB-s: on-demand duration (1 ms rounding), INIT of cold starts, duration on
  // provisioned environments (billed at the PC rate), and the PC configured GB-s.
  double billed_duration_gb_s = 0;
  double billed_init_gb_s = 0;
  double provisioned_duration_gb_s = 0;
  double provisioned_config_gb_s = 0;
  Timeline environments;            // mean alive environments per bin
  // The fluid model's work: the bins it evaluated, those with requests and the keep-alive
  // after each (the empty ones beyond change nothing). 0 for the event simulation, whose
  // work is its requests.
  std::size_t fluid_bins = 0;
};

// Runs the engine the config asks for (automatic: event up to event_max_requests requests,
// else fluid) over `trace`, with traffic scaled by `multiplier`.
// Fails with invalid_argument for a config out of range (`where` names the field).
Result<LambdaSimResult> simulate_lambda(const WorkloadTrace& trace, const LambdaSimConfig& config,
                                        double multiplier = 1);

// The engines themselves. Arrivals must be sorted; durations are as measured (the config's
// duration_scale is applied here). The window is [start_s, end_s).
LambdaSimResult simulate_lambda_events(std::span<const double> arrival_s,
                                       std::span<const float> duration_ms, double start_s,
                                       double end_s, const LambdaSimConfig& config);
LambdaSimResult simulate_lambda_fluid(const BinnedRequests& bins,
                                      const std::vector<Quantile>& duration_quantiles_ms,
                                      double start_s, double end_s,
                                      const LambdaSimConfig& config);
LambdaSimResult simulate_lambda_fluid(const SparseBins& bins,
                                      const std::vector<Quantile>& duration_quantiles_ms,
                                      double start_s, double end_s,
                                      const LambdaSimConfig& config);

}  // namespace placer::sim
