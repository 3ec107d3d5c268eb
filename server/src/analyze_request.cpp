// Reading POST /v1/analyze's request: JSON, or a streamed trace file with the attributes in
// the query string. The trace goes through core's ingest (read_trace over an in-memory
// LineReader) into a WorkloadTraceBuilder, exactly as `placer simulate` reads a file.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string_view>

#include "analyze_route.hpp"
#include "json_body.hpp"
#include "placer/ingest/format.hpp"
#include "placer/ingest/line_reader.hpp"

namespace placer::server {
namespace {

// The workload object through core's workload-config reader, its errors' paths made
// relative to `path` ("$.workload.slo.p99").
Result<analysis::WorkloadConfig> read_workload(const nlohmann::json& workload,
                                               const std::string& path) {
  auto config = analysis::parse_workload_config(workload.dump(), path);
  if (!config) {
    Error e = config.error();
    const std::string prefix = path + ": $";
    if (e.where.starts_with(prefix)) {
      e.where = path + e.where.substr(prefix.size());
    }
    e.code = ErrorCode::invalid_argument;  // well-formed JSON the model cannot use: 422
    return tl::unexpected(e);
  }
  return config;
}

// The query string's workload attributes as a workload-config object: the keys of
// --workload-config, with slo_p99_ms / slo_p95_ms / slo_p50_ms for the slo object and
// lambda_pct / ec2_pct / fargate_pct for the discounts; `allowed` comma-separated.
nlohmann::json workload_from_query(const nlohmann::json& params, nlohmann::json& rest) {
  nlohmann::json workload = nlohmann::json::object();
  for (auto it = params.begin(); it != params.end(); ++it) {
    const std::string& key = it.key();
    if (key == "slo_p99_ms" || key == "slo_p95_ms" || key == "slo_p50_ms") {
      workload["slo"][key.substr(4)] = *it;
    } else if (key == "lambda_pct" || key == "ec2_pct" || key == "fargate_pct") {
      workload["discounts"][key] = *it;
    } else if (key == "allowed") {
      nlohmann::json list = nlohmann::json::array();
      std::string_view text = it->is_string() ? it->get_ref<const std::string&>() : "";
      while (!text.empty()) {
        const std::size_t comma = text.find(',');
        list.push_back(std::string{text.substr(0, comma)});
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
      }
      workload["allowed"] = list;
    } else if (key == "name" || key == "runtime" || key == "package" || key == "package_mib" ||
               key == "memory_mib" || key == "cpu_bound_share" || key == "concurrency_per_pod" ||
               key == "pod_cpu_millicores" || key == "current" || key == "existing_cluster") {
      workload[key] = key == "name" && it->is_number() ? nlohmann::json(it->dump()) : *it;
    } else {
      rest[key] = *it;
    }
  }
  return workload;
}

// seed, what_if, margin_pct, k8s_cost_view; `set` is read by the caller (its form differs
// between JSON and query).
void read_options(ObjectReader& in, AnalyzeOptions& o) {
  in.number("margin_pct", o.margin_pct);
  if (o.margin_pct && (*o.margin_pct < 0 || *o.margin_pct > 100)) {
    in.fail("margin_pct", "expected a percentage from 0 to 100");
  }
  std::string view;
  in.string("k8s_cost_view", view);
  if (!view.empty()) {
    auto parsed = analysis::parse_cost_view(view);
    if (!parsed) {
      in.fail("k8s_cost_view", parsed.error().message);
    } else {
      o.k8s_cost_view = *parsed;
    }
  }
  double seed = 1;
  in.number("seed", seed);
  if (seed < 0 || seed != std::floor(seed) || seed > 9.007199254740992e15) {
    in.fail("seed", "expected a whole number from 0 to 2^53");
  } else {
    o.seed = static_cast<std::uint64_t>(seed);
  }
  if (const nlohmann::json* what_if = in.member("what_if"); what_if != nullptr) {
    if (!what_if->is_array()) {
      in.fail("what_if", "expected an array of traffic multipliers");
      return;
    }
    o.what_if.clear();
    for (const nlohmann::json& m : *what_if) {
      if (!m.is_number() || !(m.get<double>() > 0) || m.get<double>() > 1e6) {
        in.fail("what_if", "expected traffic multipliers above 0 and at most 1,000,000");
        return;
      }
      o.what_if.push_back(m.get<double>());
    }
  }
}

Result<void> apply_overrides(const nlohmann::json& set, const std::string& path, ModelSet& models) {
  if (!set.is_object()) {
    return fail(ErrorCode::invalid_argument, "expected an object of NAME: number or null", path);
  }
  for (auto it = set.begin(); it != set.end(); ++it) {
    std::optional<double> value;
    if (it->is_number()) {
      value = it->get<double>();
    } else if (!it->is_null()) {
      return fail(ErrorCode::invalid_argument, "expected a number or null", path + "." + it.key());
    }
    if (auto ok = models.set(it.key(), value); !ok) {
      return fail(ok.error().code, ok.error().message, path + "." + it.key());
    }
  }
  return {};
}

// The builder's traces, and of them the one workload the caller asked for: by name, or
// the only one.
Result<sim::WorkloadTrace> choose(sim::WorkloadTraceBuilder& builder, const std::string& name,
                                  const std::string& name_path, const std::string& trace_path) {
  auto finished = builder.finish();
  if (!finished) {
    return tl::unexpected(finished.error());
  }
  std::vector<sim::WorkloadTrace>& traces = *finished;
  if (traces.empty()) {
    return fail(ErrorCode::invalid_argument, "the trace holds no requests", trace_path);
  }
  if (name.empty() && traces.size() == 1) {
    return std::move(traces.front());
  }
  for (sim::WorkloadTrace& trace : traces) {
    if (trace.name == name) {
      return std::move(trace);
    }
  }
  std::string names;
  for (std::size_t i = 0; i < traces.size() && i < 5; ++i) {
    names += (i == 0 ? "" : ", ") + traces[i].name;
  }
  return fail(ErrorCode::invalid_argument,
              name.empty() ? "the trace holds " + std::to_string(traces.size()) + " workloads (" +
                                 names + "...): name one"
                           : "no workload named \"" + name + "\" in the trace (" + names + ")",
              name_path);
}

// Reads `content` in `format_name` through core's ingest into `builder`.
Result<void> ingest_text(std::string_view content, const std::string& format_name,
                         const std::string& format_path, const std::string& origin,
                         sim::WorkloadTraceBuilder& builder) {
  auto format = ingest::parse_format(format_name);
  if (!format) {
    return fail(ErrorCode::invalid_argument, format.error().message, format_path);
  }
  ingest::LineReader reader = ingest::LineReader::from_memory(content, origin);
  auto stats = ingest::read_trace(reader, *format, builder, ingest::BadRows::fail);
  if (!stats) {
    return tl::unexpected(stats.error());
  }
  return {};
}

// [[timestamp_s, duration_ms(, memory_mib)], ...] straight into `builder`.
Result<void> ingest_rows(const nlohmann::json& rows, const std::string& path,
                         sim::WorkloadTraceBuilder& builder) {
  if (!rows.is_array()) {
    return fail(ErrorCode::invalid_argument, "expected an array of [timestamp_s, duration_ms]",
                path);
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const nlohmann::json& row = rows[i];
    const std::string where = path + "[" + std::to_string(i) + "]";
    if (!row.is_array() || row.size() < 2 || row.size() > 3) {
      return fail(ErrorCode::invalid_argument,
                  "expected [timestamp_s, duration_ms] or [timestamp_s, duration_ms, memory_mib]",
                  where);
    }
    for (const nlohmann::json& cell : row) {
      if (!cell.is_number() || !std::isfinite(cell.get<double>())) {
        return fail(ErrorCode::invalid_argument, "expected finite numbers", where);
      }
    }
    Invocation invocation;
    invocation.timestamp_s = row[0].get<double>();
    invocation.duration = Millis{row[1].get<double>()};
    if (invocation.duration < Millis{0}) {
      return fail(ErrorCode::invalid_argument, "duration must not be negative", where);
    }
    if (row.size() == 3) {
      if (row[2].get<double>() <= 0) {
        return fail(ErrorCode::invalid_argument, "memory must be positive", where);
      }
      invocation.memory = MiB{row[2].get<double>()};
    }
    builder.add(invocation);
  }
  return {};
}

Result<void> read_json_trace(const nlohmann::json& trace, sim::WorkloadTraceBuilder& builder) {
  if (!trace.is_object()) {
    return fail(ErrorCode::invalid_argument, "expected an object {format, content | requests}",
                "$.trace");
  }
  ObjectReader in{trace, "$.trace"};
  std::string format;
  in.string("format", format);
  const nlohmann::json* content = in.member("content");
  const nlohmann::json* rows = in.member("requests");
  if (auto ok = in.finish(); !ok) {
    return ok;
  }
  if (format.empty()) {
    return fail(ErrorCode::invalid_argument, "missing: the trace's format", "$.trace.format");
  }
  if ((content == nullptr) == (rows == nullptr)) {
    return fail(ErrorCode::invalid_argument, "give exactly one of content or requests", "$.trace");
  }
  if (rows != nullptr) {
    if (format != "requests") {
      return fail(ErrorCode::invalid_argument, "requests rows need format \"requests\"",
                  "$.trace.format");
    }
    return ingest_rows(*rows, "$.trace.requests", builder);
  }
  if (!content->is_string()) {
    return fail(ErrorCode::invalid_argument, "expected the trace file's text as a string",
                "$.trace.content");
  }
  const std::string& text = content->get_ref<const std::string&>();
  return ingest_text(text, format, "$.trace.format", "$.trace.content", builder);
}

// A query string value as JSON: a number when it is one, true/false, else a string.
nlohmann::json query_value(const std::string& text) {
  if (text == "true" || text == "false") {
    return text == "true";
  }
  if (!text.empty()) {
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() + text.size() && errno == 0) {
      return value;
    }
  }
  return text;
}

}  // namespace

