// Every error status the service answers, as problem+json with code and where.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server_support.hpp"

namespace placer::testing {
namespace {

using nlohmann::json;

// The reply's problem document, after checking status and media type.
json problem_of(const httplib::Result& reply, int status) {
  EXPECT_TRUE(reply);
  if (!reply) {
    return {};
  }
  EXPECT_EQ(reply->status, status) << reply->body;
  EXPECT_EQ(reply->get_header_value("Content-Type"), "application/problem+json");
  json doc = json::parse(reply->body, nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << reply->body;
  EXPECT_EQ(doc["status"], status);
  for (const char* key : {"type", "title", "status", "detail", "code", "where"}) {
    EXPECT_TRUE(doc.contains(key)) << key << " in " << reply->body;
  }
  return doc;
}

TEST(ServerErrors, MalformedJsonIs400WithLineAndColumn) {
  TestServer server;
  auto client = server.client();
  auto doc = problem_of(client.Post("/v1/cost", "{\"platform\": \"lambda\",\n  \"memory_mib\": }",
                                    "application/json"),
                        400);
  EXPECT_EQ(doc["code"], "malformed_json");
  EXPECT_EQ(doc["where"], "2:17");
  EXPECT_EQ(doc["instance"], "/v1/cost");
  auto analyze = problem_of(client.Post("/v1/analyze", "[1, 2", "application/json"), 400);
  EXPECT_EQ(analyze["code"], "malformed_json");
}

TEST(ServerErrors, OversizedBodyIs413) {
  server::ServiceOptions options;
  options.max_body_bytes = 1024;
  TestServer server{options};
  auto client = server.client();
  auto doc = problem_of(client.Post("/v1/analyze", std::string(4096, 'x'), "text/csv"), 413);
  EXPECT_EQ(doc["code"], "payload_too_large");
  // The service keeps answering on a fresh connection.
  auto health = server.client().Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST(ServerErrors, UnknownContentTypeIs415) {
  TestServer server;
  auto client = server.client();
  auto doc = problem_of(
      client.Post("/v1/cost", "platform=lambda", "application/x-www-form-urlencoded"), 415);
  EXPECT_EQ(doc["code"], "unsupported_media_type");
  EXPECT_EQ(doc["where"], "Content-Type");
  problem_of(client.Post("/v1/analyze", "<xml/>", "application/xml"), 415);
}

struct Unusable {
  const char* path;
  const char* body;
  const char* content_type;
  const char* code;
  const char* where;
};

TEST(ServerErrors, WellFormedButUnusableIs422WithTheJsonPath) {
  const Unusable cases[] = {
      {"/v1/cost", R"({"memory_mib": 128})", "application/json", "invalid_argument", "$.platform"},
      {"/v1/cost", R"({"platform": "lambda"})", "application/json", "invalid_argument",
       "$.memory_mib"},
      {"/v1/cost", R"({"platform": "lambda", "memory_mib": 128, "requests": -5})",
       "application/json", "invalid_argument", "$.requests"},
      {"/v1/cost", R"({"platform": "lambda", "memory_mib": "big"})", "application/json",
       "invalid_argument", "$.memory_mib"},
      {"/v1/cost", R"({"platform": "lambda", "memory_mib": 64})", "application/json",
       "invalid_argument", "$.memory_mib"},
      {"/v1/cost", R"({"platform": "lambda", "memory_mib": 128, "requets": 5})", "application/json",
       "invalid_argument", "$.requets"},
      {"/v1/cost", R"({"platform": "kubernetes", "instance_type": "m99.huge", "nodes": 1})",
       "application/json", "not_found", "$.instance_type"},
      {"/v1/cost", R"({"platform": "kubernetes", "instance_type": "m5.large"})", "application/json",
       "invalid_argument", "$"},
      {"/v1/cost",
       R"({"platform": "kubernetes", "instance_type": "m5.large", "node_schedule": "3:x"})",
       "application/json", "invalid_argument", "$.node_schedule"},
      {"/v1/cost", "[1, 2]", "application/json", "invalid_argument", "$"},
      {"/v1/analyze", R"({"workload": {"memory_mib": 512}})", "application/json",
       "invalid_argument", "$.trace"},
      {"/v1/analyze", R"({"trace": {"format": "requests", "requests": [[1, 5], [2, "x"]]}})",
       "application/json", "invalid_argument", "$.trace.requests[1]"},
      {"/v1/analyze", R"({"trace": {"format": "carrier-pigeon", "content": "x"}})",
       "application/json", "invalid_argument", "$.trace.format"},
      {"/v1/analyze",
       R"({"trace": {"format": "requests", "content": "timestamp,duration_ms\n1,5\nnope,7\n"}})",
       "application/json", "parse", "$.trace.content:3"},
      {"/v1/analyze", R"({"workload": {"memory_mib": 512, "colour": "red"}, "trace": {}})",
       "application/json", "invalid_argument", "$.workload.colour"},
      {"/v1/analyze",
       R"({"options": {"set": {"lambda.keep_alive_s": -1}}, "trace": {"format": "requests", "requests": [[1, 5]]}})",
       "application/json", "invalid_argument", "$.options.set.lambda.keep_alive_s"},
      {"/v1/analyze", R"({"workload": {"slo": {"p99": 5}}, "trace": {"format": "requests", "requests": [[1, 5]]}})",
       "application/json", "invalid_argument", "$.workload.slo.p99"},
      {"/v1/analyze", R"({"workload": {"current": "mainframe"}, "trace": {"format": "requests", "requests": [[1, 5]]}})",
       "application/json", "invalid_argument", "$.workload.current"},
      {"/v1/analyze", R"({"trace": {"format": "requests", "requests": []}})", "application/json",
       "invalid_argument", "$.trace"},
      {"/v1/analyze?memory_mib=lots", "timestamp,duration_ms\n1,5\n", "text/csv",
       "invalid_argument", "?memory_mib"},
      {"/v1/analyze?memory_mib=512", "timestamp,duration_ms\n1,-5\n", "text/csv", "parse",
       "body:2"},
      {"/v1/analyze?memory_mib=512", "timestamp,duration_ms,workload\n1,5,a\n2,5,b\n", "text/csv",
       "invalid_argument", "?name"},
  };
  TestServer server;
  auto client = server.client();
  for (const Unusable& c : cases) {
    SCOPED_TRACE(std::string{c.path} + " " + c.body);
    auto doc = problem_of(client.Post(c.path, c.body, c.content_type), 422);
    EXPECT_EQ(doc["code"], c.code);
    EXPECT_EQ(doc["where"], c.where);
  }
}

TEST(ServerErrors, UnknownRouteIs404AndWrongMethodIs405) {
  TestServer server;
  auto client = server.client();
  auto missing = problem_of(client.Get("/v2/cost"), 404);
  EXPECT_EQ(missing["code"], "not_found");
  auto reply = client.Get("/v1/cost");
  auto wrong = problem_of(reply, 405);
  EXPECT_EQ(wrong["code"], "method_not_allowed");
  EXPECT_EQ(reply->get_header_value("Allow"), "POST");
  auto post_health = client.Post("/healthz", "{}", "application/json");
  problem_of(post_health, 405);
  EXPECT_EQ(post_health->get_header_value("Allow"), "GET");
}

}  // namespace
}  // namespace placer::testing
