#include "placer/synth.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <numbers>
#include <system_error>

namespace placer::synth {
namespace {

constexpr double k_day_s = 86400;
constexpr double k_hour_s = 3600;

// Shortest decimal form of `value`, for messages.
std::string number(double value) {
  std::array<char, 64> buffer{};
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return ec == std::errc{} ? std::string(buffer.data(), end) : std::string{"?"};
}

void append_fixed(std::string& out, double value, int decimals) {
  std::array<char, 64> buffer{};
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                 std::chars_format::fixed, decimals);
  out.append(buffer.data(), ec == std::errc{} ? end : buffer.data());
}

// Fails unless low <= value <= high (or < high when `open_high`), naming `field`.
Result<void> check_range(double value, double low, double high, bool low_open, bool high_open,
                         const char* what, const char* field) {
  const bool above_low = low_open ? value > low : value >= low;
  const bool below_high = high_open ? value < high : value <= high;
  if (std::isfinite(value) && above_low && below_high) {
    return {};
  }
  return fail(ErrorCode::invalid_argument,
              std::string{what} + " must be " + (low_open ? "above " : "at least ") + number(low) +
                  (std::isinf(high)
                       ? std::string{}
                       : std::string{high_open ? " and below " : " and at most "} + number(high)) +
                  ", found " + number(value),
              field);
}

constexpr double k_inf = HUGE_VAL;

// Diurnal amplitude a for a peak/trough ratio r: (1 + a) / (1 - a) = r.
double amplitude_of(double ratio) { return (ratio - 1) / (ratio + 1); }

// Mean quiet time between sparse clusters that makes the long-run rate mean_rps: a cycle
// holds cluster_size requests on average and lasts (cluster_size - 1) gaps plus the quiet.
double quiet_mean_s(const SynthSpec& spec) {
  return spec.sparse.cluster_size / spec.mean_rps -
         (spec.sparse.cluster_size - 1) * spec.sparse.cluster_gap.count();
}

}  // namespace

Result<Pattern> parse_pattern(std::string_view name) {
  for (Pattern p : {Pattern::steady, Pattern::diurnal, Pattern::bursty, Pattern::sparse}) {
    if (name == to_string(p)) {
      return p;
    }
  }
  return fail(
      ErrorCode::invalid_argument,
      "unknown pattern \"" + std::string{name} + "\", expected steady, diurnal, bursty or sparse",
      "pattern");
}

std::string_view to_string(Pattern pattern) {
  switch (pattern) {
    case Pattern::steady:
      return "steady";
    case Pattern::diurnal:
      return "diurnal";
    case Pattern::bursty:
      return "bursty";
    case Pattern::sparse:
      return "sparse";
  }
  return "steady";
}

double expected_requests(const SynthSpec& spec) {
  return spec.mean_rps * Seconds{spec.length}.count();
}

