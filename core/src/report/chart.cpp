#include "chart.hpp"

#include <algorithm>
#include <cmath>

#include "markup.hpp"

namespace placer::report::detail {
namespace {

// A label's width, estimated: 12px system sans averages under 7 units a character.
constexpr double k_char_width = 7;

double text_width(std::string_view text) { return static_cast<double>(text.size()) * k_char_width; }

std::string point(double x, double y) { return coord(x) + "," + coord(y); }

void line(std::string& out, double x1, double y1, double x2, double y2,
          std::string_view css_class) {
  out += "<line class=\"";
  out += css_class;
  out += "\" x1=\"" + coord(x1) + "\" y1=\"" + coord(y1) + "\" x2=\"" + coord(x2) + "\" y2=\"" +
         coord(y2) + "\"/>";
}

}  // namespace

Scale::Scale(double lo, double hi, double from, double to, bool log)
    : lo_(lo), hi_(hi), from_(from), to_(to), log_(log) {}

Scale Scale::linear(double lo, double hi, double from, double to) {
  if (!std::isfinite(lo)) {
    lo = 0;
  }
  if (!std::isfinite(hi) || !(hi > lo)) {
    hi = lo + 1;
  }
  return Scale(lo, hi, from, to, false);
}

Scale Scale::log(double lo, double hi, double from, double to) {
  if (!std::isfinite(lo) || !(lo > 0)) {
    lo = 1;
  }
  if (!std::isfinite(hi) || !(hi > lo)) {
    hi = lo * 10;
  }
  return Scale(lo, hi, from, to, true);
}

double Scale::operator()(double value) const {
  if (!std::isfinite(value) || (log_ && !(value > 0))) {
    value = lo_;
  }
  value = std::clamp(value, lo_, hi_);
  const double t = log_
                       ? (std::log10(value) - std::log10(lo_)) / (std::log10(hi_) - std::log10(lo_))
                       : (value - lo_) / (hi_ - lo_);
  return from_ + t * (to_ - from_);
}

LinearTicks nice_linear(double max) {
  if (!std::isfinite(max) || !(max > 0)) {
    max = 1;
  }
  const double raw = max / 4;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double n = raw / magnitude;
  const double step = (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * magnitude;
  const int steps = std::max(1, static_cast<int>(std::ceil(max / step - 1e-9)));
  LinearTicks ticks{step * steps, {}};
  for (int i = 0; i <= steps; ++i) {
    ticks.values.push_back(step * i);
  }
  return ticks;
}

Range decade_range(double lo, double hi) {
  Range range{std::pow(10.0, std::floor(std::log10(lo))),
              std::pow(10.0, std::ceil(std::log10(hi)))};
  if (!(range.hi > range.lo)) {
    range.hi = range.lo * 10;
  }
  return range;
}

std::vector<double> log_ticks(double lo, double hi) {
  std::vector<double> all;
  std::vector<double> decades;
  const int first = static_cast<int>(std::floor(std::log10(lo)));
  const int last = static_cast<int>(std::ceil(std::log10(hi)));
  for (int k = first; k <= last; ++k) {
    for (const double m : {1.0, 2.0, 5.0}) {
      const double v = m * std::pow(10.0, k);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) {
        all.push_back(v);
        if (m == 1.0) {
          decades.push_back(v);
        }
      }
    }
  }
  if (all.size() > 7 && decades.size() >= 2) {
    return decades;
  }
  if (all.size() < 2) {
    return {lo, hi};
  }
  return all;
}

std::string_view platform_colour(std::string_view platform) {
  if (platform == "lambda") {
    return "#e8710a";
  }
  if (platform == "kubernetes") {
    return "#2563eb";
  }
  if (platform == "fargate") {
    return "#15803d";
  }
  return "#6b7280";
}

void open_chart(std::string& out, std::string_view kind, std::string_view title) {
  out += "<svg class=\"chart chart-";
  out += kind;
  out += "\" role=\"img\" viewBox=\"0 0 " + coord(k_chart_width) + " " + coord(k_chart_height) +
         "\"><title>";
  append_escaped(out, title);
  out += "</title>";
}

void y_unit(std::string& out, std::string_view unit) { label(out, 4, 14, "start", "unit", unit); }

void x_axis(std::string& out, const Scale& x, const std::vector<Tick>& ticks,
            std::string_view title) {
  double last_end = -1e9;  // right edge of the last label drawn
  for (const Tick& tick : ticks) {
    const double px = x(tick.value);
    const double width = text_width(tick.label);
    std::string_view anchor = "middle";
    double left = px - width / 2;
    if (px + width / 2 > k_chart_width - 2) {
      anchor = "end";
      left = px - width;
    } else if (left < 2) {
      anchor = "start";
      left = px;
    }
    if (left < last_end + 6) {
      continue;  // would overlap the previous label
    }
    last_end = left + width;
    if (px > k_plot_left + 0.5) {  // not over the y axis
      line(out, px, k_plot_top, px, k_plot_bottom, "grid");
    }
    label(out, px, k_plot_bottom + 15, anchor, "tick", tick.label);
  }
  line(out, k_plot_left, k_plot_bottom, k_plot_right, k_plot_bottom, "axis");
  label(out, (k_plot_left + k_plot_right) / 2, k_plot_bottom + 33, "middle", "title", title);
}

void y_axis(std::string& out, const Scale& y, const std::vector<Tick>& ticks) {
  double last = 1e9;  // pixel of the last label drawn; labels go upwards
  for (const Tick& tick : ticks) {
    const double py = y(tick.value);
    if (last - py < 14) {
      continue;
    }
    last = py;
    if (py < k_plot_bottom - 0.5) {  // not over the x axis
      line(out, k_plot_left, py, k_plot_right, py, "grid");
    }
    label(out, k_plot_left - 5, py + 4, "end", "tick", tick.label);
  }
  line(out, k_plot_left, k_plot_top, k_plot_left, k_plot_bottom, "axis");
}

void legend(std::string& out, const std::vector<std::string>& platforms) {
  double width = 0;
  for (const std::string& platform : platforms) {
    width += 16 + text_width(platform) + 10;
  }
  double x = std::max(k_chart_width / 3, k_plot_right - width + 10);
  for (const std::string& platform : platforms) {
    out += "<rect x=\"" + coord(x) + "\" y=\"7\" width=\"12\" height=\"8\" fill=\"";
    out += platform_colour(platform);
    out += "\"/>";
    label(out, x + 16, 15, "start", "legend", platform);
    x += 16 + text_width(platform) + 10;
  }
}

void series(std::string& out, const std::vector<std::pair<double, double>>& points,
            std::string_view colour) {
  if (points.size() > 1) {
    out += "<polyline class=\"series\" stroke=\"";
    out += colour;
    out += "\" points=\"";
    for (std::size_t i = 0; i < points.size(); ++i) {
      out += (i == 0 ? "" : " ") + point(points[i].first, points[i].second);
    }
    out += "\"/>";
  }
  for (const auto& [x, y] : points) {
    out += "<circle cx=\"" + coord(x) + "\" cy=\"" + coord(y) + "\" r=\"2.5\" fill=\"";
    out += colour;
    out += "\"/>";
  }
}

void marker(std::string& out, Direction direction, double at, std::string_view css_class) {
  if (direction == Direction::vertical) {
    line(out, at, k_plot_top, at, k_plot_bottom, css_class);
  } else {
    line(out, k_plot_left, at, k_plot_right, at, css_class);
  }
}

void label(std::string& out, double x, double y, std::string_view anchor,
           std::string_view css_class, std::string_view text) {
  out += "<text class=\"";
  out += css_class;
  out += "\" x=\"" + coord(x) + "\" y=\"" + coord(y) + "\"";
  if (anchor != "start") {
    out += " text-anchor=\"";
    out += anchor;
    out += "\"";
  }
  out += ">";
  append_escaped(out, text);
  out += "</text>";
}

void empty_plot(std::string& out, std::string_view text) {
  out += "<rect class=\"frame\" x=\"" + coord(k_plot_left) + "\" y=\"" + coord(k_plot_top) +
         "\" width=\"" + coord(k_plot_right - k_plot_left) + "\" height=\"" +
         coord(k_plot_bottom - k_plot_top) + "\"/>";
  label(out, (k_plot_left + k_plot_right) / 2, (k_plot_top + k_plot_bottom) / 2, "middle", "note",
        text);
}

}  // namespace placer::report::detail
