#include "placer/render/cost_json.hpp"

#include <nlohmann/json.hpp>

#include "line_items.hpp"
#include "placer/version.hpp"

namespace placer {

std::string cost_json(const CostBreakdown& bill, const PricingCatalog& catalog) {
  using ordered = nlohmann::ordered_json;
  ordered items = detail::line_items_json(bill);
  ordered doc{{"schema_version", k_output_schema_version},
              {"platform", bill.platform},
              {"total_usd", bill.total().value()},
              {"catalog", ordered{{"id", catalog.id}, {"date", catalog.date}}},
              {"model_version", std::string{k_cost_model_version}},
              {"line_items", std::move(items)},
              {"notes", bill.notes}};
  return doc.dump(2) + "\n";
}

}  // namespace placer
