// Private to core's parsers: small text helpers shared by every format.
#pragma once

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace placer::ingest::text {

// `text` cut to 40 characters ("..." after), control and non-ASCII bytes shown as "?":
// safe to quote in a one-line error message.
inline std::string shorten(std::string_view text) {
  constexpr std::size_t k_max = 40;
  std::string out{text.substr(0, k_max)};
  if (text.size() > k_max) {
    out += "...";
  }
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      c = '?';
    }
  }
  return out;
}

// The whole of `text` as a finite number ("12", "-3.5", "1e3"); nullopt otherwise.
inline std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// `value` in the fewest digits that read back as it ("0.5", "1435781445.781", "1e-05"), and
// NaN, +Inf, -Inf as Prometheus and Go spell them: for quoting numbers in messages.
inline std::string number(double value) {
  if (std::isnan(value)) {
    return "NaN";
  }
  if (std::isinf(value)) {
    return value > 0 ? "+Inf" : "-Inf";
  }
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc{} ? std::string{buffer, end} : std::to_string(value);
}

// Splits `line` at every comma into views of `line` (no quoting: for CSVs whose fields
// never hold commas, such as the Azure traces).
inline void split_commas(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t pos = 0;
  for (;;) {
    std::size_t comma = line.find(',', pos);
    if (comma == std::string_view::npos) {
      out.push_back(line.substr(pos));
      return;
    }
    out.push_back(line.substr(pos, comma - pos));
    pos = comma + 1;
  }
}

}  // namespace placer::ingest::text
