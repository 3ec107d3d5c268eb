// The bill for pods on EKS Fargate: each pod's (vCPU, memory) request plus the pod
// overhead (256 MB), rounded up to a supported size, billed per second with a one-minute
// minimum per pod (MODEL.md §4). EKS on Fargate is x86_64 only.
// Pure functions; thread-safe.
#pragma once

#include "placer/cost/breakdown.hpp"
#include "placer/error.hpp"
#include "placer/pricing.hpp"

namespace placer {

// The size Fargate bills for a pod requesting `cpu` and `memory`: the cheapest supported
// size with at least `cpu` and at least `memory` + pod overhead. A request of 1 vCPU / 8 GB
// becomes 8.25 GB, for which no 1 vCPU size exists: billed as 2 vCPU / 9 GB.
// Fails with invalid_argument for a negative request, and unsupported when the request
// exceeds every supported size.
Result<FargateSize> fargate_billed_size(Millicores cpu, MiB memory, const FargatePrices& prices);

struct FargateUsage {
  Millicores cpu{250};
  MiB memory{0};
  double pods = 1;        // pods, each running for `run_time_each`
  Seconds run_time_each{0};
};

// Line items: vcpu (vcpu_hours), memory (gib_hours); each pod's run time is rounded up to
// the billing increment and to at least the minimum. Fails as fargate_billed_size, and
// with invalid_argument for negative pods or run time.
Result<CostBreakdown> fargate_cost(const FargateUsage& usage, const FargatePrices& prices);

}  // namespace placer
