// Timestamps as users' exports write them, normalised to UTC epoch seconds.
#pragma once

#include <optional>
#include <string_view>

namespace placer::ingest {

// "1732468200", "1732468200.125": epoch seconds with an optional fraction.
// nullopt when `text` is not such a number or is not finite.
std::optional<double> parse_epoch_seconds(std::string_view text);

// RFC 3339: "2026-11-24T17:30:00Z", "2026-11-24T18:30:00.5+01:00" (a space may stand for
// the "T"; "z" and "t" are accepted; an offset may omit its colon, "+0100"). nullopt when malformed, out of range (month 13,
// 25:00) or without a zone designator.
std::optional<double> parse_rfc3339(std::string_view text);

// Either of the above.
std::optional<double> parse_timestamp(std::string_view text);

}  // namespace placer::ingest
