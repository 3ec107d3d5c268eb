#include "placer/sim/queueing.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace placer::sim {
namespace {

constexpr double k_infinity = std::numeric_limits<double>::infinity();

void check(const MmcQueue& q) {
  assert(q.servers >= 1);
  assert(q.service_rate > 0 && std::isfinite(q.service_rate));
  assert(q.arrival_rate >= 0 && std::isfinite(q.arrival_rate));
  (void)q;
}

// cμ − λ, per second.
double spare_rate(const MmcQueue& q) { return q.servers * q.service_rate - q.arrival_rate; }

// (1 − e^{−x})/x, 1 at x = 0, without cancellation for small |x|.
double one_minus_exp_over(double x) { return x == 0.0 ? 1.0 : -std::expm1(-x) / x; }

// P(T > t) of a stable M/M/c with service rate `mu`, θ = cμ − λ and Erlang C `c`:
// (1 − C)e^{−μt} + C(θe^{−μt} − μe^{−θt})/(θ − μ). With δ = θ − μ the second term is
// C·e^{−μt}(1 + μt·(1 − e^{−δt})/(δt)): the Erlang-2 form C·e^{−μt}(1 + μt) at δ = 0 and
// free of cancellation near it; far from it the closed form, which cannot overflow.
double stable_response_tail(double mu, double theta, double c, double t) {
  const double no_wait = (1.0 - c) * std::exp(-mu * t);
  const double x = (theta - mu) * t;
  const double waited =
      std::abs(x) < 1.0
          ? c * std::exp(-mu * t) * (1.0 + mu * t * one_minus_exp_over(x))
          : c * (theta * std::exp(-mu * t) - mu * std::exp(-theta * t)) / (theta - mu);
  return std::clamp(no_wait + waited, 0.0, 1.0);
}

}  // namespace

double erlang_b(int servers, double offered_load_erlangs) {
  assert(servers >= 0);
  assert(offered_load_erlangs >= 0 && std::isfinite(offered_load_erlangs));
  const double a = offered_load_erlangs;
  double b = 1.0;
  for (int k = 1; k <= servers; ++k) {
    b = a * b / (k + a * b);
  }
  return b;
}

double offered_load(const MmcQueue& q) {
  check(q);
  return q.arrival_rate / q.service_rate;
}

double utilization(const MmcQueue& q) { return offered_load(q) / q.servers; }

bool is_stable(const MmcQueue& q) { return utilization(q) < 1.0; }

double erlang_c(const MmcQueue& q) {
  if (!is_stable(q)) {
    return 1.0;
  }
  const double a = offered_load(q);
  const double c = q.servers;
  const double b = erlang_b(q.servers, a);
  return c * b / (c - a * (1.0 - b));
}

WaitTail mmc_wait(const MmcQueue& q) {
  if (!is_stable(q)) {
    return {1.0, 0.0};
  }
  return {erlang_c(q), spare_rate(q)};
}

double allen_cunneen_factor(double arrival_scv, double service_scv) {
  assert(arrival_scv >= 0 && service_scv >= 0);
  return (arrival_scv + service_scv) / 2.0;
}

WaitTail allen_cunneen_wait(const MmcQueue& q, double arrival_scv, double service_scv) {
  const WaitTail m = mmc_wait(q);
  const double factor = allen_cunneen_factor(arrival_scv, service_scv);
  if (m.tail_rate == 0.0) {
    return m;  // unstable
  }
  if (factor == 0.0) {
    return {0.0, 0.0};  // D/D/c below saturation: nobody waits
  }
  return {m.prob_wait, m.tail_rate / factor};
}

double mean_wait(const WaitTail& w) {
  if (w.prob_wait == 0.0) {
    return 0.0;
  }
  return w.tail_rate == 0.0 ? k_infinity : w.prob_wait / w.tail_rate;
}

double wait_tail(const WaitTail& w, double t) {
  assert(t >= 0);
  if (w.prob_wait == 0.0) {
    return 0.0;
  }
  return w.prob_wait * std::exp(-w.tail_rate * t);
}

double wait_percentile(const WaitTail& w, double p) {
  assert(p >= 0 && p < 1);
  if (w.prob_wait <= 1.0 - p) {
    return 0.0;
  }
  return w.tail_rate == 0.0 ? k_infinity : std::log(w.prob_wait / (1.0 - p)) / w.tail_rate;
}

double mean_wait(const MmcQueue& q) { return mean_wait(mmc_wait(q)); }
double wait_tail(const MmcQueue& q, double t) { return wait_tail(mmc_wait(q), t); }
double wait_percentile(const MmcQueue& q, double p) { return wait_percentile(mmc_wait(q), p); }

double mean_queue_length(const MmcQueue& q) {
  const double wq = mean_wait(q);
  return q.arrival_rate == 0.0 ? 0.0 : q.arrival_rate * wq;
}

double mean_response(const MmcQueue& q) { return mean_wait(q) + 1.0 / q.service_rate; }

double response_tail(const MmcQueue& q, double t) {
  assert(t >= 0);
  if (!is_stable(q)) {
    return 1.0;
  }
  return stable_response_tail(q.service_rate, spare_rate(q), erlang_c(q), t);
}

double response_percentile(const MmcQueue& q, double p) {
  assert(p >= 0 && p < 1);
  if (!is_stable(q)) {
    return k_infinity;
  }
  const double mu = q.service_rate;
  const double theta = spare_rate(q);
  const double c = erlang_c(q);  // once, not per bisection step
  return tail_quantile([&](double t) { return stable_response_tail(mu, theta, c, t); }, p,
                       1.0 / mu + 1.0 / theta);
}

}  // namespace placer::sim
