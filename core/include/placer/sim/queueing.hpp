// Queueing formulas for the container latency model (MODEL.md §5, LATENCY_FACTS.md §4):
// Erlang B and C, the M/M/c wait and response-time distributions, and the Allen-Cunneen
// approximation for G/G/c.
//
// Rates are per second and times come back in seconds. The formulas are free of units, so
// any one time unit works as long as rates and times share it (the hour-based test vector
// does). Every function is pure and reentrant: no state, no allocation, safe from any
// thread.
//
// Unstable queues (utilization ρ = λ/(cμ) ≥ 1) have no steady state. They are reported,
// never turned into NaN: every request waits (erlang_c = 1), mean waits, queue lengths and
// percentiles are +infinity, and tails are 1.
//
//   MmcQueue q{.arrival_rate = 100, .service_rate = 20, .servers = 6};
//   erlang_c(q);                   // 0.5875: P(an arrival waits)
//   mean_wait(q);                  // 0.02938 s
//   response_percentile(q, 0.99);  // 0.3066 s
#pragma once

#include <limits>

namespace placer::sim {

// Erlang B: the share of arrivals an M/M/c/c loss system with `servers` servers turns
// away at `offered_load_erlangs` (A = λ/μ). Recursion B_0 = 1,
// B_k = A·B_{k-1}/(k + A·B_{k-1}): O(servers), stable for any size.
// Requires: servers ≥ 0; offered_load_erlangs finite and ≥ 0. erlang_b(0, A) = 1.
double erlang_b(int servers, double offered_load_erlangs);

// An M/M/c queue: Poisson arrivals, exponential service, `servers` identical servers,
// FCFS, unlimited waiting room.
// Requires: arrival_rate ≥ 0, service_rate > 0, servers ≥ 1, all finite.
struct MmcQueue {
  double arrival_rate = 0;  // λ, requests per second
  double service_rate = 0;  // μ, requests per second per server (1 / mean service time)
  int servers = 1;          // c
};

// A = λ/μ, in Erlangs.
double offered_load(const MmcQueue& q);
// ρ = λ/(cμ).
double utilization(const MmcQueue& q);
// ρ < 1.
bool is_stable(const MmcQueue& q);

// Erlang C: P(an arrival has to wait), computed through Erlang B as
// C = c·B / (c − A(1 − B)). 1 when unstable.
double erlang_c(const MmcQueue& q);

// The waiting-time distribution of a queue whose wait is 0 with probability
// 1 − `prob_wait` and otherwise exponential: P(Wq > t) = prob_wait · exp(−tail_rate · t).
// Exact for M/M/c; the Allen-Cunneen approximation for G/G/c has the same shape.
// An unstable queue has prob_wait = 1 and tail_rate = 0; a queue that never waits has
// prob_wait = 0.
struct WaitTail {
  double prob_wait = 0;  // P(Wq > 0)
  double tail_rate = 0;  // per second
};

// M/M/c: prob_wait = C, tail_rate = θ = cμ − λ.
WaitTail mmc_wait(const MmcQueue& q);

// (ca² + cs²)/2: how much the squared coefficients of variation of inter-arrival times
// (`arrival_scv`, 1 for Poisson) and service times (`service_scv`, 1 for exponential, 0
// for constant) stretch the M/M/c wait. Requires: both ≥ 0.
double allen_cunneen_factor(double arrival_scv, double service_scv);

// G/G/c wait after Allen-Cunneen: P(wait) ≈ Erlang C of the M/M/c with the same λ, μ, c,
// and an exponential tail with rate (cμ − λ)·2/(ca² + cs²), so the mean is
// Wq(M/M/c)·(ca² + cs²)/2. This tail is a modelling choice, not a published result
// (LATENCY_FACTS.md §4, "Tail approximation"). Allen-Cunneen's mean is exact for M/G/1
// (Pollaczek-Khinchine) and a few percent low for M/D/c at ρ ≈ 0.7-0.8. When
// ca² + cs² = 0 (D/D/c) nothing waits: prob_wait = 0. Unstable: as mmc_wait.
WaitTail allen_cunneen_wait(const MmcQueue& q, double arrival_scv, double service_scv);

// Mean wait prob_wait / tail_rate, seconds; 0 when prob_wait = 0; +infinity when unstable.
double mean_wait(const WaitTail& w);
// P(Wq > t) for t ≥ 0.
double wait_tail(const WaitTail& w, double t);
// The p-quantile of the wait, seconds: 0 when prob_wait ≤ 1 − p, else
// ln(prob_wait/(1 − p))/tail_rate; +infinity when unstable. Requires: 0 ≤ p < 1.
double wait_percentile(const WaitTail& w, double p);

// The same for an M/M/c queue (Wq = C/(cμ − λ), and so on).
double mean_wait(const MmcQueue& q);
double wait_tail(const MmcQueue& q, double t);
double wait_percentile(const MmcQueue& q, double p);
// Lq = λ·Wq, requests.
double mean_queue_length(const MmcQueue& q);
// W = Wq + 1/μ, seconds.
double mean_response(const MmcQueue& q);

// P(T > t) for the M/M/c response time T = Wq + S, S ~ Exp(μ) independent of the wait
// (FCFS). With θ = cμ − λ:
//   (1 − C)e^{−μt} + C(θe^{−μt} − μe^{−θt})/(θ − μ),
// and when θ = μ the second term is C·e^{−μt}(1 + μt); near θ = μ it is evaluated in a
// form without cancellation. 1 when unstable. Requires: t ≥ 0.
double response_tail(const MmcQueue& q, double t);

// The p-quantile of the response time, seconds, by bisection on response_tail (see
// tail_quantile). +infinity when unstable. Requires: 0 ≤ p < 1.
double response_percentile(const MmcQueue& q, double p);

// The p-quantile of a distribution on [0, ∞) given by its tail `tail(t)` = P(X > t), a
// non-increasing function: the smallest t with tail(t) ≤ 1 − p, found by bisection to a
// bracket of `relative_width` times the answer (at most 200 halvings). `scale` > 0 is a
// first guess of the answer's size; the upper bracket doubles from it until
// tail(hi) ≤ 1 − p. Returns +infinity when no bracket below 1e300 is found.
// Requires: 0 ≤ p < 1.
template <typename Tail>
double tail_quantile(Tail&& tail, double p, double scale, double relative_width = 1e-13) {
  const double target = 1.0 - p;
  if (tail(0.0) <= target) {
    return 0.0;
  }
  double lo = 0.0;
  double hi = scale;
  while (tail(hi) > target) {
    lo = hi;
    hi *= 2.0;
    if (hi > 1e300) {
      return std::numeric_limits<double>::infinity();
    }
  }
  for (int i = 0; i < 200 && hi - lo > relative_width * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (tail(mid) > target) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return hi;
}

}  // namespace placer::sim
