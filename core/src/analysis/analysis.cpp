#include "placer/analysis/analysis.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>

#include "placer/cost/allocatable.hpp"
#include "placer/cost/fargate.hpp"
#include "placer/cost/kubernetes.hpp"
#include "placer/cost/lambda.hpp"
#include "placer/sim/kubernetes_setup.hpp"
#include "placer/sim/lambda_sim.hpp"

namespace placer::analysis {
namespace {

constexpr double k_seconds_per_hour = 3600;
constexpr double k_lowest_multiplier = 0.001;  // the break-even search range (the issue's)
constexpr double k_highest_multiplier = 1000;

std::string number(double value, int precision = 3) {
  std::ostringstream out;
  out.precision(precision);
  out << value;
  return out.str();
}

std::string money(double usd) {
  if (usd > 0 && usd < 0.005) {
    return "<$0.01";  // as format_usd: a few requests a month cost something, not "$0.00"
  }
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(usd >= 100 ? 0 : 2);
  out << "$" << usd;
  return out.str();
}

// Everything a candidate's evaluation needs; one per analysis.
struct Context {
  const sim::WorkloadTrace& trace;
  const WorkloadAttributes& attributes;
  const AnalysisOptions& options;
  const ModelSet& models;
  const PricingCatalog& catalog;
  CostView view = CostView::dedicated;
  double month_scale = 1;  // month / window
  double slo_p99_ms = 0;
  double lambda_memory_used_mib = 0;  // the trace's or the user's
  double pod_memory_mib = 0;
  double pod_cpu_millicores = 0;
  int concurrency_per_pod = 1;
};

// A candidate's configuration, evaluated at a traffic multiplier and a duration factor.
struct Config {
  Platform platform = Platform::lambda;
  Arch arch = Arch::x86_64;
  double memory_mib = 0;
  int provisioned = 0;
  std::string instance_type;
};

void add_discount(CostBreakdown& bill, double pct, const std::string& what) {
  if (pct <= 0) {
    return;
  }
  const double total = bill.total().value();
  LineItem item;
  item.name = "discount";
  item.description = what + " discount of " + number(pct) + "%";
  item.cost = Usd{-total * pct / 100};
  item.quantity = pct;
  item.unit = "percent";
  item.rate_usd = -total / 100;
  bill.line_items.push_back(item);
}

void check_slo(const Context& ctx, Candidate& c) {
  if (c.latency.p99_ms > ctx.slo_p99_ms) {
    c.infeasible.push_back("p99 " + number(c.latency.p99_ms, 4) + " ms exceeds the SLO of " +
                           number(ctx.slo_p99_ms, 4) + " ms");
  }
  if (ctx.attributes.slo_p95_ms && c.latency.p95_ms > *ctx.attributes.slo_p95_ms) {
    c.infeasible.push_back("p95 " + number(c.latency.p95_ms, 4) + " ms exceeds the p95 SLO of " +
                           number(*ctx.attributes.slo_p95_ms, 4) + " ms");
  }
  if (ctx.attributes.slo_p50_ms && c.latency.p50_ms > *ctx.attributes.slo_p50_ms) {
    c.infeasible.push_back("p50 " + number(c.latency.p50_ms, 4) + " ms exceeds the p50 SLO of " +
                           number(*ctx.attributes.slo_p50_ms, 4) + " ms");
  }
}

Result<Candidate> evaluate_lambda(const Context& ctx, const Config& cfg, double multiplier,
                                  double duration_factor) {
  sim::LambdaFunction f;
  f.runtime = ctx.attributes.runtime;
  f.arch = cfg.arch;
  f.container_image = ctx.attributes.container_image;
  f.memory_mib = cfg.memory_mib;
  f.measured_memory_mib = ctx.lambda_memory_used_mib;
  f.dependency_mib = ctx.attributes.package_mib;
  auto config = sim::lambda_config(ctx.models, f, ctx.options.seed);
  if (!config) {
    return tl::unexpected(config.error());
  }
  config->provisioned = cfg.provisioned;
  config->duration_scale *= duration_factor;
  config->event_max_requests = ctx.models.value("analysis.event_sim_max_requests");
  config->timeline_max_bins = 1;  // the analysis reads no environments-over-time series
  auto r = sim::simulate_lambda(ctx.trace, *config, multiplier);
  if (!r) {
    return tl::unexpected(r.error());
  }
  const double gib = cfg.memory_mib / 1024.0;
  const double s = ctx.month_scale;
  LambdaUsage usage;
  usage.arch = cfg.arch;
  usage.memory = MiB{cfg.memory_mib};
  usage.requests = Requests{(r->served - r->provisioned_requests) * s};
  usage.billed_duration = Millis{r->billed_duration_gb_s / gib * 1000 * s};
  usage.cold_starts = Requests{std::min(r->cold_starts, r->served - r->provisioned_requests) * s};
  usage.billed_init_duration = Millis{r->billed_init_gb_s / gib * 1000 * s};
  if (cfg.provisioned > 0) {
    usage.provisioned.environments = cfg.provisioned;
    usage.provisioned.enabled = Seconds{ctx.options.month_hours * k_seconds_per_hour};
    usage.provisioned.requests = Requests{r->provisioned_requests * s};
    usage.provisioned.billed_duration = Millis{r->provisioned_duration_gb_s / gib * 1000 * s};
  }
  auto bill = lambda_cost(usage, ctx.catalog.lambda);
  if (!bill) {
    return tl::unexpected(bill.error());
  }
  add_discount(*bill, ctx.attributes.lambda_discount_pct, "Lambda");
  Candidate c;
  c.platform = Platform::lambda;
  c.arch = std::string{to_string(cfg.arch)};
  c.memory_mib = cfg.memory_mib;
  c.provisioned_concurrency = cfg.provisioned;
  c.id = "lambda/" + c.arch + "/" + number(cfg.memory_mib, 6) + "MiB" +
         (cfg.provisioned > 0 ? "/pc=" + std::to_string(cfg.provisioned) : "");
  c.description = "Lambda " + ctx.attributes.runtime + " " + c.arch + ", " +
                  number(cfg.memory_mib, 6) + " MiB" +
                  (cfg.provisioned > 0
                       ? ", " + std::to_string(cfg.provisioned) + " provisioned"
                       : "");
  c.cost_breakdown = std::move(*bill);
  c.monthly_cost_usd = c.cost_breakdown.total().value();
  c.dedicated_cost_usd = c.shared_cost_usd = c.monthly_cost_usd;
  c.latency = r->latency;
  c.cold_start_ratio = r->cold_start_ratio;
  c.throttle_ratio = r->throttle_ratio;
  c.mean_replicas_or_environments = r->mean_environments;
  c.utilization = r->mean_environments > 0 ? r->mean_concurrency / r->mean_environments : 0;
  c.engine = std::string{sim::to_string(r->engine)};
  c.simulated_steps = r->engine == sim::LambdaEngine::fluid ? static_cast<std::int64_t>(r->fluid_bins)
                                                            : static_cast<std::int64_t>(r->requests);
  check_slo(ctx, c);
  const double max_throttle = ctx.models.value("analysis.max_throttle_ratio");
  if (c.throttle_ratio > max_throttle) {
    c.infeasible.push_back(number(100 * c.throttle_ratio) + "% of requests throttled (bound " +
                           number(100 * max_throttle) + "%)");
  }
  const double longest_ms = ctx.trace.duration_quantiles_ms.empty()
                                ? 0
                                : ctx.trace.duration_quantiles_ms.back().value * config->duration_scale;
  const double timeout_ms = ctx.models.value("lambda.timeout_max_s") * 1000;
  if (longest_ms > timeout_ms) {
    c.infeasible.push_back("the longest request, " + number(longest_ms / 1000, 4) +
                           " s, exceeds Lambda's " + number(timeout_ms / 1000, 4) + " s timeout");
  }
  c.slo_met = c.infeasible.empty();
  return c;
}

Result<Candidate> evaluate_container(const Context& ctx, const Config& cfg, double multiplier,
                                     double duration_factor) {
  const bool fargate = cfg.platform == Platform::fargate;
  sim::KubernetesDeployment d;
  d.instance_type = fargate ? ctx.catalog.instance_types.front().name : cfg.instance_type;
  d.pod_cpu_millicores = ctx.pod_cpu_millicores;
  d.pod_memory_mib = ctx.pod_memory_mib;
  d.slo_ms = ctx.slo_p99_ms;
  auto config = sim::kubernetes_config(ctx.models, ctx.catalog, d, ctx.trace);
  if (!config) {
    return tl::unexpected(config.error());
  }
  config->concurrency_per_pod = ctx.concurrency_per_pod;
  if (fargate) {  // every pod is its own micro-VM: no nodes to pack or keep
    config->pods_per_node = 1;
    config->min_nodes = 0;
    config->node_provisioning_s = ctx.models.value("fargate.pod_start_s");
    config->node_unneeded_s = 0;
  }
  const auto arrivals = sim::kubernetes_arrivals(ctx.trace, ctx.models.value("k8s.bin_s"), multiplier);
  sim::ServiceTime service = sim::service_time_of(ctx.trace);
  constexpr double k_shortest_service_ms = 1e-3;  // a zero-duration trace still occupies a pod
  for (Quantile& q : service.quantiles_ms) {
    q.value = std::max(q.value * duration_factor, k_shortest_service_ms);
  }
  service.mean_ms = std::max(service.mean_ms * duration_factor, k_shortest_service_ms);
  auto r = sim::simulate_kubernetes(arrivals, service, *config);
  if (!r) {
    return tl::unexpected(r.error());
  }
  const double s = ctx.month_scale;
  Candidate c;
  c.platform = cfg.platform;
  c.pod_cpu_millicores = ctx.pod_cpu_millicores;
  c.pod_memory_mib = ctx.pod_memory_mib;
  c.concurrency_per_pod = config->concurrency_per_pod;
  c.latency = r->latency;
  c.utilization = r->mean_cpu_utilization;
  c.mean_replicas_or_environments = r->window_s > 0 ? r->replica_hours * 3600 / r->window_s : 0;
  c.engine = "hpa+queueing";
  c.simulated_steps = r->hpa_ticks;
  if (fargate) {
    FargateUsage usage;
    usage.cpu = Millicores{ctx.pod_cpu_millicores};
    usage.memory = MiB{ctx.pod_memory_mib};
    usage.pods = 1;
    usage.run_time_each = Seconds{r->replica_hours * s * k_seconds_per_hour};
    auto bill = fargate_cost(usage, ctx.catalog.fargate);
    if (!bill) {
      return tl::unexpected(bill.error());
    }
    add_discount(*bill, ctx.attributes.fargate_discount_pct, "Fargate");
    c.id = "fargate/" + number(ctx.pod_cpu_millicores, 6) + "m/" + number(ctx.pod_memory_mib, 6) + "MiB";
    c.description = "EKS on Fargate, pods of " + number(ctx.pod_cpu_millicores, 6) + "m / " +
                    number(ctx.pod_memory_mib, 6) + " MiB";
    c.cost_breakdown = std::move(*bill);
    c.monthly_cost_usd = c.dedicated_cost_usd = c.shared_cost_usd = c.cost_breakdown.total().value();
  } else {
    const InstanceType* type = ctx.catalog.find_instance_type(cfg.instance_type);
    c.instance_type = cfg.instance_type;
    c.pods_per_node = config->pods_per_node;
    KubernetesUsage usage;
    usage.instance_type = cfg.instance_type;
    for (const NodeSpan& span : r->node_spans) {
      usage.node_spans.push_back({span.nodes, Hours{span.time.count() * s}});
    }
    usage.cluster_time = Hours{ctx.options.month_hours};
    auto dedicated = kubernetes_cost(usage, ctx.catalog);
    if (!dedicated) {
      return tl::unexpected(dedicated.error());
    }
    add_discount(*dedicated, ctx.attributes.ec2_discount_pct, "EC2");
    // Shared: the pods' dominant share of a node's allocatable at the node's price, grossed
    // up for the cluster's unrequested headroom.
    const NodeAllocatable node = node_allocatable(*type, ctx.catalog.eks.node_reservation);
    const double share = std::max(ctx.pod_cpu_millicores / node.cpu.value(),
                                  ctx.pod_memory_mib / node.memory.value());
    const double headroom = ctx.models.value("k8s.shared_cluster_headroom");
    const double rate = type->on_demand.rate.value() * share / (1 - headroom);
    CostBreakdown shared;
    shared.platform = "kubernetes";
    LineItem item;
    item.name = "pod_share";
    item.description = "Pods' share of " + type->name + " nodes (" + number(100 * share, 3) +
                       "% of allocatable each, with " + number(100 * headroom) + "% cluster headroom)";
    item.quantity = r->replica_hours * s;
    item.unit = "pod_hours";
    item.rate_usd = rate;
    item.cost = Usd{item.quantity * rate};
    shared.line_items.push_back(item);
    add_discount(shared, ctx.attributes.ec2_discount_pct, "EC2");
    c.dedicated_cost_usd = dedicated->total().value();
    c.shared_cost_usd = shared.total().value();
    c.id = "kubernetes/" + cfg.instance_type;
    c.description = "Kubernetes on " + cfg.instance_type + ", pods of " +
                    number(ctx.pod_cpu_millicores, 6) + "m / " + number(ctx.pod_memory_mib, 6) +
                    " MiB, " + std::to_string(c.pods_per_node) + " per node";
    c.cost_breakdown = ctx.view == CostView::shared ? std::move(shared) : std::move(*dedicated);
    c.monthly_cost_usd = ctx.view == CostView::shared ? c.shared_cost_usd : c.dedicated_cost_usd;
  }
  check_slo(ctx, c);
  c.slo_met = c.infeasible.empty();
  return c;
}

Result<Candidate> evaluate(const Context& ctx, const Config& cfg, double multiplier,
                           double duration_factor = 1) {
  return cfg.platform == Platform::lambda ? evaluate_lambda(ctx, cfg, multiplier, duration_factor)
                                          : evaluate_container(ctx, cfg, multiplier, duration_factor);
}

Config config_of(const Candidate& c) {
  Config cfg;
  cfg.platform = c.platform;
  cfg.arch = c.arch == "arm64" ? Arch::arm64 : Arch::x86_64;
  cfg.memory_mib = c.memory_mib;
  cfg.provisioned = c.provisioned_concurrency;
  cfg.instance_type = c.instance_type;
  return cfg;
}

bool allowed(const WorkloadAttributes& a, Platform p) {
  return a.allowed.empty() || std::find(a.allowed.begin(), a.allowed.end(), p) != a.allowed.end();
}

// The Lambda memory sizes to try: half, the same and twice the measured size, and the size
// with one full vCPU, never below the memory the trace used.
std::vector<double> memory_grid(const Context& ctx) {
  const double used = ctx.lambda_memory_used_mib;
  const double floor_mib = std::max(128.0, ctx.trace.memory_mib.value_or(128.0));
  std::vector<double> grid;
  for (double m : {used / 2, used, used * 2, ctx.models.value("lambda.full_vcpu_memory_mib")}) {
    m = std::clamp(std::ceil(m), floor_mib, 10240.0);
    if (std::find(grid.begin(), grid.end(), m) == grid.end()) {
      grid.push_back(m);
    }
  }
  std::sort(grid.begin(), grid.end());
  return grid;
}

// Cheapest feasible of a platform set, else the lowest-p99 one.
std::optional<std::size_t> best_of(const std::vector<Candidate>& cs,
                                   const std::function<bool(const Candidate&)>& in) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    if (!in(cs[i]) || !cs[i].slo_met) {
      continue;
    }
    if (!best || cs[i].monthly_cost_usd < cs[*best].monthly_cost_usd) {
      best = i;
    }
  }
  return best;
}

