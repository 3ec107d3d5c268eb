// Private to report.html: escaping and the number formats the page prints. Pure;
// thread-safe; no locale: the same value always gives the same bytes.
#pragma once

#include <string>
#include <string_view>

namespace placer::report::detail {

// Appends `text` with & < > " ' replaced by character references, so it is safe both as
// element content and inside a quoted attribute; the colon of "://" too, so that no text
// from a Report puts a URL into the page's source ("https&#58;//x" reads "https://x").
void append_escaped(std::string& out, std::string_view text);
std::string escaped(std::string_view text);

// An SVG coordinate: fixed, one decimal ("220.0"), locale-free; a non-finite value is
// printed as "0.0" (callers clamp first; this only keeps NaN out of the page).
std::string coord(double value);

// A short axis label: 0.25 -> "0.25", 1500 -> "1.5k", 2e6 -> "2M", 3e9 -> "3G".
std::string compact(double value);

// Money as tables show it: format_usd ("$1,234.56", "<$0.01", "n/a").
std::string usd(double value);

}  // namespace placer::report::detail