Result<void> validate(const SynthSpec& spec) {
  const double window_s = Seconds{spec.length}.count();
  struct Check {
    double value, low, high;
    bool low_open, high_open;
    const char* what;
    const char* field;
  };
  const Check checks[] = {
      {spec.mean_rps, 0, k_inf, true, true, "the mean rate (requests per second)", "mean_rps"},
      {spec.length.count(), 0, k_inf, true, true, "the window length in hours", "hours"},
      {spec.duration_median.count(), 0, k_inf, true, true, "the median duration in ms",
       "duration_ms"},
      {spec.duration_sigma, 0, k_max_duration_sigma, false, false,
       "the duration's log standard deviation", "duration_sigma"},
      {spec.memory ? spec.memory->value() : 1, 0, k_inf, true, true, "the memory in MiB",
       "memory_mib"},
      {spec.start_s, 0, k_max_end_s, false, true, "the start (epoch seconds)", "start"},
      {spec.diurnal.peak_trough_ratio, 1, k_inf, false, true, "the peak/trough ratio",
       "peak_trough_ratio"},
      {spec.diurnal.peak_hour_utc, 0, 24, false, true, "the peak hour (UTC)", "peak_hour"},
      {spec.bursty.burst.count(), 0, k_inf, true, true, "the mean burst length in seconds",
       "burst_s"},
      {spec.bursty.gap.count(), 0, k_inf, true, true, "the idle gap in seconds", "gap_s"},
      {spec.sparse.cluster_size, 1, k_inf, false, true, "the mean cluster size", "cluster_size"},
      {spec.sparse.cluster_gap.count(), 0, k_inf, false, true,
       "the gap inside a cluster in seconds", "cluster_gap_s"},
  };
  for (const Check& c : checks) {
    if (auto ok = check_range(c.value, c.low, c.high, c.low_open, c.high_open, c.what, c.field);
        !ok) {
      return ok;
    }
  }
  for (char ch : spec.workload) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
      return fail(ErrorCode::invalid_argument, "the workload name must not hold control characters",
                  "workload");
    }
  }
  if (spec.start_s + window_s > k_max_end_s) {
    return fail(ErrorCode::invalid_argument, "the window must end before 10000-01-01T00:00:00Z",
                "hours");
  }
  if (spec.pattern == Pattern::sparse && !(quiet_mean_s(spec) > 0)) {
    return fail(ErrorCode::invalid_argument,
                "clusters of " + number(spec.sparse.cluster_size) + " requests " +
                    number(spec.sparse.cluster_gap.count()) +
                    " s apart leave no quiet time at a mean rate of " + number(spec.mean_rps) +
                    " req/s: lower the rate, the cluster size or the gap",
                "mean_rps");
  }
  const double expected = expected_requests(spec);
  if (expected > static_cast<double>(spec.max_requests)) {
    return fail(ErrorCode::invalid_argument,
                "about " + std::to_string(static_cast<unsigned long long>(std::round(expected))) +
                    " requests expected (mean rate x window), more than the limit of " +
                    std::to_string(spec.max_requests) + ": raise the limit to write them",
                "max_requests");
  }
  return {};
}

Generator::Generator(const SynthSpec& spec)
    // Two streams: the durations' seed is the complement of the arrivals' so that
    // changing duration flags never moves an arrival.
    : spec_(spec), arrivals_(spec.seed), durations_(~spec.seed) {
  window_s_ = Seconds{spec_.length}.count();
  switch (spec_.pattern) {
    case Pattern::steady:
      break;
    case Pattern::diurnal:
      amplitude_ = amplitude_of(spec_.diurnal.peak_trough_ratio);
      peak_rps_ = spec_.mean_rps * (1 + amplitude_);
      peak_offset_s_ = (spec_.diurnal.peak_hour_utc + 0.5) * k_hour_s;
      break;
    case Pattern::bursty: {
      const double burst_s = spec_.bursty.burst.count();
      const double gap_s = spec_.bursty.gap.count();
      burst_rps_ = spec_.mean_rps * (burst_s + gap_s) / burst_s;
      // Start in the stationary state: inside a burst with probability burst / (burst +
      // gap), its remaining length exponential (memoryless); otherwise inside an idle
      // period of fixed length, whose remaining part is then uniform on [0, gap).
      if (arrivals_.uniform() * (burst_s + gap_s) < burst_s) {
        burst_end_s_ = arrivals_.exponential() * burst_s;
      } else {
        t_s_ = arrivals_.uniform() * gap_s;
        burst_end_s_ = t_s_ + arrivals_.exponential() * burst_s;
      }
      break;
    }
    case Pattern::sparse:
      quiet_mean_s_ = quiet_mean_s(spec_);
      break;
  }
}

Result<Generator> Generator::create(const SynthSpec& spec) {
  if (auto ok = validate(spec); !ok) {
    return tl::unexpected(ok.error());
  }
  return Generator{spec};
}

