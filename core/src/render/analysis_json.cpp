#include "placer/render/analysis_json.hpp"

#include <nlohmann/json.hpp>

#include "analysis_json_internal.hpp"
#include "line_items.hpp"
#include "placer/version.hpp"

namespace placer {
namespace {

using ordered = nlohmann::ordered_json;
using analysis::Analysis;
using analysis::Candidate;

ordered latency(const sim::LatencyPercentiles& l) {
  return ordered{{"p50", l.p50_ms}, {"p95", l.p95_ms}, {"p99", l.p99_ms}, {"p999", l.p999_ms},
                 {"mean", l.mean_ms}};
}

ordered config_of(const Candidate& c) {
  if (c.platform == analysis::Platform::lambda) {
    return ordered{{"architecture", c.arch},
                   {"memory_mib", c.memory_mib},
                   {"provisioned_concurrency", c.provisioned_concurrency}};
  }
  ordered out{{"pod_cpu_millicores", c.pod_cpu_millicores},
              {"pod_memory_mib", c.pod_memory_mib},
              {"concurrency_per_pod", c.concurrency_per_pod}};
  if (c.platform == analysis::Platform::kubernetes) {
    out["instance_type"] = c.instance_type;
    out["pods_per_node"] = c.pods_per_node;
  }
  return out;
}

ordered candidate_json(const Candidate& c) {
  return ordered{{"platform", std::string{to_string(c.platform)}},
                 {"id", c.id},
                 {"description", c.description},
                 {"config", config_of(c)},
                 {"monthly_cost_usd", c.monthly_cost_usd},
                 {"dedicated_cost_usd", c.dedicated_cost_usd},
                 {"shared_cost_usd", c.shared_cost_usd},
                 {"cost_breakdown", detail::line_items_json(c.cost_breakdown)},
                 {"latency_ms", latency(c.latency)},
                 {"cold_start_ratio", c.cold_start_ratio},
                 {"throttle_ratio", c.throttle_ratio},
                 {"utilization", c.utilization},
                 {"slo_met", c.slo_met},
                 {"infeasible", c.infeasible},
                 {"engine", c.engine}};
}

}  // namespace

namespace detail {

ordered workload_json(const Analysis& a) {
  ordered w;
  w["name"] = a.workload;
  w["trace"] = ordered{{"requests", a.trace.requests},
                       {"window_s", a.trace.window_s},
                       {"mean_rps", a.trace.mean_rps},
                       {"peak_rps", a.trace.peak_rps},
                       {"duration_ms", latency(a.trace.duration)},
                       {"monthly_scale", a.monthly_scale}};
  w["slo"] = ordered{{"p99_ms", a.slo_p99_ms}, {"stated", a.slo_stated}};
  ordered candidates = ordered::array();
  for (const Candidate& c : a.candidates) {
    candidates.push_back(candidate_json(c));
  }
  w["candidates"] = candidates;
  const analysis::Recommendation& r = a.recommendation;
  ordered rec;
  if (r.candidate) {
    const Candidate& c = a.candidates[*r.candidate];
    rec["platform"] = std::string{to_string(c.platform)};
    rec["candidate"] = c.id;
    rec["config"] = config_of(c);
    rec["monthly_cost_usd"] = c.monthly_cost_usd;
  } else {
    rec["platform"] = nullptr;
    rec["candidate"] = nullptr;
    rec["config"] = nullptr;
    rec["monthly_cost_usd"] = nullptr;
  }
  if (r.best_alternative) {
    const Candidate& alt = a.candidates[*r.best_alternative];
    rec["best_alternative"] = ordered{{"platform", std::string{to_string(alt.platform)}},
                                      {"candidate", alt.id},
                                      {"monthly_cost_usd", alt.monthly_cost_usd}};
  } else {
    rec["best_alternative"] = nullptr;
  }
  rec["savings_pct"] = r.savings_pct;
  rec["verdict"] = r.verdict;
  rec["k8s_cost_view"] = std::string{to_string(r.cost_view)};
  rec["reasons"] = r.reasons;
  ordered flips = ordered::array();
  for (const analysis::Flip& f : r.flips_if) {
    flips.push_back(ordered{{"input", f.input}, {"factor", f.factor}, {"text", f.text}});
  }
  rec["flips_if"] = flips;
  w["recommendation"] = rec;
  w["break_even"] = a.break_even_multiplier
                        ? ordered{{"traffic_multiplier", *a.break_even_multiplier},
                                  {"mean_rps", a.break_even_mean_rps}}
                        : ordered(nullptr);
  ordered what_if = ordered::array();
  for (const analysis::WhatIf& x : a.what_if) {
    what_if.push_back(ordered{
        {"traffic_multiplier", x.traffic_multiplier},
        {"mean_rps", x.mean_rps},
        {"platform", x.platform ? ordered(std::string{to_string(*x.platform)}) : ordered(nullptr)},
        {"lambda_monthly_cost_usd", x.lambda_monthly_cost_usd},
        {"kubernetes_monthly_cost_usd", x.kubernetes_monthly_cost_usd},
        {"lambda_slo_met", x.lambda_slo_met},
        {"kubernetes_slo_met", x.kubernetes_slo_met}});
  }
  w["what_if"] = what_if;
  if (a.current) {
    w["current"] = ordered{{"platform", std::string{to_string(*a.current)}},
                           {"monthly_cost_usd", a.current_monthly_cost_usd
                                                    ? ordered(*a.current_monthly_cost_usd)
                                                    : ordered(nullptr)}};
  } else {
    w["current"] = nullptr;
  }
  return w;
}

}  // namespace detail

std::string workload_analysis_json(const Analysis& analysis) {
  return detail::workload_json(analysis).dump(2) + "\n";
}

std::string analysis_json(const std::vector<Analysis>& analyses, const PricingCatalog& catalog,
                          const ModelSet& models) {
  ordered doc;
  doc["schema_version"] = k_output_schema_version;
  doc["placer_version"] = std::string{k_placer_version};
  doc["pricing_catalog"] = ordered{{"id", catalog.id}, {"retrieved_on", catalog.date}};
  doc["model_version"] = std::string{k_cost_model_version};
  doc["models"] = models.ids;
  ordered workloads = ordered::array();
  for (const Analysis& a : analyses) {
    workloads.push_back(detail::workload_json(a));
  }
  doc["workloads"] = workloads;
  return doc.dump(2) + "\n";
}

}  // namespace placer
