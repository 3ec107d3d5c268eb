// The in-memory workload model, no parsing: one request as parsers emit it, and the sink
// they emit to. Parsers stream: they never hold a whole file, they call the sink per row.
#pragma once

#include <optional>
#include <string>

#include "placer/units.hpp"

namespace placer {

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

// Receives parsed requests in file order. Implementations decide what to keep.
class InvocationSink {
 public:
  virtual ~InvocationSink() = default;
  virtual void add(const Invocation& invocation) = 0;
};

}  // namespace placer
