#include "placer/error.hpp"

#include <gtest/gtest.h>

namespace placer {
namespace {

TEST(Error, DescribeNamesCodeMessageAndWhere) {
  EXPECT_EQ(describe(Error{ErrorCode::parse, "bad", "$.a"}), "parse: bad ($.a)");
  EXPECT_EQ(describe(Error{ErrorCode::not_found, "gone", ""}), "not_found: gone");
  EXPECT_EQ(to_string(ErrorCode::invalid_argument), "invalid_argument");
}

}  // namespace
}  // namespace placer
