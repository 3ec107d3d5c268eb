// Private to core's renderers: a bill's line items as JSON, one shape everywhere.
#pragma once

#include <nlohmann/json.hpp>

#include "placer/cost/breakdown.hpp"

namespace placer::detail {

inline nlohmann::ordered_json line_items_json(const CostBreakdown& bill) {
  using ordered = nlohmann::ordered_json;
  ordered items = ordered::array();
  for (const LineItem& item : bill.line_items) {
    items.push_back(ordered{{"name", item.name},
                            {"description", item.description},
                            {"usd", item.cost.value()},
                            {"quantity", item.quantity},
                            {"unit", item.unit},
                            {"rate_usd", item.rate_usd},
                            {"free_quantity", item.free_quantity}});
  }
  return items;
}

}  // namespace placer::detail
