// Every route's success path against the real service; answers compared with the CLI's.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../cli/cli_support.hpp"
#include "placer/render/pricing_json.hpp"
#include "placer/render/simulation_json.hpp"
#include "placer/version.hpp"
#include "server_support.hpp"

namespace placer::testing {
namespace {

using nlohmann::json;

TEST(ServerRoutes, HealthReadinessAndVersion) {
  TestServer server;
  auto client = server.client();
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(json::parse(health->body)["status"], "ok");
  auto ready = client.Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  auto version = client.Get("/version");
  ASSERT_TRUE(version);
  EXPECT_EQ(version->status, 200);
  auto doc = json::parse(version->body);
  EXPECT_EQ(doc["version"], std::string{k_placer_version});
  EXPECT_EQ(doc["catalog"]["id"], test_catalog().id);
  EXPECT_EQ(doc["models"], json(test_models().ids));
}

TEST(ServerRoutes, PricingAndModelsAreCoresDocuments) {
  TestServer server;
  auto client = server.client();
  auto pricing = client.Get("/v1/pricing");
  ASSERT_TRUE(pricing);
  EXPECT_EQ(pricing->status, 200);
  EXPECT_EQ(pricing->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(pricing->body, pricing_json(test_catalog()));
  auto models = client.Get("/v1/models");
  ASSERT_TRUE(models);
  EXPECT_EQ(models->status, 200);
  EXPECT_EQ(models->body, models_json(test_models()));
}

// The body of POST /v1/cost and the `placer cost` flags it stands for.
struct CostCase {
  const char* body;
  const char* flags;
};

TEST(ServerRoutes, CostAnswersByteForByteAsTheCli) {
  const CostCase cases[] = {
      {R"({"platform": "lambda", "memory_mib": 1536, "requests": 3000000, "duration_ms": 120,
           "free_tier": true})",
       "cost lambda --memory-mib 1536 --requests 3000000 --duration-ms 120 --free-tier"},
      {R"({"platform": "lambda", "arch": "arm64", "memory_mib": 1536, "requests": 2500000,
           "duration_ms": 120, "pc_count": 100, "pc_hours": 8, "pc_requests": 500000,
           "pc_duration_ms": 100})",
       "cost lambda --arch arm64 --memory-mib 1536 --requests 2500000 --duration-ms 120 "
       "--pc-count 100 --pc-hours 8 --pc-requests 500000 --pc-duration-ms 100"},
      {R"({"platform": "kubernetes", "instance_type": "m6i.large", "node_schedule": "3:500,6:230"})",
       "cost kubernetes --instance-type m6i.large --node-schedule 3:500,6:230"},
      {R"({"platform": "k8s", "instance_type": "m5.large", "pods": 10, "pod_vcpu": 0.5,
           "pod_memory_mib": 1024, "no_control_plane": true})",
       "cost kubernetes --instance-type m5.large --pods 10 --pod-vcpu 0.5 --pod-memory-mib 1024 "
       "--no-control-plane"},
      {R"({"platform": "kubernetes", "instance_type": "m7g.large", "nodes": 4, "spot": true,
           "spot_discount": 0.6})",
       "cost kubernetes --instance-type m7g.large --nodes 4 --spot --spot-discount 0.6"},
      {R"({"platform": "fargate", "vcpu": 1, "memory_mib": 8192, "hours": 1})",
       "cost fargate --vcpu 1 --memory-mib 8192 --hours 1"},
  };
  TestServer server;
  auto client = server.client();
  for (const CostCase& c : cases) {
    SCOPED_TRACE(c.flags);
    auto reply = client.Post("/v1/cost", c.body, "application/json");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200) << reply->body;
    Outcome cli = placer(std::string{c.flags} + " --output json --catalog " +
                         PLACER_SOURCE_DATA_DIR + "/pricing/aws-us-east-1.json");
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    EXPECT_EQ(reply->body, cli.out);
  }
}

// One day at one request a minute, as [timestamp_s, duration_ms] rows.
std::string day_of_rows() {
  json rows = json::array();
  for (int i = 0; i < 1440; ++i) {
    rows.push_back({1700000000 + 60 * i, 100 + i % 7});
  }
  return rows.dump();
}

