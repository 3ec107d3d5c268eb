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

TEST(Problem, RequestContentErrorsAre422ButBugsStay500) {
  for (ErrorCode code : {ErrorCode::invalid_argument, ErrorCode::parse, ErrorCode::not_found,
                         ErrorCode::unsupported}) {
    Problem p = problem_from(Error{code, "bad", "$.x"}, "/v1/cost", Origin::request_content);
    EXPECT_EQ(p.status, 422) << to_string(code);
    EXPECT_EQ(p.code, to_string(code));
    EXPECT_EQ(p.where, "$.x");
  }
  EXPECT_EQ(
      problem_from(Error{ErrorCode::internal, "bug", ""}, "/", Origin::request_content).status,
      500);
  EXPECT_EQ(problem_from(Error{ErrorCode::io, "disk", ""}, "/", Origin::request_content).status,
            500);
}

TEST(Problem, HttpProblemsHaveTitlesAndStableTypes) {
  Problem p = http_problem(413, "payload_too_large", "too big", "/v1/analyze");
  EXPECT_EQ(p.type, "/problems/payload_too_large");
  EXPECT_EQ(p.title, "Content too large");
  EXPECT_EQ(p.status, 413);
  EXPECT_EQ(http_problem(405, "method_not_allowed", "", "/").title, "Method not allowed");
  EXPECT_EQ(http_problem(415, "unsupported_media_type", "", "/").title, "Unsupported media type");
}

}  // namespace
}  // namespace placer::server
