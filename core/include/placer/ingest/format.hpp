// Input formats by name, their detection from content, and one entry point that reads any
// of them into a sink.
#pragma once

#include <string>
#include <string_view>

#include "placer/error.hpp"
#include "placer/ingest/azure2019.hpp"
#include "placer/ingest/cloudwatch.hpp"
#include "placer/ingest/line_reader.hpp"
#include "placer/ingest/prometheus.hpp"
#include "placer/ingest/request_log.hpp"
#include "placer/trace.hpp"

namespace placer::ingest {

enum class Format {
  requests,
  lambda_report,
  cloudwatch,
  prometheus,
  azure2019,
  azure2021,
  alb,
  nginx
};

// "requests", "lambda-report", "cloudwatch", "prometheus", "azure2019", "azure2021", "alb",
// "nginx".
std::string_view to_string(Format format);

// Fails with invalid_argument for an unknown name.
Result<Format> parse_format(std::string_view name);

// Looks at the first lines of `path` (at most 64 KiB; gzip is decompressed): REPORT lines,
// platform.report events or CloudWatch Logs exports mean lambda-report; a CSV header or a
// JSON object with `duration_ms` means requests; a header with app, func, end_timestamp and
// duration means azure2021; "Datapoints" or "MetricDataResults" mean cloudwatch;
// "resultType", or "metric" and then "values" or "histograms" (a bare result array), mean
// prometheus, as does "errorType" when nothing else is recognised; HashOwner and HashApp
// mean azure2019; a line starting with an ALB request type and an ISO time means alb; "addr
// - user [dd/Mon/yyyy:HH:MM:SS +hhmm] \"" means nginx. Fails with parse when neither is
// recognised (naming the formats to choose from), with unsupported for a Prometheus text
// exposition ("# HELP" or "# TYPE" lines: a /metrics scrape, not a trace), and as
// LineReader::open. "-" cannot be re-read, so it is not accepted here (invalid_argument).
Result<Format> detect_format(const std::string& path);

// Which azure2019 file `path` is, from its header. Fails with parse when it is none of them.
Result<Azure2019File> azure2019_kind_of(const std::string& path);

// What some formats need to be told.
struct ReadOptions {
  std::string_view nginx_log_format;  // Format::nginx: its log_format (empty: detect combined
                                      // or ingress-nginx)
  PrometheusOptions prometheus;       // Format::prometheus: what the series are
  CloudWatchOptions cloudwatch;       // Format::cloudwatch: the get-metric-data queries
};

// Reads every row of `reader`, in `format`, into `sink`. For azure2019 `reader` is an
// invocations file alone; read_azure2019 joins a whole file set. Prometheus and CloudWatch
// exports of several files are one export: read_prometheus and read_cloudwatch read a set.
Result<IngestStats> read_trace(LineReader& reader, Format format, InvocationSink& sink,
                               BadRows bad_rows, const ReadOptions& options = {});

}  // namespace placer::ingest
