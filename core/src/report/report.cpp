#include "placer/report/report.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "../render/analysis_json_internal.hpp"
#include "placer/render/quantity.hpp"

namespace placer::report {
namespace {

using analysis::Analysis;
using analysis::Candidate;
using analysis::Platform;

// The first candidate of `platform`: candidates are sorted feasible and cheapest first.
const Candidate* best_of(const Analysis& a, Platform platform) {
  for (const Candidate& c : a.candidates) {
    if (c.platform == platform) {
      return &c;
    }
  }
  return nullptr;
}

PlatformBest platform_best(const Candidate& c) {
  PlatformBest p;
  p.platform = std::string{to_string(c.platform)};
  p.config = config_text(c);
  p.monthly_cost_usd = c.monthly_cost_usd;
  p.p50_ms = c.latency.p50_ms;
  p.p95_ms = c.latency.p95_ms;
  p.p99_ms = c.latency.p99_ms;
  p.p999_ms = c.latency.p999_ms;
  p.mean_ms = c.latency.mean_ms;
  p.cold_start_ratio = c.cold_start_ratio;
  p.slo_met = c.slo_met;
  return p;
}

// The smallest bin of a ladder of round sizes that keeps the series within
// k_max_traffic_bins; past a day, whole days.
double traffic_bin_s(double window_s) {
  constexpr std::array k_ladder_s{60.0, 300.0, 900.0, 1800.0, 3600.0, 10800.0, 21600.0, 86400.0};
  for (double bin : k_ladder_s) {
    if (window_s / bin <= static_cast<double>(k_max_traffic_bins)) {
      return bin;
    }
  }
  return 86400.0 * std::ceil(window_s / 86400.0 / static_cast<double>(k_max_traffic_bins));
}

}  // namespace

std::string config_text(const Candidate& c) {
  if (c.platform == Platform::lambda) {
    return c.arch + " " + format_quantity(c.memory_mib, 0) + " MiB" +
           (c.provisioned_concurrency > 0 ? " pc=" + std::to_string(c.provisioned_concurrency) : "");
  }
  if (c.platform == Platform::fargate) {
    return format_quantity(c.pod_cpu_millicores, 0) + "m/" + format_quantity(c.pod_memory_mib, 0) +
           "MiB pods";
  }
  return c.instance_type + ", " + std::to_string(c.pods_per_node) + " pods/node";
}

Row make_row(std::size_t index, const std::string& name, const Analysis& a,
             const sim::WorkloadTrace& trace) {
  Row row;
  row.index = index;
  row.name = name;
  row.slo_p99_ms = a.slo_p99_ms;
  row.slo_stated = a.slo_stated;
  row.requests = a.trace.requests;
  row.window_s = a.trace.window_s;
  row.mean_rps = a.trace.mean_rps;
  row.peak_rps = a.trace.peak_rps;
  row.break_even_multiplier = a.break_even_multiplier;
  row.reasons = a.recommendation.reasons;
  row.verdict = a.recommendation.verdict;
  row.savings_pct = a.recommendation.savings_pct;
  for (Platform p : {Platform::lambda, Platform::kubernetes, Platform::fargate}) {
    if (const Candidate* c = best_of(a, p)) {
      row.platforms.push_back(platform_best(*c));
    }
  }
  if (a.recommendation.candidate) {
    const Candidate& c = a.candidates[*a.recommendation.candidate];
    row.recommended = std::string{to_string(c.platform)};
    row.recommended_config = config_text(c);
    row.recommended_cost_usd = c.monthly_cost_usd;
  }
  if (a.current) {
    row.current = std::string{to_string(*a.current)};
    row.current_cost_usd = a.current_monthly_cost_usd;
    if (const Candidate* c = best_of(a, *a.current)) {
      row.current_p99_ms = c->latency.p99_ms;
      row.current_slo_met = c->slo_met;
    }
    if (row.recommended && *row.recommended != *row.current && row.current_cost_usd &&
        row.recommended_cost_usd && *row.recommended_cost_usd > 0) {
      row.misplaced_pct = 100 * (*row.current_cost_usd - *row.recommended_cost_usd) / *row.recommended_cost_usd;
    }
  }
  // The cost curve: the what-ifs and the observed traffic (x1) at each platform's best.
  const PlatformBest* lambda = nullptr;
  const PlatformBest* container = nullptr;
  for (const PlatformBest& p : row.platforms) {
    if (p.platform == "lambda") {
      lambda = &p;
    } else if (container == nullptr || (p.slo_met && !container->slo_met) ||
               (p.slo_met == container->slo_met && p.monthly_cost_usd < container->monthly_cost_usd)) {
      container = &p;  // as the what-ifs: the cheaper feasible of Kubernetes and Fargate
    }
  }
  if (lambda != nullptr && container != nullptr) {
    row.cost_curve.push_back({1, lambda->monthly_cost_usd, container->monthly_cost_usd});
  }
  for (const analysis::WhatIf& w : a.what_if) {
    row.cost_curve.push_back({w.traffic_multiplier, w.lambda_monthly_cost_usd, w.kubernetes_monthly_cost_usd});
  }
  std::stable_sort(row.cost_curve.begin(), row.cost_curve.end(),
                   [](const CostPoint& x, const CostPoint& y) { return x.traffic_multiplier < y.traffic_multiplier; });
  row.cost_curve.erase(std::unique(row.cost_curve.begin(), row.cost_curve.end(),
                                   [](const CostPoint& x, const CostPoint& y) {
                                     return x.traffic_multiplier == y.traffic_multiplier;
                                   }),
                       row.cost_curve.end());
  if (trace.window_s() > 0) {
    const sim::BinnedRequests bins = sim::bin_requests(trace, traffic_bin_s(trace.window_s()));
    row.traffic.start_s = bins.start_s;
    row.traffic.bin_s = bins.bin_s;
    row.traffic.requests = bins.requests;
  }
  return row;
}

Row error_row(std::size_t index, const std::string& name, const Error& error) {
  Row row;
  row.index = index;
  row.name = name;
  row.ok = false;
  row.error = describe(error);
  row.error_code = std::string{to_string(error.code)};
  row.verdict = "error";
  return row;
}

std::string analysis_object_json(const Analysis& analysis) {
  return detail::workload_json(analysis).dump();
}

}  // namespace placer::report
