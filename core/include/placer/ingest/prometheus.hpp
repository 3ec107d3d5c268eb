// Prometheus range queries as the HTTP API answers them (`/api/v1/query_range`), format
// name "prometheus": {"status": "success", "data": {"resultType": "matrix", "result":
// [{"metric": {labels}, "values": [[<unix seconds>, "<value>"], ...]}]}}, or the bare
// `result` array (as prometheus-api-client saves it). A file may hold several responses
// one after another; the files given together are one export, and a series (one label set)
// split over several of them (pages of a long window) is merged.
//
// The response does not say what a series measures; the user does (SeriesSpec):
//   counter          a request counter's raw samples (`http_requests_total`): the increase
//                    between two samples is the requests in between, one IntervalCount from
//                    the earlier sample to the later; a drop means the counter restarted
//                    from 0, so the increase is the new value
//   rate             requests per second (`sum(rate(http_requests_total[1m]))`): the sample
//                    at t stands for rate x step requests in [t - step, t)
//   latency_seconds  a latency quantile in seconds (`histogram_quantile(0.99, ...)`, or a
//                    summary's `{quantile="0.99"}` series): a QuantileSummary in ms per
//                    step. The quantile is the spec's, else PrometheusOptions::quantile,
//                    else the series' `quantile` label; a series with an `le` label is a
//                    histogram bucket, not a quantile, and is refused. Series of one
//                    workload at several quantiles make one summary per step. Each summary
//                    is weighted by the requests its workload's counter or rate series gave
//                    for the same step (a step with no requests is skipped); by 1 when the
//                    workload has no such series.
// "NaN", "+Inf" and "-Inf" samples are no data (histogram_quantile's answer when nothing
// was observed): skipped and counted, never read as zero. Gaps between samples are normal:
// a counter's increase spans the gap; a rate or latency gives nothing for the missing steps.
// The step is PrometheusOptions::step_s, else the median spacing of the series' samples
// (to the ms: raw samples jitter by a few ms).
//
// Workloads: the empty name, unless `workload_label` names a label whose value names each
// series' workload. One workload has at most one request series (counter or rate).
// Nothing is guessed: a file of several series needs specs that tell them apart, or a
// workload label.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "placer/error.hpp"
#include "placer/ingest/line_reader.hpp"
#include "placer/ingest/request_log.hpp"
#include "placer/trace.hpp"

namespace placer::ingest {

inline constexpr std::size_t k_max_prometheus_json_bytes = std::size_t{64} << 20;  // 64 MiB

enum class SeriesKind { counter, rate, latency_seconds };

// "counter", "rate", "latency-seconds".
std::string_view to_string(SeriesKind kind);

// Fails with invalid_argument for any other name (`where` = "--series-kind").
Result<SeriesKind> parse_series_kind(std::string_view name);

// Which series of an export are of one kind. A spec with no index and no match selects
// every series (of its file, when `file` is set).
struct SeriesSpec {
  std::optional<SeriesKind> kind;    // absent: PrometheusOptions::kind
  std::string file;                  // only series of this input (its path as given); empty: any
  std::optional<std::size_t> index;  // only the series at result[index] of each response
  std::vector<std::pair<std::string, std::string>> match;  // labels that must all be equal
                                                           // ("" matches an absent label)
  std::optional<double> quantile;  // latency_seconds: the quantile the series holds, 0..1
};

// Parses "kind=counter,match=__name__=http_requests_total", "kind=latency-seconds,index=1,
// quantile=0.99", "kind=rate,file=requests.json": comma-separated key=value items, keys
// kind, file, index, match (LABEL=VALUE, repeatable) and quantile.
// Fails with invalid_argument (`where` = "--series") for an unknown key, a bad value, or
// a repeated key other than match.
Result<SeriesSpec> parse_series_spec(std::string_view text);

struct PrometheusOptions {
  std::optional<SeriesKind> kind;  // the kind of series no spec gives one (--series-kind)
  std::vector<SeriesSpec> series;  // empty: every series, of `kind`
  std::string workload_label;      // empty: one workload, the empty name
  std::optional<double> quantile;  // latency series whose spec gives none
  std::optional<double> step_s;    // absent: inferred per series
};

// Reads the responses in `readers` into `sink`; `readers[i]`'s path is what
// SeriesSpec::file names.
// Fails with parse (`where` = "<path>: $.data.result[2].values[17][1]", "<path>:<line>: $..."
// for the response starting on that line of a file of several, or "<path>:<line>:<col>" for
// malformed JSON) on a wrong shape or type, a status of "error" (its errorType and error
// quoted), a resultType other than matrix, no series at all, a sample that is not a
// [time, "value"] pair, a value that is no number, a negative counter, rate or latency, two
// samples of one series at one time with different values, quantiles of one workload and
// step falling with rank, an empty input, or an input over k_max_prometheus_json_bytes;
// under BadRows::skip the errors of one sample are counted as skipped rows instead.
// Fails with invalid_argument (`where` = "--series", "--series-kind", "--workload-label",
// "--quantile" or "--step-seconds") when the options do not say what each series is: no
// kind, several series and nothing that tells them apart (the message lists their labels),
// a spec that selects no series or a series two specs select, a series without the
// workload label, two request series or two latency series at one quantile in one
// workload, a latency series without a quantile, a rate series of one sample and no step,
// a quantile outside 0..1. Fails with unsupported for a selected series with native
// histograms only.
// Requires: `readers` non-empty.
Result<IngestStats> read_prometheus(std::span<LineReader> readers, const PrometheusOptions& options,
                                    InvocationSink& sink, BadRows bad_rows);

// One file, as above.
Result<IngestStats> read_prometheus(LineReader& reader, const PrometheusOptions& options,
                                    InvocationSink& sink, BadRows bad_rows);

}  // namespace placer::ingest