double Generator::next_offset_s() {
  switch (spec_.pattern) {
    case Pattern::steady:
      return t_s_ + arrivals_.exponential() / spec_.mean_rps;
    case Pattern::diurnal: {
      // Thinning (Lewis and Shedler): candidates at the peak rate, each kept with
      // probability rate(t) / peak.
      const double two_pi = 2 * std::numbers::pi;
      double t = t_s_;
      for (;;) {
        t += arrivals_.exponential() / peak_rps_;
        if (t >= window_s_) {
          return t;
        }
        const double since_peak = std::fmod(spec_.start_s + t - peak_offset_s_, k_day_s);
        const double rate =
            spec_.mean_rps * (1 + amplitude_ * std::cos(two_pi * since_peak / k_day_s));
        if (arrivals_.uniform() * peak_rps_ < rate) {
          return t;
        }
      }
    }
    case Pattern::bursty: {
      double t = t_s_;
      for (;;) {
        const double candidate = t + arrivals_.exponential() / burst_rps_;
        if (candidate < burst_end_s_) {
          return candidate;
        }
        // The burst ended first. Exponential gaps are memoryless, so the next burst's
        // first arrival is drawn afresh from its start.
        t = burst_end_s_ + spec_.bursty.gap.count();
        burst_end_s_ = t + arrivals_.exponential() * spec_.bursty.burst.count();
        if (t >= window_s_) {
          return t;
        }
      }
    }
    case Pattern::sparse: {
      // The first request opens a cluster; each later one continues it with probability
      // 1 - 1 / cluster_size (a geometric size of that mean), else a quiet period follows.
      const bool continues = started_ && arrivals_.uniform() * spec_.sparse.cluster_size >= 1;
      started_ = true;
      const double mean_s = continues ? spec_.sparse.cluster_gap.count() : quiet_mean_s_;
      return t_s_ + arrivals_.exponential() * mean_s;
    }
  }
  return window_s_;
}

std::optional<SynthRequest> Generator::next() {
  if (done_) {
    return std::nullopt;
  }
  const double t = next_offset_s();
  if (!(t < window_s_)) {
    done_ = true;
    return std::nullopt;
  }
  t_s_ = t;
  return SynthRequest{spec_.start_s + t,
                      durations_.lognormal(spec_.duration_median.count(), spec_.duration_sigma)};
}

Result<std::uint64_t> synthesize(const SynthSpec& spec, InvocationSink& sink) {
  auto generator = Generator::create(spec);
  if (!generator) {
    return tl::unexpected(generator.error());
  }
  Invocation invocation;
  invocation.memory = spec.memory;
  invocation.workload = spec.workload;
  std::uint64_t count = 0;
  while (auto request = generator->next()) {
    invocation.timestamp_s = request->timestamp_s;
    invocation.duration = Millis{request->duration_ms};
    sink.add(invocation);
    ++count;
  }
  return count;
}

Result<LogFormat> parse_log_format(std::string_view name) {
  if (name == "csv") {
    return LogFormat::csv;
  }
  if (name == "jsonl") {
    return LogFormat::jsonl;
  }
  return fail(ErrorCode::invalid_argument,
              "unknown format \"" + std::string{name} + "\", expected csv or jsonl", "format");
}

LogWriter::LogWriter(const SynthSpec& spec, LogFormat format) : format_(format) {
  std::string memory;
  if (spec.memory) {
    std::array<char, 64> buffer{};
    auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(),
                                   spec.memory->value(), std::chars_format::fixed);
    memory.assign(buffer.data(), ec == std::errc{} ? end : buffer.data());
  }
  if (format == LogFormat::csv) {
    header_ = "timestamp,duration_ms";
    if (spec.memory) {
      header_ += ",memory_mib";
      suffix_ += "," + memory;
    }
    if (!spec.workload.empty()) {
      header_ += ",workload";
      const bool quote = spec.workload.find_first_of(",\"") != std::string::npos ||
                         spec.workload.front() == ' ' || spec.workload.back() == ' ';
      std::string field;
      for (char ch : spec.workload) {
        field += ch;
        if (ch == '"') {
          field += '"';
        }
      }
      suffix_ += "," + (quote ? "\"" + field + "\"" : field);
    }
    header_ += "\n";
    suffix_ += "\n";
  } else {
    if (spec.memory) {
      suffix_ += ",\"memory_mib\":" + memory;
    }
    if (!spec.workload.empty()) {
      std::string escaped;
      for (char ch : spec.workload) {
        if (ch == '"' || ch == '\\') {
          escaped += '\\';
        }
        escaped += ch;
      }
      suffix_ += ",\"workload\":\"" + escaped + "\"";
    }
    suffix_ += "}\n";
  }
}

void LogWriter::append(std::string& out, const SynthRequest& request) const {
  if (format_ == LogFormat::csv) {
    append_fixed(out, request.timestamp_s, 6);
    out += ',';
    append_fixed(out, request.duration_ms, 3);
  } else {
    out += "{\"timestamp\":";
    append_fixed(out, request.timestamp_s, 6);
    out += ",\"duration_ms\":";
    append_fixed(out, request.duration_ms, 3);
  }
  out += suffix_;
}

}  // namespace placer::synth
