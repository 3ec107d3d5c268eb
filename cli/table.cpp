#include "table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "placer/version.hpp"

namespace placer::cli {

std::string Table::render(const std::vector<std::size_t>& right_aligned) const {
  std::vector<std::size_t> widths(header_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  };
  measure(header_);
  for (const auto& row : rows_) {
    measure(row);
  }
  auto line = [&](const std::vector<std::string>& row) {
    std::string out;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < row.size() ? row[i] : "";
      std::string pad(widths[i] - cell.size(), ' ');
      bool right = std::find(right_aligned.begin(), right_aligned.end(), i) != right_aligned.end();
      out += right ? pad + cell : cell + pad;
      if (i + 1 < widths.size()) {
        out += "  ";
      }
    }
    while (!out.empty() && out.back() == ' ') {
      out.pop_back();
    }
    return out + "\n";
  };
  std::string out = line(header_);
  for (const auto& row : rows_) {
    out += line(row);
  }
  return out;
}

std::string format_usd_cents(double usd) {
  double cents = std::round(usd * 100.0) / 100.0;
  return format_fixed(cents == 0 ? 0.0 : cents, 2);
}

std::string format_rate(double usd) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.10f", usd);
  std::string text = buffer;
  while (text.back() == '0') {
    text.pop_back();
  }
  if (text.back() == '.') {
    text.pop_back();
  }
  return text;
}

std::string cost_table(const CostBreakdown& bill, const PricingCatalog& catalog) {
  std::string out = "placer cost " + bill.platform + ": catalog " + catalog.id + " (" +
                    catalog.date + "), model " + std::string{k_cost_model_version} + "\n\n";
  Table table{{"line item", "quantity", "unit", "rate (USD)", "cost (USD)"}};
  for (const LineItem& item : bill.line_items) {
    std::string quantity = format_quantity(item.quantity);
    if (item.free_quantity > 0) {
      quantity += " (+" + format_quantity(item.free_quantity) + " free)";
    }
    table.add_row({item.description, quantity, item.unit, format_rate(item.rate_usd),
                   format_usd_cents(item.cost.value())});
  }
  table.add_row({"total", "", "", "", format_usd_cents(bill.total().value())});
  out += table.render({1, 3, 4});
  for (const std::string& note : bill.notes) {
    out += "note: " + note + "\n";
  }
  return out;
}

}  // namespace placer::cli
