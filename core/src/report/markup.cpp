#include "markup.hpp"

#include <charconv>
#include <cmath>

#include "placer/render/quantity.hpp"

namespace placer::report::detail {

void append_escaped(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case ':':  // "https://" in a name or an error reads the same but is no URL in the page
        out += text.substr(i + 1, 2) == "//" ? "&#58;" : ":";
        break;
      default:
        out.push_back(c);
    }
  }
}

std::string escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text);
  return out;
}

std::string coord(double value) {
  if (!std::isfinite(value)) {
    value = 0;
  }
  char buffer[32];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 1);
  std::string text(buffer, result.ptr);
  return text == "-0.0" ? "0.0" : text;
}

std::string compact(double value) {
  if (!std::isfinite(value)) {
    return "n/a";
  }
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e9) {
    return format_quantity(value / 1e9, 2) + "G";
  }
  if (magnitude >= 1e6) {
    return format_quantity(value / 1e6, 2) + "M";
  }
  if (magnitude >= 1e3) {
    return format_quantity(value / 1e3, 2) + "k";
  }
  return format_quantity(value, magnitude < 0.01 ? 4 : 2);
}

std::string usd(double value) { return format_usd(value); }

}  // namespace placer::report::detail
