// The report manifest: YAML and JSON read alike, defaults merge under each workload, paths
// resolve against the manifest's folder, and errors name the line and the JSON path.
#include <gtest/gtest.h>

#include "placer/report/manifest.hpp"

namespace placer::report {
namespace {

constexpr const char* k_yaml = R"(version: 1
defaults:
  region: us-east-1
  slo: {p99_ms: 500}
  margin_pct: 5
  set: {lambda.keep_alive_s: 600}
workloads:
  - name: checkout-api
    current: kubernetes
    inputs: [{path: exports/checkout.json, format: cloudwatch}]
    runtime: python3.12
    memory_mib: 512
    slo: {p95_ms: 200}
    set: {k8s.concurrency_per_pod: 8}
  - name: "007"
    inputs:
      - path: /abs/requests.csv
    what_if: [2, 3]
    cost_view: shared
)";

TEST(ReportManifest, YamlAndJsonReadAlike) {
  auto yaml = parse_manifest(k_yaml, "placer.yaml", true, "ci");
  ASSERT_TRUE(yaml) << yaml.error().message << " " << yaml.error().where;
  const std::string json = R"({"version": 1, "defaults": {"region": "us-east-1", "slo": {"p99_ms": 500},
    "margin_pct": 5, "set": {"lambda.keep_alive_s": 600}}, "workloads": [
    {"name": "checkout-api", "current": "kubernetes", "inputs": [{"path": "exports/checkout.json",
     "format": "cloudwatch"}], "runtime": "python3.12", "memory_mib": 512, "slo": {"p95_ms": 200},
     "set": {"k8s.concurrency_per_pod": 8}},
    {"name": "007", "inputs": [{"path": "/abs/requests.csv"}], "what_if": [2, 3], "cost_view": "shared"}]})";
  auto from_json = parse_manifest(json, "placer.json", false, "ci");
  ASSERT_TRUE(from_json) << from_json.error().message;
  for (const Manifest* m : {&*yaml, &*from_json}) {
    ASSERT_EQ(m->workloads.size(), 2u);
    EXPECT_EQ(m->region, "us-east-1");
    const ManifestWorkload& a = m->workloads[0];
    EXPECT_EQ(a.name, "checkout-api");
    EXPECT_EQ(a.select, "checkout-api");
    ASSERT_EQ(a.inputs.size(), 1u);
    EXPECT_EQ(a.inputs[0].path, "ci/exports/checkout.json");  // against the manifest's folder
    EXPECT_EQ(a.inputs[0].format, "cloudwatch");
    EXPECT_EQ(a.config.attributes.memory_mib, 512);
    EXPECT_EQ(a.config.attributes.slo_p99_ms, 500);  // from the defaults,
    EXPECT_EQ(a.config.attributes.slo_p95_ms, 200);  // merged key by key
    EXPECT_EQ(a.config.attributes.current, analysis::Platform::kubernetes);
    EXPECT_EQ(a.margin_pct, 5);
    EXPECT_EQ(a.what_if, k_report_what_if);
    ASSERT_EQ(a.config.set.size(), 2u);
    const ManifestWorkload& b = m->workloads[1];
    EXPECT_EQ(b.name, "007");  // quoted in YAML: a string, not the number 7
    EXPECT_EQ(b.inputs[0].path, "/abs/requests.csv");
    EXPECT_EQ(b.what_if, (std::vector<double>{2, 3}));
    EXPECT_EQ(b.cost_view, "shared");
  }
  EXPECT_EQ(yaml->digest, fnv1a64_hex(k_yaml));
}

TEST(ReportManifest, Fnv1aMatchesItsPublishedVectors) {
  // The FNV-1a 64-bit test vectors of the algorithm's authors (isthe.com/chongo/tech/comp/fnv).
  EXPECT_EQ(fnv1a64_hex(""), "cbf29ce484222325");
  EXPECT_EQ(fnv1a64_hex("a"), "af63dc4c8601ec8c");
  EXPECT_EQ(fnv1a64_hex("foobar"), "85944171f73967e8");
}

TEST(ReportManifest, ErrorsNameTheLineAndThePath) {
  struct Case {
    const char* text;
    const char* where;
    const char* message;
  };
  const Case cases[] = {
      {"version: 1\nworkloads:\n  - name: a\n    inputs: [{path: x}]\n    memory_mib: lots\n",
       "m.yaml:5: $.workloads[0].memory_mib", "expected a number"},
      {"version: 1\nworkloads:\n  - name: a\n    inputs: [{path: x, format: csv}]\n",
       "m.yaml:4: $.workloads[0].inputs[0].format", "csv"},
      {"version: 1\nworkloads:\n  - name: a\n  - name: a\n    inputs: [{path: x}]\n",
       "m.yaml:3: $.workloads[0]", "expected inputs"},
      {"version: 1\nworkloads:\n  - {name: a, inputs: [{path: x}]}\n  - {name: a, inputs: [{path: y}]}\n",
       "m.yaml:4: $.workloads[1].name", "duplicate workload name \"a\""},
      {"version: 1\ndefaults: {margin_pct: 200}\nworkloads: []\n", "m.yaml:2: $.defaults.margin_pct",
       "percentage"},
      {"version: 1\nworkloads: []\n", "m.yaml:2: $.workloads", "at least one workload"},
      {"version: 1\nversion: 2\n", "m.yaml:2", "duplicate key"},
      {"version: 1\nworkloads: [\n", "m.yaml:", ""},
      {" \n", "m.yaml", "empty manifest"},
      {"# only a comment\n", "m.yaml: $", "expected an object, found null"},
  };
  for (const Case& c : cases) {
    auto m = parse_manifest(c.text, "m.yaml", true, "");
    ASSERT_FALSE(m) << c.text;
    EXPECT_EQ(m.error().code, ErrorCode::parse) << c.text;
    EXPECT_EQ(m.error().where.rfind(c.where, 0), 0u) << m.error().where << " for " << c.text;
    EXPECT_NE(m.error().message.find(c.message), std::string::npos) << m.error().message;
  }
}

TEST(ReportManifest, DeepNestingIsAnErrorNotACrash) {
  std::string text = "version: 1\nworkloads: ";
  text += std::string(100000, '[');
  auto m = parse_manifest(text, "deep.yaml", true, "");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ErrorCode::parse);
}

}  // namespace
}  // namespace placer::report