Result<AnalyzeRequest> read_analyze_stream(const HttpRequest& request, const ModelSet& models,
                                           const PricingCatalog& catalog) {
  AnalyzeRequest out;
  out.catalog = &catalog;
  out.models = models;
  nlohmann::json params = nlohmann::json::object();
  std::string format = "requests";
  for (const auto& [key, value] : request.query) {
    if (key == "format") {
      format = value;
    } else if (key == "set") {
      if (auto ok = out.models.set(value); !ok) {
        return fail(ok.error().code, ok.error().message, "?set=" + value);
      }
    } else if (key == "what_if") {
      nlohmann::json list = nlohmann::json::array();
      std::string_view rest = value;
      while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        list.push_back(query_value(std::string{rest.substr(0, comma)}));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      }
      params["what_if"] = list;
    } else if (params.contains(key)) {
      return fail(ErrorCode::invalid_argument, "given twice", "?" + key);
    } else {
      params[key] = query_value(value);
    }
  }
  nlohmann::json rest = nlohmann::json::object();
  const nlohmann::json workload = workload_from_query(params, rest);
  auto config = read_workload(workload, "?");
  if (!config) {
    Error e = config.error();
    // "?.memory_mib" -> "?memory_mib", "?.slo.p99_ms" -> "?slo_p99_ms"
    std::string where = e.where;
    if (where.starts_with("?.")) {
      where = "?" + where.substr(2);
      for (char& ch : where) {
        ch = ch == '.' ? '_' : ch;
      }
    }
    e.where = where;
    return tl::unexpected(e);
  }
  out.workload = std::move(*config);
  for (const auto& [name, value] : out.workload.set) {
    if (auto ok = out.models.set(name, value); !ok) {
      return fail(ok.error().code, ok.error().message, "?set=" + name);
    }
  }
  ObjectReader in{rest, "?"};
  read_options(in, out.options);
  if (auto ok = in.finish(); !ok) {
    return tl::unexpected(ok.error());
  }
  sim::WorkloadTraceBuilder builder;
  if (auto ok = ingest_text(*request.body, format, "?format", "body", builder); !ok) {
    return tl::unexpected(ok.error());
  }
  auto trace = choose(builder, out.workload.name, "?name", "body");
  if (!trace) {
    return tl::unexpected(trace.error());
  }
  out.trace = std::move(*trace);
  return out;
}

