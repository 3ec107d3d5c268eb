#include "placer/cost/lambda.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace placer {
namespace {

std::string format_mib(MiB memory) {
  return std::to_string(static_cast<long long>(std::llround(memory.value()))) + " MiB";
}

// Walks the monthly GB-s tiers of one architecture: each consume() call bills the next
// GB-s after everything consumed before, first from the free allowance.
class TierMeter {
 public:
  TierMeter(const std::vector<DurationTier>& tiers, GibSeconds free_allowance)
      : tiers_(tiers), free_left_(free_allowance) {}

  // Appends one line item per tier touched, named `name`, `name`_tier_2, ...
  void consume(GibSeconds amount, const std::string& name, const std::string& description,
               std::vector<LineItem>& out) {
    GibSeconds free_used = std::min(amount, free_left_);
    free_left_ -= free_used;
    GibSeconds left = amount - free_used;
    bool first_item = true;
    for (std::size_t i = 0; i < tiers_.size(); ++i) {
      GibSeconds room = tiers_[i].up_to - used_;
      if (room <= GibSeconds{0}) {
        continue;
      }
      GibSeconds take = std::min(left, room);
      if (take <= GibSeconds{0} && !first_item) {
        break;
      }
      LineItem item;
      item.name = i == 0 ? name : name + "_tier_" + std::to_string(i + 1);
      item.description = description + (i == 0 ? "" : ", tier " + std::to_string(i + 1));
      item.quantity = take.value();
      item.unit = "gib_seconds";
      item.rate_usd = tiers_[i].rate.value();
      item.cost = tiers_[i].rate * take;
      item.free_quantity = first_item ? free_used.value() : 0;
      out.push_back(std::move(item));
      first_item = false;
      used_ += take;
      left -= take;
      if (left <= GibSeconds{0}) {
        break;
      }
    }
  }

 private:
  const std::vector<DurationTier>& tiers_;
  GibSeconds free_left_;
  GibSeconds used_{0};
};

Result<void> check_non_negative(double value, const char* field) {
  if (!std::isfinite(value) || value < 0) {
    return fail(ErrorCode::invalid_argument,
                "must be a finite non-negative number, found " + std::to_string(value), field);
  }
  return {};
}

Result<void> validate(const LambdaUsage& u, const LambdaPrices& p) {
  const std::pair<double, const char*> fields[] = {
      {u.requests.value(), "requests"},
      {u.billed_duration.count(), "billed_duration_ms"},
      {u.cold_starts.value(), "cold_starts"},
      {u.billed_init_duration.count(), "billed_init_duration_ms"},
      {u.provisioned.environments, "provisioned.environments"},
      {u.provisioned.enabled.count(), "provisioned.enabled_s"},
      {u.provisioned.requests.value(), "provisioned.requests"},
      {u.provisioned.billed_duration.count(), "provisioned.billed_duration_ms"},
      {u.memory.value(), "memory_mib"},
      {u.ephemeral_storage.value(), "ephemeral_storage_mib"},
  };
  for (const auto& [value, field] : fields) {
    if (auto ok = check_non_negative(value, field); !ok) {
      return ok;
    }
  }
  if (u.memory < p.memory_min || u.memory > p.memory_max) {
    return fail(ErrorCode::invalid_argument,
                "Lambda memory must be between " + format_mib(p.memory_min) + " and " +
                    format_mib(p.memory_max) + ", found " + format_mib(u.memory),
                "memory_mib");
  }
  if (u.ephemeral_storage < p.ephemeral_storage_included ||
      u.ephemeral_storage > p.ephemeral_storage_max) {
    return fail(ErrorCode::invalid_argument,
                "ephemeral storage must be between " + format_mib(p.ephemeral_storage_included) +
                    " and " + format_mib(p.ephemeral_storage_max) + ", found " +
                    format_mib(u.ephemeral_storage),
                "ephemeral_storage_mib");
  }
  if (u.cold_starts > u.requests) {
    return fail(ErrorCode::invalid_argument, "cold starts exceed on-demand requests",
                "cold_starts");
  }
  return {};
}

}  // namespace

