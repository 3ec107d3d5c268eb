#include "placer/server/problem.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace placer::server {
namespace {

TEST(Problem, EveryErrorCodeHasItsStatus) {
  EXPECT_EQ(http_status_for(ErrorCode::invalid_argument), 400);
  EXPECT_EQ(http_status_for(ErrorCode::parse), 422);
  EXPECT_EQ(http_status_for(ErrorCode::not_found), 404);
  EXPECT_EQ(http_status_for(ErrorCode::unsupported), 501);
  EXPECT_EQ(http_status_for(ErrorCode::io), 500);
  EXPECT_EQ(http_status_for(ErrorCode::internal), 500);
}

TEST(Problem, BodyFollowsRfc9457) {
  Problem p = problem_from(Error{ErrorCode::not_found, "unknown instance type", "instance_type"},
                           "/v1/cost");
  auto doc = nlohmann::json::parse(problem_json(p));
  EXPECT_EQ(doc["type"], "/problems/not_found");
  EXPECT_EQ(doc["title"], "Not found");
  EXPECT_EQ(doc["status"], 404);
  EXPECT_EQ(doc["detail"], "unknown instance type");
  EXPECT_EQ(doc["instance"], "/v1/cost");
  EXPECT_EQ(doc["code"], "not_found");
  EXPECT_EQ(doc["where"], "instance_type");
}

}  // namespace
}  // namespace placer::server
