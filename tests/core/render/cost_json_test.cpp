#include "placer/render/cost_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../../test_catalog.hpp"
#include "placer/cost/lambda.hpp"

namespace placer {
namespace {

TEST(CostJson, CarriesTheScheduledFieldsAndTheCatalog) {
  const PricingCatalog& catalog = testing::bundled_catalog();
  LambdaUsage u;
  u.memory = MiB{1024};
  u.requests = Requests{7.44e6};
  u.billed_duration = billed_duration(u.requests, Millis{2000}, catalog.lambda);
  auto bill = lambda_cost(u, catalog.lambda);
  ASSERT_TRUE(bill);
  auto doc = nlohmann::json::parse(cost_json(*bill, catalog));
  EXPECT_EQ(doc["platform"], "lambda");
  EXPECT_EQ(doc["catalog"]["id"], "aws-us-east-1");
  EXPECT_EQ(doc["catalog"]["date"], catalog.date);
  EXPECT_EQ(doc["model_version"], "cost-1");
  ASSERT_EQ(doc["line_items"].size(), 2u);
  const auto& requests = doc["line_items"][0];
  EXPECT_EQ(requests["name"], "requests");
  EXPECT_NEAR(requests["usd"].get<double>(), 1.488, 1e-9);  // unrounded: "$1.488 ~= $1.49"
  EXPECT_EQ(requests["unit"], "requests");
  EXPECT_DOUBLE_EQ(requests["rate_usd"].get<double>(), 0.0000002);
  EXPECT_DOUBLE_EQ(requests["quantity"].get<double>(), 7.44e6);
  EXPECT_NEAR(doc["total_usd"].get<double>(), 249.49, 0.01);
}

}  // namespace
}  // namespace placer
