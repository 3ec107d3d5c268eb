#include "placer/ingest/format.hpp"

#include "placer/ingest/alb_log.hpp"
#include "placer/ingest/azure2021.hpp"
#include "placer/ingest/cloudwatch.hpp"
#include "placer/ingest/lambda_logs.hpp"
#include "placer/ingest/nginx_log.hpp"
#include "placer/ingest/prometheus.hpp"

namespace placer::ingest {

namespace {

// Every format read, by its name on the command line and in manifests.
constexpr std::pair<std::string_view, Format> k_formats[] = {
    {"requests", Format::requests},
    {"lambda-report", Format::lambda_report},
    {"cloudwatch", Format::cloudwatch},
    {"prometheus", Format::prometheus},
    {"azure2019", Format::azure2019},
    {"azure2021", Format::azure2021},
    {"alb", Format::alb},
    {"nginx", Format::nginx},
};

}  // namespace

std::string_view to_string(Format format) {
  for (const auto& [name, value] : k_formats) {
    if (value == format) {
      return name;
    }
  }
  return "requests";
}

Result<Format> parse_format(std::string_view name) {
  for (const auto& [known, value] : k_formats) {
    if (known == name) {
      return value;
    }
  }
  return fail(ErrorCode::invalid_argument,
              "unknown format \"" + std::string{name} +
                  "\", expected auto, requests, lambda-report, cloudwatch, prometheus, alb, "
                  "nginx, azure2019 or azure2021",
              "--format");
}

namespace {

// Hand-written matchers, not std::regex: libstdc++'s regex recurses per character and
// overflows the stack on a long line (found by the test suite on binary input).

bool digits_at(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) {
    return false;
  }
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') {
      return false;
    }
  }
  return true;
}

bool char_at(std::string_view s, std::size_t pos, char c) { return pos < s.size() && s[pos] == c; }

// "h2 2024-01-01T00:00:00.123456Z ...": an ALB request type, then its ISO time.
bool looks_like_alb(std::string_view line) {
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) {
    return false;
  }
  const std::string_view type = line.substr(0, space);
  if (type != "http" && type != "https" && type != "h2" && type != "grpcs" && type != "ws" &&
      type != "wss") {
    return false;
  }
  const std::string_view t = line.substr(space + 1);
  if (!(digits_at(t, 0, 4) && char_at(t, 4, '-') && digits_at(t, 5, 2) && char_at(t, 7, '-') &&
        digits_at(t, 8, 2) && char_at(t, 10, 'T') && digits_at(t, 11, 2) && char_at(t, 13, ':') &&
        digits_at(t, 14, 2) && char_at(t, 16, ':') && digits_at(t, 17, 2) && char_at(t, 19, '.') &&
        digits_at(t, 20, 1))) {
    return false;
  }
  std::size_t pos = 20;
  while (digits_at(t, pos, 1)) {
    ++pos;
  }
  return char_at(t, pos, 'Z') && char_at(t, pos + 1, ' ');
}

// "1.2.3.4 - user [10/Oct/2000:13:55:36 -0700] \"...": nginx combined or ingress-nginx.
bool looks_like_nginx(std::string_view line) {
  const std::size_t open = line.find(" [");
  if (line.empty() || line[0] == ' ' || open == std::string_view::npos ||
      line.substr(0, open).find(" - ") == std::string_view::npos) {
    return false;
  }
  const std::string_view d = line.substr(open + 2);
  auto upper = [&](std::size_t i) { return i < d.size() && d[i] >= 'A' && d[i] <= 'Z'; };
  auto lower = [&](std::size_t i) { return i < d.size() && d[i] >= 'a' && d[i] <= 'z'; };
  return digits_at(d, 0, 2) && char_at(d, 2, '/') && upper(3) && lower(4) && lower(5) &&
         char_at(d, 6, '/') && digits_at(d, 7, 4) && char_at(d, 11, ':') && digits_at(d, 12, 2) &&
         char_at(d, 14, ':') && digits_at(d, 15, 2) && char_at(d, 17, ':') && digits_at(d, 18, 2) &&
         char_at(d, 20, ' ') && (char_at(d, 21, '+') || char_at(d, 21, '-')) &&
         digits_at(d, 22, 4) && char_at(d, 26, ']') && char_at(d, 27, ' ') && char_at(d, 28, '"');
}

}  // namespace

