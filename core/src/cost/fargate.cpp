#include "placer/cost/fargate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

namespace placer {

Result<FargateSize> fargate_billed_size(Millicores cpu, MiB memory, const FargatePrices& prices) {
  if (!std::isfinite(cpu.value()) || !std::isfinite(memory.value()) || cpu < Millicores{0} ||
      memory < MiB{0}) {
    return fail(ErrorCode::invalid_argument, "pod requests must be non-negative", "pod");
  }
  const FargateArchPrices& rates = prices.x86_64;
  const MiB needed = memory + prices.pod_overhead;
  const FargateSize* best = nullptr;
  double best_usd_per_hour = std::numeric_limits<double>::infinity();
  for (const FargateSize& size : prices.sizes) {
    if (size.cpu < cpu || size.memory < needed) {
      continue;
    }
    double usd_per_hour = rates.vcpu.rate.value() * vcpus(size.cpu) +
                          rates.memory.rate.value() * gib(size.memory);
    if (usd_per_hour < best_usd_per_hour) {
      best = &size;
      best_usd_per_hour = usd_per_hour;
    }
  }
  if (best == nullptr) {
    char text[160];
    std::snprintf(text, sizeof text,
                  "no Fargate size has %g vCPU and %.0f MiB (request plus pod overhead)",
                  vcpus(cpu), needed.value());
    return fail(ErrorCode::unsupported, text, "pod");
  }
  return *best;
}

Result<CostBreakdown> fargate_cost(const FargateUsage& usage, const FargatePrices& prices) {
  if (!std::isfinite(usage.pods) || usage.pods < 0 || !std::isfinite(usage.run_time_each.count()) ||
      usage.run_time_each < Seconds{0}) {
    return fail(ErrorCode::invalid_argument, "pods and run time must be non-negative",
                usage.pods < 0 ? "pods" : "run_time");
  }
  auto size = fargate_billed_size(usage.cpu, usage.memory, prices);
  if (!size) {
    return tl::unexpected(size.error());
  }
  Seconds billed_each{0};
  if (usage.run_time_each > Seconds{0}) {
    billed_each = prices.billing_increment *
                  std::ceil(usage.run_time_each / prices.billing_increment);
    billed_each = std::max(billed_each, prices.minimum_billed);
  }
  const Hours pod_time = std::chrono::duration_cast<Hours>(billed_each) * usage.pods;
  const FargateArchPrices& rates = prices.x86_64;
  VcpuHours cpu_hours = vcpu_hours(size->cpu, pod_time);
  GibHours memory_hours = gib_hours(size->memory, pod_time);
  char shape[96];
  std::snprintf(shape, sizeof shape, "%g vCPU / %g GB billed size", vcpus(size->cpu),
                gib(size->memory));
  CostBreakdown out;
  out.platform = "fargate";
  out.line_items.push_back(LineItem{"vcpu", std::string{"Fargate vCPU ("} + shape + ")",
                                    rates.vcpu.rate * cpu_hours, cpu_hours.value(), "vcpu_hours",
                                    rates.vcpu.rate.value(), 0});
  out.line_items.push_back(LineItem{"memory", std::string{"Fargate memory ("} + shape + ")",
                                    rates.memory.rate * memory_hours, memory_hours.value(),
                                    "gib_hours", rates.memory.rate.value(), 0});
  if (!std::isfinite(out.total().value())) {
    return fail(ErrorCode::invalid_argument, "quantities too large to price", "usage");
  }
  return out;
}

}  // namespace placer
