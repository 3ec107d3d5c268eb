// Private to report.html: the pieces every inline SVG chart is drawn with. One viewBox and
// one plot area for all charts; scales that never produce a non-finite pixel; "nice" ticks;
// axes, legend and marks appended to an SVG string. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace placer::report::detail {

// Every chart's viewBox is 0 0 k_chart_width k_chart_height (SVG user units); data is
// drawn inside the plot area [k_plot_left, k_plot_right] x [k_plot_top, k_plot_bottom];
// y grows downwards. The margins hold tick labels, the unit, the legend and the x title.
inline constexpr double k_chart_width = 360;
inline constexpr double k_chart_height = 240;
inline constexpr double k_plot_left = 48;
inline constexpr double k_plot_right = 348;
inline constexpr double k_plot_top = 30;
inline constexpr double k_plot_bottom = 200;

// Maps a data value in [lo, hi] to a pixel in [from, to], linearly or by log10. A value
// outside is clamped to the nearer end, and a non-finite one (or, on a log scale, one <= 0)
// to lo, so the pixel is always finite. Requires: lo < hi, and 0 < lo on a log scale (the
// factories repair a range that breaks this rather than fail).
class Scale {
 public:
  static Scale linear(double lo, double hi, double from, double to);
  static Scale log(double lo, double hi, double from, double to);
  double operator()(double value) const;
  bool contains(double value) const { return value >= lo_ && value <= hi_; }
  bool is_log() const { return log_; }
  double lo() const { return lo_; }
  double hi() const { return hi_; }

 private:
  Scale(double lo, double hi, double from, double to, bool log);
  double lo_, hi_, from_, to_;
  bool log_;
};

struct Tick {
  double value;
  std::string label;
};

// A linear axis from 0: its top (>= `max`, 1, 2, 2.5 or 5 times a power of ten steps,
// about four of them) and the tick values 0, step, ..., top. `max` <= 0 or non-finite gives
// 0..1.
struct LinearTicks {
  double top;
  std::vector<double> values;
};
LinearTicks nice_linear(double max);

// [10^floor(log10 lo), 10^ceil(log10 hi)], at least one decade. Requires: 0 < lo <= hi.
struct Range {
  double lo, hi;
};
Range decade_range(double lo, double hi);

// Tick values of a log axis over [lo, hi]: 1, 2, 5 times powers of ten, only the powers of
// ten when that gives more than seven, and lo and hi when fewer than two fall inside.
std::vector<double> log_ticks(double lo, double hi);

// The platform's colour: lambda orange, kubernetes blue, fargate green, others grey.
std::string_view platform_colour(std::string_view platform);

// Opens `<svg class="chart chart-KIND" role="img" viewBox=...>` with `<title>`.
void open_chart(std::string& out, std::string_view kind, std::string_view title);
// The unit of the y axis, top left ("req/s", "USD/month, log scale").
void y_unit(std::string& out, std::string_view unit);
// Tick labels (crowded ones dropped), grid and the axis line; `title` under the x axis.
void x_axis(std::string& out, const Scale& x, const std::vector<Tick>& ticks,
            std::string_view title);
void y_axis(std::string& out, const Scale& y, const std::vector<Tick>& ticks);
// A swatch and name per platform, right-aligned above the plot area.
void legend(std::string& out, const std::vector<std::string>& platforms);
// A line through `points` (x, y pixel pairs) with a dot on each.
void series(std::string& out, const std::vector<std::pair<double, double>>& points,
            std::string_view colour);
// A dashed line across the plot area at pixel `at`: vertical (x) or horizontal (y).
enum class Direction { vertical, horizontal };
void marker(std::string& out, Direction direction, double at, std::string_view css_class);
// `text` (escaped) at (x, y), anchored "start", "middle" or "end".
void label(std::string& out, double x, double y, std::string_view anchor,
           std::string_view css_class, std::string_view text);
// The plot area's frame with `text` in its middle: a chart with nothing to draw.
void empty_plot(std::string& out, std::string_view text);

}  // namespace placer::report::detail
