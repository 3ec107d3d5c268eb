// The Kubernetes simulator against hand calculations from the upstream HPA algorithm
// (kubernetes/website horizontal-pod-autoscale.md; replica_calculator.go, horizontal.go,
// as summarised in the shared reference LATENCY_FACTS.md §3.1), the cluster autoscaler's
// delays (§3.3), the closed-form M/M/c values of tests/data/queueing/erlang_c_vectors.json,
// and a fluid queue worked by hand.
#include "placer/sim/kubernetes_sim.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "../../test_catalog.hpp"
#include "placer/sim/queueing.hpp"

namespace placer::sim {
namespace {

// Per-second bins: `rate` requests per second until each `until_s`.
BinnedArrivals per_second(const std::vector<std::pair<double, double>>& rate_until) {
  BinnedArrivals a;
  double t = 0;
  for (const auto& [rate, until] : rate_until) {
    for (; t < until; t += 1) {
      a.requests.push_back(rate);
    }
  }
  return a;
}

ServiceTime constant_ms(double ms) { return ServiceTime{{{0.0, ms}, {1.0, ms}}, ms, 0.0}; }

// Exp(mean) by its exact quantiles at v = 0, step·mean, ..., 20·mean, linear in between.
ServiceTime exponential_ms(double mean, double step = 0.01) {
  ServiceTime s;
  const int points = static_cast<int>(std::lround(20 / step));
  for (int i = 0; i <= points; ++i) {
    const double v = step * i * mean;
    s.quantiles_ms.push_back({-std::expm1(-v / mean), v});
  }
  s.mean_ms = mean;
  s.scv = 1.0;
  return s;
}

KubernetesSimConfig config() {
  KubernetesSimConfig c;  // upstream defaults
  c.pods_per_node = 100;
  c.slo_ms = 1000;
  return c;
}

KubernetesSimConfig pinned(int replicas) {
  KubernetesSimConfig c = config();
  c.min_replicas = c.max_replicas = replicas;
  return c;
}

// The value of a change-point series at time t.
template <typename Point, typename Field>
int at(const std::vector<Point>& series, double t, Field field) {
  int value = -1;
  for (const Point& p : series) {
    if (p.time_s <= t) {
      value = p.*field;
    }
  }
  return value;
}
int replicas_at(const KubernetesSimResult& r, double t) {
  return at(r.replicas, t, &ReplicaPoint::replicas);
}
int ready_at(const KubernetesSimResult& r, double t) {
  return at(r.replicas, t, &ReplicaPoint::ready_replicas);
}

void expect_rel(double actual, double expected, double rel, const char* what) {
  EXPECT_NEAR(actual, expected, rel * std::abs(expected)) << what;
}

// 100 rps, then 300 rps from 300 s, then 100 rps from 900 s; 100 ms per request.
BinnedArrivals step_trace(double until_s) {
  return per_second({{100, 300}, {300, 900}, {100, until_s}});
}

TEST(KubernetesSim, HpaScaleUpFollowsUpstreamLimitsAndScaleDownWaitsForTheWindow) {
  // Worked by hand, CPU target 0.8, S = 100 ms, 1 request per pod:
  // - start: steady state for 100 rps, ceil(100 × 0.1 / 0.8) = ceil(12.5) = 13 pods.
  // - 315 s: the metric window [285, 300) still shows 100 rps: ratio 12.5/13 within 0.1.
  // - 330 s: window [300, 315) at 300 rps, usage 37.5 pods: desired ceil(37.5) = 38, limited
  //   to max(13 + 4, 2 × 13) = 26 (behavior.scaleUp Pods 4 / Percent 100, selectPolicy Max).
  // - 345 s: 13 metric-ready pods, 13 unready count as 0: ratio 37.5/26 = 1.44, desired 38,
  //   limit max(26 + 4, 52) = 52 (the 330 s event is not after now − 15 s): 38.
  // - pods are ready 2 + 5 s after creation: 26 at 337 s, 38 at 352 s.
  // - 930 s: the window shows 100 rps again, recommendation 13, but the last 38 was
  //   recommended at 915 s: scale-down waits until 915 + 300 = 1215 s.
  auto r = simulate_kubernetes(step_trace(1500), constant_ms(100), config());
  ASSERT_TRUE(r) << describe(r.error());
  const std::pair<double, int> expected[] = {{0, 13},    {329, 13}, {330, 26},  {344, 26},
                                             {345, 38},  {900, 38}, {1200, 38}, {1214, 38},
                                             {1215, 13}, {1499, 13}};
  for (const auto& [t, replicas] : expected) {
    EXPECT_EQ(replicas_at(*r, t), replicas) << "t=" << t;
  }
  EXPECT_EQ(ready_at(*r, 336.9), 13);
  EXPECT_EQ(ready_at(*r, 337), 26);
  EXPECT_EQ(ready_at(*r, 352), 38);
  EXPECT_EQ(r->hpa_scale_ups, 2);
  EXPECT_EQ(r->hpa_scale_downs, 1);
  EXPECT_EQ(r->peak_replicas, 38);
}

TEST(KubernetesSim, RequestsPerPodMetricScalesTheSameWay) {
  // Target 10 rps per pod: 10 pods at 100 rps; at 330 s desired 30, limited to
  // max(10 + 4, 20) = 20; at 345 s 30 (10 unready pods count as 0: ratio 300/200 = 1.5).
  KubernetesSimConfig c = config();
  c.metric = HpaMetric::requests_per_pod;
  c.target_requests_per_pod_per_s = 10;
  auto r = simulate_kubernetes(step_trace(600), constant_ms(100), c);
  ASSERT_TRUE(r) << describe(r.error());
  EXPECT_EQ(replicas_at(*r, 329), 10);
  EXPECT_EQ(replicas_at(*r, 330), 20);
  EXPECT_EQ(replicas_at(*r, 345), 30);
  EXPECT_EQ(replicas_at(*r, 599), 30);
}

TEST(KubernetesSim, PendingPodsWaitForNodeProvisioningAndIdleNodesGoAfterTenMinutes) {
  // 10 pods per node. 13 pods on 2 nodes. At 330 s 13 new pods: 7 fit (ready 337 s), 6 wait
  // and one node launches (ready 330 + 60 = 390 s; its pods at 397 s). At 345 s 12 more
  // pods wait; a fourth node launches (ready 405 s; 8 pods ready 412 s). After the scale-down
  // at 1215 s two nodes are unneeded and go at 1215 + 600 = 1815 s.
  KubernetesSimConfig c = config();
  c.pods_per_node = 10;
  auto r = simulate_kubernetes(step_trace(2100), constant_ms(100), c);
  ASSERT_TRUE(r) << describe(r.error());
  EXPECT_EQ(replicas_at(*r, 345), 38);  // the HPA does not wait for nodes
  EXPECT_EQ(ready_at(*r, 337), 20);
  EXPECT_EQ(ready_at(*r, 396.9), 20);
  EXPECT_EQ(ready_at(*r, 397), 30);
  EXPECT_EQ(ready_at(*r, 412), 38);
  const std::vector<std::pair<double, std::pair<int, int>>> nodes = {
      {0, {2, 2}},   {330, {3, 2}}, {345, {4, 2}},  {389.9, {4, 2}},
      {390, {4, 3}}, {405, {4, 4}}, {1814, {4, 4}}, {1815, {2, 2}}};
  for (const auto& [t, n] : nodes) {
    EXPECT_EQ(at(r->nodes, t, &NodePoint::nodes), n.first) << "t=" << t;
    EXPECT_EQ(at(r->nodes, t, &NodePoint::ready_nodes), n.second) << "t=" << t;
  }
  // Billed from launch: 2 × 330 s + 3 × 15 s + 4 × 1470 s + 2 × 285 s = 7155 node-seconds.
  EXPECT_NEAR(r->node_hours, 7155.0 / 3600.0, 1e-12);
  ASSERT_EQ(r->node_spans.size(), 4u);
  EXPECT_EQ(r->node_spans[2].nodes, 4);
  EXPECT_NEAR(r->node_spans[2].time.count(), 1470.0 / 3600.0, 1e-12);
  EXPECT_EQ(r->peak_nodes, 4);
}

TEST(KubernetesSim, NodeSpansPriceThroughKubernetesCost) {
  // The spans cover the window, and kubernetes_cost bills node-hours × the m6i.large rate
  // ($70.08 a month at 730 h, PRICING.md §3).
  KubernetesSimConfig c = config();
  c.pods_per_node = 10;
  auto r = simulate_kubernetes(step_trace(2100), constant_ms(100), c);
  ASSERT_TRUE(r) << describe(r.error());
  double hours = 0;
  for (const NodeSpan& s : r->node_spans) {
    hours += s.time.count();
  }
  EXPECT_NEAR(hours, 2100.0 / 3600.0, 1e-12);
  KubernetesUsage u;
  u.instance_type = "m6i.large";
  u.node_spans = r->node_spans;
  u.control_plane = ControlPlane::none;
  auto bill = kubernetes_cost(u, testing::bundled_catalog());
  ASSERT_TRUE(bill) << describe(bill.error());
  EXPECT_NEAR(bill->total().value(), r->node_hours * 70.08 / 730, 1e-6);
}

TEST(KubernetesSim, LowLoadLatencyIsTheServiceTime) {
  // ρ = 1 rps × 60 ms / 4 servers = 0.015: Erlang C is ~1e-7, so T = S and the percentiles
  // are the given service quantiles (the piecewise-linear distribution of inverse_cdf).
  const ServiceTime s{
      {{0.0, 20}, {0.5, 50}, {0.95, 120}, {0.99, 200}, {0.999, 400}, {1.0, 600}}, 60, 1.0};
  KubernetesSimConfig c = config();
  c.min_replicas = 4;
  c.slo_ms = 120;
  auto r = simulate_kubernetes(per_second({{1, 3600}}), s, c);
  ASSERT_TRUE(r) << describe(r.error());
  expect_rel(r->latency.p50_ms, 50, 1e-4, "p50");
  expect_rel(r->latency.p95_ms, 120, 1e-4, "p95");
  expect_rel(r->latency.p99_ms, 200, 1e-4, "p99");
  expect_rel(r->latency.p999_ms, 400, 1e-4, "p99.9");
  EXPECT_NEAR(r->share_over_slo, 0.05, 1e-6);
  EXPECT_LT(r->mean_wait_ms, 1e-4);
  EXPECT_EQ(r->requests_backlogged, 0);
}

TEST(KubernetesSim, ConstantRateMatchesClosedFormMmc) {
  // erlang_c_vectors.json api_100rps_50ms_c6: 100 rps, exponential 50 ms service, 6 pods.
  const MmcQueue q{100.0, 20.0, 6};
  KubernetesSimConfig c = pinned(6);
  c.slo_ms = 200;
  auto r = simulate_kubernetes(per_second({{100, 600}}), exponential_ms(50), c);
  ASSERT_TRUE(r) << describe(r.error());
  EXPECT_EQ(r->queue_groups, 1);
  expect_rel(r->mean_wait_ms, 29.375822523030646, 1e-9, "Wq (vector)");
  expect_rel(r->mean_latency_ms, 79.37582252303065, 1e-9, "W (vector)");
  // Percentiles: the vector's, and Part 1's closed form for p99.9. The service quantiles are
  // exact at 1% steps of the mean and linear between them, hence 1e-3.
  expect_rel(r->latency.p50_ms, 62.03127835322869, 1e-3, "p50 (vector)");
  expect_rel(r->latency.p95_ms, 212.35708171004858, 1e-3, "p95 (vector)");
  expect_rel(r->latency.p99_ms, 306.58868577257803, 1e-3, "p99 (vector)");
  expect_rel(r->latency.p999_ms, 1000 * response_percentile(q, 0.999), 1e-3, "p99.9");
  expect_rel(r->share_over_slo, response_tail(q, 0.2), 1e-3, "P(T > 200 ms)");
  // Utilization ρ = 5/6.
  expect_rel(r->mean_cpu_utilization, 5.0 / 6.0, 1e-12, "utilization");
}

TEST(KubernetesSim, ConstantServiceUsesAllenCunneen) {
  // md6_100rps_50ms_allen_cunneen: M/D/6 at 100 rps, 50 ms: Allen-Cunneen mean wait.
  auto r = simulate_kubernetes(per_second({{100, 600}}), constant_ms(50), pinned(6));
  ASSERT_TRUE(r) << describe(r.error());
  expect_rel(r->mean_wait_ms, 14.687911261515321, 1e-9, "Allen-Cunneen Wq (vector)");
}

TEST(KubernetesSim, SaturationBuildsAFluidBacklog) {
  // One server, 100 ms each (10 rps). 20 rps for 10 s, then nothing for 20 s. Worked by hand
  // as a fluid queue: the backlog grows 10 requests a second to 100 at 10 s and drains to 0
  // at 20 s, so an arrival at time u < 10 s waits u seconds: the wait D is even on [0, 10 s]
  // and T = D + 0.1 s. Mean wait 5 s; P(T > t) = (10.1 − t)/10: p50 5.1 s, p95 9.6 s,
  // P(T > 1 s) = 0.91. The backlog wait exceeds 1 s from 1 s to 19 s: 18 s.
  auto r = simulate_kubernetes(per_second({{20, 10}, {0, 30}}), constant_ms(100), pinned(1));
  ASSERT_TRUE(r) << describe(r.error());
  EXPECT_DOUBLE_EQ(r->requests, 200);
  EXPECT_DOUBLE_EQ(r->requests_backlogged, 200);
  EXPECT_DOUBLE_EQ(r->backlog_at_end_requests, 0);
  EXPECT_DOUBLE_EQ(r->backlogged_s, 20);
  EXPECT_DOUBLE_EQ(r->time_over_slo_s, 18);
  expect_rel(r->mean_wait_ms, 5000, 1e-12, "mean wait");
  expect_rel(r->latency.p50_ms, 5100, 1e-6, "p50");
  expect_rel(r->latency.p95_ms, 9600, 1e-6, "p95");
  EXPECT_NEAR(r->share_over_slo, 0.91, 1e-9);
  expect_rel(r->mean_cpu_utilization, 20.0 / 30.0, 1e-12, "utilization");
}

TEST(KubernetesSim, BacklogDrainingMidBinHandsTheRestToTheQueue) {
  // Same server. 15 requests in second 0 leave a backlog of 5 (waits even on [0, 0.5 s]).
  // Second 1 brings 2 (2 rps): the backlog drains at 10 − 2 = 8 a second, gone 0.625 s in.
  // The 1.25 arrivals before that wait even on [0.5 s, 0]; the other 0.75 are an M/D/1 queue
  // at ρ = 0.2: Pollaczek-Khinchine Wq = ρS/(2(1 − ρ)) = 12.5 ms.
  // Mean wait = (15 × 0.25 s + 1.25 × 0.25 s + 0.75 × 0.0125 s)/17 = 0.2395220588 s.
  auto r = simulate_kubernetes(per_second({{15, 1}, {2, 2}}), constant_ms(100), pinned(1));
  ASSERT_TRUE(r) << describe(r.error());
  EXPECT_DOUBLE_EQ(r->requests_backlogged, 16.25);
  EXPECT_DOUBLE_EQ(r->backlogged_s, 1.625);
  expect_rel(r->mean_wait_ms, 4071.875 / 17, 1e-12, "mean wait");
}

TEST(KubernetesSim, BinWidthAndStartTimeDoNotChangeTheAnswer) {
  // The same traffic as per-second and per-minute bins (arrivals spread evenly in a bin),
  // the second starting at an epoch time: one result, shifted in time.
  const BinnedArrivals seconds = step_trace(1500);
  BinnedArrivals minutes;
  minutes.start_s = 1.7e9;
  minutes.bin_s = 60;
  for (std::size_t i = 0; i < seconds.requests.size(); i += 60) {
    minutes.requests.push_back(60 * seconds.requests[i]);
  }
  auto a = simulate_kubernetes(seconds, exponential_ms(100), config());
  auto b = simulate_kubernetes(minutes, exponential_ms(100), config());
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->replicas.size(), b->replicas.size());
  for (std::size_t i = 0; i < a->replicas.size(); ++i) {
    EXPECT_EQ(a->replicas[i].time_s + 1.7e9, b->replicas[i].time_s);
    EXPECT_EQ(a->replicas[i].replicas, b->replicas[i].replicas);
  }
  EXPECT_DOUBLE_EQ(a->window_s, b->window_s);
  expect_rel(b->mean_wait_ms, a->mean_wait_ms, 1e-9, "mean wait");
  expect_rel(b->latency.p99_ms, a->latency.p99_ms, 1e-6, "p99");
}

TEST(KubernetesSim, MoreReplicasNeverRaiseTheWait) {
  // Property: with the pod count pinned, each added pod lowers (or keeps) the mean wait and
  // the percentiles, through the M/M/c groups and the backlog alike. A bursty trace: a base
  // of 40-60 rps with 5-second bursts of 150 rps.
  std::vector<std::pair<double, double>> shape;
  for (int minute = 0; minute < 60; ++minute) {
    const double base = 40 + 20 * std::sin(minute / 6.0);
    shape.emplace_back(base, minute * 60 + 55);
    shape.emplace_back(150, minute * 60 + 60);
  }
  const BinnedArrivals trace = per_second(shape);
  double last_wait = INFINITY;
  double last_p99 = INFINITY;
  for (int pods = 6; pods <= 24; ++pods) {
    auto r = simulate_kubernetes(trace, exponential_ms(50, 0.05), pinned(pods));
    ASSERT_TRUE(r) << describe(r.error());
    EXPECT_LE(r->mean_wait_ms, last_wait) << pods << " pods";
    EXPECT_LE(r->latency.p99_ms, last_p99 * (1 + 1e-6)) << pods << " pods";  // bisection width
    last_wait = r->mean_wait_ms;
    last_p99 = r->latency.p99_ms;
  }
}

TEST(KubernetesSim, HigherMinReplicasNeverRaiseTheWaitWithoutTolerance) {
  // Property with the HPA running: raising min_replicas keeps at least as many pods ready.
  // It needs hpa_tolerance = 0. With the default 0.1 it fails by design: at a usage of 10.5
  // pods a floor of 9 scales to ceil(10.5) = 11 (ratio 1.17), while a floor of 10 stays at
  // 10 (ratio 1.05, within tolerance). On this trace the wait rises at min_replicas 18 and 21.
  std::vector<std::pair<double, double>> shape;
  for (int minute = 0; minute < 120; ++minute) {
    shape.emplace_back(100 + 80 * std::sin(minute / 10.0), (minute + 1) * 60);
  }
  const BinnedArrivals trace = per_second(shape);
  double last_wait = INFINITY;
  for (int min_replicas = 1; min_replicas <= 24; min_replicas += 1) {
    KubernetesSimConfig c = config();
    c.hpa_tolerance = 0;
    c.min_replicas = min_replicas;
    auto r = simulate_kubernetes(trace, exponential_ms(100, 0.05), c);
    ASSERT_TRUE(r) << describe(r.error());
    EXPECT_LE(r->mean_wait_ms, last_wait * (1 + 1e-9)) << "min_replicas " << min_replicas;
    last_wait = r->mean_wait_ms;
  }
}

TEST(KubernetesSim, SameInputGivesTheSameResult) {
  KubernetesSimConfig c = config();
  c.pods_per_node = 7;
  const BinnedArrivals trace = step_trace(2400);
  auto a = simulate_kubernetes(trace, exponential_ms(100), c);
  auto b = simulate_kubernetes(trace, exponential_ms(100), c);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->replicas.size(), b->replicas.size());
  for (std::size_t i = 0; i < std::min(a->replicas.size(), b->replicas.size()); ++i) {
    EXPECT_EQ(a->replicas[i].time_s, b->replicas[i].time_s);
    EXPECT_EQ(a->replicas[i].replicas, b->replicas[i].replicas);
    EXPECT_EQ(a->replicas[i].ready_replicas, b->replicas[i].ready_replicas);
  }
  EXPECT_EQ(a->nodes.size(), b->nodes.size());
  EXPECT_EQ(a->node_spans.size(), b->node_spans.size());
  EXPECT_EQ(a->node_hours, b->node_hours);
  EXPECT_EQ(a->replica_hours, b->replica_hours);
  EXPECT_EQ(a->mean_wait_ms, b->mean_wait_ms);
  EXPECT_EQ(a->latency.p50_ms, b->latency.p50_ms);
  EXPECT_EQ(a->latency.p95_ms, b->latency.p95_ms);
  EXPECT_EQ(a->latency.p99_ms, b->latency.p99_ms);
  EXPECT_EQ(a->latency.p999_ms, b->latency.p999_ms);
  EXPECT_EQ(a->share_over_slo, b->share_over_slo);
  EXPECT_EQ(a->requests_backlogged, b->requests_backlogged);
  EXPECT_EQ(a->mean_cpu_utilization, b->mean_cpu_utilization);
}

