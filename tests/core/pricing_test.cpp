// The bundled catalog holds the prices of the shared reference PRICING.md, and broken
// catalogs fail with an error naming the JSON path.
#include "placer/pricing.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../test_catalog.hpp"

namespace placer {
namespace {

std::string bundled_text() {
  std::ifstream in{testing::data_dir() + "/pricing/aws-us-east-1.json"};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Parses the bundled catalog after `edit` changed it.
template <typename Edit>
Result<PricingCatalog> parse_edited(Edit edit) {
  nlohmann::json doc = nlohmann::json::parse(bundled_text());
  edit(doc);
  return parse_pricing_catalog(doc.dump(2), "edited.json");
}

TEST(PricingCatalog, BundledCatalogHoldsTheReferencePrices) {
  const PricingCatalog& c = testing::bundled_catalog();
  EXPECT_EQ(c.id, "aws-us-east-1");
  EXPECT_EQ(c.region, "us-east-1");
  EXPECT_DOUBLE_EQ(c.lambda.request.rate.value(), 0.0000002);
  ASSERT_EQ(c.lambda.x86_64.duration_tiers.size(), 3u);
  EXPECT_DOUBLE_EQ(c.lambda.x86_64.duration_tiers[0].rate.value(), 0.0000166667);
  EXPECT_DOUBLE_EQ(c.lambda.arm64.duration_tiers[0].up_to.value(), 7.5e9);
  EXPECT_DOUBLE_EQ(c.lambda.arm64.provisioned_duration.rate.value(), 0.0000077778);
  EXPECT_DOUBLE_EQ(c.lambda.ephemeral_storage.rate.value(), 0.0000000309);
  EXPECT_DOUBLE_EQ(c.lambda.free_tier.duration.value(), 400000);
  EXPECT_DOUBLE_EQ(c.eks.control_plane_standard.rate.value(), 0.10);
  EXPECT_DOUBLE_EQ(c.fargate.x86_64.vcpu.rate.value(), 0.04048);
  EXPECT_FALSE(c.fargate.arm64.available_on_eks);
  EXPECT_EQ(c.instance_types.size(), 12u);
  const InstanceType* m7g = c.find_instance_type("m7g.large");
  ASSERT_NE(m7g, nullptr);
  EXPECT_EQ(m7g->arch, Arch::arm64);
  EXPECT_DOUBLE_EQ(m7g->on_demand.rate.value(), 0.0816);
  EXPECT_EQ(m7g->on_demand.provenance.retrieved_on, "2026-07-20");
}

TEST(PricingCatalog, FargateSizesExpandTheDocumentedRanges) {
  // 3 + 4 + 7 + 13 + 23 + 12 + 12 sizes for 0.25 .. 16 vCPU.
  EXPECT_EQ(testing::bundled_catalog().fargate.sizes.size(), 74u);
}

TEST(PricingCatalog, MissingFieldNamesItsPath) {
  auto c = parse_edited([](nlohmann::json& d) { d["lambda"]["requests"].erase("usd_per_request"); });
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::parse);
  EXPECT_EQ(c.error().where, "edited.json: $.lambda.requests.usd_per_request");
  EXPECT_EQ(c.error().message, "missing required field \"usd_per_request\"");
}

TEST(PricingCatalog, NegativePriceNamesItsPath) {
  auto c = parse_edited([](nlohmann::json& d) {
    d["ec2"]["instance_types"][2]["on_demand"]["usd_per_hour"] = -0.096;
  });
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().where, "edited.json: $.ec2.instance_types[2].on_demand.usd_per_hour");
  EXPECT_EQ(c.error().message, "must not be negative, found -0.096");
}

TEST(PricingCatalog, UnknownArchitectureIsRejected) {
  auto c = parse_edited([](nlohmann::json& d) { d["ec2"]["instance_types"][0]["arch"] = "sparc"; });
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().where, "edited.json: $.ec2.instance_types[0].arch");
  EXPECT_NE(c.error().message.find("unknown architecture \"sparc\""), std::string::npos);
  c = parse_edited([](nlohmann::json& d) {
    d["lambda"]["architectures"]["riscv"] = d["lambda"]["architectures"]["arm64"];
  });
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().where, "edited.json: $.lambda.architectures.riscv");
}

TEST(PricingCatalog, WrongTypeIsRejected) {
  auto c = parse_edited([](nlohmann::json& d) { d["eks"]["control_plane"]["standard"]["usd_per_cluster_hour"] = "0.10"; });
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().where, "edited.json: $.eks.control_plane.standard.usd_per_cluster_hour");
  EXPECT_EQ(c.error().message, "expected a number, found a string");
}

TEST(PricingCatalog, UnknownSourceAndBadDateAreRejected) {
  auto c = parse_edited([](nlohmann::json& d) { d["lambda"]["requests"]["source"] = "a-blog"; });
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().where, "edited.json: $.lambda.requests.source");
  c = parse_edited([](nlohmann::json& d) { d["lambda"]["requests"]["retrieved_on"] = "last week"; });
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().where, "edited.json: $.lambda.requests.retrieved_on");
}

TEST(PricingCatalog, UnorderedTiersAreRejected) {
  auto c = parse_edited([](nlohmann::json& d) {
    d["lambda"]["architectures"]["x86_64"]["duration_tiers"][1]["up_to_gib_seconds"] = 1e9;
  });
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().where,
            "edited.json: $.lambda.architectures.x86_64.duration_tiers[1].up_to_gib_seconds");
}

TEST(PricingCatalog, MalformedJsonNamesLineAndColumn) {
  auto c = parse_pricing_catalog("{\n  \"id\": \"x\",\n  \"date\": ]\n}", "broken.json");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::parse);
  EXPECT_EQ(c.error().where, "broken.json:3:11");
  c = parse_pricing_catalog("", "empty.json");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, "empty input, expected a JSON document");
  c = parse_pricing_catalog("[1, 2]", "array.json");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().where, "array.json: $");
}

TEST(PricingCatalog, NumberBeyondAnyTypeIsAParseError) {
  // Found by fuzz_pricing_catalog: nlohmann throws out_of_range for such a number.
  auto c = parse_pricing_catalog("{\"id\": 222222255554e1111111111108}", "big.json");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::parse);
  EXPECT_EQ(c.error().message, "malformed JSON: a number is out of range");
}

TEST(PricingCatalog, MissingFileIsNotFound) {
  auto c = load_pricing_catalog("/nonexistent/catalog.json");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::not_found);
  EXPECT_EQ(c.error().where, "/nonexistent/catalog.json");
}

TEST(ParseArch, AcceptsCommonSpellings) {
  EXPECT_EQ(*parse_arch("amd64"), Arch::x86_64);
  EXPECT_EQ(*parse_arch("aarch64"), Arch::arm64);
  EXPECT_EQ(parse_arch("mips").error().code, ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace placer
