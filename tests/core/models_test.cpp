#include "placer/models.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "placer/sim/lambda_sim.hpp"
#include "placer/sim/random.hpp"

namespace placer {
namespace {

const std::string k_models_dir = std::string{PLACER_SOURCE_DATA_DIR} + "/../models";

ModelSet shipped() {
  auto models = load_models(k_models_dir);
  EXPECT_TRUE(models) << (models ? "" : describe(models.error()));
  return models ? *models : ModelSet{};
}

// The parameters the issue names exist, with units and sources.
TEST(ModelsTest, ShipsTheNamedParametersWithUnitsAndSources) {
  const ModelSet models = shipped();
  for (const char* name :
       {"lambda.keep_alive_s", "lambda.cold_start_ms", "lambda.concurrency_limit",
        "lambda.scale_per_10s", "k8s.min_replicas", "k8s.max_replicas", "k8s.pod_start_s",
        "k8s.node_provision_s", "k8s.hpa_target_utilization", "k8s.concurrency_per_pod"}) {
    const ModelParameter* p = models.find(name);
    ASSERT_NE(p, nullptr) << name;
    EXPECT_FALSE(p->unit.empty()) << name;
    EXPECT_TRUE(models.sources.contains(p->source)) << name;
  }
  // Values from LATENCY_FACTS.md §6 and the upstream HPA defaults.
  EXPECT_EQ(models.value("lambda.keep_alive_min_s"), 300);
  EXPECT_EQ(models.value("lambda.keep_alive_max_s"), 420);
  EXPECT_EQ(models.value("lambda.scale_per_10s"), 1000);
  EXPECT_EQ(models.value("k8s.hpa_sync_s"), 15);
  EXPECT_EQ(models.value("k8s.hpa_tolerance"), 0.1);
  EXPECT_EQ(models.value("k8s.hpa_scale_down_stabilization_s"), 300);
  EXPECT_FALSE(models.optional_value("lambda.keep_alive_s"));
}

TEST(ModelsTest, SetOverridesByNameAndChecksTheRange) {
  ModelSet models = shipped();
  ASSERT_TRUE(models.set("lambda.keep_alive_s=600"));
  EXPECT_EQ(models.optional_value("lambda.keep_alive_s"), 600);
  EXPECT_TRUE(models.find("lambda.keep_alive_s")->overridden);
  ASSERT_TRUE(models.set("lambda.keep_alive_s=none"));
  EXPECT_FALSE(models.optional_value("lambda.keep_alive_s"));

  auto unknown = models.set("lambda.keepalive_s=600");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(unknown.error().message.find("did you mean lambda.keep_alive_s"), std::string::npos)
      << unknown.error().message;
  auto range = models.set("k8s.hpa_target_utilization=1.5");
  ASSERT_FALSE(range);
  EXPECT_EQ(range.error().message, "k8s.hpa_target_utilization must be within [0.01, 1] fraction, found 1.5");
  EXPECT_FALSE(models.set("k8s.min_replicas"));
  EXPECT_FALSE(models.set("k8s.min_replicas=two"));
  EXPECT_FALSE(models.set("k8s.min_replicas=nan"));
}

TEST(ModelsTest, RejectsBrokenFilesNamingThePath) {
  ModelSet models;
  auto r = parse_models(R"({"schema_version": 1, "id": "x", "sources": {"s": "t"},
    "parameters": [{"name": "a.b", "value": 5, "unit": "s", "min": 0, "max": 1,
                    "source": "s", "description": "d"}]})",
                        "m.json", models);
  ASSERT_FALSE(r);
  EXPECT_EQ(describe(r.error()), "parse: value 5 is outside [0, 1] (m.json: $.parameters[0].value)");
  ModelSet other;
  auto missing = parse_models(R"({"schema_version": 1, "id": "x", "sources": {},
    "parameters": [{"name": "a.b", "unit": "s", "min": 0, "max": 1, "source": "nope",
                    "description": "d"}]})",
                              "m.json", other);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("unknown source \"nope\""), std::string::npos);
  EXPECT_EQ(load_models("/nonexistent").error().code, ErrorCode::not_found);
}

// Duration against memory, t(m) = t_io + t_cpu * max(1, 1769/m): the aws-lambda-power-tuning
// README's CPU-bound example, 35 s at 128 MB, is 35 x 128/1536 = 2.92 s at 1.5 GB
// ("less than 3 s"), when all of it is CPU work.
TEST(ModelsTest, DurationScalesWithMemoryBelowOneVcpu) {
  ModelSet models = shipped();
  ASSERT_TRUE(models.set("lambda.cpu_bound_share=1"));
  sim::LambdaFunction f;
  f.memory_mib = 1536;
  f.measured_memory_mib = 128;
  auto config = sim::lambda_config(models, f, 1);
  ASSERT_TRUE(config);
  EXPECT_NEAR(35.0 * config->duration_scale, 2.917, 0.001);
  // Above 1,769 MB a single thread gets no faster.
  f.memory_mib = 3008;
  f.measured_memory_mib = 1769;
  EXPECT_DOUBLE_EQ(sim::lambda_config(models, f, 1)->duration_scale, 1.0);
  // Half I/O: only the CPU half scales.
  ASSERT_TRUE(models.set("lambda.cpu_bound_share=0.5"));
  f.memory_mib = 256;
  f.measured_memory_mib = 512;
  EXPECT_DOUBLE_EQ(sim::lambda_config(models, f, 1)->duration_scale, 0.5 + 0.5 * 2);
}

// The cold-start model: Init is lognormal through the measured p50 and p95 (maxday
// lambda-perf, python3.12 zip x86_64: 84 / 105 ms), the JIT first invocation scales with
// 1/memory (.NET 8: 74 ms at 1,024 MB -> 592 ms at 128 MB; measured 711 ms), and
// dependencies add 100 ms per MB (Shilkov 2021).
TEST(ModelsTest, ColdStartModelReproducesTheMeasuredPercentiles) {
  const ModelSet models = shipped();
  sim::LambdaFunction f;
  f.runtime = "python3.12";
  auto config = sim::lambda_config(models, f, 1);
  ASSERT_TRUE(config);
  sim::Random random{42};
  std::vector<double> init;
  for (int i = 0; i < 200000; ++i) {
    init.push_back(random.lognormal(config->cold_start.init_median_ms, config->cold_start.init_sigma));
  }
  std::sort(init.begin(), init.end());
  EXPECT_NEAR(init[100000], 84, 84 * 0.01);
  EXPECT_NEAR(init[190000], 105, 105 * 0.01);
  EXPECT_EQ(config->cold_start.overhead_ms, 100);

  f.runtime = "dotnet8";
  f.memory_mib = 128;
  f.dependency_mib = 14;
  config = sim::lambda_config(models, f, 1);
  EXPECT_DOUBLE_EQ(config->cold_start.first_invoke_ms, 592);
  EXPECT_DOUBLE_EQ(config->cold_start.dependency_ms, 1400);
  f.arch = Arch::arm64;
  f.container_image = true;
  config = sim::lambda_config(models, f, 1);
  EXPECT_DOUBLE_EQ(config->cold_start.init_median_ms, 402.5 * 1.19);

  f.runtime = "cobol";
  auto unknown = sim::lambda_config(models, f, 1);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
  f.memory_mib = 64;
  EXPECT_EQ(sim::lambda_config(models, f, 1).error().where, "memory_mib");
}

}  // namespace
}  // namespace placer
