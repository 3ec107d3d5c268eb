#include "placer/sim/lambda_sim.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <limits>
#include <queue>
#include <utility>

#include "placer/sim/histogram.hpp"
#include "placer/sim/random.hpp"

namespace placer::sim {
namespace {

constexpr double k_z95 = 1.6448536269514722;  // standard normal 95th percentile
constexpr double k_min_memory_mib = 128;      // Lambda's memory range (configuration-memory.html)
constexpr double k_max_memory_mib = 10240;
// Samples of (cold-start penalty, duration) pairs the fluid model uses for cold latency.
constexpr int k_cold_samples = 2000;

// Time-weighted count per bin: the environments-over-time series. Bins of `bin_s`, or of
// the smallest whole multiple of it that keeps them within `max_bins`.
class Coverage {
 public:
  Coverage(double start_s, double end_s, double bin_s, double max_bins)
      : start_(start_s), end_(std::max(end_s, start_s)) {
    const double window = end_ - start_;
    bin_ = bin_s * std::max(1.0, std::ceil(window / bin_s / std::max(max_bins, 1.0)));
    bins_ = bin_count(window, bin_);
    partial_.assign(bins_, 0.0);
    diff_.assign(bins_ + 1, 0.0);
  }

  // Adds `weight` alive over [a, b), clipped to the window.
  void add(double a, double b, double weight = 1) {
    a = std::max(a, start_);
    b = std::min(b, end_);
    if (!(b > a)) {
      return;
    }
    total_ += (b - a) * weight;
    const std::size_t i = index(a);
    const std::size_t j = index(b);
    if (i == j) {
      partial_[i] += (b - a) * weight;
      return;
    }
    partial_[i] += (bin_begin(i + 1) - a) * weight;
    partial_[j] += (b - bin_begin(j)) * weight;
    if (j > i + 1) {
      diff_[i + 1] += bin_ * weight;
      diff_[j] -= bin_ * weight;
    }
  }

  double total() const { return total_; }

  Timeline finish() const {
    Timeline out;
    out.start_s = start_;
    out.bin_s = bin_;
    out.values.resize(bins_);
    double running = 0;
    for (std::size_t k = 0; k < bins_; ++k) {
      running += diff_[k];
      const double length = std::min(bin_, end_ - bin_begin(k));
      out.values[k] = length > 0 ? (partial_[k] + running) / length : 0;
    }
    return out;
  }

 private:
  std::size_t index(double t) const {
    const double k = std::floor((t - start_) / bin_);
    return static_cast<std::size_t>(std::clamp(k, 0.0, static_cast<double>(bins_ - 1)));
  }
  double bin_begin(std::size_t k) const { return start_ + static_cast<double>(k) * bin_; }

