// A priced bill: line items in a fixed order, each with its quantity, unit and rate, so a
// reader can redo the arithmetic. Money is kept unrounded; renderers round for display.
#pragma once

#include <string>
#include <vector>

#include "placer/units.hpp"

namespace placer {

struct LineItem {
  std::string name;         // stable id: "requests", "duration", "nodes", ...
  std::string description;  // for people: "Compute, on-demand duration (x86_64, 1536 MiB)"
  Usd cost{};
  double quantity = 0;      // billable quantity, after any free tier
  std::string unit;         // "requests", "gib_seconds", "node_hours", ...
  double rate_usd = 0;      // USD per one `unit`
  double free_quantity = 0;  // quantity covered by a free tier (not in `quantity`)
};

struct CostBreakdown {
  std::string platform;  // "lambda", "kubernetes", "fargate"
  std::vector<LineItem> line_items;
  std::vector<std::string> notes;  // how the quantities were derived, for people

  Usd total() const {
    Usd sum{0};
    for (const LineItem& item : line_items) {
      sum += item.cost;
    }
    return sum;
  }
};

}  // namespace placer
