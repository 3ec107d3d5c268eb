#include "metrics.hpp"

#include <charconv>
#include <tuple>

namespace placer::server {
namespace {

// The shortest text that reads back as `value`: "0.0025", not "0.0025000000000000001".
std::string number(double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc{} ? std::string(buffer, end) : std::string{"NaN"};
}

}  // namespace

void Metrics::observe(const std::string& method, const std::string& route, int status,
                      double seconds) {
  std::lock_guard lock{mutex_};
  ++requests_[std::make_tuple(method, route, status)];
  Histogram& h = latency_[route];
  for (std::size_t i = 0; i < k_buckets_s.size(); ++i) {
    if (seconds <= k_buckets_s[i]) {
      ++h.counts[i];
    }
  }
  ++h.count;
  h.sum_s += seconds;
}

void Metrics::analysis_run(bool ok) {
  (ok ? analyses_ok_ : analyses_failed_).fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::render() const {
  std::string out;
  out +=
      "# HELP placer_http_requests_total HTTP requests answered, by method, route and status.\n"
      "# TYPE placer_http_requests_total counter\n";
  std::lock_guard lock{mutex_};
  for (const auto& [key, count] : requests_) {
    const auto& [method, route, status] = key;
    out += "placer_http_requests_total{method=\"" + method + "\",route=\"" + route +
           "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(count) + "\n";
  }
  out +=
      "# HELP placer_http_request_duration_seconds Time from reading a request to its "
      "response, by route.\n"
      "# TYPE placer_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    const std::string label = "route=\"" + route + "\"";
    for (std::size_t i = 0; i < k_buckets_s.size(); ++i) {
      out += "placer_http_request_duration_seconds_bucket{" + label + ",le=\"" +
             number(k_buckets_s[i]) + "\"} " + std::to_string(h.counts[i]) + "\n";
    }
    out += "placer_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(h.count) + "\n";
    out += "placer_http_request_duration_seconds_sum{" + label + "} " + number(h.sum_s) + "\n";
    out += "placer_http_request_duration_seconds_count{" + label + "} " + std::to_string(h.count) +
           "\n";
  }
  out +=
      "# HELP placer_http_requests_in_flight Requests being served now.\n"
      "# TYPE placer_http_requests_in_flight gauge\n"
      "placer_http_requests_in_flight " +
      std::to_string(in_flight_.load(std::memory_order_relaxed)) +
      "\n"
      "# HELP placer_analyses_total Analyses run by POST /v1/analyze, by outcome.\n"
      "# TYPE placer_analyses_total counter\n"
      "placer_analyses_total{outcome=\"ok\"} " +
      std::to_string(analyses_ok_.load(std::memory_order_relaxed)) +
      "\n"
      "placer_analyses_total{outcome=\"error\"} " +
      std::to_string(analyses_failed_.load(std::memory_order_relaxed)) + "\n";
  return out;
}

}  // namespace placer::server