Result<AnalyzeRequest> read_analyze_json(const nlohmann::json& body, const ModelSet& models,
                                         const PricingCatalog& catalog) {
  AnalyzeRequest out;
  out.catalog = &catalog;
  out.models = models;
  ObjectReader top{body, "$"};
  const nlohmann::json* workload = top.member("workload");
  const nlohmann::json* trace = top.member("trace");
  const nlohmann::json* options = top.member("options");
  if (auto ok = top.finish(); !ok) {
    return tl::unexpected(ok.error());
  }
  if (workload != nullptr) {
    if (!workload->is_object()) {
      return fail(ErrorCode::invalid_argument, "expected an object", "$.workload");
    }
    auto config = read_workload(*workload, "$.workload");
    if (!config) {
      return tl::unexpected(config.error());
    }
    out.workload = std::move(*config);
    for (const auto& [name, value] : out.workload.set) {
      if (auto ok = out.models.set(name, value); !ok) {
        return fail(ok.error().code, ok.error().message, "$.workload.set." + name);
      }
    }
  }
  if (options != nullptr) {
    if (!options->is_object()) {
      return fail(ErrorCode::invalid_argument, "expected an object", "$.options");
    }
    ObjectReader in{*options, "$.options"};
    read_options(in, out.options);
    const nlohmann::json* set = in.member("set");
    if (auto ok = in.finish(); !ok) {
      return tl::unexpected(ok.error());
    }
    if (set != nullptr) {
      if (auto ok = apply_overrides(*set, "$.options.set", out.models); !ok) {
        return tl::unexpected(ok.error());
      }
    }
  }
  if (trace == nullptr) {
    return fail(ErrorCode::invalid_argument, "missing: the workload's trace", "$.trace");
  }
  sim::WorkloadTraceBuilder builder;
  if (auto ok = read_json_trace(*trace, builder); !ok) {
    return tl::unexpected(ok.error());
  }
  auto chosen = choose(builder, out.workload.name, "$.workload.name", "$.trace");
  if (!chosen) {
    return tl::unexpected(chosen.error());
  }
  out.trace = std::move(*chosen);
  return out;
}

}  // namespace placer::server
