// Private to the CloudWatch parser: get-metric-data results, merged by Id over pages and
// files into the series cloudwatch_series.hpp sends to the sink.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "cloudwatch_series.hpp"
#include "json_reader.hpp"
#include "placer/ingest/cloudwatch.hpp"

namespace placer::ingest::cloudwatch {

// What one get-metric-data Id holds.
struct MetricMeaning {
  std::string source;         // namespace and dimensions: one source, one workload
  std::string workload_name;  // the workload's name when the export has several sources
  std::string metric;         // "Duration"
  std::string stat;           // "Sum", "Average", "Minimum", "Maximum", "SampleCount", "p99"
  std::string unit;           // "Milliseconds"
  std::optional<double> period_s;
};

// From `queries` when there are any, else from the Id, else from the Label (conventions in
// placer/ingest/cloudwatch.hpp). Throws InputError (parse) at `id` when it cannot be told.
MetricMeaning meaning_of(const detail::JsonReader& id, const std::string& label,
                         const std::vector<MetricQuery>& queries);

class MetricDataMerger {
 public:
  explicit MetricDataMerger(const std::vector<MetricQuery>& queries) : queries_(&queries) {}

  // Adds the MetricDataResults of one response. Errors of one result or one value are
  // skipped under BadRows::skip (counted in `stats`), else thrown as InputError.
  void add(const detail::JsonReader& response, BadRows bad_rows, IngestStats& stats);

  // The merged series, their workloads named.
  std::vector<MetricSeries> finish();

 private:
  void add_result(const detail::JsonReader& result, BadRows bad_rows, IngestStats& stats);

  struct Merged {
    std::string workload_name;
    std::optional<double> period_s;
    std::map<double, Datapoint> points;  // by start time
  };
  const std::vector<MetricQuery>* queries_;
  std::map<std::tuple<std::string, std::string, std::string>, Merged>
      series_;  // source, metric, unit
};

}  // namespace placer::ingest::cloudwatch
