#include "cloudwatch_metric_data.hpp"

#include <set>

#include "json_document.hpp"
#include "text.hpp"

namespace placer::ingest::cloudwatch {
namespace {

using detail::InputError;
using detail::JsonReader;

// InternalError or Forbidden mean the values are missing or partial: not a trace.
void check_status(const JsonReader& result, const std::string& id) {
  auto status = result.find("StatusCode");
  if (!status) {
    return;
  }
  const std::string code = status->string();
  if (code == "Complete" || code == "PartialData") {
    return;  // PartialData: more pages follow, as in every page but the last
  }
  std::string detail;
  if (auto messages = result.find("Messages")) {
    for (const JsonReader& m : messages->elements()) {
      if (auto value = m.find("Value"); value && value->node().is_string()) {
        detail = ": " + text::shorten(value->string());
        break;
      }
    }
  }
  status->fail("CloudWatch answered " + text::shorten(code) + " for Id \"" + text::shorten(id) +
               "\"" + detail + ", expected Complete or PartialData");
}

}  // namespace

void MetricDataMerger::add(const JsonReader& response, BadRows bad_rows, IngestStats& stats) {
  for (const JsonReader& result : response.at("MetricDataResults").elements()) {
    try {
      add_result(result, bad_rows, stats);
    } catch (const InputError& e) {
      skip_or_throw(e, bad_rows, stats);
    }
  }
}

void MetricDataMerger::add_result(const JsonReader& result, BadRows bad_rows, IngestStats& stats) {
  const JsonReader id = result.at("Id");
  const std::string label = result.has("Label") ? result.at("Label").string() : std::string{};
  check_status(result, id.string());
  const MetricMeaning meaning = meaning_of(id, label, *queries_);
  const auto times = result.at("Timestamps").elements();
  const JsonReader values_node = result.at("Values");
  const auto values = values_node.elements();
  if (times.size() != values.size()) {
    values_node.fail("found " + std::to_string(values.size()) + " values for " +
                     std::to_string(times.size()) +
                     " timestamps, expected one value per timestamp");
  }
  Merged& merged = series_[{meaning.source, meaning.metric, meaning.unit}];
  merged.workload_name = meaning.workload_name;
  merged.period_s = meaning.period_s;
  for (std::size_t i = 0; i < times.size(); ++i) {
    try {
      const double start_s = timestamp_of(times[i]);
      const double value = values[i].non_negative();
      auto [it, added] = merged.points.try_emplace(start_s);
      Datapoint& point = it->second;
      if (added) {
        point.start_s = start_s;
        point.unit = meaning.unit;
        point.where = values[i].where();
        point.time_where = times[i].where();
      }
      set_statistic(point, meaning.stat, value, values[i].where());
    } catch (const InputError& e) {
      skip_or_throw(e, bad_rows, stats);
    }
  }
}

std::vector<MetricSeries> MetricDataMerger::finish() {
  std::set<std::string> sources;
  for (const auto& [key, merged] : series_) {
    sources.insert(std::get<0>(key));
  }
  std::vector<MetricSeries> out;
  for (auto& [key, merged] : series_) {
    MetricSeries series;
    series.workload = sources.size() > 1 ? merged.workload_name : std::string{};
    series.metric = std::get<1>(key);
    series.period_s = merged.period_s;
    for (auto& [start_s, point] : merged.points) {
      series.points.push_back(std::move(point));
    }
    out.push_back(std::move(series));
  }
  series_.clear();
  return out;
}

}  // namespace placer::ingest::cloudwatch
