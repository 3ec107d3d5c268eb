#include "placer/sim/kubernetes_sim.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "placer/sim/queueing.hpp"

namespace placer::sim {
namespace {

constexpr double k_infinity = std::numeric_limits<double>::infinity();
constexpr double k_time_eps_s = 1e-9;        // events this close count as simultaneous
constexpr double k_delay_floor_ms = 0.01;    // backlog delays below this share one bucket
constexpr double k_delay_ratio = 1.02;       // each backlog-delay bucket is 2% wider
constexpr double k_percentile_width = 1e-7;  // relative precision of the percentiles
constexpr int k_max_servers = 1'000'000;     // bounds the O(c) Erlang B per group
constexpr double k_max_ticks = 1e8;

// ceil(x) as a pod count, forgiving rounding noise (4.0000000001 is 4) and saturating far
// above any max_replicas instead of overflowing.
int ceil_count(double x) { return static_cast<int>(std::ceil(std::min(x, 1e9) - 1e-9)); }
int ceil_div(int a, int b) { return (a + b - 1) / b; }

// Queues are grouped by servers and load. A load group spans 1/32 of 1 − ρ (its bucket is
// the exponent and top 5 mantissa bits of the double 1 − ρ): fine where the wait is steep,
// near ρ = 1, and cheap (no logarithm). The group's queue runs at its requests-weighted
// mean rate, so only the wait's curvature within 3% of 1 − ρ is lost.
std::uint64_t load_bucket(double load) {
  assert(load >= 0 && load < 1);
  return std::bit_cast<std::uint64_t>(1.0 - load) >> 47;
}

// A hash map's entries in key order, so sums over them do not depend on the hash layout.
template <typename Map>
std::vector<std::pair<typename Map::key_type, typename Map::mapped_type>> sorted_values(
    const Map& map) {
  std::vector<std::pair<typename Map::key_type, typename Map::mapped_type>> out(map.begin(),
                                                                                map.end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

// Backlog waits, as a histogram whose buckets hold their mass evenly: bucket 0 is
// [0, 0.01 ms), bucket k ≥ 1 is [0.01·1.02^(k−1), 0.01·1.02^k), 2% wide. Adding requests
// spread evenly over a range costs O(1) however many buckets it spans: a wide range is the
// difference of two "ramps" (a density h on [0, x]), and a ramp touches only the bucket
// holding x plus a running sum that fills every bucket below it when the histogram is read.
class DelayHistogram {
 public:
  // `requests` waiting evenly between lo_ms and hi_ms (lo_ms ≤ hi_ms).
  void add(double requests, double lo_ms, double hi_ms) {
    const std::size_t first = bucket(lo_ms);
    const std::size_t last = bucket(hi_ms);
    if (last - first > 8) {
      const double density = requests / (hi_ms - lo_ms);
      add_ramp(density, hi_ms);
      add_ramp(-density, lo_ms);
      return;
    }
    grow(last);
    if (first == last) {
      mass_[first] += requests;
      return;
    }
    for (std::size_t k = first; k <= last; ++k) {
      const double overlap = std::min(hi_ms, edge(k + 1)) - std::max(lo_ms, edge(k));
      mass_[k] += requests * std::max(0.0, overlap) / (hi_ms - lo_ms);
    }
  }

  struct Bucket {
    double from_ms;
    double to_ms;
    double requests;
  };
  // The non-empty buckets, ascending.
  std::vector<Bucket> buckets() const {
    std::vector<Bucket> out;
    double density_above = 0;  // Σ of the ramps that end in a higher bucket
    for (std::size_t k = mass_.size(); k-- > 0;) {
      const double mass = mass_[k] + density_above * (edge(k + 1) - edge(k));
      density_above += ramp_[k];
      if (mass > 1e-12) {
        out.push_back({edge(k), edge(k + 1), mass});
      }
    }
    std::reverse(out.begin(), out.end());
    return out;
  }

 private:
  static std::size_t bucket(double delay_ms) {
    if (delay_ms < k_delay_floor_ms) {
      return 0;
    }
    return 1 + static_cast<std::size_t>(std::log(delay_ms / k_delay_floor_ms) /
                                        std::log(k_delay_ratio));
  }
  static double edge(std::size_t k) {
    return k == 0 ? 0.0 : k_delay_floor_ms * std::pow(k_delay_ratio, static_cast<double>(k - 1));
  }
  void grow(std::size_t k) {
    if (k >= mass_.size()) {
      mass_.resize(k + 1, 0.0);
      ramp_.resize(k + 1, 0.0);
    }
  }
  // Density `density` on [0, x].
  void add_ramp(double density, double x) {
    const std::size_t k = bucket(x);
    grow(k);
    ramp_[k] += density;
    mass_[k] += density * (x - edge(k));
  }

  std::vector<double> mass_;  // mass held by bucket k directly
  std::vector<double> ramp_;  // densities of the ramps ending in bucket k
};

// ---------------------------------------------------------------- validation

// Keeps the first broken rule as an invalid_argument Error.
class Checker {
 public:
  void require(bool ok, const std::string& where, const char* message) {
    if (!ok && !error_) {
      error_ = Error{ErrorCode::invalid_argument, message, where};
    }
  }
  void positive(double x, const std::string& where) {
    require(std::isfinite(x) && x > 0, where, "must be positive");
  }
  void non_negative(double x, const std::string& where) {
    require(std::isfinite(x) && x >= 0, where, "must not be negative");
  }
  const std::optional<Error>& error() const { return error_; }

 private:
  std::optional<Error> error_;
};

void check_config(const KubernetesSimConfig& c, Checker& check) {
  check.positive(c.hpa_sync_s, "hpa_sync_s");
  check.non_negative(c.hpa_tolerance, "hpa_tolerance");
  check.require(c.scale_up_pods >= 0, "scale_up_pods", "must not be negative");
  check.non_negative(c.scale_up_percent, "scale_up_percent");
  check.positive(c.scale_up_period_s, "scale_up_period_s");
  check.non_negative(c.scale_down_stabilization_s, "scale_down_stabilization_s");
  if (c.metric == HpaMetric::cpu_utilization) {
    check.positive(c.target_cpu_utilization, "target_cpu_utilization");
  } else {
    check.positive(c.target_requests_per_pod_per_s, "target_requests_per_pod_per_s");
  }
  check.non_negative(c.metric_lag_s, "metric_lag_s");
  check.positive(c.metric_window_s, "metric_window_s");
  check.require(c.min_replicas >= 1, "min_replicas", "must be at least 1");
  check.require(c.min_replicas <= c.max_replicas, "min_replicas", "must not exceed max_replicas");
  check.require(c.initial_replicas == 0 ||
                    (c.initial_replicas >= c.min_replicas && c.initial_replicas <= c.max_replicas),
                "initial_replicas", "must be 0 or within [min_replicas, max_replicas]");
  check.non_negative(c.pod_start_s, "pod_start_s");
  check.non_negative(c.readiness_delay_s, "readiness_delay_s");
  check.require(c.concurrency_per_pod >= 1, "concurrency_per_pod", "must be at least 1");
  check.require(
      c.concurrency_per_pod < 1 || c.max_replicas <= k_max_servers / c.concurrency_per_pod,
      "max_replicas", "max_replicas x concurrency_per_pod must not exceed 1000000");
  check.require(c.pods_per_node >= 1, "pods_per_node", "must be at least 1");
  check.require(c.min_nodes >= 0, "min_nodes", "must not be negative");
  check.non_negative(c.node_provisioning_s, "node_provisioning_s");
  check.non_negative(c.node_unneeded_s, "node_unneeded_s");
  check.positive(c.slo_ms, "slo_ms");
  check.non_negative(c.arrival_scv, "arrival_scv");
}

void check_window(double window_s, const KubernetesSimConfig& c, Checker& check) {
  check.require(!(c.hpa_sync_s > 0) || window_s / c.hpa_sync_s <= k_max_ticks, "hpa_sync_s",
                "too small for the window: more than 1e8 HPA ticks");
}

void check_arrivals(const BinnedArrivals& a, const KubernetesSimConfig& c, Checker& check) {
  check.require(std::isfinite(a.start_s), "arrivals.start_s", "must be finite");
  check.positive(a.bin_s, "arrivals.bin_s");
  check.require(!a.requests.empty(), "arrivals.requests", "must not be empty");
  const Eigen::Map<const Eigen::ArrayXd> counts(a.requests.data(),
                                                static_cast<Eigen::Index>(a.requests.size()));
  if (!a.requests.empty() && !(counts.allFinite() && counts.minCoeff() >= 0)) {
    const auto bad = std::find_if(a.requests.begin(), a.requests.end(),
                                  [](double x) { return !(std::isfinite(x) && x >= 0); });
    check.non_negative(*bad, "arrivals.requests[" + std::to_string(bad - a.requests.begin()) + "]");
  }
  check_window(a.bin_s * static_cast<double>(a.requests.size()), c, check);
}

void check_arrivals(const SparseBins& a, const KubernetesSimConfig& c, Checker& check) {
  check.require(std::isfinite(a.start_s), "arrivals.start_s", "must be finite");
  check.positive(a.bin_s, "arrivals.bin_s");
  check.require(a.bins > 0, "arrivals.bins", "must be positive");
  check.require(a.index.size() == a.requests.size(), "arrivals.index", "must hold one bin per count");
  const std::size_t n = std::min(a.index.size(), a.requests.size());
  std::size_t k = 0;
  while (k < n && a.index[k] < a.bins && (k == 0 || a.index[k] > a.index[k - 1])) {
    ++k;
  }
  check.require(k == n, "arrivals.index", "must be ascending and within the bins");
  k = 0;
  while (k < n && std::isfinite(a.requests[k]) && a.requests[k] >= 0) {
    ++k;
  }
  if (k < n) {
    check.non_negative(a.requests[k], "arrivals.requests[" + std::to_string(a.index[k]) + "]");
  }
  check_window(a.window_s(), c, check);
}

void check_service(const ServiceTime& s, Checker& check) {
  check.require(!s.quantiles_ms.empty(), "service.quantiles_ms", "must not be empty");
  for (std::size_t i = 0; i < s.quantiles_ms.size(); ++i) {
    const Quantile& q = s.quantiles_ms[i];
    const bool ascending =
        i == 0 || (q.q >= s.quantiles_ms[i - 1].q && q.value >= s.quantiles_ms[i - 1].value);
    check.require(q.q >= 0 && q.q <= 1 && std::isfinite(q.value) && q.value >= 0 && ascending,
                  "service.quantiles_ms[" + std::to_string(i) + "]",
                  "quantiles must lie in [0, 1], values be non-negative, both ascending");
  }
  check.positive(s.mean_ms, "service.mean_ms");
  check.non_negative(s.scv, "service.scv");
}

// The first broken rule of a run's inputs, if any.
template <typename Arrivals>
std::optional<Error> first_error(const Arrivals& arrivals, const ServiceTime& service,
                                 const KubernetesSimConfig& config) {
  Checker check;
  check_config(config, check);
  check_arrivals(arrivals, config, check);
  check_service(service, check);
  return check.error();
}

// ---------------------------------------------------------------- traffic

// The binned arrivals with prefix sums over the non-empty bins, so any interval's count
// is O(log bins). Times count from the window's start: ticks stay exact even when start_s
// is an epoch time. Empty bins hold zero: the sums are those of every bin, bit for bit.
class Traffic {
 public:
  explicit Traffic(const SparseBins& a)
      : arrivals_(a), bin_(a.bin_s), bins_(a.bins), index_(a.index), requests_(a.requests),
        cumulative_(a.requests.size() + 1) {
    double sum = 0;
    for (std::size_t k = 0; k < requests_.size(); ++k) {
      sum += requests_[k];
      cumulative_[k + 1] = sum;
    }
    // Bins mostly busy (no more than twice the busy ones, give or take): a table from each
    // bin to its position, for lookups in O(1) at a memory the requests bound.
    if (bins_ <= 2 * index_.size() + 4096) {
      position_of_.resize(bins_ + 1);
      std::size_t k = 0;
      for (std::size_t i = 0; i <= bins_; ++i) {
        while (k < index_.size() && index_[k] < i) {
          ++k;
        }
        position_of_[i] = k;
      }
    }
  }

  double end() const { return bin_ * static_cast<double>(bins_); }
  double total() const { return cumulative_.back(); }
  std::size_t bins() const { return bins_; }
  double bin_s() const { return bin_; }

  // Arrivals in [t0, t1), clipped to the window, spread evenly within bins.
  double between(double t0, double t1) const { return before(t1) - before(t0); }

  // The highest rate (per second) of the bins that overlap [t0, t1).
  double peak_rate(double t0, double t1) const {
    const std::size_t i0 = bin_at(t0);
    const auto [k0, k1] = positions(i0, std::max(i0 + 1, bin_end(t1)));
    double peak = 0;
    for (std::size_t k = k0; k < k1; ++k) {
      peak = std::max(peak, requests_[k]);
    }
    return peak / bin_;
  }

  // Calls piece(from_s, to_s, requests) for each part of a bin inside [t0, t1), in order,
  // empty bins included.
  template <typename Piece>
  void for_each_piece(double t0, double t1, Piece&& piece) const {
    const std::size_t first = bin_at(t0);
    std::size_t k = positions(first, first).first;
    for (std::size_t i = first; i < bin_end(t1); ++i) {
      const double lo = bin_ * static_cast<double>(i);
      const double a = std::max(t0, lo);
      const double b = std::min(t1, lo + bin_);
      const bool busy = k < index_.size() && index_[k] == i;
      if (b > a) {
        piece(a, b, (busy ? requests_[k] : 0.0) * (b - a) / bin_);
      }
      k += busy ? 1 : 0;
    }
  }

  // The first bin with requests among those from the one holding t: its number, or
  // `bins` when none is left.
  std::size_t next_busy_bin(double t) const {
    const std::size_t k = positions(bin_at(t), bins_).first;
    return k < index_.size() ? index_[k] : bins_;
  }

  // One past the last bin overlapping [.., t): what for_each_piece and peak_rate visit.
  std::size_t bin_end(double t) const {
    const double x = std::clamp(std::ceil(position(t)), 0.0, static_cast<double>(bins_));
    return static_cast<std::size_t>(x);
  }

 private:
  double position(double t) const { return t / bin_; }
  std::size_t bin_at(double t) const {
    const double x = std::clamp(std::floor(position(t)), 0.0, static_cast<double>(bins_ - 1));
    return static_cast<std::size_t>(x);
  }
  // The positions in index_ of the bins [first, last). The simulation asks about bins
  // that move forward in time: each search starts from the previous answer.
  std::pair<std::size_t, std::size_t> positions(std::size_t first, std::size_t last) const {
    if (!position_of_.empty()) {
      return {position_of_[first], position_of_[std::max(first, last)]};
    }
    const std::size_t a = arrivals_.lower(first, hint_);
    hint_ = a;
    return {a, last > first ? arrivals_.lower(last, a) : a};
  }
  double before(double t) const {
    const double x = position(t);
    if (x <= 0) {
      return 0;
    }
    if (x >= static_cast<double>(bins_)) {
      return cumulative_.back();
    }
    const auto i = static_cast<std::size_t>(x);
    const std::size_t k = positions(i, i).first;
    const double in_bin = k < index_.size() && index_[k] == i ? requests_[k] : 0.0;
    return cumulative_[k] + in_bin * (x - static_cast<double>(i));
  }

  const SparseBins& arrivals_;
  double bin_;
  std::size_t bins_;
  const std::vector<std::size_t>& index_;
  const std::vector<double>& requests_;
  std::vector<double> cumulative_;  // cumulative_[k]: the requests of the bins before index_[k]
  std::vector<std::size_t> position_of_;  // of bins 0..bins_, when the bins are mostly busy
  mutable std::size_t hint_ = 0;          // else the last search's answer
};

// ---------------------------------------------------------------- latency mixture

// The service time as placer::inverse_cdf reads the quantiles: atoms at distinct values
// v_0 < ... < v_n (the mass below the first and above the last quantile, and repeated
// values) and mass spread evenly on each (v_{i-1}, v_i].
struct ServiceShape {
  std::vector<double> value;     // v_i, ms
  std::vector<double> atom;      // P(S = v_i)
  std::vector<double> segment;   // P(v_{i-1} < S < v_i); segment[0] = 0
  std::vector<double> above;     // P(S > v_i)
  std::vector<double> integral;  // ∫_0^{v_i} P(S > y) dy

  explicit ServiceShape(const std::vector<Quantile>& q) {
    value = {q.front().value};
    atom = {q.front().q};
    segment = {0.0};
    for (std::size_t i = 1; i < q.size(); ++i) {
      const double mass = q[i].q - q[i - 1].q;
      if (q[i].value > value.back()) {
        value.push_back(q[i].value);
        atom.push_back(0.0);
        segment.push_back(mass);
      } else {
        atom.back() += mass;
      }
    }
    atom.back() += 1.0 - q.back().q;
    above.assign(value.size(), 0.0);
    for (std::size_t i = value.size() - 1; i > 0; --i) {
      above[i - 1] = above[i] + atom[i] + segment[i];
    }
    integral = {value.front()};
    for (std::size_t i = 1; i < value.size(); ++i) {
      integral.push_back(integral.back() + (above[i - 1] - segment[i] / 2) * width(i));
    }
  }

  std::size_t size() const { return value.size(); }
  double width(std::size_t i) const { return value[i] - value[i - 1]; }

  // The largest i with v_i ≤ t, or −1.
  std::ptrdiff_t index_at(double t) const {
    return std::upper_bound(value.begin(), value.end(), t) - value.begin() - 1;
  }

  // P(S > t).
  double tail(double t) const {
    const std::ptrdiff_t j = index_at(t);
    if (j < 0) {
      return 1.0;
    }
    const auto k = static_cast<std::size_t>(j);
    if (k + 1 == size()) {
      return 0.0;
    }
    return above[k] - segment[k + 1] * (t - value[k]) / width(k + 1);
  }

  // ∫_0^x P(S > y) dy, with P(S > y) = 1 for y < 0 (so x itself for x ≤ v_0): the
  // integral of the tail, piecewise quadratic. At +∞ it is the mean of S.
  double integrated_tail(double x) const {
    const std::ptrdiff_t j = index_at(x);
    if (j < 0) {
      return x;
    }
    const auto k = static_cast<std::size_t>(j);
    if (k + 1 == size()) {
      return integral[k];
    }
    const double d = x - value[k];
    return integral[k] + above[k] * d - segment[k + 1] * d * d / (2 * width(k + 1));
  }
};

// (1 − e^{−x})/x for each x ≥ 0, 1 at 0, without cancellation for small x. `e` = e^{−x}.
Eigen::ArrayXd spread(const Eigen::ArrayXd& x, const Eigen::ArrayXd& e) {
  return (x > 1e-8).select((1.0 - e) / x.max(1e-300), 1.0 - 0.5 * x);
}

// The response time T = wait + S over all requests: a mixture, weighted by requests, of
// queues (wait 0 with probability 1 − C, else exponential with rate θ: Allen-Cunneen) and
// fixed backlog delays, each added to an independent S.
//
// For a queue, P(S ≤ t < S + E) with E ~ Exp(θ) is, for v_j ≤ t < v_{j+1},
//   Σ_{i≤j} (atom_i + segment_i·(1 − e^{−θw_i})/(θw_i))·e^{−θ(t − v_i)}
//   + segment_{j+1}·(t − v_j)/w_{j+1}·(1 − e^{−θ(t − v_j)})/(θ(t − v_j)),
// with w_i = v_i − v_{i−1}. The sum is prefix_j·e^{−θ(t − v_j)}, where
// prefix_j = prefix_{j−1}·e^{−θw_j} + atom_j + segment_j·(1 − e^{−θw_j})/(θw_j) is computed
// once, so each evaluation costs O(queues), not O(queues × quantiles).
class LatencyMixture {
 public:
  explicit LatencyMixture(ServiceShape shape) : shape_(std::move(shape)) {}

  void add_queue(double requests, WaitTail wait_per_ms) {
    total_ += requests;
    no_delay_ += requests;
    if (wait_per_ms.prob_wait > 0) {
      queue_weight_.push_back(requests * wait_per_ms.prob_wait);
      queue_rate_.push_back(wait_per_ms.tail_rate);
      wait_sum_ms_ += requests * mean_wait(wait_per_ms);
    }
  }

  // `requests` that wait a backlog delay spread evenly over [lo_ms, hi_ms] (a fluid backlog
  // that grows or drains linearly); see DelayHistogram.
  void add_delays(double requests, double lo_ms, double hi_ms) {
    assert(lo_ms >= 0 && hi_ms >= lo_ms);
    total_ += requests;
    wait_sum_ms_ += requests * (lo_ms + hi_ms) / 2;
    delays_.add(requests, lo_ms, hi_ms);
  }

  double mean_wait_ms() const { return total_ > 0 ? wait_sum_ms_ / total_ : 0.0; }

  // Call once after the last add: computes the prefixes and the delay groups.
  void finish() {
    const auto groups = static_cast<Eigen::Index>(queue_rate_.size());
    theta_ = Eigen::Map<const Eigen::ArrayXd>(queue_rate_.data(), groups);
    weight_ = Eigen::Map<const Eigen::ArrayXd>(queue_weight_.data(), groups);
    const auto n = static_cast<Eigen::Index>(shape_.size());
    prefix_.resize(groups, n);
    prefix_.col(0).setConstant(shape_.atom[0]);
    for (Eigen::Index i = 1; i < n; ++i) {
      const auto k = static_cast<std::size_t>(i);
      const Eigen::ArrayXd x = theta_ * shape_.width(k);
      const Eigen::ArrayXd decay = (-x).exp();
      prefix_.col(i) =
          prefix_.col(i - 1) * decay + shape_.atom[k] + shape_.segment[k] * spread(x, decay);
    }
    delay_buckets_ = delays_.buckets();
    max_delay_ms_ = delay_buckets_.empty() ? 0.0 : delay_buckets_.back().to_ms;
  }

  // P(T > t).
  double tail(double t_ms) const {
    if (total_ <= 0) {
      return shape_.tail(t_ms);  // no requests: the service time alone
    }
    double sum = no_delay_ * shape_.tail(t_ms);
    const std::ptrdiff_t j = shape_.index_at(t_ms);
    if (theta_.size() > 0 && j >= 0) {
      const auto k = static_cast<std::size_t>(j);
      const double x = t_ms - shape_.value[k];
      const Eigen::ArrayXd tx = theta_ * x;
      const Eigen::ArrayXd e = (-tx).exp();
      Eigen::ArrayXd waited = prefix_.col(j) * e;
      if (k + 1 < shape_.size()) {
        waited += shape_.segment[k + 1] * (x / shape_.width(k + 1)) * spread(tx, e);
      }
      sum += (weight_ * waited).sum();
    }
    // A delay D even on [a, b]: P(D + S > t) = (J(t − a) − J(t − b))/(b − a), J the
    // integrated tail of S.
    for (const DelayHistogram::Bucket& d : delay_buckets_) {
      sum += d.requests *
             (shape_.integrated_tail(t_ms - d.from_ms) - shape_.integrated_tail(t_ms - d.to_ms)) /
             (d.to_ms - d.from_ms);
    }
    return std::clamp(sum / total_, 0.0, 1.0);
  }

  double percentile(double p) const {
    double scale = shape_.value.back() + max_delay_ms_ + 1.0;
    if (theta_.size() > 0) {
      scale += 1.0 / theta_.minCoeff();
    }
    return tail_quantile([&](double t) { return tail(t); }, p, scale, k_percentile_width);
  }

 private:
  ServiceShape shape_;
  double total_ = 0;
  double no_delay_ = 0;
  double wait_sum_ms_ = 0;
  std::vector<double> queue_weight_;  // requests × P(wait)
  std::vector<double> queue_rate_;    // θ, per ms
  DelayHistogram delays_;
  Eigen::ArrayXd theta_;
  Eigen::ArrayXd weight_;
  Eigen::ArrayXXd prefix_;  // queues × service values
  std::vector<DelayHistogram::Bucket> delay_buckets_;
  double max_delay_ms_ = 0;
};

// ---------------------------------------------------------------- autoscaler

// The HPA controller's arithmetic (pkg/controller/podautoscaler: replica_calculator.go,
// horizontal.go) for one metric.
class Hpa {
 public:
  Hpa(const KubernetesSimConfig& config, int initial) : c_(config) {
    // Steady state before the window (time 0): the stabilization window recommended `initial`.
    recommendations_.emplace_back(0.0, initial);
  }

  // The replica count after the sync at `now`. `usage` is the metric summed over the
  // metric-ready pods in units of the per-pod target (absent: no metric, no decision);
  // `metric_ready` of the `current` pods had been ready for the whole metric window.
  int decide(double now, std::optional<double> usage, int metric_ready, int current) {
    if (!usage || metric_ready == 0) {
      return current;  // "did not receive metrics": the controller skips the sync
    }
    const int recommended = recommend(*usage, metric_ready, current);
    const int stabilized = stabilize(now, recommended, current);
    const int desired = limit_rate(now, stabilized, current);
    if (desired != current) {
      changes_.emplace_back(now, desired - current);
    }
    return desired;
  }

 private:
  // replica_calculator.go: not-ready pods count as 0 on a scale-up, are left out on a
  // scale-down; within tolerance, or when that adjustment flips the direction, keep current.
  int recommend(double usage, int ready, int current) const {
    const double ratio = usage / ready;
    const int unready = current - ready;
    if (!(unready > 0 && ratio > 1.0)) {
      if (std::abs(1.0 - ratio) <= c_.hpa_tolerance) {
        return current;
      }
      return ceil_count(usage);  // ceil(ratio × ready)
    }
    const double adjusted = usage / current;
    if (std::abs(1.0 - adjusted) <= c_.hpa_tolerance || adjusted < 1.0) {
      return current;
    }
    return ceil_count(usage);  // ceil(adjusted × current)
  }

  // horizontal.go stabilizeRecommendationWithBehaviors: scale-up window 0 s (the fresh
  // recommendation), scale-down to the highest recommendation of the window, which is kept
  // as a monotone deque (front = maximum).
  int stabilize(double now, int recommended, int current) {
    while (!recommendations_.empty() && recommendations_.back().second <= recommended) {
      recommendations_.pop_back();
    }
    recommendations_.emplace_back(now, recommended);
    const double cutoff = now - c_.scale_down_stabilization_s;
    while (!recommendations_.empty() && recommendations_.front().first <= cutoff + k_time_eps_s) {
      recommendations_.pop_front();  // upstream keeps only those strictly after the cutoff
    }
    const int highest = recommendations_.empty() ? recommended : recommendations_.front().second;
    return std::min(std::max(current, recommended), highest);
  }

  // horizontal.go convertDesiredReplicasWithBehaviorRate: scale-up by at most
  // max(periodStart + pods, ceil(periodStart × (1 + percent))) per period, selectPolicy Max;
  // scale-down limited by min_replicas only (the default policy removes up to 100%).
  int limit_rate(double now, int desired, int current) {
    while (!changes_.empty() &&
           changes_.front().first <= now - c_.scale_up_period_s + k_time_eps_s) {
      changes_.pop_front();
    }
    if (desired > current) {
      int changed = 0;
      for (const auto& change : changes_) {
        changed += change.second;
      }
      const int period_start = current - changed;
      const int by_pods = period_start + c_.scale_up_pods;
      const int by_percent = ceil_count(period_start * (1.0 + c_.scale_up_percent / 100.0));
      const int limit = std::min(c_.max_replicas, std::max({by_pods, by_percent, current}));
      desired = std::min(desired, limit);
    }
    return std::clamp(desired, c_.min_replicas, c_.max_replicas);
  }

  const KubernetesSimConfig& c_;
  std::deque<std::pair<double, int>> recommendations_;  // (time, replicas), values decreasing
  std::deque<std::pair<double, int>> changes_;          // (time, replicas added or removed)
};

// ---------------------------------------------------------------- pods and nodes

// Pods (pending, starting, ready) and nodes (provisioning, ready). The scheduler packs
// pods perfectly: a node holds pods_per_node pods.
class Cluster {
 public:
  Cluster(const KubernetesSimConfig& config, int initial) : c_(config), ready_(initial) {
    ready_nodes_ = std::max(c_.min_nodes, ceil_div(initial, c_.pods_per_node));
  }

  int replicas() const { return ready_ + starting() + pending_; }
  int ready() const { return ready_; }
  int nodes() const { return ready_nodes_ + static_cast<int>(provisioning_.size()); }
  int ready_nodes() const { return ready_nodes_; }

  // The next pod or node that becomes ready; +infinity when none is on its way.
  double next_event() const {
    const double pod = starting_.empty() ? k_infinity : starting_.front();
    const double node = provisioning_.empty() ? k_infinity : provisioning_.front();
    return std::min(pod, node);
  }

  // Applies every readiness event up to `t`, in time order (a node before a pod at ties).
  void advance_to(double t) {
    while (next_event() <= t + k_time_eps_s) {
      if (!provisioning_.empty() && provisioning_.front() <= next_event()) {
        const double at = provisioning_.front();
        provisioning_.pop_front();
        ++ready_nodes_;
        schedule(at);
      } else {
        starting_.pop_front();
        ++ready_;
      }
    }
  }

  // Creates or deletes pods to reach `replicas`. Deletion order (ReplicaSet ranking):
  // pending, then starting (the latest first), then ready.
  void scale_to(int replicas, double now) {
    if (replicas > this->replicas()) {
      pending_ += replicas - this->replicas();
      schedule(now);
      return;
    }
    int remove = this->replicas() - replicas;
    const int from_pending = std::min(remove, pending_);
    pending_ -= from_pending;
    remove -= from_pending;
    while (remove > 0 && !starting_.empty()) {
      starting_.pop_back();
      --remove;
    }
    ready_ -= remove;
  }

  // Cluster autoscaler scale-down: a ready node no pod needs for node_unneeded_s goes.
  // Nodes needed again take back the most recently idled first.
  void remove_idle_nodes(double now) {
    const int needed = std::max(c_.min_nodes, ceil_div(ready_ + starting(), c_.pods_per_node));
    const auto surplus = static_cast<std::size_t>(std::max(0, ready_nodes_ - needed));
    while (idle_since_.size() > surplus) {
      idle_since_.pop_back();
    }
    while (idle_since_.size() < surplus) {
      idle_since_.push_back(now);
    }
    while (removes_node_at(now)) {
      idle_since_.pop_front();
      --ready_nodes_;
    }
  }

  // Surplus nodes waiting out node_unneeded_s; the first of them idled at first_idle_s.
  std::size_t idle_nodes() const { return idle_since_.size(); }
  double first_idle_s() const { return idle_since_.empty() ? k_infinity : idle_since_.front(); }
  // Whether remove_idle_nodes(now) removes a node.
  bool removes_node_at(double now) const {
    return !idle_since_.empty() && now - idle_since_.front() >= c_.node_unneeded_s - k_time_eps_s;
  }

 private:
  int starting() const { return static_cast<int>(starting_.size()); }

  // Places pending pods on free slots of ready nodes; launches nodes for the rest.
  void schedule(double now) {
    const int free = ready_nodes_ * c_.pods_per_node - ready_ - starting();
    const int placed = std::min(std::max(free, 0), pending_);
    for (int i = 0; i < placed; ++i) {
      starting_.push_back(now + c_.pod_start_s + c_.readiness_delay_s);
    }
    pending_ -= placed;
    if (pending_ > 0) {
      const int launch = ceil_div(replicas(), c_.pods_per_node) - nodes();
      for (int i = 0; i < launch; ++i) {
        provisioning_.push_back(now + c_.node_provisioning_s);
      }
    }
  }

  const KubernetesSimConfig& c_;
  int ready_ = 0;
  int pending_ = 0;
  std::deque<double> starting_;  // ready times, ascending
  int ready_nodes_ = 0;
  std::deque<double> provisioning_;  // ready times, ascending
  std::deque<double> idle_since_;    // per surplus node, oldest first
};

// ---------------------------------------------------------------- the simulation

std::pair<int, int> values(const ReplicaPoint& p) { return {p.replicas, p.ready_replicas}; }
std::pair<int, int> values(const NodePoint& p) { return {p.nodes, p.ready_nodes}; }

// Appends `point` to a change-point series unless its values repeat the last point's; a
// second change at the same time replaces the first (and goes if that undid the change).
template <typename Point>
void add_change_point(std::vector<Point>& series, const Point& point) {
  if (!series.empty() && values(series.back()) == values(point)) {
    return;
  }
  if (!series.empty() && series.back().time_s == point.time_s) {
    series.pop_back();
    if (!series.empty() && values(series.back()) == values(point)) {
      return;
    }
  }
  series.push_back(point);
}

class Simulation {
 public:
  Simulation(const SparseBins& arrivals, const ServiceTime& service,
             const KubernetesSimConfig& config)
      : c_(config),
        traffic_(arrivals),
        origin_s_(arrivals.start_s),
        service_s_(service.mean_ms / 1000.0),
        service_scv_(service.scv),
        mixture_(ServiceShape(service.quantiles_ms)) {}

  KubernetesSimResult run() {
    const double end = traffic_.end();
    const int initial = c_.initial_replicas > 0 ? c_.initial_replicas : steady_replicas();
    Cluster cluster(c_, initial);
    Hpa hpa(c_, initial);
    record(0.0, cluster);
    const auto ticks = static_cast<std::int64_t>(std::ceil(end / c_.hpa_sync_s - 1e-9));
    for (std::int64_t k = 0; k < ticks; ++k) {
      const double now = static_cast<double>(k) * c_.hpa_sync_s;
      const double tick_end = std::min(end, now + c_.hpa_sync_s);
      cluster.advance_to(now);
      const int current = cluster.replicas();
      const double window_start = now - c_.metric_lag_s - c_.metric_window_s;
      const int metric_ready = std::min(cluster.ready(), ready_at(window_start));
      const int desired = hpa.decide(now, usage(now), metric_ready, current);
      if (desired != current) {
        cluster.scale_to(desired, now);
        ++(desired > current ? result_.hpa_scale_ups : result_.hpa_scale_downs);
      }
      cluster.remove_idle_nodes(now);
      record(now, cluster);
      serve_tick(now, tick_end, cluster);
      ++result_.hpa_ticks;
      const std::int64_t resume = next_eventful_tick(k, ticks, cluster);
      if (resume > k + 1) {  // the syncs in between change nothing: their pods just idle
        const double from = static_cast<double>(k + 1) * c_.hpa_sync_s;
        const double to = std::min(end, static_cast<double>(resume) * c_.hpa_sync_s);
        idle_server_seconds_ += cluster.ready() * c_.concurrency_per_pod * (to - from);
        result_.idle_ticks += resume - (k + 1);
        k = resume - 1;
      }
    }
    return finish(end);
  }

 private:
  // The first sync after sync k at which anything may change. Once the cluster has
  // settled (no backlog, no pod or node on its way, the replicas at min_replicas), a sync
  // that sees no request, neither in its metric window nor in its own span, recommends 0
  // (or, tolerance permitting, the current count), and the clamp to min_replicas keeps
  // the replicas as they are; the recommendations the stabilization window keeps from it
  // are at most min_replicas, which the clamp overrides later too. Such syncs only serve
  // no one: they are crossed up to the first that sees a request or at which a surplus
  // node's scale-down delay runs out. Otherwise, k + 1.
  std::int64_t next_eventful_tick(std::int64_t k, std::int64_t ticks, const Cluster& cluster) const {
    if (backlog_ > 0 || cluster.replicas() != c_.min_replicas ||
        cluster.ready() != cluster.replicas() || cluster.next_event() < k_infinity) {
      return k + 1;
    }
    const double sync = c_.hpa_sync_s;
    auto now_of = [&](std::int64_t j) { return static_cast<double>(j) * sync; };
    // The first j in [k + 1, ticks) where `starts` (false, then true) holds, else ticks;
    // `guess` is close to it.
    auto first_tick = [&](double guess, auto starts) {
      auto j = static_cast<std::int64_t>(
          std::clamp(guess, static_cast<double>(k + 1), static_cast<double>(ticks)));
      while (j > k + 1 && starts(j - 1)) {
        --j;
      }
      while (j < ticks && !starts(j)) {
        ++j;
      }
      return j;
    };
    std::int64_t resume = ticks;
    // Sync j reads the bins from its metric window's start to its span's end.
    const std::size_t busy =
        traffic_.next_busy_bin(now_of(k + 1) - c_.metric_lag_s - c_.metric_window_s);
    if (busy < traffic_.bins()) {
      const double end = traffic_.end();
      resume = first_tick(std::floor(static_cast<double>(busy) * traffic_.bin_s() / sync),
                          [&](std::int64_t j) {
                            return traffic_.bin_end(std::min(end, now_of(j + 1))) > busy;
                          });
    }
    if (cluster.idle_nodes() > 0) {
      resume = std::min(resume, first_tick(std::ceil((cluster.first_idle_s() + c_.node_unneeded_s) / sync),
                                           [&](std::int64_t j) {
                                             return cluster.removes_node_at(now_of(j));
                                           }));
    }
    return resume;
  }

  // ceil(usage / target) for the first sync period's traffic, within [min, max].
  int steady_replicas() const {
    const double span = std::min(c_.hpa_sync_s, traffic_.end());
    const double rate = traffic_.between(0.0, span) / span;
    return std::clamp(ceil_count(usage_of(rate)), c_.min_replicas, c_.max_replicas);
  }

  // Metric summed over pods in units of the per-pod target, for `rate` requests per second:
  // CPU λ·S/concurrency/target, or λ/target.
  double usage_of(double rate) const {
    if (c_.metric == HpaMetric::cpu_utilization) {
      return rate * service_s_ / c_.concurrency_per_pod / c_.target_cpu_utilization;
    }
    return rate / c_.target_requests_per_pod_per_s;
  }

  // What the HPA sees at `now`: the window [now − lag − window, now − lag) within the trace.
  std::optional<double> usage(double now) const {
    const double to = std::min(now - c_.metric_lag_s, traffic_.end());
    const double from = std::max(to - c_.metric_window_s, 0.0);
    if (to - from <= k_time_eps_s) {
      return std::nullopt;
    }
    return usage_of(traffic_.between(from, to) / (to - from));
  }

  // Ready pods at time t (the first point before the window starts).
  int ready_at(double t) const {
    auto it = std::upper_bound(result_.replicas.begin(), result_.replicas.end(), t,
                               [](double x, const ReplicaPoint& p) { return x < p.time_s; });
    return it == result_.replicas.begin() ? result_.replicas.front().ready_replicas
                                          : std::prev(it)->ready_replicas;
  }

  void record(double now, const Cluster& cluster) {
    add_change_point(result_.replicas, ReplicaPoint{now, cluster.replicas(), cluster.ready()});
    add_change_point(result_.nodes, NodePoint{now, cluster.nodes(), cluster.ready_nodes()});
  }

  // One HPA tick: segments of constant ready pods, split where a pod becomes ready.
  void serve_tick(double from, double to, Cluster& cluster) {
    std::optional<double> peak;
    double at = from;
    while (at < to) {
      const double next = std::min(cluster.next_event(), to);
      if (next > at) {
        serve(at, next, cluster.ready() * c_.concurrency_per_pod, peak, from, to);
        at = next;
      }
      if (next < to) {
        cluster.advance_to(next);
        record(next, cluster);
      }
    }
  }

  // [from, to) with `servers` servers. Where a bin's arrivals exceed the capacity the excess
  // is a fluid backlog: it grows or drains linearly within a bin, so the arrivals meeting it
  // wait evenly between its delays at the two ends. The other arrivals form the segment's
  // M/M/c queue at their mean rate.
  void serve(double from, double to, int servers, std::optional<double>& peak, double tick_from,
             double tick_to) {
    assert(servers >= 1);
    const double capacity = servers / service_s_;  // requests per second
    server_seconds_ += servers * (to - from);
    if (backlog_ == 0) {
      if (!peak) {
        peak = traffic_.peak_rate(tick_from, tick_to);
      }
      if (*peak < capacity) {
        add_queue(servers, traffic_.between(from, to), to - from);
        return;
      }
    }
    double queued = 0;
    double queued_s = 0;
    traffic_.for_each_piece(from, to, [&](double a, double b, double requests) {
      const double can_serve = capacity * (b - a);
      const double before = backlog_;
      const double after = before + requests - can_serve;
      if (before <= 0 && after < 0) {
        queued += requests;
        queued_s += b - a;
        backlog_ = 0;
        return;
      }
      // The share of the piece until the backlog is gone (1 unless it drains to zero).
      const double share = after >= 0 ? 1.0 : before / (can_serve - requests);
      backlog_ = std::max(0.0, after);
      queued += requests * (1 - share);
      queued_s += (b - a) * (1 - share);
      const double from_ms = before / capacity * 1000.0;
      const double to_ms = backlog_ / capacity * 1000.0;
      if (requests > 0) {
        mixture_.add_delays(requests * share, std::min(from_ms, to_ms), std::max(from_ms, to_ms));
        result_.requests_backlogged += requests * share;
      }
      const double backlogged_s = (b - a) * share;
      result_.backlogged_s += backlogged_s;
      result_.time_over_slo_s += backlogged_s * share_over(from_ms, to_ms, c_.slo_ms);
    });
    add_queue(servers, queued, queued_s);
  }

  // The share of a linear ramp from `from` to `to` that lies above `limit`.
  static double share_over(double from, double to, double limit) {
    if (from == to) {
      return from > limit ? 1.0 : 0.0;
    }
    return std::clamp((std::max(from, to) - limit) / std::abs(to - from), 0.0, 1.0);
  }

  // Adds requests at rate requests/duration_s to the (servers, load) group.
  void add_queue(int servers, double requests, double duration_s) {
    if (requests <= 0) {
      return;
    }
    // Arrivals below capacity in every bin keep ρ < 1; rounding may reach it, so stay below.
    const double rate = std::min(requests / duration_s, (1.0 - 1e-9) * servers / service_s_);
    const double load = rate * service_s_ / servers;
    const std::uint64_t key = (static_cast<std::uint64_t>(servers) << 32) | load_bucket(load);
    auto& [weight, weighted_rate] = groups_[key];
    weight += requests;
    weighted_rate += requests * rate;
  }

  KubernetesSimResult finish(double end) {
    KubernetesSimResult& r = result_;
    r.window_s = end;
    r.requests = traffic_.total();
    r.backlog_at_end_requests = backlog_;
    for (const auto& [key, group] : sorted_values(groups_)) {
      const MmcQueue q{group.second / group.first, 1.0 / service_s_, static_cast<int>(key >> 32)};
      WaitTail wait = allen_cunneen_wait(q, c_.arrival_scv, service_scv_);
      wait.tail_rate /= 1000.0;  // per ms
      mixture_.add_queue(group.first, wait);
    }
    r.queue_groups = static_cast<int>(groups_.size());
    mixture_.finish();
    r.mean_wait_ms = mixture_.mean_wait_ms();
    r.mean_latency_ms = r.mean_wait_ms + service_s_ * 1000.0;
    r.latency = {mixture_.percentile(0.50), mixture_.percentile(0.95), mixture_.percentile(0.99),
                 mixture_.percentile(0.999), r.mean_latency_ms};
    r.share_over_slo = mixture_.tail(c_.slo_ms);
    const double served = r.requests - r.backlog_at_end_requests;
    const double server_seconds = server_seconds_ + idle_server_seconds_;
    r.mean_cpu_utilization = server_seconds > 0 ? served * service_s_ / server_seconds : 0.0;

    for (std::size_t i = 0; i < r.replicas.size(); ++i) {
      const double until = i + 1 < r.replicas.size() ? r.replicas[i + 1].time_s : end;
      const double hours = (until - r.replicas[i].time_s) / 3600.0;
      r.replica_hours += r.replicas[i].replicas * hours;
      r.ready_replica_hours += r.replicas[i].ready_replicas * hours;
      r.peak_replicas = std::max(r.peak_replicas, r.replicas[i].replicas);
    }
    for (std::size_t i = 0; i < r.nodes.size(); ++i) {
      const double until = i + 1 < r.nodes.size() ? r.nodes[i + 1].time_s : end;
      const Hours span{(until - r.nodes[i].time_s) / 3600.0};
      const double nodes = r.nodes[i].nodes;
      r.node_hours += nodes * span.count();
      r.peak_nodes = std::max(r.peak_nodes, r.nodes[i].nodes);
      if (!r.node_spans.empty() && r.node_spans.back().nodes == nodes) {
        r.node_spans.back().time += span;
      } else {
        r.node_spans.push_back(NodeSpan{nodes, span});
      }
    }
    for (ReplicaPoint& p : r.replicas) {
      p.time_s += origin_s_;
    }
    for (NodePoint& p : r.nodes) {
      p.time_s += origin_s_;
    }
    return std::move(r);
  }

  const KubernetesSimConfig& c_;
  Traffic traffic_;
  double origin_s_;  // arrivals.start_s: simulation time 0
  double service_s_;
  double service_scv_;
  LatencyMixture mixture_;
  double backlog_ = 0;  // requests
  double server_seconds_ = 0;
  double idle_server_seconds_ = 0;  // in the syncs crossed at once
  std::unordered_map<std::uint64_t, std::pair<double, double>> groups_;  // weight, Σ w·λ
  KubernetesSimResult result_;
};

}  // namespace

Result<KubernetesSimResult> simulate_kubernetes(const BinnedArrivals& arrivals,
                                                const ServiceTime& service,
                                                const KubernetesSimConfig& config) {
  if (auto error = first_error(arrivals, service, config)) {
    return tl::unexpected(*error);
  }
  return simulate_kubernetes(sparse_bins(arrivals.requests, arrivals.start_s, arrivals.bin_s),
                             service, config);
}

Result<KubernetesSimResult> simulate_kubernetes(const SparseBins& arrivals,
                                                const ServiceTime& service,
                                                const KubernetesSimConfig& config) {
  if (auto error = first_error(arrivals, service, config)) {
    return tl::unexpected(*error);
  }
  return Simulation(arrivals, service, config).run();
}

}  // namespace placer::sim
