#include "placer/ingest/prometheus.hpp"

#include <cmath>
#include <limits>

#include "json_document.hpp"
#include "json_reader.hpp"
#include "prometheus_series.hpp"
#include "text.hpp"

namespace placer::ingest {
namespace {

using detail::InputError;
using detail::JsonReader;
using prometheus::Export;
using prometheus::RawSeries;

constexpr double k_latest_s = 253402300799.0;  // 9999-12-31T23:59:59Z

// Prometheus renders values with Go's strconv: "1", "0.5", "1e-05", "NaN", "+Inf", "-Inf".
std::optional<double> sample_value(std::string_view text) {
  constexpr double k_inf = std::numeric_limits<double>::infinity();
  if (text == "NaN" || text == "nan") {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (text == "+Inf" || text == "Inf" || text == "+inf" || text == "inf") {
    return k_inf;
  }
  if (text == "-Inf" || text == "-inf") {
    return -k_inf;
  }
  if (text.size() > 1 && text[0] == '+' && text[1] != '-') {
    text.remove_prefix(1);
  }
  return text::parse_number(text);
}

void read_series(const JsonReader& node, std::size_t index, const std::string& file, Export& ex,
                 BadRows bad_rows, IngestStats& stats) {
  RawSeries series;
  series.file = file;
  series.index = index;
  series.where = node.where();
  if (auto metric = node.find("metric")) {
    for (const auto& [label, unused] : metric->node().items()) {
      (void)unused;
      series.labels[label] = metric->at(label).string();
    }
  }
  auto values = node.find("values");
  if (!values && node.has("histograms")) {
    series.histograms_only = true;
    ex.series.push_back(std::move(series));
    return;
  }
  if (!values) {
    node.at("values");  // throws: missing
  }
  const auto prefix = static_cast<std::uint32_t>(ex.prefixes.size());
  ex.prefixes.push_back(values->where());
  const auto pairs = values->elements();
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    try {
      const auto parts = pairs[i].elements();
      if (parts.size() != 2) {
        pairs[i].fail("found " + std::to_string(parts.size()) +
                      " items, expected a [time, \"value\"] pair");
      }
      const double t = parts[0].number();
      if (t < 0 || t > k_latest_s) {
        parts[0].fail("found " + text::number(t) + ", expected unix seconds between 1970 and 9999");
      }
      double value = 0;
      if (parts[1].node().is_string()) {
        const std::string text = parts[1].string();
        auto parsed = sample_value(text);
        if (!parsed) {
          parts[1].fail("found \"" + text::shorten(text) +
                        "\", expected a number as a string (\"12.5\", \"NaN\", \"+Inf\")");
        }
        value = *parsed;
      } else {
        value = parts[1].number();  // not what Prometheus writes, but plain enough
      }
      series.samples.push_back({t, value, prefix, static_cast<std::uint32_t>(i)});
    } catch (const InputError& e) {
      skip_or_throw(e, bad_rows, stats);
    }
  }
  ex.series.push_back(std::move(series));
}

void read_response(const JsonReader& root, const std::string& file, Export& ex, BadRows bad_rows,
                   IngestStats& stats) {
  std::optional<JsonReader> result;
  if (root.node().is_array()) {
    result = root;  // the bare result array
  } else {
    if (auto status = root.find("status"); status && status->string() != "success") {
      std::string detail;
      for (const char* key : {"errorType", "error"}) {
        if (auto part = root.find(key); part && part->node().is_string()) {
          detail += (detail.empty() ? "" : ": ") + text::shorten(part->string());
        }
      }
      status->fail("found status \"" + text::shorten(status->string()) + "\"" +
                   (detail.empty() ? "" : " (" + detail + ")") + ", expected \"success\"");
    }
    const JsonReader data = root.at("data");
    const JsonReader type = data.at("resultType");
    if (const std::string name = type.string(); name != "matrix") {
      type.fail("found \"" + text::shorten(name) +
                "\", expected \"matrix\", the answer to a range query (/api/v1/query_range)");
    }
    result = data.at("result");
  }
  if (ex.first_result.empty()) {
    ex.first_result = result->where();
  }
  const auto items = result->elements();
  for (std::size_t i = 0; i < items.size(); ++i) {
    read_series(items[i], i, file, ex, bad_rows, stats);
  }
}

}  // namespace

Result<IngestStats> read_prometheus(std::span<LineReader> readers, const PrometheusOptions& options,
                                    InvocationSink& sink, BadRows bad_rows) {
  if (options.quantile && !(*options.quantile >= 0 && *options.quantile <= 1)) {
    return fail(ErrorCode::invalid_argument,
                "found quantile " + text::number(*options.quantile) + ", expected 0 to 1 (0.99)",
                "--quantile");
  }
  if (options.step_s && !(*options.step_s > 0 && std::isfinite(*options.step_s))) {
    return fail(
        ErrorCode::invalid_argument,
        "found step " + text::number(*options.step_s) + ", expected a positive number of seconds",
        "--step-seconds");
  }
  IngestStats stats;
  Export ex;
  try {
    for (LineReader& reader : readers) {
      auto documents =
          read_json_documents(reader, k_max_prometheus_json_bytes, "Prometheus export");
      if (!documents) {
        return tl::unexpected(documents.error());
      }
      for (const JsonDocument& doc : *documents) {
        read_response(JsonReader{doc.value, "$", doc.origin}, reader.path(), ex, bad_rows, stats);
      }
    }
    if (ex.series.empty()) {
      fail_at(ex.first_result, "found no series, expected one or more (the query matched nothing)");
    }
    prometheus::emit(ex, prometheus::select(ex.series, options), options, sink, bad_rows, stats);
  } catch (const InputError& e) {
    return tl::unexpected(e.error);
  }
  return stats;
}

Result<IngestStats> read_prometheus(LineReader& reader, const PrometheusOptions& options,
                                    InvocationSink& sink, BadRows bad_rows) {
  return read_prometheus(std::span<LineReader>{&reader, 1}, options, sink, bad_rows);
}

}  // namespace placer::ingest
