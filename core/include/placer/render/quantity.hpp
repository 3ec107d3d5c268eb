// Numbers for people: the one formatting that notes, tables and messages share.
// Pure; thread-safe.
#pragma once

#include <string>

namespace placer {

// `value` with at most `decimals` decimals, trailing zeros dropped and thousands grouped:
// format_quantity(1234567.5) == "1,234,567.5", format_quantity(0.25, 1) == "0.2" (printf's
// rounding), format_quantity(-0.0) == "0".
std::string format_quantity(double value, int decimals = 3);

// `value` with exactly `decimals` decimals, thousands grouped: format_fixed(1234.5, 2) ==
// "1,234.50".
std::string format_fixed(double value, int decimals);

}  // namespace placer

namespace placer {

// Money for people: "$1,234.56", "-$3.10"; an amount that rounds to zero cents but is not
// zero is "<$0.01" (a function invoked a few times a month), and a non-finite one "n/a".
std::string format_usd(double usd);

// `value` for machine-read text (CSV): 10 significant digits, no grouping ("1234.5",
// "1.5e-07").
std::string format_number(double value);

// `text` as one CSV field (RFC 4180): quoted when it holds a comma, a quote or a newline.
std::string csv_field(const std::string& text);

}  // namespace placer
