// The in-memory workload model, no parsing: what parsers emit and the sink they emit to.
// A source gives either exact requests (Invocation) or, when it has no per-request times,
// requests counted per interval (IntervalCount) with the duration and memory distributions
// known only by quantiles (QuantileSummary), as MODEL.md §1 describes. Parsers stream: they
// never hold a whole file, they call the sink per row.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "placer/units.hpp"

namespace placer {

// Request logs reject a duration (ms) or a memory size (MiB) of 2^40 or more, about 35
// years or 1 EiB: a unit mistake, not a request. Below it the trace summary sums values
// exactly, so that a file read in parts sums to the bits of one pass.
inline constexpr double k_request_value_limit = 0x1.0p40;

// One request. `timestamp_s` is UTC epoch seconds (its arrival, or its end where the
// source records only that, as the parser documents).
struct Invocation {
  double timestamp_s = 0;
  Millis duration{0};
  std::optional<MiB> memory;               // absent: unknown, not zero
  std::optional<Millis> init_duration;     // present: this request was a cold start
  std::optional<int> status;               // HTTP-like status when the source has one
  std::string workload;                    // empty: the file's only workload
};

// `requests` requests counted over [start_s, start_s + length_s), UTC epoch seconds.
struct IntervalCount {
  std::string workload;
  double start_s = 0;
  double length_s = 60;
  double requests = 0;
};

// One point of a distribution: the value below which a fraction `q` (0..1) of it lies.
struct Quantile {
  double q = 0;
  double value = 0;
};

// A distribution known by some quantiles (ascending in q and value), standing for `weight`
// requests: durations in ms (add_durations) or memory in MiB (add_memory).
struct QuantileSummary {
  std::string workload;
  std::vector<Quantile> quantiles;
  double weight = 0;
};

// The value at fraction `u` (0..1) of the piecewise-linear distribution through
// `quantiles` (the inverse CDF; MODEL.md §1's default for sampling). Below the first
// quantile it is the first value, above the last the last. Requires: at least one quantile,
// ascending in q and value.
double inverse_cdf(const std::vector<Quantile>& quantiles, double u);

// Receives parsed data in file order. Implementations decide what to keep. The interval
// and quantile calls default to doing nothing, for sinks that only want exact requests.
class InvocationSink {
 public:
  virtual ~InvocationSink() = default;
  virtual void add(const Invocation& invocation) = 0;
  // add() for a parser that reads rows in place: `workload` (valid for the call) is the
  // request's workload, and `row.workload` is not read. Parsers call it on a sink whose
  // takes_workload_views() is true, and otherwise copy the name into the row: a sink
  // that only looks a name up spares that copy per row (TraceSummarizer). By default, a
  // copy of the row with the name, to add().
  virtual bool takes_workload_views() const { return false; }
  virtual void add_with_workload(const Invocation& row, std::string_view workload);
  virtual void add_counts(const IntervalCount&) {}
  virtual void add_durations(const QuantileSummary&) {}
  virtual void add_memory(const QuantileSummary&) {}
};

// A sink that may receive one file in parallel: each reading thread fills its own part,
// made by make_part(), with the rows of the byte ranges it reads (not adjacent ones, in no
// set order), and the parts are merged when every range is read. So the result must not
// depend on which rows went to which part, nor on the order of rows or merges: merging
// must give exactly what adding the same rows in file order to this sink would.
class MergeableSink : public InvocationSink {
 public:
  // An empty sink of the same kind and settings.
  virtual std::unique_ptr<MergeableSink> make_part() const = 0;
  // Adds what `part` (made by make_part) received, as if received after this sink's rows.
  virtual void merge(MergeableSink& part) = 0;
};

}  // namespace placer
