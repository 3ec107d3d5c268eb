#include "charts.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <utility>

#include "chart.hpp"
#include "markup.hpp"
#include "placer/render/quantity.hpp"

namespace placer::report::detail {
namespace {

using Points = std::vector<std::pair<double, double>>;

constexpr double k_day_s = 86400;
// Epoch seconds beyond this (about 3,000 years) are clamped: no overflow, no NaN.
constexpr double k_max_epoch_s = 1e11;

std::string close(std::string out) {
  out += "</svg>";
  return out;
}

// An epoch second as UTC "HH:MM", "HH:MM:SS", "MM-DD" or "YYYY-MM-DD HH:MM"; no locale.
enum class TimeFormat { hh_mm, hh_mm_ss, mm_dd, date_time };
std::string utc_text(double epoch_s, TimeFormat format) {
  const auto s =
      static_cast<long long>(std::floor(std::clamp(epoch_s, -k_max_epoch_s, k_max_epoch_s)));
  const long long day = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
  const long long second_of_day = s - day * 86400;
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  const int hour = static_cast<int>(second_of_day / 3600);
  const int minute = static_cast<int>(second_of_day / 60 % 60);
  const int second = static_cast<int>(second_of_day % 60);
  const auto month = static_cast<unsigned>(ymd.month());
  const auto day_of_month = static_cast<unsigned>(ymd.day());
  char buffer[40];
  switch (format) {
    case TimeFormat::hh_mm:
      std::snprintf(buffer, sizeof buffer, "%02d:%02d", hour, minute);
      break;
    case TimeFormat::hh_mm_ss:
      std::snprintf(buffer, sizeof buffer, "%02d:%02d:%02d", hour, minute, second);
      break;
    case TimeFormat::mm_dd:
      std::snprintf(buffer, sizeof buffer, "%02u-%02u", month, day_of_month);
      break;
    case TimeFormat::date_time:
      std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02d:%02d", static_cast<int>(ymd.year()),
                    month, day_of_month, hour, minute);
      break;
  }
  return buffer;
}

// Ticks at round UTC times, at most seven: minutes and hours as "HH:MM", days as "MM-DD";
// the window's ends ("HH:MM:SS") when it is too short for two round times.
std::vector<Tick> time_ticks(double start, double end) {
  const double window = end - start;
  if (!std::isfinite(window) || !(window > 0)) {
    return {};
  }
  double step = 60;
  for (const double s : {60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0, 21600.0,
                         43200.0, k_day_s, 2 * k_day_s, 7 * k_day_s, 14 * k_day_s}) {
    step = s;
    if (window / step <= 6) {
      break;
    }
  }
  while (window / step > 6) {
    step *= 2;
  }
  const TimeFormat format = step >= k_day_s ? TimeFormat::mm_dd : TimeFormat::hh_mm;
  std::vector<Tick> ticks;
  for (double v = std::ceil(start / step) * step; v <= end; v += step) {
    ticks.push_back({v, utc_text(v, format)});
  }
  if (ticks.size() < 2) {
    ticks = {{start, utc_text(start, TimeFormat::hh_mm_ss)},
             {end, utc_text(end, TimeFormat::hh_mm_ss)}};
  }
  return ticks;
}

std::vector<Tick> labelled(const std::vector<double>& values, std::string_view prefix) {
  std::vector<Tick> ticks;
  for (const double v : values) {
    ticks.push_back({v, std::string{prefix} + compact(v)});
  }
  return ticks;
}

double finite_or_zero(double v) { return std::isfinite(v) ? v : 0; }

// A y scale over costs or latencies: linear from 0, or log over whole decades when the
// positive values span more than `max_ratio`; with its ticks, labelled `prefix`+value.
struct YAxis {
  Scale scale;
  std::vector<Tick> ticks;
};
YAxis y_axis_for(const std::vector<double>& values, double max_ratio, std::string_view prefix) {
  double max = 0;
  double min_positive = 0;
  for (const double v : values) {
    if (std::isfinite(v) && v > 0) {
      max = std::max(max, v);
      min_positive = min_positive == 0 ? v : std::min(min_positive, v);
    }
  }
  if (min_positive > 0 && max / min_positive > max_ratio) {
    const Range range = decade_range(min_positive, max);
    return {Scale::log(range.lo, range.hi, k_plot_bottom, k_plot_top),
            labelled(log_ticks(range.lo, range.hi), prefix)};
  }
  const LinearTicks linear = nice_linear(max);
  return {Scale::linear(0, linear.top, k_plot_bottom, k_plot_top), labelled(linear.values, prefix)};
}

}  // namespace

