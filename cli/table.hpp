// Plain-text tables for the terminal: columns padded to their widest cell, numbers right-aligned.
#pragma once

#include <string>
#include <vector>

#include "placer/cost/breakdown.hpp"
#include "placer/pricing.hpp"
#include "placer/render/quantity.hpp"

namespace placer::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void add_row(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // Columns listed in `right_aligned` (by index) are right-aligned.
  std::string render(const std::vector<std::size_t>& right_aligned) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// 2000000 -> "2,000,000"; 0.5 -> "0.5"; at most `decimals` decimals, trailing zeros dropped
// (core's, shared with the notes it writes).
using placer::format_quantity;
std::string format_usd_cents(double usd);   // "2.73"
std::string format_rate(double usd);        // "0.0000166667"

// The bill as a table, cents shown, with the catalog and model named on top.
std::string cost_table(const CostBreakdown& bill, const PricingCatalog& catalog);

}  // namespace placer::cli
