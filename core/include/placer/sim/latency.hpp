// Latency percentiles as the simulators report them, in milliseconds.
#pragma once

namespace placer::sim {

struct LatencyPercentiles {
  double p50_ms = 0;
  double p95_ms = 0;
  double p99_ms = 0;
  double p999_ms = 0;
  double mean_ms = 0;
};

}  // namespace placer::sim