std::string traffic_chart(const Row& row) {
  const TrafficSeries& traffic = row.traffic;
  std::string out;
  open_chart(out, "traffic", "Traffic over time: " + row.name);
  y_unit(out, "req/s");
  if (traffic.requests.empty()) {
    empty_plot(out, "no traffic in the trace");
    return close(std::move(out));
  }
  const double bin = std::isfinite(traffic.bin_s) && traffic.bin_s > 0
                         ? std::min(traffic.bin_s, k_max_epoch_s)
                         : 60;
  const double start = std::clamp(finite_or_zero(traffic.start_s), -k_max_epoch_s, k_max_epoch_s);
  const double end = start + bin * static_cast<double>(traffic.requests.size());
  std::vector<double> rates;
  for (const double requests : traffic.requests) {
    rates.push_back(std::isfinite(requests) && requests > 0 ? requests / bin : 0);
  }
  const LinearTicks y_ticks = nice_linear(*std::max_element(rates.begin(), rates.end()));
  const Scale y = Scale::linear(0, y_ticks.top, k_plot_bottom, k_plot_top);
  const Scale x = Scale::linear(start, end, k_plot_left, k_plot_right);
  y_axis(out, y, labelled(y_ticks.values, ""));
  x_axis(out, x, time_ticks(start, end), "UTC, from " + utc_text(start, TimeFormat::date_time));

  // One step a bin: across the bin at its rate, then up or down to the next bin's.
  std::string steps;
  for (std::size_t i = 0; i < rates.size(); ++i) {
    if (i > 0) {
      steps += "V" + coord(y(rates[i]));
    }
    steps += "H" + coord(x(start + bin * static_cast<double>(i + 1)));
  }
  const std::string x0 = coord(x(start));
  const std::string base = coord(y(0));
  out += "<path class=\"area\" d=\"M" + x0 + "," + base + "V" + coord(y(rates[0])) + steps + "V" +
         base + "Z\"/>";
  out += "<path class=\"line\" d=\"M" + x0 + "," + coord(y(rates[0])) + steps + "\"/>";
  return close(std::move(out));
}

