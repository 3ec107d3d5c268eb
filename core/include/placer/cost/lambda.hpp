// The AWS Lambda bill for one function over one month (MODEL.md §2): requests, duration
// in monthly GB-s tiers per architecture, INIT duration of cold starts, ephemeral storage
// above the included size, and provisioned concurrency (configured GB-s while enabled,
// plus the PC duration rate for invocations PC served). Pure functions; thread-safe.
#pragma once

#include "placer/cost/breakdown.hpp"
#include "placer/error.hpp"
#include "placer/pricing.hpp"

namespace placer {

// Off by default: a fleet's account has usually used the free tier up. AWS's own worked
// examples apply it inconsistently, so every caller states it.
enum class FreeTier { off, on };

struct ProvisionedConcurrency {
  double environments = 0;       // configured concurrency
  Seconds enabled{0};            // how long it was enabled; billed rounded up to 5 minutes
  Requests requests{0};          // invocations served by PC environments
  Millis billed_duration{0};     // their total billed duration (see billed_duration)
};

struct LambdaUsage {
  Arch arch = Arch::x86_64;
  MiB memory{128};
  MiB ephemeral_storage{512};
  Requests requests{0};         // on-demand invocations
  Millis billed_duration{0};    // their total billed duration (see billed_duration)
  Requests cold_starts{0};      // on-demand invocations that ran INIT (at most `requests`)
  Millis billed_init_duration{0};  // total billed INIT duration of those cold starts
  ProvisionedConcurrency provisioned;
  FreeTier free_tier = FreeTier::off;
};

// One invocation's billed duration: `duration` rounded up to the catalog's increment
// (1 ms since 2020-12-01). Requires: `duration` >= 0.
Millis billed_duration(Millis duration, const LambdaPrices& prices);

// Billed duration of `count` invocations that each last `duration_each`.
Millis billed_duration(Requests count, Millis duration_each, const LambdaPrices& prices);

// The monthly bill. Line items, in order, each present only when non-zero usage exists
// (requests always): requests, duration (one item per tier used: "duration",
// "duration_tier_2", ...), init_duration (tiers likewise), ephemeral_storage,
// provisioned_concurrency, provisioned_duration.
// On-demand duration consumes the free tier and the tiers first, INIT duration after it.
// The free tier covers on-demand and PC requests, and on-demand and INIT duration (as AWS's
// provisioned-concurrency example does); never PC charges.
// Fails with invalid_argument (`where` names the field) when a count or duration is
// negative or not finite, memory or ephemeral storage lies outside the catalog's limits,
// or cold starts exceed requests.
Result<CostBreakdown> lambda_cost(const LambdaUsage& usage, const LambdaPrices& prices);

}  // namespace placer
