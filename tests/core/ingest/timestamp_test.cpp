// Timestamps against independently known instants (`date -u -d ... +%s`).
#include "placer/ingest/timestamp.hpp"

#include <gtest/gtest.h>

namespace placer::ingest {
namespace {

TEST(Timestamp, ParsesRfc3339WithZoneAndFraction) {
  // date -u -d 2021-01-31T00:00:00Z +%s = 1612051200
  EXPECT_DOUBLE_EQ(*parse_rfc3339("2021-01-31T00:00:00Z"), 1612051200.0);
  EXPECT_DOUBLE_EQ(*parse_rfc3339("2021-01-31T01:00:00.25+01:00"), 1612051200.25);
  EXPECT_DOUBLE_EQ(*parse_rfc3339("2021-01-30 19:00:00-05:00"), 1612051200.0);
  EXPECT_DOUBLE_EQ(*parse_rfc3339("2024-02-29T00:00:00Z"), 1709164800.0);  // leap day
  EXPECT_DOUBLE_EQ(*parse_rfc3339("1970-01-01T00:00:00z"), 0.0);
  EXPECT_DOUBLE_EQ(*parse_rfc3339("2021-01-31 01:00:00+0100"), 1612051200.0);
}

TEST(Timestamp, RejectsMalformedOrZonelessTimes) {
  for (const char* bad : {"2021-01-31T00:00:00", "2021-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
                          "2021-01-31T24:00:00Z", "2021-01-31T00:00:00.Z", "2021-1-31T00:00:00Z",
                          "2021-01-31T00:00:00Zjunk", "", "yesterday"}) {
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
  }
}

TEST(Timestamp, ParsesEpochSeconds) {
  EXPECT_DOUBLE_EQ(*parse_timestamp("1612051200.125"), 1612051200.125);
  EXPECT_DOUBLE_EQ(*parse_timestamp("0"), 0.0);
  EXPECT_FALSE(parse_epoch_seconds("nan"));
  EXPECT_FALSE(parse_epoch_seconds("1e400"));
  EXPECT_FALSE(parse_epoch_seconds("12abc"));
}

}  // namespace
}  // namespace placer::ingest
