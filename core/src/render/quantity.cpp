#include "placer/render/quantity.hpp"

#include <cmath>
#include <cstdio>

namespace placer {
namespace {

// Inserts thousands separators into the integer part of a formatted number.
std::string group_thousands(const std::string& text) {
  const std::size_t dot = text.find('.');
  const std::size_t int_end = dot == std::string::npos ? text.size() : dot;
  const std::size_t int_begin = (!text.empty() && text[0] == '-') ? 1 : 0;
  std::string out;
  out.reserve(text.size() + text.size() / 3);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i > int_begin && i < int_end && (int_end - i) % 3 == 0) {
      out.push_back(',');
    }
    out.push_back(text[i]);
  }
  return out;
}

}  // namespace

std::string format_quantity(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') {
      text.pop_back();
    }
    if (text.back() == '.') {
      text.pop_back();
    }
  }
  return group_thousands(text == "-0" ? "0" : text);
}

std::string format_fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return group_thousands(buffer);
}

}  // namespace placer

namespace placer {

std::string format_usd(double usd) {
  if (!std::isfinite(usd)) {
    return "n/a";
  }
  if (usd != 0 && std::fabs(usd) < 0.005) {
    return usd > 0 ? "<$0.01" : "-<$0.01";
  }
  const std::string text = format_fixed(std::fabs(usd), 2);
  return (usd < 0 ? "-$" : "$") + text;
}

std::string format_number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.10g", value);
  return buffer;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) {
    return text;
  }
  std::string out = "\"";
  for (char ch : text) {
    out += ch;
    if (ch == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

}  // namespace placer
