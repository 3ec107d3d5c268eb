// A workload's trace held for simulation (MODEL.md §1): exact arrivals with their durations
// when the sources had them, or requests counted per interval with a duration
// distribution. WorkloadTraceBuilder is the sink parsers stream into; the simulators take
// the result as arrivals (event simulation) or as counts per bin (interval models).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "placer/error.hpp"
#include "placer/sim/sparse_bins.hpp"
#include "placer/trace.hpp"

namespace placer::sim {

// `requests` requests counted over [start_s, start_s + length_s): an IntervalCount without
// its workload's name, which the trace holds once (a day of minutes is 1,440 of these per
// workload, 24 bytes each).
struct CountedInterval {
  double start_s = 0;
  double length_s = 60;
  double requests = 0;
};

struct WorkloadTrace {
  std::string name;
  double start_s = 0;  // the window [start_s, end_s), UTC epoch seconds
  double end_s = 0;
  // Exact requests, sorted by arrival. Empty when the arrivals come from `intervals`.
  std::vector<double> arrival_s;
  std::vector<float> duration_ms;
  // Counted requests, sorted by start. When present they define the arrivals, and exact
  // requests (if any) only lend their durations.
  std::vector<CountedInterval> intervals;
  // The duration distribution (quantiles from q = 0 to 1), from every source of durations.
  std::vector<Quantile> duration_quantiles_ms;
  double duration_mean_ms = 0;
  double duration_scv = 0;  // squared coefficient of variation, var / mean^2
  std::optional<double> memory_mib;  // the largest memory used, when a source said
  std::uint64_t observed_cold_starts = 0;

  bool counted() const { return !intervals.empty(); }
  double requests() const;
  double window_s() const { return end_s - start_s; }
};

// Requests counted per bin of `bin_s` seconds from `start_s`.
struct BinnedRequests {
  double start_s = 0;
  double bin_s = 1;
  std::vector<double> requests;
};

class WorkloadTraceBuilder final : public InvocationSink {
 public:
  WorkloadTraceBuilder();
  ~WorkloadTraceBuilder() override;
  void add(const Invocation& invocation) override;
  void add_counts(const IntervalCount& counts) override;
  void add_durations(const QuantileSummary& summary) override;
  void add_memory(const QuantileSummary& summary) override;

  // One trace per workload, ordered by name, all over one window: from the earliest
  // request or interval of any workload to the latest. A workload with requests but no durations
  // fails with parse (naming it): placer cannot simulate what it cannot time.
  Result<std::vector<WorkloadTrace>> finish();

 private:
  struct Pending;
  Pending& find(const std::string& name);
  std::map<std::string, Pending> pending_;
};

// Arrivals for the event simulation: the exact ones, or for counted intervals `n` arrivals
// placed uniformly at random inside each interval (a Poisson process given its count) with
// durations drawn from the distribution. A fractional count rounds up with probability
// equal to its fraction. `multiplier` scales the traffic (2: twice the requests); exact
// requests are thinned or replicated with shifted copies. Seeded: same seed, same arrivals.
struct Arrivals {
  std::vector<double> arrival_s;
  std::vector<float> duration_ms;
};
Arrivals materialize(const WorkloadTrace& trace, std::uint64_t seed, double multiplier = 1);

// Requests per bin over the trace's window (the last bin may be partly outside it);
// intervals spread evenly over the bins they overlap. The sparse form holds only the bins
// with requests: its size follows the requests (and the intervals' lengths), not the window.
SparseBins bin_requests_sparse(const WorkloadTrace& trace, double bin_s, double multiplier = 1);
// Every bin, empty ones included: for windows of a bounded number of bins (charts).
BinnedRequests bin_requests(const WorkloadTrace& trace, double bin_s, double multiplier = 1);

}  // namespace placer::sim