Result<Format> detect_format(const std::string& path) {
  if (path == "-") {
    return fail(ErrorCode::invalid_argument,
                "standard input cannot be sniffed, pass --format",
                "--format");
  }
  auto reader = LineReader::open(path);
  if (!reader) {
    return tl::unexpected(reader.error());
  }
  // The first 64 KiB as lines; a compact JSON export is one line longer than that.
  constexpr std::size_t k_sniff_bytes = 64u << 10;
  std::string head;
  if (auto read = reader->read_bytes(head, k_sniff_bytes); !read) {
    return tl::unexpected(read.error());
  }
  bool blank = true;
  bool array = false;       // the input starts with "[": perhaps a bare Prometheus result array
  bool metric = false;      // ... and "metric" was seen, so "values" next means it is one
  bool error_type = false;  // a Prometheus error answer, unless another format shows itself
  for (std::size_t pos = 0; pos < head.size();) {
    std::size_t newline = head.find('\n', pos);
    if (newline == std::string::npos) {
      newline = head.size();
    }
    std::string_view line = std::string_view{head}.substr(pos, newline - pos);
    pos = newline + 1;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    const std::size_t first = line.find_first_not_of(" \t");
    if (blank && first != std::string_view::npos) {
      array = line[first] == '[';
    }
    blank = blank && first == std::string_view::npos;
    const std::size_t metric_at = line.find("\"metric\"");
    metric = metric || (array && metric_at != std::string_view::npos);
    const std::size_t after = metric_at == std::string_view::npos ? 0 : metric_at;
    error_type = error_type || line.find("\"errorType\"") != std::string_view::npos;
    if (line.find("\"resultType\"") != std::string_view::npos ||
        (metric && (line.find("\"values\"", after) != std::string_view::npos ||
                    line.find("\"histograms\"", after) != std::string_view::npos))) {
      return Format::prometheus;
    }
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      return fail(ErrorCode::unsupported,
                  "this is a Prometheus text exposition (a /metrics scrape): one snapshot, not "
                  "a trace; export a range from /api/v1/query_range and read that as prometheus",
                  path);
    }
    if (line.find("REPORT RequestId:") != std::string_view::npos ||
        line.find("platform.report") != std::string_view::npos ||
        line.find("\"logEvents\"") != std::string_view::npos ||
        line.find("\"logStreamName\"") != std::string_view::npos) {
      return Format::lambda_report;
    }
    if (line.find("app") != std::string_view::npos && line.find("func") != std::string_view::npos &&
        line.find("end_timestamp") != std::string_view::npos &&
        line.find("duration") != std::string_view::npos) {
      return Format::azure2021;
    }
    if (line.find("\"Datapoints\"") != std::string_view::npos ||
        line.find("\"MetricDataResults\"") != std::string_view::npos) {
      return Format::cloudwatch;
    }
    if (azure2019_file_kind(line)) {
      return Format::azure2019;
    }
    if (looks_like_alb(line)) {
      return Format::alb;
    }
    if (looks_like_nginx(line)) {
      return Format::nginx;
    }
    if (line.find("duration_ms") != std::string_view::npos &&
        line.find("timestamp") != std::string_view::npos) {
      return Format::requests;
    }
  }
  if (blank) {
    return fail(ErrorCode::parse, "empty input, expected a trace or a metrics export", path);
  }
  if (error_type) {
    return Format::prometheus;  // Lambda's JSON error logs say "errorType" too: looked at last
  }
  return fail(ErrorCode::parse,
              "cannot tell the format from the first lines, pass --format (requests, "
              "lambda-report, cloudwatch, prometheus, azure2019, azure2021, alb or nginx)",
              path);
}

Result<Azure2019File> azure2019_kind_of(const std::string& path) {
  auto reader = LineReader::open(path);
  if (!reader) {
    return tl::unexpected(reader.error());
  }
  std::string_view line;
  for (;;) {
    auto more = reader->next(line);
    if (!more) {
      return tl::unexpected(more.error());
    }
    if (!*more) {
      break;
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      continue;
    }
    if (auto kind = azure2019_file_kind(line)) {
      return *kind;
    }
    break;
  }
  return fail(ErrorCode::parse,
              "not an azure2019 file: expected a header with HashOwner,HashApp and Trigger "
              "(invocations), percentile_Average_50 (durations) or AverageAllocatedMb (memory)",
              path + ":" + std::to_string(reader->line_number()));
}

Result<IngestStats> read_trace(LineReader& reader, Format format, InvocationSink& sink,
                               BadRows bad_rows, const ReadOptions& options) {
  switch (format) {
    case Format::alb:
      return read_alb_log(reader, sink, bad_rows);
    case Format::nginx:
      return read_nginx_log(reader, sink, bad_rows, options.nginx_log_format);
    case Format::lambda_report:
      return read_lambda_logs(reader, sink, bad_rows);
    case Format::azure2021:
      return read_azure2021(reader, sink, bad_rows);
    case Format::cloudwatch:
      return read_cloudwatch(reader, sink, bad_rows, options.cloudwatch);
    case Format::prometheus:
      return read_prometheus(reader, options.prometheus, sink, bad_rows);
    case Format::azure2019:
      return read_azure2019(Azure2019Inputs{&reader, nullptr, nullptr}, sink, bad_rows);
    case Format::requests:
      break;
  }
  return read_request_log(reader, sink, bad_rows);
}

}  // namespace placer::ingest