  double start_;
  double end_;
  double bin_;
  std::size_t bins_ = 1;
  std::vector<double> partial_;
  std::vector<double> diff_;
  double total_ = 0;
};

// A cold start's parts, drawn once per cold start.
struct ColdStart {
  double latency_ms = 0;  // added to the request's response time
  double init_ms = 0;     // billed as INIT
  double first_ms = 0;    // added to the billed duration
};

ColdStart draw_cold_start(const ColdStartModel& model, Random& random) {
  ColdStart c;
  if (model.fixed_ms) {
    c.latency_ms = *model.fixed_ms;
    c.init_ms = *model.fixed_ms;
    return c;
  }
  const double init = model.init_sigma > 0 ? random.lognormal(model.init_median_ms, model.init_sigma)
                                           : model.init_median_ms;
  c.init_ms = init + model.dependency_ms;
  c.first_ms = model.first_invoke_ms;
  c.latency_ms = model.overhead_ms + c.init_ms + c.first_ms;
  return c;
}

double billed_gb_s(double ms, double gib) { return std::ceil(ms - 1e-9) / 1000.0 * gib; }

LatencyPercentiles percentiles_of(const LatencyHistogram& h) {
  return {h.quantile(0.50), h.quantile(0.95), h.quantile(0.99), h.quantile(0.999), h.mean()};
}

void finish_ratios(LambdaSimResult& r) {
  r.cold_start_ratio = r.served > 0 ? r.cold_starts / r.served : 0;
  r.throttle_ratio = r.requests > 0 ? r.throttled / r.requests : 0;
}

// Acklam's rational approximation of the standard normal quantile (relative error 1e-9).
double inverse_normal(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  p = std::clamp(p, 1e-300, 1 - 1e-16);
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - 0.02425) {
    const double q = std::sqrt(-2 * std::log1p(-p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double q = p - 0.5;
  const double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// The smallest k with P(Poisson(mean) <= k) >= p: exact summation for small means, the
// normal approximation with continuity correction above.
double poisson_quantile(double mean, double p) {
  if (!(mean > 0)) {
    return 0;
  }
  if (mean > 50) {
    return std::max(0.0, std::ceil(mean + inverse_normal(p) * std::sqrt(mean) - 0.5));
  }
  double term = std::exp(-mean);
  double cdf = term;
  double k = 0;
  while (cdf < p && k < 10000) {
    k += 1;
    term *= mean / k;
    cdf += term;
  }
  return k;
}

double poisson_cdf(double mean, double k);

// P(Poisson(mean) >= k).
double poisson_tail(double mean, double k) {
  const double tail = 1 - poisson_cdf(mean, k - 1);
  return tail < 1e-12 ? 0.0 : std::min(tail, 1.0);  // below rounding: none
}


// The probability that the first arrival of a bin finds no warm environment because the
// previous request (the last of a bin `bins_apart` earlier, holding `previous_count`
// requests) ended more than the keep-alive before. Positions inside the bins are uniform
// given the counts: the last of n is the max of n uniforms, the first the min. Averaged over
// a 16 x 16 grid of their quantiles and the keep-alive's uniform spread.
double gap_cold_probability(double bins_apart, double previous_count, double count, double bin_s,
                            double run_s, const LambdaSimConfig& config) {
  const double low = config.keep_alive_min_s;
  const double high = config.keep_alive_max_s;
  const double shortest = (bins_apart - 1) * bin_s - run_s;
  const double longest = (bins_apart + 1) * bin_s;
  if (longest <= low) {
    return 0;
  }
  if (shortest > high) {
    return 1;
  }
  constexpr int k_grid = 16;
  const double previous_n = std::max(previous_count, 1.0);
  const double n = std::max(count, 1.0);
  double total = 0;
  for (int a = 0; a < k_grid; ++a) {
    const double last = std::pow((a + 0.5) / k_grid, 1 / previous_n);
    for (int b = 0; b < k_grid; ++b) {
      const double first = 1 - std::pow(1 - (b + 0.5) / k_grid, 1 / n);
      const double gap = (bins_apart + first - last) * bin_s - run_s;
      total += high > low ? std::clamp((gap - low) / (high - low), 0.0, 1.0) : (gap > low ? 1 : 0);
    }
  }
  return total / (k_grid * k_grid);
}


// P(Poisson(mean) <= k); 0 for k < 0. Exact below a mean of 50, normal approximation with
// continuity correction above.
double poisson_cdf(double mean, double k) {
  if (k < 0) {
    return 0;
  }
  if (!(mean > 0)) {
    return 1;
  }
  if (mean > 50) {
    return 0.5 * std::erfc(-(k + 0.5 - mean) / std::sqrt(2 * mean));
  }
  double term = std::exp(-mean);
  double cdf = term;
  for (double j = 1; j <= k; j += 1) {
    term *= mean / j;
    cdf += term;
    if (term < 1e-17 * cdf && j > mean) {
      break;
    }
  }
  return std::min(cdf, 1.0);
}

// P(the concurrency of an M/G/inf queue at load `load` does not reach k during a stretch
// holding `count` arrivals). Level k is crossed upward by an arrival that finds k - 1 busy:
// rate lambda * P(X = k - 1) (PASTA). Crossings come in clumps: after falling back to k - 1
// the next event is another arrival with probability load / (load + k - 1), so distinct
// excursions arrive at that rate times (k - 1) / (load + k - 1), and the stretch sees none
// with probability exp(-count * P(X = k - 1) * (k - 1) / (load + k - 1)). k = 1 is reached
// by any arrival.
double peak_below(double load, double count, double k) {
  if (!(count > 0)) {
    return 1;
  }
  if (k <= 1) {
    return 0;
  }
  if (!(load > 0)) {
    return 1;
  }
  const double j = k - 1;
  const double pmf = std::exp(j * std::log(load) - load - std::lgamma(j + 1));
  return std::exp(-count * pmf * j / (load + j));
}

// Consecutive bins: requests per bin (the empty bins may be left out: they add nothing),
// and the load (mean concurrency) one request per bin adds.
struct Stretch {
  std::span<const double> requests;
  double load_per_request = 0;
  std::span<const double> idle;  // exp(-load) of each bin: P(X = 0), precomputed
};

// P(the stretch's concurrency stays below k) for k = first, first + 1, ...: its bins'
// probabilities (peak_below) multiply. Walks k upward keeping each bin's Poisson pmf by
// its recurrence, so a step costs one exp, not one per bin.
class StretchScan {
 public:
  StretchScan(const Stretch& stretch, double first_k) : k_(first_k) {
    const double j = std::max(k_ - 1, 0.0);
    for (std::size_t i = 0; i < stretch.requests.size(); ++i) {
      const double n = stretch.requests[i];
      if (n > 0 && size_ < bins_.size()) {
        const double load = n * stretch.load_per_request;
        double pmf = 0;
        if (j == 0) {
          pmf = stretch.idle[i];
        } else if (load > 0) {
          pmf = std::exp(j * std::log(load) - load - std::lgamma(j + 1));
        }
        bins_[size_++] = {n, load, pmf};
      }
    }
  }

  double k() const { return k_; }

  // P(peak < k) at the current k.
  double below() const {
    if (size_ == 0) {
      return 1;
    }
    if (k_ <= 1) {
      return 0;
    }
    const double j = k_ - 1;
    double exponent = 0;
    for (std::size_t i = 0; i < size_; ++i) {
      exponent += bins_[i].count * bins_[i].pmf * j / (bins_[i].load + j);
    }
    return std::exp(-exponent);
  }

  void advance() {
    k_ += 1;
    const double j = k_ - 1;  // pmf(j) = pmf(j - 1) * load / j
    for (std::size_t i = 0; i < size_; ++i) {
      bins_[i].pmf = j > 0 ? bins_[i].pmf * bins_[i].load / j : bins_[i].pmf;
    }
  }

 private:
  struct Bin {
    double count;
    double load;
    double pmf;  // P(X = k - 1), X ~ Poisson(load)
  };
  // A stretch is at most the keep-alive window, 16 bins, plus the current one (the fluid
  // model sizes its bins so).
  std::array<Bin, 20> bins_{};
  std::size_t size_ = 0;
  double k_;
};

// An environment index the stretch surely reached (below its busiest bin's mean minus
// seven standard deviations, checked), from which the sums below start.
double surely_reached(const Stretch& stretch) {
  double busiest = 0;
  for (double n : stretch.requests) {
    busiest = std::max(busiest, n);
  }
  const double load = busiest * stretch.load_per_request;
  if (load <= 50) {
    return 1;
  }
  const double k = std::floor(load - 7 * std::sqrt(load));
  return peak_below(load, busiest, k) < 1e-12 ? k : 1;
}

// Expected environments a bin starts: the sum over environment indices k >= `first_k` of
// P(the bin's concurrency reaches k) * P(the previous keep-alive window's did not), where
// nothing at all is warm with probability `empty`.
double expected_new_environments(const Stretch& bin, const Stretch& previous, double empty,
                                 double first_k, double limit) {
  const double count = bin.requests.empty() ? 0 : bin.requests[0];
  double total = 0;
  double k = first_k;
  if (empty <= 0) {
    k = std::max(k, surely_reached(previous));  // below it the pool surely covers
  }
  StretchScan now{bin, k};
  StretchScan before{previous, k};
  for (; k <= limit; k += 1, now.advance(), before.advance()) {
    const double reach = k <= 1 ? std::min(1.0, count) : 1 - now.below();
    if (reach < 1e-9) {  // a billionth of an environment: nothing
      break;
    }
    const double cold_below = k <= 1 ? empty : std::max(empty, before.below());
    total += reach * cold_below;
  }
  return total;
}

// Expected environments with index >= first_k that the stretch reached.
double expected_reached(const Stretch& stretch, double first_k, double limit) {
  double count = 0;
  for (double n : stretch.requests) {
    count += n;
  }
  if (!(count > 0)) {
    return 0;
  }
  const double sure = std::min(limit, std::max(first_k, surely_reached(stretch)));
  double total = sure - first_k;  // indices [first_k, sure) reached for certain
  StretchScan scan{stretch, sure};
  for (double k = sure; k <= limit; k += 1, scan.advance()) {
    const double reach = k <= 1 ? 1.0 : 1 - scan.below();
    if (reach < 1e-9) {  // a billionth of an environment: nothing
      break;
    }
    total += reach;
  }
  return total;
}

}  // namespace

std::string_view to_string(LambdaEngine engine) {
  switch (engine) {
    case LambdaEngine::automatic:
      return "auto";
    case LambdaEngine::event:
      return "event";
    case LambdaEngine::fluid:
      return "fluid";
  }
  return "auto";
}

Result<LambdaEngine> parse_lambda_engine(std::string_view name) {
  for (LambdaEngine e : {LambdaEngine::automatic, LambdaEngine::event, LambdaEngine::fluid}) {
    if (name == to_string(e)) {
      return e;
    }
  }
  return fail(ErrorCode::invalid_argument,
              "unknown engine \"" + std::string{name} + "\", expected auto, event or fluid",
              "engine");
}

Result<LambdaSimConfig> lambda_config(const ModelSet& models, const LambdaFunction& function,
                                      std::uint64_t seed) {
  if (!(function.memory_mib >= k_min_memory_mib && function.memory_mib <= k_max_memory_mib)) {
    return fail(ErrorCode::invalid_argument, "Lambda memory must be within 128..10240 MiB",
                "memory_mib");
  }
  LambdaSimConfig config;
  config.memory_mib = function.memory_mib;
  config.seed = seed;

  // Duration against memory: t(m) = t_io + t_cpu * max(1, F/m), t_cpu from the share.
  const double full = models.value("lambda.full_vcpu_memory_mib");
  const double share = models.value("lambda.cpu_bound_share");
  const double measured = function.measured_memory_mib.value_or(function.memory_mib);
  const double slowdown_now = std::max(1.0, full / function.memory_mib);
  const double slowdown_measured = std::max(1.0, full / std::max(measured, 1.0));
  config.duration_scale = (1 - share) + share * slowdown_now / slowdown_measured;

  ColdStartModel& cold = config.cold_start;
  cold.fixed_ms = models.optional_value("lambda.cold_start_ms");
  const RuntimeColdStart* runtime = models.find_runtime(function.runtime);
  if (runtime == nullptr && !cold.fixed_ms) {
    std::string known;
    for (const RuntimeColdStart& r : models.runtimes) {
      known += (known.empty() ? "" : ", ") + r.runtime;
    }
    return fail(ErrorCode::not_found,
                "no cold-start data for runtime \"" + function.runtime + "\", expected one of " +
                    known + " (or set lambda.cold_start_ms)",
                "runtime");
  }
  if (runtime != nullptr) {
    double p50 = runtime->init_p50_ms;
    double p95 = runtime->init_p95_ms;
    if (function.container_image) {
      p50 = runtime->image_init_p50_ms.value_or(p50 * models.value("lambda.image_p50_factor"));
      p95 = runtime->image_init_p95_ms.value_or(p95 * models.value("lambda.image_p95_factor"));
    }
    if (function.arch == Arch::arm64) {
      p50 *= runtime->arm64_init_factor;
      p95 *= runtime->arm64_init_factor;
    }
    cold.init_median_ms = p50;
    cold.init_sigma = std::log(p95 / p50) / k_z95;
    cold.first_invoke_ms = runtime->first_invoke_ms_at_1024_mib * 1024.0 / function.memory_mib;
  }
  cold.overhead_ms = models.value("lambda.platform_overhead_ms");
  cold.dependency_ms = function.dependency_mib * models.value("lambda.dependency_ms_per_mib");

  if (auto fixed = models.optional_value("lambda.keep_alive_s")) {
    config.keep_alive_min_s = config.keep_alive_max_s = *fixed;
  } else {
    config.keep_alive_min_s = models.value("lambda.keep_alive_min_s");
    config.keep_alive_max_s = models.value("lambda.keep_alive_max_s");
    if (config.keep_alive_max_s < config.keep_alive_min_s) {
      return fail(ErrorCode::invalid_argument,
                  "lambda.keep_alive_max_s is below lambda.keep_alive_min_s",
                  "lambda.keep_alive_max_s");
    }
  }
  config.max_lifetime_s = models.value("lambda.max_lifetime_s");
  config.scale_per_10s = models.value("lambda.scale_per_10s");
  config.concurrency_limit = models.value("lambda.concurrency_limit");
  config.provisioned = static_cast<int>(models.value("lambda.provisioned_concurrency"));
  config.event_max_requests = models.value("lambda.event_sim_max_requests");
  config.fluid_bin_s = models.value("lambda.fluid_bin_s");
  config.timeline_bin_s = models.value("lambda.timeline_bin_s");
  config.timeline_max_bins = models.value("lambda.timeline_max_bins");
  return config;
}

LambdaSimResult simulate_lambda_events(std::span<const double> arrival_s,
                                       std::span<const float> duration_ms, double start_s,
                                       double end_s, const LambdaSimConfig& config) {
  struct Environment {
    double birth_s = 0;
    double keep_alive_s = 0;
    double idle_since_s = 0;
  };
  using Busy = std::pair<double, std::uint32_t>;  // (completion time, environment)

  LambdaSimResult r;
  r.engine = LambdaEngine::event;
  r.window_s = std::max(end_s - start_s, 1e-9);
  r.requests = static_cast<double>(arrival_s.size());
  const double gib = config.memory_mib / 1024.0;
  const auto provisioned = static_cast<std::uint32_t>(std::max(0, config.provisioned));
  const double keep_min = config.keep_alive_min_s;
  const double keep_max = config.keep_alive_max_s;
  const double max_life = config.max_lifetime_s;
  const double scale = config.duration_scale;
  const double refill_per_s = config.scale_per_10s / 10.0;

  Random random{config.seed};
  Coverage alive{start_s, end_s, config.timeline_bin_s, config.timeline_max_bins};
  LatencyHistogram latency;
  std::vector<Environment> envs(provisioned, Environment{start_s, 0, start_s});
  std::vector<std::uint32_t> free_slots;
  std::deque<std::uint32_t> idle;               // on-demand, oldest idle at the front
  std::vector<std::uint32_t> provisioned_idle;  // provisioned, a stack
  for (std::uint32_t id = provisioned; id-- > 0;) {
    provisioned_idle.push_back(id);
  }
  alive.add(start_s, end_s, provisioned);
  std::vector<Busy> heap_storage;
  heap_storage.reserve(1024);
  std::priority_queue<Busy, std::vector<Busy>, std::greater<>> busy{std::greater<>{},
                                                                      std::move(heap_storage)};
  double tokens = config.scale_per_10s;
  double last_refill_s = start_s;
  double busy_seconds = 0;
  std::size_t peak = 0;

  auto death_of = [&](const Environment& e) {
    return std::min(e.idle_since_s + e.keep_alive_s, std::max(e.idle_since_s, e.birth_s + max_life));
  };
  auto retire = [&](std::uint32_t id, double death_s) {
    alive.add(envs[id].birth_s, death_s);
    free_slots.push_back(id);
  };
  auto release = [&](double done_s, std::uint32_t id) {
    if (id < provisioned) {
      provisioned_idle.push_back(id);
      return;
    }
    Environment& e = envs[id];
    e.idle_since_s = done_s;
    if (done_s >= e.birth_s + max_life) {
      retire(id, done_s);
    } else {
      idle.push_back(id);
    }
  };

  for (std::size_t i = 0; i < arrival_s.size(); ++i) {
    const double t = arrival_s[i];
    while (!busy.empty() && busy.top().first <= t) {
      const auto [done, id] = busy.top();
      busy.pop();
      release(done, id);
    }
    while (!idle.empty() && death_of(envs[idle.front()]) <= t) {
      retire(idle.front(), death_of(envs[idle.front()]));
      idle.pop_front();
    }
    tokens = std::min(config.scale_per_10s, tokens + (t - last_refill_s) * refill_per_s);
    last_refill_s = t;
    if (static_cast<double>(busy.size()) >= config.concurrency_limit) {
      r.throttled += 1;
      continue;
    }
    std::uint32_t id = 0;
    bool cold = false;
    bool on_provisioned = false;
    if (!provisioned_idle.empty()) {
      id = provisioned_idle.back();
      provisioned_idle.pop_back();
      on_provisioned = true;
    } else {
      bool found = false;
      while (!idle.empty()) {
        id = idle.back();
        idle.pop_back();
        const double death = death_of(envs[id]);
        if (death > t) {
          found = true;
          break;
        }
        retire(id, death);
      }
      if (!found) {
        if (tokens < 1) {
          r.throttled += 1;
          continue;
        }
        tokens -= 1;
        cold = true;
        const double keep = keep_max > keep_min ? random.uniform(keep_min, keep_max) : keep_min;
        if (free_slots.empty()) {
          id = static_cast<std::uint32_t>(envs.size());
          envs.push_back({t, keep, t});
        } else {
          id = free_slots.back();
          free_slots.pop_back();
          envs[id] = {t, keep, t};
        }
      }
    }
    const double run_ms = static_cast<double>(duration_ms[i]) * scale;
    double response_ms = run_ms;
    if (cold) {
      const ColdStart c = draw_cold_start(config.cold_start, random);
      response_ms += c.latency_ms;
      r.cold_starts += 1;
      r.billed_init_gb_s += billed_gb_s(c.init_ms, gib);
      r.billed_duration_gb_s += billed_gb_s(run_ms + c.first_ms, gib);
    } else if (on_provisioned) {
      r.provisioned_requests += 1;
      r.provisioned_duration_gb_s += billed_gb_s(run_ms, gib);
    } else {
      r.billed_duration_gb_s += billed_gb_s(run_ms, gib);
    }
    r.served += 1;
    busy.push({t + response_ms / 1000.0, id});
    peak = std::max(peak, busy.size());
    busy_seconds += response_ms / 1000.0;
    latency.add(response_ms);
  }
  while (!busy.empty()) {
    const auto [done, id] = busy.top();
    busy.pop();
    release(done, id);
  }
  for (std::uint32_t id : idle) {
    retire(id, death_of(envs[id]));
  }

  finish_ratios(r);
  r.latency = percentiles_of(latency);
  r.max_latency_ms = latency.max();
  r.mean_concurrency = busy_seconds / r.window_s;
  r.peak_concurrency = static_cast<double>(peak);
  r.mean_environments = alive.total() / r.window_s;
  r.provisioned_config_gb_s = provisioned * gib * r.window_s;
  r.environments = alive.finish();
  return r;
}

LambdaSimResult simulate_lambda_fluid(const BinnedRequests& input,
                                      const std::vector<Quantile>& duration_quantiles_ms,
                                      double start_s, double end_s,
                                      const LambdaSimConfig& config) {
  return simulate_lambda_fluid(sparse_bins(input.requests, input.start_s, input.bin_s),
                               duration_quantiles_ms, start_s, end_s, config);
}

LambdaSimResult simulate_lambda_fluid(const SparseBins& input,
                                      const std::vector<Quantile>& duration_quantiles_ms,
                                      double start_s, double end_s,
                                      const LambdaSimConfig& config) {
  // Bins of at least fluid_bin_s and at least 1/16 of the keep-alive (the warm pool looks
  // back over at most 16 bins), whole multiples of the input's.
  const double keep_mean_s = (config.keep_alive_min_s + config.keep_alive_max_s) / 2;
  const double wanted_s = std::max({input.bin_s, config.fluid_bin_s, keep_mean_s / 16});
  const auto factor = static_cast<std::size_t>(std::max(1.0, std::floor(wanted_s / input.bin_s)));
  SparseBins coarse;
  const SparseBins* binned = &input;
  if (factor > 1) {
    coarse.start_s = input.start_s;
    coarse.bin_s = input.bin_s * static_cast<double>(factor);
    coarse.bins = (input.bins + factor - 1) / factor;
    for (std::size_t k = 0; k < input.index.size(); ++k) {
      const std::size_t i = input.index[k] / factor;
      if (coarse.index.empty() || coarse.index.back() != i) {
        coarse.index.push_back(i);
        coarse.requests.push_back(0.0);
      }
      coarse.requests.back() += input.requests[k];
    }
    binned = &coarse;
  }
  const SparseBins& bins = *binned;
  LambdaSimResult r;
  r.engine = LambdaEngine::fluid;
  r.window_s = std::max(end_s - start_s, 1e-9);
  const double gib = config.memory_mib / 1024.0;
  const double bin_s = bins.bin_s;
  const double scale = config.duration_scale;
  const double provisioned = std::max(0, config.provisioned);
  Random random{config.seed};

  // The duration distribution at this memory size, its mean and its mean billed value.
  const std::size_t points = duration_quantiles_ms.size();
  double mean_run_ms = 0;
  double mean_billed_ms = 0;
  for (std::size_t k = 0; k < points; ++k) {
    // Midpoints of the piecewise-linear distribution's segments, equally likely.
    const double u = (static_cast<double>(k) + 0.5) / static_cast<double>(points);
    const double run = inverse_cdf(duration_quantiles_ms, u) * scale;
    mean_run_ms += run;
    mean_billed_ms += std::ceil(run - 1e-9);
  }
  mean_run_ms /= static_cast<double>(std::max<std::size_t>(points, 1));
  mean_billed_ms /= static_cast<double>(std::max<std::size_t>(points, 1));
  // Cold requests: the penalty's mean, its billed parts and (penalty + run) samples.
  std::vector<double> cold_latency(k_cold_samples);
  double mean_cold_extra_ms = 0;
  double mean_init_billed_ms = 0;
  double mean_first_billed_ms = 0;
  for (double& sample : cold_latency) {
    const ColdStart c = draw_cold_start(config.cold_start, random);
    const double run = inverse_cdf(duration_quantiles_ms, random.uniform()) * scale;
    sample = run + c.latency_ms;
    mean_cold_extra_ms += c.latency_ms / k_cold_samples;
    mean_init_billed_ms += std::ceil(c.init_ms - 1e-9) / k_cold_samples;
    mean_first_billed_ms += (std::ceil(run + c.first_ms - 1e-9) - std::ceil(run - 1e-9)) / k_cold_samples;
  }

  const double keep_mean = (config.keep_alive_min_s + config.keep_alive_max_s) / 2;
  const auto window_bins = static_cast<std::size_t>(std::max(1.0, std::ceil(keep_mean / bin_s)));
  const double refill = config.scale_per_10s / 10.0 * bin_s;
  double tokens = config.scale_per_10s;
  // The previous keep-alive window of bins decides how many environments are still warm.
  const double load_per_request = mean_run_ms / 1000.0 / bin_s;
  std::vector<double> idle(bins.requests.size());
  for (std::size_t k = 0; k < idle.size(); ++k) {
    idle[k] = std::exp(-bins.requests[k] * load_per_request);
  }
  // The busy bins at positions [from, to) of bins.index (the empty ones add nothing).
  auto stretch = [&](std::size_t from, std::size_t to) {
    return Stretch{std::span<const double>{bins.requests}.subspan(from, to - from), load_per_request,
                   std::span<const double>{idle}.subspan(from, to - from)};
  };
  std::optional<std::size_t> last_busy_bin;
  double last_busy_count = 0;
  double warm_served = 0;
  double max_mean_busy = 0;
  double busy_seconds = 0;
  Coverage alive{start_s, end_s, config.timeline_bin_s, config.timeline_max_bins};
  alive.add(start_s, end_s, provisioned);
  const double first_on_demand = provisioned + 1;  // environment index k of the first one

  // Bins in order. An empty bin whose keep-alive window holds no requests either changes
  // nothing but the scaling tokens, which refill to the full rate within a few bins: such
  // stretches are crossed at once, so the work follows the requests, not the window.
  std::size_t next = 0;  // the position in bins.index of the first busy bin not yet passed
  for (std::size_t i = 0; i < bins.bins; ++i) {
    if (!(last_busy_bin && i < *last_busy_bin + window_bins)) {
      const std::size_t busy = next < bins.index.size() ? bins.index[next] : bins.bins;
      for (std::size_t skipped = busy - i; skipped > 0 && tokens < config.scale_per_10s; --skipped) {
        tokens = std::min(config.scale_per_10s, tokens + refill);
      }
      i = busy;
      if (i >= bins.bins) {
        break;
      }
    }
    ++r.fluid_bins;
    const std::size_t at = next;  // this bin's position, if it is busy
    const bool holds = at < bins.index.size() && bins.index[at] == i;
    const double n = holds ? bins.requests[at] : 0.0;
    next += holds ? 1 : 0;
    const std::size_t first_in_window = i > window_bins ? i - window_bins : 0;
    const std::size_t first_alive = first_in_window + (i >= window_bins ? 1 : 0);
    const double mean_busy = n / bin_s * mean_run_ms / 1000.0;
    double needed = 0;
    double cold = 0;
    double throttled = 0;
    if (n > 0) {
      // The most environments the bin needs at once: an arrival sees Poisson(mean_busy)
      // others busy (M/G/inf, PASTA); the busiest of its n arrivals is near the
      // 1 - 1/(n + 1) quantile.
      needed = std::min(1 + poisson_quantile(mean_busy, 1 - 1 / (n + 1)),
                        config.concurrency_limit);
      throttled = n * poisson_tail(mean_busy, config.concurrency_limit);
      // No warm environment at all: the first arrival after a silence longer than the
      // keep-alive.
      double empty = 0;
      if (provisioned == 0) {
        empty = last_busy_bin ? gap_cold_probability(static_cast<double>(i - *last_busy_bin),
                                                     last_busy_count, n, bin_s,
                                                     mean_run_ms / 1000.0, config)
                              : 1.0;
      }
      // With the newest idle environment taken first, environment k is warm when the
      // concurrency reached k within the keep-alive. The bin starts environment k when its
      // own peak reaches k and the previous window's did not:
      // cold = sum_k P(peak_now >= k) P(peak_before < k).
      cold = expected_new_environments(stretch(at, next), stretch(bins.lower(first_in_window, at), at),
                                       empty, first_on_demand, config.concurrency_limit);
      tokens = std::min(config.scale_per_10s, tokens + refill);
      if (cold > tokens) {
        // Environments the scaling rate did not allow: their share of the bin's requests.
        throttled += (cold - tokens) * n / std::max(needed, 1.0);
        cold = tokens;
      }
      tokens -= cold;
      throttled = std::min(throttled, n);
      cold = std::min(cold, n - throttled);
      last_busy_bin = i;
      last_busy_count = n;
      max_mean_busy = std::max(max_mean_busy, mean_busy);
    } else {
      tokens = std::min(config.scale_per_10s, tokens + refill);
    }
    const double served = n - throttled;
    const double on_provisioned = std::min(served, served * provisioned / std::max(needed, 1.0));
    r.requests += n;
    r.served += served;
    r.throttled += throttled;
    r.cold_starts += cold;
    r.provisioned_requests += on_provisioned;
    warm_served += served - cold;
    busy_seconds += (served * mean_run_ms + cold * mean_cold_extra_ms) / 1000.0;
    const double on_demand = served - on_provisioned;
    r.billed_duration_gb_s += on_demand * mean_billed_ms / 1000.0 * gib +
                              cold * mean_first_billed_ms / 1000.0 * gib;
    r.provisioned_duration_gb_s += on_provisioned * mean_billed_ms / 1000.0 * gib;
    r.billed_init_gb_s += cold * mean_init_billed_ms / 1000.0 * gib;
    // Alive on-demand environments: those whose index the window (this bin included)
    // reached.
    const double bin_begin = bins.start_s + static_cast<double>(i) * bin_s;
    alive.add(bin_begin, bin_begin + bin_s,
              expected_reached(stretch(bins.lower(first_alive, at), next),
                               first_on_demand, config.concurrency_limit));
  }

  // The peak over the whole window: the busiest bins' concurrency at the quantile of all
  // the arrivals that saw a load near it (each bin's own maximum underestimates it).
  double near_peak_requests = 0;
  for (double n : bins.requests) {
    if (n / bin_s * mean_run_ms / 1000.0 >= 0.8 * max_mean_busy) {
      near_peak_requests += n;
    }
  }
  if (near_peak_requests > 0) {
    r.peak_concurrency = std::min(
        1 + poisson_quantile(max_mean_busy, 1 - 1 / (near_peak_requests + 1)),
        config.concurrency_limit);
  }

  LatencyHistogram latency;
  if (warm_served > 0 && points > 0) {
    for (std::size_t k = 0; k < points; ++k) {
      const double u = (static_cast<double>(k) + 0.5) / static_cast<double>(points);
      latency.add(inverse_cdf(duration_quantiles_ms, u) * scale,
                  warm_served / static_cast<double>(points));
    }
  }
  if (r.cold_starts > 0) {
    for (double sample : cold_latency) {
      latency.add(sample, r.cold_starts / k_cold_samples);
    }
  }
  finish_ratios(r);
  r.latency = percentiles_of(latency);
  r.max_latency_ms = latency.max();
  r.mean_concurrency = busy_seconds / r.window_s;
  r.mean_environments = alive.total() / r.window_s;
  r.provisioned_config_gb_s = provisioned * gib * r.window_s;
  r.environments = alive.finish();
  return r;
}

Result<LambdaSimResult> simulate_lambda(const WorkloadTrace& trace, const LambdaSimConfig& config,
                                        double multiplier) {
  auto positive = [](double v) { return std::isfinite(v) && v > 0; };
  struct Check {
    bool ok;
    const char* field;
  };
  for (const Check& check : {Check{positive(config.memory_mib), "memory_mib"},
                             Check{positive(config.duration_scale), "duration_scale"},
                             Check{config.keep_alive_min_s >= 0 &&
                                       config.keep_alive_max_s >= config.keep_alive_min_s,
                                   "keep_alive_s"},
                             Check{positive(config.max_lifetime_s), "max_lifetime_s"},
                             Check{positive(config.scale_per_10s), "scale_per_10s"},
                             Check{positive(config.concurrency_limit), "concurrency_limit"},
                             Check{config.provisioned >= 0, "provisioned"},
                             Check{positive(config.fluid_bin_s), "fluid_bin_s"},
                             Check{positive(config.timeline_bin_s), "timeline_bin_s"},
                             Check{config.timeline_max_bins >= 1, "timeline_max_bins"},
                             Check{std::isfinite(multiplier) && multiplier >= 0, "multiplier"}}) {
    if (!check.ok) {
      return fail(ErrorCode::invalid_argument, "Lambda simulation setting out of range",
                  check.field);
    }
  }
  const double end_s = trace.start_s + std::max(trace.window_s(), 1e-3);
  LambdaEngine engine = config.engine;
  if (engine == LambdaEngine::automatic) {
    engine = trace.requests() * multiplier <= config.event_max_requests ? LambdaEngine::event
                                                                        : LambdaEngine::fluid;
  }
  if (engine == LambdaEngine::fluid) {
    return simulate_lambda_fluid(bin_requests_sparse(trace, config.fluid_bin_s, multiplier),
                                 trace.duration_quantiles_ms, trace.start_s, end_s, config);
  }
  if (!trace.counted() && multiplier == 1) {
    return simulate_lambda_events(trace.arrival_s, trace.duration_ms, trace.start_s, end_s, config);
  }
  const Arrivals arrivals = materialize(trace, config.seed, multiplier);
  return simulate_lambda_events(arrivals.arrival_s, arrivals.duration_ms, trace.start_s, end_s,
                                config);
}

}  // namespace placer::sim
