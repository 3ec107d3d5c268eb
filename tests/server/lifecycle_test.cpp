// Auth on and off, the access log, health checks beside a long request, shutdown with a
// request in flight, and the OpenAPI document against the routes really served.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "server_support.hpp"

namespace placer::testing {
namespace {

using nlohmann::json;

constexpr const char* k_cost_body = R"({"platform": "fargate", "vcpu": 1, "memory_mib": 2048})";

TEST(ServerAuth, OffByDefault) {
  TestServer server;
  auto reply = server.client().Post("/v1/cost", k_cost_body, "application/json");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
}

TEST(ServerAuth, TokenRequiredOnV1Only) {
  server::ServiceOptions options;
  options.auth_token = "s3cret-token";
  TestServer server{options};
  auto client = server.client();
  auto anonymous = client.Post("/v1/cost", k_cost_body, "application/json");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(anonymous->get_header_value("Content-Type"), "application/problem+json");
  EXPECT_EQ(json::parse(anonymous->body)["code"], "unauthorized");
  EXPECT_EQ(anonymous->get_header_value("WWW-Authenticate"), "Bearer realm=\"placer\"");
  auto wrong = client.Get("/v1/pricing", {{"Authorization", "Bearer s3cret-tokem"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  auto prefix = client.Get("/v1/pricing", {{"Authorization", "Bearer s3cret"}});
  ASSERT_TRUE(prefix);
  EXPECT_EQ(prefix->status, 401);
  auto ok = client.Post("/v1/cost", {{"Authorization", "Bearer s3cret-token"}}, k_cost_body,
                        "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  auto health = client.Get("/healthz");  // probes carry no token
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST(ServerAuth, TokensCompareExactly) {
  EXPECT_TRUE(server::tokens_equal("abc", "abc"));
  EXPECT_FALSE(server::tokens_equal("abd", "abc"));
  EXPECT_FALSE(server::tokens_equal("ab", "abc"));
  EXPECT_FALSE(server::tokens_equal("abcd", "abc"));
  EXPECT_FALSE(server::tokens_equal("", "abc"));
}

TEST(ServerAuth, TokenFileIsTrimmedAndMustNotBeEmpty) {
  const std::string path = ::testing::TempDir() + "placer_token_" + std::to_string(getpid());
  std::ofstream{path} << "  tok-en\n";
  auto token = server::read_token_file(path);
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(*token, "tok-en");
  std::ofstream{path} << "\n";
  EXPECT_EQ(server::read_token_file(path).error().code, ErrorCode::invalid_argument);
  std::remove(path.c_str());
  EXPECT_EQ(server::read_token_file(path).error().code, ErrorCode::not_found);
}

// Headers of a POST /v1/cost whose body will be sent later.
std::string half_request(std::size_t body_size) {
  return "POST /v1/cost HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "Connection: close\r\nContent-Length: " +
         std::to_string(body_size) + "\r\n\r\n";
}

TEST(ServerLifecycle, HealthAnswersWhileARequestIsInFlight) {
  TestServer server;
  RawConnection slow{server.port()};
  ASSERT_TRUE(slow.connected());
  const std::string body = k_cost_body;
  ASSERT_TRUE(slow.send(half_request(body.size()) + body.substr(0, 10)));
  std::this_thread::sleep_for(std::chrono::milliseconds{50});
  auto health = server.client().Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  ASSERT_TRUE(slow.send(body.substr(10)));
  EXPECT_NE(slow.read_all().find("HTTP/1.1 200"), std::string::npos);
}

TEST(ServerLifecycle, ShutdownFinishesTheRequestInFlight) {
  std::ostringstream log;
  server::ServiceOptions options;
  options.log = &log;
  TestServer server{options};
  RawConnection slow{server.port()};
  ASSERT_TRUE(slow.connected());
  const std::string body = k_cost_body;
  ASSERT_TRUE(slow.send(half_request(body.size()) + body.substr(0, 10)));
  std::this_thread::sleep_for(std::chrono::milliseconds{50});
  auto stopped = std::async(std::launch::async, [&server] { server.stop(); });
  // Draining: no new connections, the half-read request still being served.
  EXPECT_EQ(stopped.wait_for(std::chrono::milliseconds{200}), std::future_status::timeout);
  ASSERT_TRUE(slow.send(body.substr(10)));
  const std::string response = slow.read_all();
  EXPECT_NE(response.find("HTTP/1.1 200"), std::string::npos) << response;
  EXPECT_NE(response.find("\"platform\": \"fargate\""), std::string::npos);
  ASSERT_EQ(stopped.wait_for(std::chrono::seconds{5}), std::future_status::ready);
  EXPECT_TRUE(server.ran());
  EXPECT_FALSE(server.client().Get("/healthz"));  // nobody listens any more

  // One JSON line per request, without the body.
  std::istringstream lines{log.str()};
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    auto entry = json::parse(line);
    EXPECT_EQ(entry["method"], "POST");
    EXPECT_EQ(entry["path"], "/v1/cost");
    EXPECT_EQ(entry["status"], 200);
    EXPECT_GE(entry["duration_ms"].get<double>(), 0.0);
    EXPECT_GT(entry["bytes"].get<int>(), 0);
    EXPECT_EQ(line.find("fargate"), std::string::npos) << "a body leaked into the log";
  }
  EXPECT_EQ(count, 1);
}

TEST(ServerOpenApi, DescribesExactlyTheRoutesServed) {
  TestServer server;
  auto client = server.client();
  auto reply = client.Get("/openapi.json");
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200);
  auto doc = json::parse(reply->body);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  std::ifstream committed{std::string{PLACER_SOURCE_SERVER_DIR} + "/openapi.json"};
  EXPECT_EQ(doc, json::parse(committed));
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      std::string upper = method;
      std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
      documented.emplace(upper, path);
      EXPECT_TRUE(operation.contains("responses")) << path;
    }
  }
  std::set<std::pair<std::string, std::string>> served;
  for (const server::Route& route : server.service().routes()) {
    served.emplace(route.method, route.path);
  }
  EXPECT_EQ(documented, served);
  // And each documented route really answers (neither 404 nor 405).
  for (const auto& [method, path] : documented) {
    SCOPED_TRACE(method + " " + path);
    auto answer = method == "GET" ? client.Get(path.c_str())
                                  : client.Post(path.c_str(), "{}", "application/json");
    ASSERT_TRUE(answer);
    EXPECT_NE(answer->status, 404);
    EXPECT_NE(answer->status, 405);
  }
}

}  // namespace
}  // namespace placer::testing
