#include "lambda_report_line.hpp"

#include <algorithm>
#include <cmath>

#include "text.hpp"

namespace placer::ingest::lambda {

using text::parse_number;
using text::shorten;

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool is_unit(std::string_view word) {
  return word == "ms" || word == "s" || word == "MB" || word == "KB" || word == "GB" || word == "B";
}

}  // namespace

std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) {
      ++i;
    }
    std::size_t start = i;
    while (i < text.size() && !is_space(text[i])) {
      ++i;
    }
    if (i > start) {
      out.push_back(text.substr(start, i - start));
    }
  }
  return out;
}

Report parse_report(std::string_view text) {
  auto w = words(text);
  struct Pair {
    std::string key;
    std::string_view value;
    std::string_view unit;
  };
  std::vector<Pair> pairs;
  std::string key;
  for (std::size_t i = 1; i < w.size(); ++i) {  // w[0] is "REPORT"
    std::string_view word = w[i];
    if (word.back() != ':') {
      key += key.empty() ? "" : " ";
      key += word;
      continue;
    }
    word.remove_suffix(1);
    key += key.empty() ? "" : " ";
    key += word;
    Pair pair{key, {}, {}};
    key.clear();
    if (i + 1 < w.size() && w[i + 1].back() != ':') {
      pair.value = w[++i];
      if (i + 1 < w.size() && is_unit(w[i + 1])) {
        pair.unit = w[++i];
      }
    }
    pairs.push_back(pair);
  }
  auto find = [&](std::string_view name) -> const Pair* {
    const Pair* found = nullptr;
    for (const Pair& p : pairs) {
      if (p.key == name) {
        if (found != nullptr) {
          throw RowError{"REPORT line has " + std::string{name} + " twice, expected it once"};
        }
        found = &p;
      }
    }
    return found;
  };
  auto amount = [](const Pair& p, std::string_view unit, bool zero_ok) {
    auto value = parse_number(p.value);
    if (!value || *value < 0 || (!zero_ok && *value == 0) || p.unit != unit) {
      std::string found{p.value};
      found += p.unit.empty() ? "" : " ";
      found += p.unit;
      throw RowError{"bad " + p.key + " \"" + shorten(found) + "\", expected a " +
                     (zero_ok ? "non-negative" : "positive") + " number of " + std::string{unit}};
    }
    return *value;
  };
  Report report;
  const Pair* duration = find("Duration");
  if (duration == nullptr) {
    throw RowError{"malformed REPORT line, expected \"Duration: <number> ms\", found \"" +
                   shorten(text) + "\""};
  }
  report.duration = Millis{amount(*duration, "ms", true)};
  if (const Pair* memory = find("Max Memory Used")) {
    report.memory = mib_from_lambda_mb(amount(*memory, "MB", false));
  }
  if (const Pair* init = find("Init Duration")) {
    report.init_duration = Millis{amount(*init, "ms", true)};
  } else if (const Pair* restore = find("Restore Duration")) {
    report.init_duration = Millis{amount(*restore, "ms", true)};
  }
  return report;
}

Invocation to_invocation(double timestamp_s, const Report& report) {
  Invocation inv;
  inv.timestamp_s = timestamp_s;
  inv.duration = report.duration;
  inv.memory = report.memory;
  inv.init_duration = report.init_duration;
  return inv;
}

bool starts_report(std::string_view text) {
  auto w = words(text.substr(0, 64));
  return !w.empty() && w[0] == "REPORT";
}

}  // namespace placer::ingest::lambda