// The Error of a run with one setting changed.
template <typename Edit>
Error error_with(Edit edit) {
  BinnedArrivals a = per_second({{10, 60}});
  ServiceTime s = constant_ms(100);
  KubernetesSimConfig c = config();
  edit(a, s, c);
  auto r = simulate_kubernetes(a, s, c);
  EXPECT_FALSE(r);
  return r ? Error{} : r.error();
}

TEST(KubernetesSim, RejectsInvalidInputNamingTheField) {
  using A = BinnedArrivals;
  using S = ServiceTime;
  using C = KubernetesSimConfig;
  const std::pair<std::string, Error> cases[] = {
      {"pods_per_node", error_with([](A&, S&, C& c) { c.pods_per_node = 0; })},
      {"pod_start_s", error_with([](A&, S&, C& c) { c.pod_start_s = -1; })},
      {"readiness_delay_s", error_with([](A&, S&, C& c) { c.readiness_delay_s = -0.5; })},
      {"node_provisioning_s", error_with([](A&, S&, C& c) { c.node_provisioning_s = -60; })},
      {"metric_lag_s", error_with([](A&, S&, C& c) { c.metric_lag_s = NAN; })},
      {"hpa_sync_s", error_with([](A&, S&, C& c) { c.hpa_sync_s = 0; })},
      {"min_replicas", error_with([](A&, S&, C& c) {
         c.min_replicas = 5;
         c.max_replicas = 4;
       })},
      {"min_replicas", error_with([](A&, S&, C& c) { c.min_replicas = 0; })},
      {"initial_replicas", error_with([](A&, S&, C& c) { c.initial_replicas = 500; })},
      {"concurrency_per_pod", error_with([](A&, S&, C& c) { c.concurrency_per_pod = 0; })},
      {"slo_ms", error_with([](A&, S&, C& c) { c.slo_ms = 0; })},
      {"target_cpu_utilization", error_with([](A&, S&, C& c) { c.target_cpu_utilization = 0; })},
      {"target_requests_per_pod_per_s",
       error_with([](A&, S&, C& c) { c.metric = HpaMetric::requests_per_pod; })},
      {"arrivals.bin_s", error_with([](A& a, S&, C&) { a.bin_s = 0; })},
      {"arrivals.requests", error_with([](A& a, S&, C&) { a.requests.clear(); })},
      {"arrivals.requests[2]", error_with([](A& a, S&, C&) { a.requests[2] = -1; })},
      {"service.quantiles_ms", error_with([](A&, S& s, C&) { s.quantiles_ms.clear(); })},
      {"service.quantiles_ms[1]", error_with([](A&, S& s, C&) {
         s.quantiles_ms = {{0.5, 100}, {0.9, 50}};
       })},
      {"service.mean_ms", error_with([](A&, S& s, C&) { s.mean_ms = 0; })},
      {"service.scv", error_with([](A&, S& s, C&) { s.scv = -1; })},
  };
  for (const auto& [where, error] : cases) {
    EXPECT_EQ(error.code, ErrorCode::invalid_argument) << where;
    EXPECT_EQ(error.where, where);
    EXPECT_FALSE(error.message.empty()) << where;
  }
}

}  // namespace
}  // namespace placer::sim
