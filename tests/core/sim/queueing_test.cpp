// Queueing formulas against tests/data/queueing/erlang_c_vectors.json (SOURCES.md there):
// M/M/c values computed for placer in exact rational arithmetic and cross-checked by
// simulation, Erlang-B table checkpoints, and M/D/c simulations that bound Allen-Cunneen.
// Tolerances are the file's own `tolerances_suggested`.
#include "placer/sim/queueing.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace placer::sim {
namespace {

using nlohmann::json;

constexpr double k_exact = 1e-9;       // "prob_wait_and_means": 1e-9 relative
constexpr double k_root = 1e-6;        // "percentiles": 1e-6 relative
constexpr double k_simulation = 0.01;  // "simulation_fields": ±1%

const json& vectors() {
  static const json doc = [] {
    std::ifstream in{std::string{PLACER_TESTS_DIR} + "/data/queueing/erlang_c_vectors.json"};
    return json::parse(in, nullptr, /*allow_exceptions=*/false);
  }();
  return doc;
}

// |actual − expected| ≤ rel·|expected|, or ≤ rel when expected is 0.
void expect_rel(double actual, double expected, double rel, const std::string& what) {
  const double bound = expected == 0.0 ? rel : rel * std::abs(expected);
  EXPECT_NEAR(actual, expected, bound) << what;
}

MmcQueue queue_of(const json& inputs) {
  return MmcQueue{inputs.at("arrival_rate").get<double>(), inputs.at("service_rate").get<double>(),
                  inputs.at("servers_c").get<int>()};
}

TEST(Queueing, VectorFileLoads) {
  ASSERT_FALSE(vectors().is_discarded());
  EXPECT_EQ(vectors().at("erlang_b_checkpoints").size(), 3u);
  EXPECT_EQ(vectors().at("mmc_vectors").size(), 6u);
  EXPECT_EQ(vectors().at("mgc_approximation_vectors").size(), 4u);
}

TEST(Queueing, ErlangBMatchesTableCheckpoints) {
  for (const json& v : vectors().at("erlang_b_checkpoints")) {
    const std::string what = "A=" + v.at("A").dump() + " N=" + v.at("N").dump();
    expect_rel(erlang_b(v.at("N").get<int>(), v.at("A").get<double>()),
               v.at("blocking").get<double>(), k_exact, what);
  }
}

TEST(Queueing, ErlangBEdgeCases) {
  // No servers block everything; no load blocks nothing; B(1, A) = A/(1 + A) by hand.
  EXPECT_EQ(erlang_b(0, 3.0), 1.0);
  EXPECT_EQ(erlang_b(5, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(erlang_b(1, 2.0), 2.0 / 3.0);
}

TEST(Queueing, MmcMeansMatchExactVectors) {
  for (const json& v : vectors().at("mmc_vectors")) {
    const std::string id = v.at("id");
    const MmcQueue q = queue_of(v.at("inputs"));
    const json& out = v.at("outputs");
    expect_rel(offered_load(q), out.at("offered_load_A_erlangs"), k_exact, id + " A");
    expect_rel(utilization(q), out.at("utilization_rho"), k_exact, id + " rho");
    EXPECT_TRUE(is_stable(q)) << id;
    expect_rel(erlang_c(q), out.at("prob_wait_erlang_c"), k_exact, id + " C");
    expect_rel(mean_wait(q), out.at("mean_wait_Wq"), k_exact, id + " Wq");
    expect_rel(mean_queue_length(q), out.at("mean_queue_length_Lq"), k_exact, id + " Lq");
    expect_rel(mean_response(q), out.at("mean_response_W"), k_exact, id + " W");
    const double t = out.at("tail_t");
    expect_rel(wait_tail(q, t), out.at("prob_wait_exceeds_t"), k_exact, id + " P(Wq>t)");
    expect_rel(1.0 - wait_tail(q, t), out.at("service_level_wait_le_t"), k_exact, id + " SL");
  }
}

TEST(Queueing, MmcPercentilesMatchExactVectors) {
  for (const json& v : vectors().at("mmc_vectors")) {
    const std::string id = v.at("id");
    const MmcQueue q = queue_of(v.at("inputs"));
    const json& out = v.at("outputs");
    for (const auto& [name, p] : {std::pair{"p50", 0.50}, {"p95", 0.95}, {"p99", 0.99}}) {
      const std::string n = name;
      expect_rel(wait_percentile(q, p), out.at("wait_" + n), k_exact, id + " wait_" + n);
      expect_rel(response_percentile(q, p), out.at("response_" + n), k_root, id + " response_" + n);
    }
  }
}

TEST(Queueing, ResponseTailHandlesThetaEqualToMu) {
  // mm2_A1_degenerate: λ = μ = 1, c = 2, so θ = cμ − λ = μ; the tail is the Erlang-2 form
  // (1 − C)e^{−t} + C·e^{−t}(1 + t) with C = 1/3 (the vector's exact rational).
  const MmcQueue q{1.0, 1.0, 2};
  for (double t : {0.0, 0.5, 1.0, 3.0, 10.0}) {
    const double expected = (2.0 / 3.0) * std::exp(-t) + (1.0 / 3.0) * std::exp(-t) * (1.0 + t);
    expect_rel(response_tail(q, t), expected, 1e-12, "t=" + std::to_string(t));
  }
  // Just off the degenerate point the closed form is continuous (no cancellation blow-up).
  const MmcQueue near{1.0 - 1e-9, 1.0, 2};
  expect_rel(response_tail(near, 2.0), response_tail(q, 2.0), 1e-8, "theta near mu");
}

TEST(Queueing, SimulationChecksAgreeWithinOnePercent) {
  // The vectors' own sample-path simulations: informational, ±1%.
  for (const json& v : vectors().at("mmc_vectors")) {
    if (!v.contains("simulation_check")) {
      continue;
    }
    const std::string id = v.at("id");
    const MmcQueue q = queue_of(v.at("inputs"));
    const json& sim = v.at("simulation_check");
    expect_rel(erlang_c(q), sim.at("prob_wait"), k_simulation, id + " sim P(wait)");
    expect_rel(mean_wait(q), sim.at("mean_wait"), k_simulation, id + " sim Wq");
    expect_rel(response_percentile(q, 0.50), sim.at("response_p50"), k_simulation, id);
    expect_rel(response_percentile(q, 0.95), sim.at("response_p95"), k_simulation, id);
    expect_rel(response_percentile(q, 0.99), sim.at("response_p99"), k_simulation, id);
  }
}

TEST(Queueing, AllenCunneenMatchesMdcVectors) {
  for (const json& v : vectors().at("mgc_approximation_vectors")) {
    const std::string id = v.at("id");
    const json& in = v.at("inputs");
    const json& out = v.at("outputs");
    const MmcQueue q = queue_of(in);
    const WaitTail w = allen_cunneen_wait(q, in.at("ca2"), in.at("cs2"));
    expect_rel(erlang_c(q), out.at("erlang_c_of_equivalent_MMc"), k_exact, id + " C");
    expect_rel(w.prob_wait, out.at("erlang_c_of_equivalent_MMc"), k_exact, id + " P(wait)");
    expect_rel(mean_wait(w), out.at("allen_cunneen_mean_wait"), k_exact, id + " AC Wq");
    if (out.contains("exact_mean_wait_pollaczek_khinchine")) {
      // c = 1: Allen-Cunneen is Pollaczek-Khinchine, exact.
      expect_rel(mean_wait(w), out.at("exact_mean_wait_pollaczek_khinchine"), k_exact, id);
    }
    if (v.contains("simulation_reference")) {
      // "approximation; expect a few % below simulated M/D/c mean wait": the error is the
      // file's, and lies between −5% and 0.
      const json& sim = v.at("simulation_reference");
      const double rel = mean_wait(w) / sim.at("mean_wait").get<double>() - 1.0;
      EXPECT_NEAR(rel, sim.at("allen_cunneen_relative_error").get<double>(), 1e-9) << id;
      EXPECT_LT(rel, 0.0) << id;
      EXPECT_GT(rel, -0.05) << id;
    }
  }
}

TEST(Queueing, AllenCunneenFactorAndTail) {
  EXPECT_DOUBLE_EQ(allen_cunneen_factor(1.0, 1.0), 1.0);  // M/M/c: no correction
  EXPECT_DOUBLE_EQ(allen_cunneen_factor(1.0, 0.0), 0.5);  // M/D/c: half the wait
  // The tail rate is (cμ − λ)·2/(ca² + cs²) so that the mean is Allen-Cunneen's
  // (LATENCY_FACTS.md §4): api_100rps_50ms_c6 has cμ − λ = 20/s; with cs² = 3 it is 10/s.
  const MmcQueue q{100.0, 20.0, 6};
  const WaitTail w = allen_cunneen_wait(q, 1.0, 3.0);
  EXPECT_DOUBLE_EQ(w.tail_rate, 10.0);
  expect_rel(mean_wait(w), 2.0 * mean_wait(q), k_exact, "mean doubles");
  expect_rel(wait_percentile(w, 0.99), 2.0 * wait_percentile(q, 0.99), k_exact, "p99 doubles");
  // D/D/c below saturation never waits.
  const WaitTail none = allen_cunneen_wait(q, 0.0, 0.0);
  EXPECT_EQ(mean_wait(none), 0.0);
  EXPECT_EQ(wait_percentile(none, 0.999), 0.0);
}

TEST(Queueing, UnstableQueueReportsInfinityNotNan) {
  for (const MmcQueue& q : {MmcQueue{6.0, 1.0, 6}, MmcQueue{10.0, 1.0, 6}}) {
    EXPECT_FALSE(is_stable(q));
    EXPECT_EQ(erlang_c(q), 1.0);
    EXPECT_TRUE(std::isinf(mean_wait(q)));
    EXPECT_TRUE(std::isinf(mean_queue_length(q)));
    EXPECT_TRUE(std::isinf(mean_response(q)));
    EXPECT_TRUE(std::isinf(wait_percentile(q, 0.5)));
    EXPECT_TRUE(std::isinf(response_percentile(q, 0.5)));
    EXPECT_EQ(wait_tail(q, 100.0), 1.0);
    EXPECT_EQ(response_tail(q, 100.0), 1.0);
    EXPECT_TRUE(std::isinf(mean_wait(allen_cunneen_wait(q, 1.0, 0.0))));
  }
}

TEST(Queueing, IdleQueueNeverWaits) {
  const MmcQueue q{0.0, 4.0, 3};
  EXPECT_EQ(erlang_c(q), 0.0);
  EXPECT_EQ(mean_wait(q), 0.0);
  EXPECT_EQ(mean_queue_length(q), 0.0);
  expect_rel(response_percentile(q, 0.5), std::log(2.0) / 4.0, 1e-12, "Exp(4) median");
}

TEST(Queueing, MoreServersNeverRaiseTheWait) {
  // Property: at fixed λ and μ, adding servers lowers P(wait), Wq and the percentiles
  // (Erlang C is decreasing in c, a standard property of the formula).
  for (double lambda : {0.5, 5.0, 48.0, 400.0}) {
    double last_c = 1.0;
    double last_wq = std::numeric_limits<double>::infinity();
    double last_p99 = std::numeric_limits<double>::infinity();
    for (int c = 1; c <= 600; ++c) {
      const MmcQueue q{lambda, 1.0, c};
      EXPECT_LE(erlang_c(q), last_c) << "lambda=" << lambda << " c=" << c;
      EXPECT_LE(mean_wait(q), last_wq) << "lambda=" << lambda << " c=" << c;
      EXPECT_LE(response_percentile(q, 0.99), last_p99 * (1 + 1e-12)) << lambda << " " << c;
      last_c = erlang_c(q);
      last_wq = mean_wait(q);
      last_p99 = response_percentile(q, 0.99);
    }
  }
}

TEST(Queueing, ErlangBRecursionStaysFiniteForLargeSystems) {
  // 10,000 servers at 9,500 Erlangs: the factorial closed form overflows, the recursion
  // does not. Erlang C must be a probability.
  const MmcQueue q{9500.0, 1.0, 10000};
  const double c = erlang_c(q);
  EXPECT_TRUE(std::isfinite(c));
  EXPECT_GT(c, 0.0);
  EXPECT_LT(c, 1.0);
}

TEST(Queueing, TailQuantileFindsTheSmallestT) {
  // A step tail: P(X > t) = 1 below 2, 0 from 2 on; every quantile is 2.
  auto step = [](double t) { return t < 2.0 ? 1.0 : 0.0; };
  EXPECT_NEAR(tail_quantile(step, 0.5, 0.1), 2.0, 1e-12);
  // Exp(1): the median is ln 2.
  EXPECT_NEAR(tail_quantile([](double t) { return std::exp(-t); }, 0.5, 1.0), std::log(2.0), 1e-12);
  // A mass at zero above 1 − p gives 0.
  EXPECT_EQ(tail_quantile([](double) { return 0.2; }, 0.5, 1.0), 0.0);
}

}  // namespace
}  // namespace placer::sim