bool is_lambda(const Candidate& c) { return c.platform == Platform::lambda; }
bool is_container(const Candidate& c) { return c.platform != Platform::lambda; }

}  // namespace

std::string_view to_string(Platform platform) {
  switch (platform) {
    case Platform::lambda:
      return "lambda";
    case Platform::kubernetes:
      return "kubernetes";
    case Platform::fargate:
      return "fargate";
  }
  return "lambda";
}

Result<Platform> parse_platform(std::string_view name) {
  for (Platform p : {Platform::lambda, Platform::kubernetes, Platform::fargate}) {
    if (name == to_string(p)) {
      return p;
    }
  }
  return fail(ErrorCode::invalid_argument,
              "unknown platform \"" + std::string{name} + "\", expected lambda, kubernetes or fargate",
              "platform");
}

std::string_view to_string(CostView view) { return view == CostView::shared ? "shared" : "dedicated"; }

Result<CostView> parse_cost_view(std::string_view name) {
  if (name == "shared") {
    return CostView::shared;
  }
  if (name == "dedicated") {
    return CostView::dedicated;
  }
  return fail(ErrorCode::invalid_argument,
              "unknown cost view \"" + std::string{name} + "\", expected dedicated or shared",
              "k8s_cost_view");
}

Result<Analysis> analyze(const sim::WorkloadTrace& trace, const WorkloadAttributes& attributes,
                         const AnalysisOptions& options, const ModelSet& base_models,
                         const PricingCatalog& catalog) {
  const double min_window_s = base_models.value("analysis.min_window_s");
  if (!(trace.window_s() >= min_window_s) || !(trace.requests() > 0)) {
    std::ostringstream why;
    why << "the trace holds " << trace.requests() << " request(s) over " << trace.window_s()
        << " s: placer needs requests over at least " << min_window_s
        << " s (analysis.min_window_s) to extrapolate a month";
    return fail(ErrorCode::parse, why.str(), trace.name.empty() ? "trace" : trace.name);
  }
  for (double k : options.what_if) {
    if (!(k > 0) || !std::isfinite(k)) {
      return fail(ErrorCode::invalid_argument, "what-if multipliers must be positive", "what_if");
    }
  }
  if (!(options.month_hours > 0) || !(options.margin_pct >= 0)) {
    return fail(ErrorCode::invalid_argument, "month hours and margin must be positive", "options");
  }
  ModelSet models = base_models;
  if (attributes.cpu_bound_share) {
    if (auto ok = models.set("lambda.cpu_bound_share", *attributes.cpu_bound_share); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  Context ctx{trace, attributes, options, models, catalog};
  ctx.view = options.k8s_cost_view.value_or(attributes.existing_cluster ? CostView::shared
                                                                          : CostView::dedicated);
  ctx.month_scale = options.month_hours * k_seconds_per_hour / trace.window_s();
  // No stated SLO: the default, or a margin over the workload's own p99 duration when that
  // is longer (no platform can make a request faster than it is).
  ctx.slo_p99_ms = attributes.slo_p99_ms.value_or(
      std::max(models.value("workload.slo_p99_ms"),
               models.value("analysis.default_slo_duration_factor") *
                   inverse_cdf(trace.duration_quantiles_ms, 0.99)));
  ctx.lambda_memory_used_mib =
      attributes.memory_mib.value_or(trace.memory_mib.value_or(models.value("k8s.pod_memory_mib")));
  ctx.pod_memory_mib = std::max(ctx.lambda_memory_used_mib, trace.memory_mib.value_or(0.0));
  ctx.pod_cpu_millicores = attributes.pod_cpu_millicores.value_or(models.value("k8s.pod_cpu_millicores"));
  ctx.concurrency_per_pod =
      attributes.concurrency_per_pod.value_or(static_cast<int>(models.value("k8s.concurrency_per_pod")));
  if (ctx.concurrency_per_pod < 1 || !(ctx.slo_p99_ms > 0)) {
    return fail(ErrorCode::invalid_argument, "concurrency per pod and the SLO must be positive",
                "workload");
  }

  Analysis a;
  a.workload = trace.name;
  a.monthly_scale = ctx.month_scale;
  a.slo_p99_ms = ctx.slo_p99_ms;
  a.slo_stated = attributes.slo_p99_ms.has_value();
  a.current = attributes.current;
  a.trace.requests = trace.requests();
  a.trace.window_s = trace.window_s();
  a.trace.mean_rps = a.trace.requests / a.trace.window_s;
  {
    const sim::SparseBins minutes = sim::bin_requests_sparse(trace, 60);
    double busiest = 0;
    for (double n : minutes.requests) {
      busiest = std::max(busiest, n);
    }
    a.trace.peak_rps = busiest / 60;
    const auto& q = trace.duration_quantiles_ms;
    a.trace.duration = {inverse_cdf(q, 0.5), inverse_cdf(q, 0.95), inverse_cdf(q, 0.99),
                        inverse_cdf(q, 0.999), trace.duration_mean_ms};
  }

  // Candidates.
  if (allowed(attributes, Platform::lambda)) {
    for (Arch arch : {Arch::x86_64, Arch::arm64}) {
      std::optional<std::size_t> cheapest;
      std::optional<std::size_t> fastest;
      for (double memory : memory_grid(ctx)) {
        auto c = evaluate(ctx, Config{Platform::lambda, arch, memory, 0, ""}, 1);
        if (!c) {
          return tl::unexpected(c.error());
        }
        a.candidates.push_back(std::move(*c));
        const std::size_t i = a.candidates.size() - 1;
        if (!cheapest || a.candidates[i].monthly_cost_usd < a.candidates[*cheapest].monthly_cost_usd) {
          cheapest = i;
        }
        if (!fastest || a.candidates[i].latency.p99_ms < a.candidates[*fastest].latency.p99_ms) {
          fastest = i;
        }
      }
      // Provisioned concurrency removes cold starts: try it at the cheapest size and at the
      // fastest, with the mean concurrency rounded up.
      std::vector<std::pair<double, int>> variants;
      for (std::size_t i : {*cheapest, *fastest}) {
        const Candidate& base = a.candidates[i];
        const auto pc = static_cast<int>(
            std::max(1.0, std::ceil(base.mean_replicas_or_environments * base.utilization)));
        if (std::find(variants.begin(), variants.end(), std::make_pair(base.memory_mib, pc)) ==
            variants.end()) {
          variants.emplace_back(base.memory_mib, pc);
        }
      }
      for (const auto& [memory, pc] : variants) {
        auto c = evaluate(ctx, Config{Platform::lambda, arch, memory, pc, ""}, 1);
        if (!c) {
          return tl::unexpected(c.error());
        }
        a.candidates.push_back(std::move(*c));
      }
    }
  }
  if (allowed(attributes, Platform::kubernetes)) {
    for (const InstanceType& type : catalog.instance_types) {
      auto c = evaluate(ctx, Config{Platform::kubernetes, Arch::x86_64, 0, 0, type.name}, 1);
      if (!c) {
        if (c.error().code == ErrorCode::invalid_argument && c.error().where == "instance_type") {
          continue;  // the pod does not fit this node type
        }
        return tl::unexpected(c.error());
      }
      a.candidates.push_back(std::move(*c));
    }
  }
  if (allowed(attributes, Platform::fargate)) {
    auto c = evaluate(ctx, Config{Platform::fargate, Arch::x86_64, 0, 0, ""}, 1);
    if (c) {
      a.candidates.push_back(std::move(*c));
    } else if (c.error().code != ErrorCode::unsupported) {
      return tl::unexpected(c.error());
    }
  }
  std::stable_sort(a.candidates.begin(), a.candidates.end(), [](const Candidate& x, const Candidate& y) {
    if (x.platform != y.platform) {
      return x.platform < y.platform;
    }
    if (x.slo_met != y.slo_met) {
      return x.slo_met;
    }
    return x.monthly_cost_usd < y.monthly_cost_usd;
  });

  // The recommendation.
  Recommendation& rec = a.recommendation;
  rec.cost_view = ctx.view;
  rec.candidate = best_of(a.candidates, [](const Candidate&) { return true; });
  const auto best_lambda = best_of(a.candidates, is_lambda);
  const auto best_container = best_of(a.candidates, is_container);
  if (rec.candidate) {
    const Candidate& chosen = a.candidates[*rec.candidate];
    rec.best_alternative = is_lambda(chosen) ? best_container : best_lambda;
  }
  if (a.current) {
    const auto current = best_of(a.candidates, [&](const Candidate& c) { return c.platform == *a.current; });
    if (current) {
      a.current_monthly_cost_usd = a.candidates[*current].monthly_cost_usd;
    }
  }
  if (!rec.candidate) {
    rec.verdict = "none feasible";
    rec.reasons.push_back("no candidate meets the p99 SLO of " + number(ctx.slo_p99_ms, 4) +
                          " ms; the closest: " +
                          [&] {
                            const Candidate* closest = nullptr;
                            for (const Candidate& c : a.candidates) {
                              if (closest == nullptr || c.latency.p99_ms < closest->latency.p99_ms) {
                                closest = &c;
                              }
                            }
                            return closest == nullptr ? std::string{"none"}
                                                      : closest->description + " at p99 " +
                                                            number(closest->latency.p99_ms, 4) + " ms";
                          }());
    return a;
  }
  const Candidate& chosen = a.candidates[*rec.candidate];
  const Candidate* alternative = rec.best_alternative ? &a.candidates[*rec.best_alternative] : nullptr;
  if (alternative != nullptr && alternative->monthly_cost_usd > 0) {
    rec.savings_pct = 100 * (alternative->monthly_cost_usd - chosen.monthly_cost_usd) /
                      alternative->monthly_cost_usd;
  }
  rec.verdict = alternative != nullptr && rec.savings_pct < options.margin_pct ? "toss-up" : "clear";

  // Reasons, from the numbers.
  if (alternative != nullptr) {
    rec.reasons.push_back(chosen.description + " costs " + money(chosen.monthly_cost_usd) +
                          " a month against " + money(alternative->monthly_cost_usd) + " for " +
                          alternative->description + " (" + number(rec.savings_pct, 3) +
                          "% less, " + std::string{to_string(ctx.view)} + " cluster view)");
  } else {
    rec.reasons.push_back("no " + std::string{is_lambda(chosen) ? "container" : "Lambda"} +
                          " candidate meets the SLO of " + number(ctx.slo_p99_ms, 4) + " ms p99");
  }
  const Candidate* k8s = best_container ? &a.candidates[*best_container] : nullptr;
  if (k8s != nullptr) {
    rec.reasons.push_back("containers would run " + number(100 * k8s->utilization, 3) +
                          "% busy on average at " + number(a.trace.mean_rps, 4) +
                          " req/s: " + number(100 * (1 - k8s->utilization), 3) +
                          "% of their paid capacity idles");
  }
  const Candidate* lam = best_lambda ? &a.candidates[*best_lambda] : nullptr;
  if (lam != nullptr) {
    rec.reasons.push_back("on Lambda " + number(100 * lam->cold_start_ratio, 3) +
                          "% of requests start cold; p99 " + number(lam->latency.p99_ms, 4) +
                          " ms against the " + number(ctx.slo_p99_ms, 4) + " ms SLO");
  }
  for (const Candidate& c : a.candidates) {
    if (!c.slo_met && (c.platform == Platform::lambda) != is_lambda(chosen) && alternative == nullptr) {
      rec.reasons.push_back(c.description + ": " + c.infeasible.front());
      break;
    }
  }

  // Break-even, what-if and sensitivity: the two platforms' best configurations, re-run.
  if (best_lambda && best_container) {
    const Config lambda_cfg = config_of(a.candidates[*best_lambda]);
    const Config container_cfg = config_of(a.candidates[*best_container]);
    struct Pair {
      Candidate lambda;
      Candidate container;
    };
    auto run = [&](double k, double d) -> Result<Pair> {
      auto l = evaluate(ctx, lambda_cfg, k, d);
      if (!l) {
        return tl::unexpected(l.error());
      }
      auto c = evaluate(ctx, container_cfg, k, d);
      if (!c) {
        return tl::unexpected(c.error());
      }
      return Pair{std::move(*l), std::move(*c)};
    };
    auto gap = [](const Pair& p) { return p.lambda.monthly_cost_usd - p.container.monthly_cost_usd; };
    const double gap_now = a.candidates[*best_lambda].monthly_cost_usd -
                           a.candidates[*best_container].monthly_cost_usd;
    if (options.break_even) {
      // Scan outward from 1 in half-decades for a sign change, then bisect in log space.
      std::optional<std::pair<double, double>> bracket;
      for (int step = 1; step <= 6 && !bracket; ++step) {
        for (int sign : {1, -1}) {
          const double k = std::pow(10.0, sign * step * 0.5);
          if (k < k_lowest_multiplier || k > k_highest_multiplier) {
            continue;
          }
          auto p = run(k, 1);
          if (!p) {
            return tl::unexpected(p.error());
          }
          if ((gap(*p) > 0) != (gap_now > 0)) {
            const double inner = std::pow(10.0, sign * (step - 1) * 0.5);
            bracket = std::make_pair(std::min(inner, k), std::max(inner, k));
            break;
          }
        }
      }
      if (bracket) {
        double lo = std::log(bracket->first);
        double hi = std::log(bracket->second);
        auto p_lo = run(bracket->first, 1);
        if (!p_lo) {
          return tl::unexpected(p_lo.error());
        }
        const bool lo_sign = gap(*p_lo) > 0;
        for (int i = 0; i < 10; ++i) {  // 2^-10 of a half-decade: 0.1% in k
          const double mid = (lo + hi) / 2;
          auto p = run(std::exp(mid), 1);
          if (!p) {
            return tl::unexpected(p.error());
          }
          ((gap(*p) > 0) == lo_sign ? lo : hi) = mid;
        }
        a.break_even_multiplier = std::exp((lo + hi) / 2);
        a.break_even_mean_rps = *a.break_even_multiplier * a.trace.mean_rps;
      }
    }
    for (double k : options.what_if) {
      auto p = run(k, 1);
      if (!p) {
        return tl::unexpected(p.error());
      }
      WhatIf w;
      w.traffic_multiplier = k;
      w.mean_rps = k * a.trace.mean_rps;
      w.lambda_monthly_cost_usd = p->lambda.monthly_cost_usd;
      w.kubernetes_monthly_cost_usd = p->container.monthly_cost_usd;
      w.lambda_slo_met = p->lambda.slo_met;
      w.kubernetes_slo_met = p->container.slo_met;
      if (w.lambda_slo_met && (!w.kubernetes_slo_met || w.lambda_monthly_cost_usd <= w.kubernetes_monthly_cost_usd)) {
        w.platform = Platform::lambda;
      } else if (w.kubernetes_slo_met) {
        w.platform = p->container.platform;
      }
      a.what_if.push_back(w);
    }
    if (options.sensitivity) {
      const std::string other = is_lambda(chosen) ? std::string{to_string(a.candidates[*best_container].platform)} : "lambda";
      if (a.break_even_multiplier) {
        rec.flips_if.push_back({"traffic", *a.break_even_multiplier,
                                "traffic x" + number(*a.break_even_multiplier, 3) + " (" +
                                    number(a.break_even_mean_rps, 4) + " req/s) makes " + other +
                                    " as cheap"});
      }
      // Prices: each platform's bill is proportional to its prices (the control plane aside).
      const Candidate& lc = a.candidates[*best_lambda];
      const Candidate& kc = a.candidates[*best_container];
      if (kc.platform == Platform::kubernetes && ctx.view == CostView::dedicated) {
        double fixed = 0;
        for (const LineItem& item : kc.cost_breakdown.line_items) {
          if (item.name == "control_plane") {
            fixed += item.cost.value();
          }
        }
        const double variable = kc.monthly_cost_usd - fixed;
        if (variable > 0 && lc.monthly_cost_usd > fixed) {
          const double f = (lc.monthly_cost_usd - fixed) / variable;
          rec.flips_if.push_back({"node_price", f, "node prices x" + number(f, 3) + " make " + other + " as cheap"});
        }
      } else if (kc.monthly_cost_usd > 0) {
        const double f = lc.monthly_cost_usd / kc.monthly_cost_usd;
        rec.flips_if.push_back({"node_price", f, "container prices x" + number(f, 3) + " make " + other + " as cheap"});
      }
      if (lc.monthly_cost_usd > 0) {
        const double f = kc.monthly_cost_usd / lc.monthly_cost_usd;
        rec.flips_if.push_back({"lambda_price", f, "Lambda prices x" + number(f, 3) + " make " + other + " as cheap"});
      }
      // Duration: bisection on a factor in [0.1, 10] where the cost gap changes sign.
      for (double edge : {0.1, 10.0}) {
        auto p = run(1, edge);
        if (!p) {
          return tl::unexpected(p.error());
        }
        if ((gap(*p) > 0) == (gap_now > 0)) {
          continue;
        }
        double lo = 0;
        double hi = std::log(edge);
        for (int i = 0; i < 8; ++i) {
          const double mid = (lo + hi) / 2;
          auto q = run(1, std::exp(mid));
          if (!q) {
            return tl::unexpected(q.error());
          }
          ((gap(*q) > 0) == (gap_now > 0) ? lo : hi) = mid;
        }
        const double f = std::exp((lo + hi) / 2);
        rec.flips_if.push_back({"duration", f, "request durations x" + number(f, 3) + " make " + other + " as cheap"});
        break;
      }
      // SLO: the alternative that failed only on latency becomes feasible at its p99.
      for (const Candidate& c : a.candidates) {
        if (is_lambda(c) == is_lambda(chosen) || c.slo_met) {
          continue;
        }
        if (c.monthly_cost_usd < chosen.monthly_cost_usd && c.infeasible.size() == 1 &&
            c.infeasible.front().starts_with("p99")) {
          rec.flips_if.push_back({"slo_p99_ms", c.latency.p99_ms,
                                  "an SLO of " + number(c.latency.p99_ms, 4) + " ms p99 or looser makes " +
                                      c.description + " feasible and cheaper"});
          break;
        }
      }
    }
  }
  return a;
}

}  // namespace placer::analysis
