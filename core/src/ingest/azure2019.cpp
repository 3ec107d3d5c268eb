#include "placer/ingest/azure2019.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "text.hpp"

namespace placer::ingest {
namespace {

using text::shorten;

struct RowError {
  std::string message;
};

std::optional<std::size_t> column(const std::vector<std::string_view>& header, std::string_view name) {
  auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end()) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(it - header.begin());
}

double non_negative(std::string_view text, std::string_view name) {
  auto value = text::parse_number(text);
  if (!value || *value < 0) {
    throw RowError{"bad " + std::string{name} + " \"" + shorten(text) +
                   "\", expected a non-negative number"};
  }
  return *value;
}

// Reads one file's header and rows; `on_row` gets the split fields of each data row.
template <typename OnHeader, typename OnRow>
Result<void> read_csv(LineReader& reader, BadRows bad_rows, IngestStats& stats,
                      OnHeader on_header, OnRow on_row) {
  std::vector<std::string_view> cells;
  std::size_t width = 0;
  std::string_view line;
  for (;;) {
    auto more = reader.next(line);
    if (!more) {
      return tl::unexpected(more.error());
    }
    if (!*more) {
      break;
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      continue;
    }
    text::split_commas(line, cells);
    if (width == 0) {
      if (auto ok = on_header(cells, line); !ok) {
        return fail(ErrorCode::parse, ok.error(), reader.where());
      }
      width = cells.size();
      continue;
    }
    try {
      if (cells.size() != width) {
        throw RowError{text::field_count_error(cells.size(), width)};
      }
      on_row(cells);
      ++stats.rows;
    } catch (const RowError& e) {
      if (bad_rows == BadRows::fail) {
        return fail(ErrorCode::parse, e.message, reader.where());
      }
      stats.skip(reader.where(), e.message);
    }
  }
  if (width == 0) {
    return fail(ErrorCode::parse, "empty input, expected an azure2019 CSV header", reader.path());
  }
  return {};
}

using HeaderResult = tl::expected<void, std::string>;

HeaderResult missing(std::string_view name, std::string_view line) {
  return tl::unexpected("header has no \"" + std::string{name} + "\" column, found \"" +
                        shorten(line) + "\"");
}

std::string join_id(std::string_view owner, std::string_view app, std::string_view function) {
  std::string id;
  id.reserve(owner.size() + app.size() + function.size() + 2);
  id.append(owner).append("/").append(app).append("/").append(function);
  return id;
}

constexpr std::array<std::pair<const char*, double>, 7> k_duration_columns = {{
    {"percentile_Average_0", 0.0},   {"percentile_Average_1", 0.01},
    {"percentile_Average_25", 0.25}, {"percentile_Average_50", 0.50},
    {"percentile_Average_75", 0.75}, {"percentile_Average_99", 0.99},
    {"percentile_Average_100", 1.0}}};
constexpr std::array<std::pair<const char*, double>, 8> k_memory_columns = {{
    {"AverageAllocatedMb_pct1", 0.01},  {"AverageAllocatedMb_pct5", 0.05},
    {"AverageAllocatedMb_pct25", 0.25}, {"AverageAllocatedMb_pct50", 0.50},
    {"AverageAllocatedMb_pct75", 0.75}, {"AverageAllocatedMb_pct95", 0.95},
    {"AverageAllocatedMb_pct99", 0.99}, {"AverageAllocatedMb_pct100", 1.0}}};

template <std::size_t N>
std::vector<Quantile> quantiles(const std::vector<std::string_view>& cells,
                                const std::array<std::size_t, N>& at,
                                const std::array<std::pair<const char*, double>, N>& names) {
  std::vector<Quantile> out;
  for (std::size_t i = 0; i < N; ++i) {
    double value = non_negative(cells[at[i]], names[i].first);
    if (!out.empty() && value < out.back().value) {
      throw RowError{std::string{names[i].first} + " " + shorten(cells[at[i]]) +
                     " is below the previous percentile, expected ascending percentiles"};
    }
    out.push_back({names[i].second, value});
  }
  return out;
}

}  // namespace

std::optional<Azure2019File> azure2019_file_kind(std::string_view header) {
  if (header.find("HashOwner") == std::string_view::npos ||
      header.find("HashApp") == std::string_view::npos) {
    return std::nullopt;
  }
  if (header.find("Trigger") != std::string_view::npos) {
    return Azure2019File::invocations;
  }
  if (header.find("percentile_Average_50") != std::string_view::npos) {
    return Azure2019File::durations;
  }
  if (header.find("AverageAllocatedMb") != std::string_view::npos) {
    return Azure2019File::memory;
  }
  return std::nullopt;
}