TEST(ServerRoutes, AnalyzeTakesRequestRows) {
  TestServer server;
  auto client = server.client();
  const std::string body = R"({"workload": {"memory_mib": 512, "runtime": "python3.12"},
    "trace": {"format": "requests", "requests": )" +
                           day_of_rows() + R"(}, "options": {"seed": 7, "what_if": [0.5, 2]}})";
  auto reply = client.Post("/v1/analyze", body, "application/json");
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body;
  auto doc = json::parse(reply->body);
  ASSERT_EQ(doc["workloads"].size(), 1u);
  EXPECT_EQ(doc["workloads"][0]["trace"]["requests"], 1440);
  EXPECT_EQ(doc["workloads"][0]["what_if"].size(), 2u);
  EXPECT_FALSE(doc["workloads"][0]["recommendation"]["reasons"].empty());
}

// The service answers what `placer analyze --output json` prints for the same input.
TEST(ServerRoutes, AnalyzeMatchesTheCliForTheSameTrace) {
  const std::string trace_path =
      std::string{PLACER_SOURCE_DATA_DIR} + "/traces/azure2021-sample.csv";
  const std::string csv = slurp(trace_path);
  TestServer server;
  auto client = server.client();
  // The sample holds 31 workloads: name one.
  const std::string workload = "7b2c43a2/e3cdb488";
  auto reply = client.Post(
      ("/v1/analyze?format=requests&memory_mib=512&seed=3&slo_p99_ms=800&name=" + workload).c_str(),
      csv, "text/csv");
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body;
  Outcome cli = placer("analyze " + trace_path + " --workload " + workload +
                       " --memory-mib 512 --seed 3 --slo-p99-ms 800 --quiet -o json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(reply->body, cli.out);
}

TEST(ServerRoutes, AnalyzeTakesTraceContentAndNdjson) {
  TestServer server;
  auto client = server.client();
  json body{{"workload", {{"memory_mib", 256}}},
            {"trace",
             {{"format", "requests"},
              {"content", "timestamp,duration_ms\n1700000000,50\n1700000060,70\n"}}}};
  auto reply = client.Post("/v1/analyze", body.dump(), "application/json");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200) << reply->body;
  auto ndjson = client.Post("/v1/analyze?memory_mib=256",
                            "{\"timestamp\": 1700000000, \"duration_ms\": 50}\n"
                            "{\"timestamp\": 1700000060, \"duration_ms\": 70}\n",
                            "application/x-ndjson");
  ASSERT_TRUE(ndjson);
  EXPECT_EQ(ndjson->status, 200) << ndjson->body;
  EXPECT_EQ(json::parse(ndjson->body)["workloads"], json::parse(reply->body)["workloads"]);
}

TEST(ServerRoutes, MetricsCountRequestsAndAnalyses) {
  TestServer server;
  auto client = server.client();
  ASSERT_TRUE(client.Get("/healthz"));
  ASSERT_TRUE(client.Get("/nowhere"));
  ASSERT_TRUE(
      client.Post("/v1/analyze?memory_mib=256", "timestamp,duration_ms\n1,5\n61,7\n121,6\n", "text/csv"));
  // A request is counted once its response is written: wait for the analysis to show.
  std::string text;
  for (int i = 0; i < 100 && text.find("outcome=\"ok\"} 1") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
    auto metrics = client.Get("/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_EQ(metrics->status, 200);
    EXPECT_EQ(metrics->get_header_value("Content-Type"),
              "text/plain; version=0.0.4; charset=utf-8");
    text = metrics->body;
  }
  EXPECT_NE(
      text.find("placer_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("route=\"other\",status=\"404\"} 1"), std::string::npos) << text;
  EXPECT_NE(
      text.find("placer_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 1"),
      std::string::npos);
  EXPECT_NE(text.find("placer_http_requests_in_flight 1\n"), std::string::npos);  // this one
  EXPECT_NE(text.find("le=\"0.0025\"}"), std::string::npos);
  EXPECT_NE(text.find("placer_analyses_total{outcome=\"ok\"} 1"), std::string::npos) << text;
}

}  // namespace
}  // namespace placer::testing
