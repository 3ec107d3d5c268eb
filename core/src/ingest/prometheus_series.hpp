// Private to the Prometheus parser: the series of an export as read, which of them the
// user's options select, as what, and what they become in the sink.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "placer/ingest/prometheus.hpp"

namespace placer::ingest::prometheus {

struct Sample {
  double t = 0;
  double value = 0;          // NaN or infinite: no data
  std::uint32_t prefix = 0;  // index of the "<origin>: $...values" it was read at
  std::uint32_t index = 0;   // its position in those values
};

// One series of one response.
struct RawSeries {
  std::string file;       // the input's path
  std::string where;      // "<origin>: $.data.result[2]"
  std::size_t index = 0;  // its position in the response's result
  std::map<std::string, std::string> labels;
  std::vector<Sample> samples;
  bool histograms_only = false;  // native histograms, no values
};

// What the options make of a raw series.
struct Selected {
  std::size_t raw = 0;  // index into the raw series
  SeriesKind kind = SeriesKind::counter;
  std::string workload;
  double quantile = 0;  // latency_seconds only
};

// The series of every response, and where each sample's values array is.
struct Export {
  std::vector<RawSeries> series;
  std::vector<std::string> prefixes;  // "<origin>: $.data.result[2].values"
  std::string first_result;           // where the first response's series are
};

// "<origin>: $.data.result[2].values[17][1]": where `s` was read.
std::string where_of(const Export& ex, const Sample& s);

// `{__name__="up", job="node"}`, after "[2] " (and the file, when `with_file`).
std::string describe(const RawSeries& series, bool with_file);

// Which raw series the options select, as what, in `raws` order; each (kind, workload,
// quantile, labels) once or more (pages of one series). Throws detail::InputError
// (invalid_argument, or unsupported for native histograms) when the options leave a series'
// meaning open, as read_prometheus says.
std::vector<Selected> select(const std::vector<RawSeries>& raws, const PrometheusOptions& options);

// Sends the `selected` series of `ex` to `sink`, as read_prometheus says: pages merged,
// counts first, then latency summaries weighted by them. Takes the samples out of `ex`.
// Throws detail::InputError.
void emit(Export& ex, const std::vector<Selected>& selected, const PrometheusOptions& options,
          InvocationSink& sink, BadRows bad_rows, IngestStats& stats);

}  // namespace placer::ingest::prometheus
