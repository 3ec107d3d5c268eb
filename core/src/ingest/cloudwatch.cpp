#include "placer/ingest/cloudwatch.hpp"

#include <string>
#include <vector>

#include "cloudwatch_metric_data.hpp"
#include "cloudwatch_series.hpp"
#include "json_document.hpp"
#include "json_reader.hpp"
#include "text.hpp"

namespace placer::ingest {
namespace {

using detail::InputError;
using detail::JsonReader;

// A get-metric-statistics response as one series of the empty workload.
cloudwatch::MetricSeries statistics_series(const JsonReader& root, BadRows bad_rows,
                                           IngestStats& stats) {
  cloudwatch::MetricSeries series;
  series.metric = root.has("Label") ? root.at("Label").string() : std::string{};
  for (const JsonReader& node : root.at("Datapoints").elements()) {
    cloudwatch::Datapoint point;
    point.start_s = cloudwatch::timestamp_of(node.at("Timestamp"));
    point.where = node.where();
    point.time_where = node.at("Timestamp").where();
    try {
      point.unit = node.has("Unit") ? node.at("Unit").string() : std::string{};
      for (const char* stat : {"Sum", "Average", "Minimum", "Maximum", "SampleCount"}) {
        if (auto value = node.find(stat)) {
          cloudwatch::set_statistic(point, stat, value->non_negative(), value->where());
        }
      }
      if (auto extended = node.find("ExtendedStatistics")) {
        for (const auto& [key, unused] : extended->node().items()) {
          (void)unused;
          JsonReader value = extended->at(key);
          if (key.size() < 2 || key[0] != 'p') {
            continue;  // trimmed means (tm99) and the like
          }
          if (!cloudwatch::percentile_of(key)) {
            value.fail("bad percentile name \"" + text::shorten(key) + "\", expected p0 to p100");
          }
          cloudwatch::set_statistic(point, key, value.non_negative(), value.where());
        }
      }
    } catch (const InputError& e) {
      skip_or_throw(e, bad_rows, stats);
      continue;
    }
    series.points.push_back(std::move(point));
  }
  return series;
}

// One response of either kind; a JSON array holds several (pages).
void add_response(const JsonReader& node, BadRows bad_rows, IngestStats& stats,
                  std::vector<cloudwatch::MetricSeries>& statistics,
                  cloudwatch::MetricDataMerger& metric_data) {
  if (node.node().is_array()) {
    for (const JsonReader& page : node.elements()) {
      add_response(page, bad_rows, stats, statistics, metric_data);
    }
  } else if (node.has("MetricDataResults")) {
    metric_data.add(node, bad_rows, stats);
  } else {
    statistics.push_back(statistics_series(node, bad_rows, stats));
  }
}

}  // namespace

Result<IngestStats> read_cloudwatch(std::span<LineReader> readers, const CloudWatchOptions& options,
                                    InvocationSink& sink, BadRows bad_rows) {
  IngestStats stats;
  std::vector<cloudwatch::MetricSeries> series;
  cloudwatch::MetricDataMerger metric_data{options.queries};
  try {
    for (LineReader& reader : readers) {
      auto documents =
          read_json_documents(reader, k_max_cloudwatch_json_bytes, "CloudWatch export");
      if (!documents) {
        return tl::unexpected(documents.error());
      }
      for (const JsonDocument& doc : *documents) {
        add_response(JsonReader{doc.value, "$", doc.origin}, bad_rows, stats, series, metric_data);
      }
    }
    for (cloudwatch::MetricSeries& s : metric_data.finish()) {
      series.push_back(std::move(s));
    }
    cloudwatch::emit(series, sink, bad_rows, stats);
  } catch (const InputError& e) {
    return tl::unexpected(e.error);
  }
  return stats;
}

Result<IngestStats> read_cloudwatch(LineReader& reader, InvocationSink& sink, BadRows bad_rows,
                                    const CloudWatchOptions& options) {
  return read_cloudwatch(std::span<LineReader>{&reader, 1}, options, sink, bad_rows);
}

}  // namespace placer::ingest