Result<IngestStats> read_azure2019(const Azure2019Inputs& inputs, InvocationSink& sink,
                                   BadRows bad_rows, double day_start_s) {
  if (inputs.invocations == nullptr) {
    return fail(ErrorCode::invalid_argument,
                "azure2019 needs an invocations file (HashOwner,HashApp,HashFunction,Trigger,1..1440)",
                "files");
  }
  IngestStats stats;
  // Invocations per function and the functions of each app, for the joins below.
  std::unordered_map<std::string, double> invocations;
  std::map<std::string, std::vector<std::string>> functions_of_app;  // "<owner>/<app>"

  std::size_t owner = 0, app = 0, function = 0;
  std::vector<std::pair<std::size_t, double>> minutes;  // column, minute number
  auto ok = read_csv(
      *inputs.invocations, bad_rows, stats,
      [&](const std::vector<std::string_view>& header, std::string_view line) -> HeaderResult {
        for (auto [name, slot] : {std::pair{"HashOwner", &owner}, std::pair{"HashApp", &app},
                                  std::pair{"HashFunction", &function}}) {
          auto at = column(header, name);
          if (!at) {
            return missing(name, line);
          }
          *slot = *at;
        }
        for (std::size_t i = 0; i < header.size(); ++i) {
          auto minute = text::parse_number(header[i]);
          if (minute && *minute >= 1 && *minute <= 1440 && *minute == std::floor(*minute)) {
            minutes.emplace_back(i, *minute);
          }
        }
        if (minutes.empty()) {
          return tl::unexpected(std::string{"header has no minute columns (1..1440), found \""} +
                                shorten(line) + "\"");
        }
        return {};
      },
      [&](const std::vector<std::string_view>& cells) {
        std::string id = join_id(cells[owner], cells[app], cells[function]);
        std::vector<double> counts;
        counts.reserve(minutes.size());
        double total = 0;
        for (const auto& [col, minute] : minutes) {
          auto n = text::parse_number(cells[col]);
          if (!n || *n < 0) {
            throw RowError{"bad count \"" + shorten(cells[col]) + "\" for minute " +
                           std::to_string(static_cast<int>(minute)) +
                           ", expected a non-negative number"};
          }
          counts.push_back(*n);
          total += *n;
        }
        for (std::size_t i = 0; i < minutes.size(); ++i) {
          sink.add_counts(IntervalCount{id, day_start_s + (minutes[i].second - 1) * 60, 60, counts[i]});
        }
        if (invocations.try_emplace(id, 0).second) {
          functions_of_app[join_id(cells[owner], cells[app], "")].push_back(id);
        }
        invocations[id] += total;
      });
  if (!ok) {
    return tl::unexpected(ok.error());
  }

  if (inputs.durations != nullptr) {
    std::array<std::size_t, k_duration_columns.size()> at{};
    ok = read_csv(
        *inputs.durations, bad_rows, stats,
        [&](const std::vector<std::string_view>& header, std::string_view line) -> HeaderResult {
          for (auto [name, slot] : {std::pair{"HashOwner", &owner}, std::pair{"HashApp", &app},
                                    std::pair{"HashFunction", &function}}) {
            auto found = column(header, name);
            if (!found) {
              return missing(name, line);
            }
            *slot = *found;
          }
          for (std::size_t i = 0; i < at.size(); ++i) {
            auto found = column(header, k_duration_columns[i].first);
            if (!found) {
              return missing(k_duration_columns[i].first, line);
            }
            at[i] = *found;
          }
          return {};
        },
        [&](const std::vector<std::string_view>& cells) {
          std::string id = join_id(cells[owner], cells[app], cells[function]);
          auto q = quantiles(cells, at, k_duration_columns);
          auto seen = invocations.find(id);
          if (seen != invocations.end() && seen->second > 0) {
            sink.add_durations(QuantileSummary{id, std::move(q), seen->second});
          }
        });
    if (!ok) {
      return tl::unexpected(ok.error());
    }
  }

  if (inputs.memory != nullptr) {
    std::array<std::size_t, k_memory_columns.size()> at{};
    std::optional<std::size_t> function_column;
    ok = read_csv(
        *inputs.memory, bad_rows, stats,
        [&](const std::vector<std::string_view>& header, std::string_view line) -> HeaderResult {
          for (auto [name, slot] : {std::pair{"HashOwner", &owner}, std::pair{"HashApp", &app}}) {
            auto found = column(header, name);
            if (!found) {
              return missing(name, line);
            }
            *slot = *found;
          }
          function_column = column(header, "HashFunction");
          for (std::size_t i = 0; i < at.size(); ++i) {
            auto found = column(header, k_memory_columns[i].first);
            if (!found) {
              return missing(k_memory_columns[i].first, line);
            }
            at[i] = *found;
          }
          return {};
        },
        [&](const std::vector<std::string_view>& cells) {
          auto q = quantiles(cells, at, k_memory_columns);  // "MB" here is MiB, as Azure uses it
          std::vector<std::string> targets;
          if (function_column) {
            targets.push_back(join_id(cells[owner], cells[app], cells[*function_column]));
          } else if (auto it = functions_of_app.find(join_id(cells[owner], cells[app], ""));
                     it != functions_of_app.end()) {
            targets = it->second;
          }
          for (const std::string& id : targets) {
            auto seen = invocations.find(id);
            if (seen != invocations.end() && seen->second > 0) {
              sink.add_memory(QuantileSummary{id, q, seen->second});
            }
          }
        });
    if (!ok) {
      return tl::unexpected(ok.error());
    }
  }
  return stats;
}

}  // namespace placer::ingest
