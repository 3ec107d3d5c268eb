// `placer simulate` and `placer models show` through the real binary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli_support.hpp"

namespace {

using placer::testing::placer;

const std::string k_tests = PLACER_TESTS_DIR;
const std::string k_azure2019 = k_tests + "/data/azure-functions/azure2019_invitro10_invocations.csv " +
                                k_tests + "/data/azure-functions/azure2019_invitro10_durations.csv " +
                                k_tests + "/data/azure-functions/azure2019_invitro10_memory.csv";

TEST(CliModels, ShowListsParametersWithSources) {
  auto run = placer("models show");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("lambda.keep_alive_min_s"), std::string::npos);
  EXPECT_NE(run.out.find("k8s.hpa_sync_s"), std::string::npos);
  auto json = placer("models show --set lambda.keep_alive_s=600 --output json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto doc = nlohmann::json::parse(json.out);
  bool found = false;
  for (const auto& p : doc["parameters"]) {
    if (p["name"] == "lambda.keep_alive_s") {
      EXPECT_EQ(p["value"], 600);
      EXPECT_EQ(p["overridden"], true);
      found = true;
    }
    EXPECT_TRUE(doc["sources"].contains(p["source"].get<std::string>())) << p["name"];
  }
  EXPECT_TRUE(found);
}

TEST(CliModels, BadOverrideIsAUsageErrorNamingIt) {
  auto run = placer("models show --set lambda.keepalive=5");
  EXPECT_EQ(run.exit_code, 64);
  EXPECT_NE(run.err.find("unknown model parameter \"lambda.keepalive\""), std::string::npos) << run.err;
  auto range = placer("models show --set k8s.min_replicas=-1");
  EXPECT_EQ(range.exit_code, 64);
  EXPECT_NE(range.err.find("k8s.min_replicas must be within"), std::string::npos) << range.err;
}

// The Azure Functions 2019 sample (tests/data/azure-functions/SOURCES.md): function 49d849...
// had 27,056 invocations that day (awk: the sum of columns 5.. of its row in the file).
TEST(CliSimulate, LambdaOnTheAzure2019Sample) {
  auto run = placer("simulate lambda " + k_azure2019 +
                    " --workload 49d849 --memory-mib 256 --output json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["platform"], "lambda");
  EXPECT_EQ(doc["engine"], "event");
  EXPECT_EQ(doc["requests"], 27056);
  EXPECT_EQ(doc["trace"]["window_s"], 86400);
  EXPECT_GT(doc["cold_starts"].get<double>(), 0);
  EXPECT_EQ(doc["served"].get<double>() + doc["throttled"].get<double>(), 27056);
  EXPECT_GT(doc["latency_ms"]["p99"].get<double>(), doc["latency_ms"]["p50"].get<double>());
  EXPECT_EQ(doc["environments_over_time"]["values"].size(), 1440u);  // one per minute

  // Same seed, same bytes; another seed, another sample.
  EXPECT_EQ(placer("simulate lambda " + k_azure2019 +
                   " --workload 49d849 --memory-mib 256 --output json").out,
            run.out);
  EXPECT_NE(placer("simulate lambda " + k_azure2019 +
                   " --workload 49d849 --memory-mib 256 --output json --seed 2").out,
            run.out);
  auto fluid = placer("simulate lambda " + k_azure2019 +
                      " --workload 49d849 --memory-mib 256 --engine fluid --output json");
  ASSERT_EQ(fluid.exit_code, 0) << fluid.err;
  EXPECT_EQ(nlohmann::json::parse(fluid.out)["engine"], "fluid");
}

TEST(CliSimulate, LambdaErrorsAreOneLine) {
  auto several = placer("simulate lambda " + k_azure2019 + " --memory-mib 256");
  EXPECT_EQ(several.exit_code, 64);
  EXPECT_NE(several.err.find("choose one with --workload"), std::string::npos) << several.err;
  auto runtime = placer("simulate lambda " + k_azure2019 + " --workload 49d849 --memory-mib 256 --runtime cobol");
  EXPECT_EQ(runtime.exit_code, 66);
  EXPECT_NE(runtime.err.find("no cold-start data for runtime \"cobol\""), std::string::npos);
  auto memory = placer("simulate lambda " + k_azure2019 + " --workload 49d849 --memory-mib 20000");
  EXPECT_EQ(memory.exit_code, 64);
  auto missing = placer("simulate lambda /nonexistent.csv --memory-mib 256");
  EXPECT_EQ(missing.exit_code, 66);
}

}  // namespace

namespace {

// Kubernetes on the same real sample. m6i.large allocatable is 1,930m / 6,903 MiB
// (Karpenter's table, PRICING.md §3): 250m / 256 MiB pods fit 7 per node.
TEST(CliSimulate, KubernetesOnTheAzure2019Sample) {
  auto run = placer("simulate kubernetes " + k_azure2019 +
                    " --workload 88951a --pod-cpu-millicores 250 --pod-memory-mib 256 -o json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["platform"], "kubernetes");
  EXPECT_NEAR(doc["requests"].get<double>(), 6171429, 1e-3);  // awk: its row sum in the file
  EXPECT_EQ(doc["deployment"]["pods_per_node"], 7);
  EXPECT_EQ(doc["deployment"]["hpa_metric"], "cpu_utilization");
  EXPECT_GE(doc["node_hours"].get<double>(), 24.0);  // at least the one node all day
  EXPECT_GT(doc["latency_ms"]["p99"].get<double>(), doc["latency_ms"]["p50"].get<double>());
  EXPECT_GT(doc["latency_ms"]["mean"].get<double>(), 0);
  ASSERT_FALSE(doc["replicas_over_time"].empty());
  EXPECT_EQ(doc["replicas_over_time"][0]["t_s"], 0);
  // Deterministic.
  EXPECT_EQ(placer("simulate kubernetes " + k_azure2019 +
                   " --workload 88951a --pod-cpu-millicores 250 --pod-memory-mib 256 -o json").out,
            run.out);
  // A requests-per-pod target and a floor of replicas.
  auto rps = placer("simulate kubernetes " + k_azure2019 +
                    " --workload 88951a --set k8s.hpa_target_rps_per_pod=20"
                    " --set k8s.min_replicas=3 --pod-cpu-millicores 250 --pod-memory-mib 256 -o json");
  ASSERT_EQ(rps.exit_code, 0) << rps.err;
  auto rps_doc = nlohmann::json::parse(rps.out);
  EXPECT_EQ(rps_doc["deployment"]["hpa_metric"], "requests_per_pod");
  EXPECT_GE(rps_doc["peak_replicas"].get<int>(), 3);
}

TEST(CliSimulate, KubernetesErrorsAreOneLine) {
  auto type = placer("simulate kubernetes " + k_azure2019 + " --workload 88951a --instance-type m9z.huge");
  EXPECT_EQ(type.exit_code, 66);
  EXPECT_NE(type.err.find("unknown instance type \"m9z.huge\""), std::string::npos) << type.err;
  auto fit = placer("simulate kubernetes " + k_azure2019 +
                    " --workload 88951a --instance-type t3.medium --pod-memory-mib 8192");
  EXPECT_EQ(fit.exit_code, 64);
  EXPECT_NE(fit.err.find("does not fit a t3.medium"), std::string::npos) << fit.err;
}

}  // namespace

namespace {

// --as-workload reads every input as one workload: the ten functions of the Azure 2019
// sample together hold 13,037,064 invocations (awk: the sum of every row's minute columns).
TEST(CliInputs, AsWorkloadJoinsEveryInputIntoOne) {
  auto run = placer("trace summarize " + k_azure2019 + " --as-workload all -o json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out);
  ASSERT_EQ(doc["workloads"].size(), 1u);
  EXPECT_EQ(doc["workloads"][0]["workload"], "all");
  EXPECT_EQ(doc["workloads"][0]["requests"], 13037064);
}

}  // namespace
