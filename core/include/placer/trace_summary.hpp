// What a trace holds, computed in one streaming pass with memory bounded by the number of
// distinct minutes and duration buckets, never by the number of requests: window,
// requests, mean and peak rate, duration and memory percentiles, idle gaps, cold starts.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "placer/trace.hpp"

namespace placer {

struct Percentiles {
  double p50 = 0;
  double p90 = 0;
  double p95 = 0;
  double p99 = 0;
  double min = 0;
  double max = 0;
  double mean = 0;
};

struct TraceSummary {
  std::string workload;
  std::uint64_t requests = 0;
  double start_s = 0;  // first timestamp, UTC epoch seconds
  double end_s = 0;    // last timestamp
  double mean_rate_rps = 0;       // requests / (end - start), 0 for a single request
  double peak_minute_rate_rps = 0;  // the busiest calendar minute's requests / 60
  Percentiles duration_ms;
  std::optional<Percentiles> memory_mib;  // absent when no row had memory
  std::uint64_t cold_starts = 0;          // rows with an INIT duration
  std::optional<Percentiles> init_duration_ms;
  // Silences, counted in whole calendar minutes without a request between the first and
  // last request: runs of at least k_idle_gap_minutes empty minutes, and the longest run.
  std::uint64_t idle_gaps = 0;
  double longest_idle_s = 0;
};

// Percentiles are exact at min and max and within 0.1% elsewhere (log-spaced buckets).
class TraceSummarizer final : public MergeableSink {
 public:
  static constexpr int k_idle_gap_minutes = 5;  // a Lambda keep-alive's order of magnitude

  TraceSummarizer();
  ~TraceSummarizer() override;
  TraceSummarizer(TraceSummarizer&&) noexcept;
  TraceSummarizer& operator=(TraceSummarizer&&) noexcept;

  // Requires: a finite `timestamp_s` and a finite, non-negative duration (parsers check).
  void add(const Invocation& invocation) override;
  bool takes_workload_views() const override { return true; }
  void add_with_workload(const Invocation& row, std::string_view workload) override;
  // Interval counts add to the requests and are spread over the minutes they cover; the
  // window runs from the first interval's start to the last one's end. Quantile summaries
  // enter the percentiles as 1000 points of their piecewise-linear distribution, weighted.
  void add_counts(const IntervalCount& counts) override;
  void add_durations(const QuantileSummary& summary) override;
  void add_memory(const QuantileSummary& summary) override;

  // A summarizer for one part of a file read in parallel, and the merge of such a part.
  // Merged parts give the same summary, bit for bit, as one pass over the same requests,
  // however the rows were split and in whatever order the parts merge: counts, minutes and
  // buckets add exactly, and so do the sums behind the means.
  std::unique_ptr<MergeableSink> make_part() const override;
  void merge(MergeableSink& part) override;

  // One summary per workload, ordered by name ("" first).
  std::vector<TraceSummary> finish() const;

 private:
  struct Workload;
  // A name's length and its first and last 8 bytes (fewer, overlapping, for a short
  // name): the whole name up to 16 bytes, compared without a call. Read from the name in
  // the widths a short copy writes it in, so that a name just copied is read from the
  // store buffer rather than waited for.
  struct NameKey {
    std::uint64_t head = 0;
    std::uint64_t tail = 0;
    std::size_t size = 0;
    bool operator==(const NameKey&) const = default;
  };
  // An open-addressing index over workloads_ by a cheap hash of the name: one probe or two
  // per row instead of std::hash and a bucket walk. Names point at workloads_' keys.
  struct IndexSlot {
    NameKey key;
    std::uint64_t hash = 0;
    const std::string* name = nullptr;
    Workload* workload = nullptr;  // null: an empty slot
  };

  void add_to(Workload& w, const Invocation& invocation);
  static void enter_minute(Workload& w, double timestamp_s);
  Workload& find(std::string_view name);
  void place(const IndexSlot& entry);  // into index_, which has an empty slot
  std::unordered_map<std::string, std::unique_ptr<Workload>> workloads_;  // sorted by finish()
  std::vector<IndexSlot> index_;  // a power of two in size, at most half full
};

}  // namespace placer
