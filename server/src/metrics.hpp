// Private to the server: the counters GET /metrics exposes, in the Prometheus text format
// (version 0.0.4). Thread-safe: every request updates them from its own thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>

namespace placer::server {

class Metrics {
 public:
  // Upper bounds of the latency histogram's buckets, seconds.
  static constexpr std::array<double, 12> k_buckets_s{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5,   10};

  void request_started() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void request_finished() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }
  // `route` is a served path or "other" (bounded label values); `seconds` its duration.
  void observe(const std::string& method, const std::string& route, int status, double seconds);
  void analysis_run(bool ok);

  // The exposition text.
  std::string render() const;

 private:
  struct Histogram {
    std::array<std::uint64_t, k_buckets_s.size()> counts{};
    std::uint64_t count = 0;
    double sum_s = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;  // by route
  std::atomic<std::int64_t> in_flight_{0};
  std::atomic<std::uint64_t> analyses_ok_{0};
  std::atomic<std::uint64_t> analyses_failed_{0};
};

}  // namespace placer::server