Millis billed_duration(Millis duration, const LambdaPrices& prices) {
  double steps = std::ceil(duration / prices.duration_increment);
  return prices.duration_increment * steps;
}

Millis billed_duration(Requests count, Millis duration_each, const LambdaPrices& prices) {
  return billed_duration(duration_each, prices) * count.value();
}

Result<CostBreakdown> lambda_cost(const LambdaUsage& usage, const LambdaPrices& prices) {
  if (auto ok = validate(usage, prices); !ok) {
    return tl::unexpected(ok.error());
  }
  const LambdaArchPrices& arch = prices.for_arch(usage.arch);
  const bool free = usage.free_tier == FreeTier::on;
  const std::string shape =
      std::string{to_string(usage.arch)} + ", " + format_mib(usage.memory);
  CostBreakdown out;
  out.platform = "lambda";

  // Requests: on-demand and PC invocations alike.
  Requests all_requests = usage.requests + usage.provisioned.requests;
  Requests free_requests = free ? std::min(all_requests, prices.free_tier.requests) : Requests{0};
  Requests billable_requests = all_requests - free_requests;
  out.line_items.push_back(LineItem{"requests", "Requests", prices.request.rate * billable_requests,
                                    billable_requests.value(), "requests",
                                    prices.request.rate.value(), free_requests.value()});

  // On-demand duration, then INIT duration, through the monthly tiers.
  TierMeter meter{arch.duration_tiers, free ? prices.free_tier.duration : GibSeconds{0}};
  GibSeconds on_demand = gib_seconds(usage.memory, usage.billed_duration);
  if (on_demand > GibSeconds{0}) {
    meter.consume(on_demand, "duration", "Compute, on-demand duration (" + shape + ")",
                  out.line_items);
  }
  GibSeconds init = gib_seconds(usage.memory, usage.billed_init_duration);
  if (init > GibSeconds{0}) {
    meter.consume(init, "init_duration", "Compute, INIT duration of cold starts (" + shape + ")",
                  out.line_items);
  }

  // Ephemeral storage above the included size, for every billed second of every invocation.
  MiB extra_storage = usage.ephemeral_storage - prices.ephemeral_storage_included;
  if (extra_storage > MiB{0}) {
    Seconds storage_time = usage.billed_duration + usage.billed_init_duration +
                           usage.provisioned.billed_duration;
    GibSeconds storage = gib_seconds(extra_storage, storage_time);
    out.line_items.push_back(LineItem{
        "ephemeral_storage",
        "Ephemeral storage above " + format_mib(prices.ephemeral_storage_included) + " (" +
            format_mib(extra_storage) + " extra)",
        prices.ephemeral_storage.rate * storage, storage.value(), "gib_seconds",
        prices.ephemeral_storage.rate.value(), 0});
  }

  // Provisioned concurrency: configured GB-s over enabled time (rounded up to 5 min).
  const ProvisionedConcurrency& pc = usage.provisioned;
  if (pc.environments > 0 && pc.enabled > Seconds{0}) {
    Seconds enabled = prices.provisioned_increment *
                      std::ceil(pc.enabled / prices.provisioned_increment);
    GibSeconds configured = gib_seconds(usage.memory * pc.environments, enabled);
    out.line_items.push_back(LineItem{
        "provisioned_concurrency",
        "Provisioned concurrency, " + std::to_string(static_cast<long long>(std::ceil(pc.environments))) +
            " environments (" + shape + ")",
        arch.provisioned_concurrency.rate * configured, configured.value(), "gib_seconds",
        arch.provisioned_concurrency.rate.value(), 0});
  }
  GibSeconds pc_duration = gib_seconds(usage.memory, pc.billed_duration);
  if (pc_duration > GibSeconds{0}) {
    out.line_items.push_back(LineItem{
        "provisioned_duration", "Compute, duration served by provisioned concurrency (" + shape + ")",
        arch.provisioned_duration.rate * pc_duration, pc_duration.value(), "gib_seconds",
        arch.provisioned_duration.rate.value(), 0});
  }
  if (!std::isfinite(out.total().value())) {
    return fail(ErrorCode::invalid_argument, "quantities too large to price", "usage");
  }
  return out;
}

}  // namespace placer