std::string cost_chart(const Row& row) {
  std::string out;
  open_chart(out, "cost", "Monthly cost against traffic: " + row.name);
  std::vector<CostPoint> curve;
  for (const CostPoint& p : row.cost_curve) {
    if (std::isfinite(p.traffic_multiplier) && p.traffic_multiplier > 0) {
      curve.push_back(p);
    }
  }
  std::stable_sort(curve.begin(), curve.end(), [](const CostPoint& a, const CostPoint& b) {
    return a.traffic_multiplier < b.traffic_multiplier;
  });
  std::vector<double> costs;
  for (const CostPoint& p : curve) {
    costs.push_back(p.lambda_monthly_cost_usd);
    costs.push_back(p.kubernetes_monthly_cost_usd);
  }
  const YAxis y = y_axis_for(costs, 100, "$");
  y_unit(out, y.scale.is_log() ? "USD/month, log scale" : "USD/month");
  if (curve.empty()) {
    empty_plot(out, "no cost curve");
    return close(std::move(out));
  }
  double lo = curve.front().traffic_multiplier;
  double hi = curve.back().traffic_multiplier;
  if (!(hi > lo * 1.001)) {  // one multiplier: a decade around it
    lo /= std::sqrt(10.0);
    hi *= std::sqrt(10.0);
  }
  const Scale x = Scale::log(lo, hi, k_plot_left, k_plot_right);
  y_axis(out, y.scale, y.ticks);
  x_axis(out, x, labelled(log_ticks(lo, hi), "x"), "traffic multiplier, log scale");
  if (x.contains(1)) {
    marker(out, Direction::vertical, x(1), "observed");
    label(out, x(1) + 4, k_plot_bottom - 6, "start", "mark", "x1 observed");
  }
  const std::optional<double>& break_even = row.break_even_multiplier;
  if (break_even && std::isfinite(*break_even) && x.contains(*break_even)) {
    const double px = x(*break_even);
    marker(out, Direction::vertical, px, "break-even");
    const std::string text = "break-even x" + format_quantity(*break_even, 2);
    const bool left = px + 4 + static_cast<double>(text.size()) * 7 > k_plot_right;
    label(out, left ? px - 4 : px + 4, k_plot_top + 12, left ? "end" : "start", "mark", text);
  }
  Points lambda;
  Points kubernetes;
  for (const CostPoint& p : curve) {
    lambda.emplace_back(x(p.traffic_multiplier),
                        y.scale(finite_or_zero(p.lambda_monthly_cost_usd)));
    kubernetes.emplace_back(x(p.traffic_multiplier),
                            y.scale(finite_or_zero(p.kubernetes_monthly_cost_usd)));
  }
  series(out, lambda, platform_colour("lambda"));
  series(out, kubernetes, platform_colour("kubernetes"));
  legend(out, {"lambda", "kubernetes"});
  return close(std::move(out));
}

std::string latency_chart(const Row& row) {
  std::string out;
  open_chart(out, "latency", "Latency percentiles per platform: " + row.name);
  if (row.platforms.empty()) {
    y_unit(out, "ms");
    empty_plot(out, "no platform evaluated");
    return close(std::move(out));
  }
  std::vector<double> values;
  for (const PlatformBest& p : row.platforms) {
    values.insert(values.end(), {p.p50_ms, p.p95_ms, p.p99_ms, p.p999_ms});
  }
  const bool slo = std::isfinite(row.slo_p99_ms) && row.slo_p99_ms > 0;
  if (slo) {
    values.push_back(row.slo_p99_ms);
  }
  // Log whenever anything is positive: tails sit decades above medians.
  const YAxis y = y_axis_for(values, 0, "");
  y_unit(out, y.scale.is_log() ? "ms, log scale" : "ms");
  const Scale x = Scale::linear(0, 4, k_plot_left, k_plot_right);
  const char* const percentiles[] = {"p50", "p95", "p99", "p99.9"};
  std::vector<Tick> x_ticks;
  for (int i = 0; i < 4; ++i) {
    x_ticks.push_back({i + 0.5, percentiles[i]});
  }
  y_axis(out, y.scale, y.ticks);
  x_axis(out, x, x_ticks, "percentile");
  if (slo) {
    const double py = y.scale(row.slo_p99_ms);
    marker(out, Direction::horizontal, py, "slo");
    const std::string text = "SLO p99 " + format_quantity(row.slo_p99_ms, 1) + " ms" +
                             (row.slo_stated ? "" : " (default)");
    label(out, k_plot_right - 4, py < k_plot_top + 16 ? py + 14 : py - 5, "end", "mark", text);
  }
  std::vector<std::string> names;
  for (const PlatformBest& p : row.platforms) {
    const double ms[] = {p.p50_ms, p.p95_ms, p.p99_ms, p.p999_ms};
    Points points;
    for (int i = 0; i < 4; ++i) {
      points.emplace_back(x(i + 0.5), y.scale(ms[i]));
    }
    series(out, points, platform_colour(p.platform));
    names.push_back(p.platform);
  }
  legend(out, names);
  return close(std::move(out));
}

}  // namespace placer::report::detail
