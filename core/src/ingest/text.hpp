// Private to core's parsers: small text helpers shared by every format.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "placer/ingest/line_reader.hpp"

namespace placer::ingest::text {

// Whether `line` holds nothing but spaces and tabs.
inline bool blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

// The next line of `reader` that is not blank: true with `line` set, false at the end, or
// the reader's error. The read loop every line-oriented parser shares.
inline Result<bool> next_nonblank(LineReader& reader, std::string_view& line) {
  for (;;) {
    auto more = reader.next(line);
    if (!more || !*more || !blank(line)) {
      return more;
    }
  }
}

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

// Reads an unsigned plain decimal, DIGITS or DIGITS.DIGITS, of at most 15 digits in all,
// from `p`, and leaves `p` on the first byte after it (the caller checks what follows).
// False when `p` holds no such number or one with more digits (the caller falls back to a
// full parser). Exact: an integer below 2^53 divided by an exact power of ten is one
// correctly rounded IEEE operation (Clinger's fast path), so `out` is bit-identical to what
// std::from_chars reads from the same text.
//
// Terminated: the caller knows that a byte other than a digit follows the number before
// `end` (a line's "\n" in memory), and the reader does not test for the end per digit.
template <bool Terminated = false>
inline bool read_unsigned_decimal(const char*& p, const char* end, double& out) {
  static constexpr double k_powers_of_ten[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                               1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  std::uint64_t mantissa = 0;
  const char* const first = p;
  while ((Terminated || p != end) && static_cast<unsigned>(*p - '0') < 10) {
    mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
    ++p;
  }
  const auto integer_digits = static_cast<std::size_t>(p - first);
  if (integer_digits == 0 || integer_digits > 15) {
    return false;
  }
  if ((!Terminated && p == end) || *p != '.') {
    out = static_cast<double>(mantissa);  // below 10^15 < 2^53: exact, no division
    return true;
  }
  const char* const point = ++p;
  while ((Terminated || p != end) && static_cast<unsigned>(*p - '0') < 10) {
    mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
    ++p;
  }
  const auto fraction_digits = static_cast<std::size_t>(p - point);
  if (fraction_digits == 0 || integer_digits + fraction_digits > 15) {
    return false;
  }
  // At most 15 digits: mantissa < 10^15 < 2^53, exactly representable.
  out = static_cast<double>(mantissa) / k_powers_of_ten[fraction_digits];
  return true;
}

// The whole of `text` when it is a plain decimal, -?DIGITS or -?DIGITS.DIGITS, of at most
// 15 digits; nullopt otherwise. Bit-identical to std::from_chars, as read_unsigned_decimal.
inline std::optional<double> parse_plain_decimal(std::string_view text) {
  const char* p = text.data();
  const char* const end = p + text.size();
  const bool negative = p != end && *p == '-';
  p += negative ? 1 : 0;
  double value = 0;
  if (!read_unsigned_decimal(p, end, value) || p != end) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

// The whole of `text` as a finite number ("12", "-3.5", "1e3"); nullopt otherwise.
inline std::optional<double> parse_number(std::string_view text) {
  if (auto plain = parse_plain_decimal(text)) {
    return plain;
  }
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

// "row has 3 fields, expected 5 as in the header" (1 field, not 1 fields).
inline std::string field_count_error(std::size_t found, std::size_t expected) {
  return "row has " + std::to_string(found) + (found == 1 ? " field" : " fields") + ", expected " +
         std::to_string(expected) + " as in the header";
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
