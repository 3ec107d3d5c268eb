#include "placer/report/manifest.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "../analysis/workload_config_reader.hpp"
#include "json_reader.hpp"
#include "placer/ingest/format.hpp"

namespace placer::report {
namespace {

using detail::InputError;
using detail::JsonReader;
using json = nlohmann::json;

constexpr int k_max_depth = 64;

// The line (1-based) each node of a YAML document starts on, by JSON path.
using Lines = std::map<std::string, std::size_t>;

// A plain YAML scalar as JSON: null, booleans and numbers as YAML 1.2's core schema reads
// them; anything else (and every quoted scalar) a string.
json scalar(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") {  // quoted
    return s;
  }
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
    return nullptr;
  }
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
  const char* end = s.data() + s.size();
  std::int64_t i = 0;
  if (auto [p, ec] = std::from_chars(begin, end, i); ec == std::errc{} && p == end) {
    return i;
  }
  double d = 0;
  if (auto [p, ec] = std::from_chars(begin, end, d); ec == std::errc{} && p == end && std::isfinite(d)) {
    return d;
  }
  return s;
}

json to_json(const YAML::Node& node, const std::string& path, Lines& lines, std::string_view origin,
             int depth) {
  if (node.Mark().line >= 0) {  // a node of an empty document has no position
    lines.emplace(path, static_cast<std::size_t>(node.Mark().line + 1));
  }
  if (depth > k_max_depth) {
    throw InputError{Error{ErrorCode::parse, "nested deeper than " + std::to_string(k_max_depth) + " levels",
                           std::string{origin} + ":" + std::to_string(node.Mark().line + 1)}};
  }
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      return scalar(node);
    case YAML::NodeType::Sequence: {
      json out = json::array();
      std::size_t i = 0;
      for (const YAML::Node& e : node) {
        out.push_back(to_json(e, path + "[" + std::to_string(i++) + "]", lines, origin, depth + 1));
      }
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) {
          throw InputError{Error{ErrorCode::parse, "expected a plain key",
                                 std::string{origin} + ":" + std::to_string(kv.first.Mark().line + 1)}};
        }
        const std::string key = kv.first.Scalar();
        if (out.contains(key)) {
          throw InputError{Error{ErrorCode::parse, "duplicate key \"" + key + "\"",
                                 std::string{origin} + ":" + std::to_string(kv.first.Mark().line + 1)}};
        }
        out[key] = to_json(kv.second, path + "." + key, lines, origin, depth + 1);
      }
      return out;
    }
  }
  return nullptr;
}

const std::set<std::string> k_config_keys = {
    "runtime", "package", "package_mib", "memory_mib", "cpu_bound_share", "concurrency_per_pod",
    "pod_cpu_millicores", "slo", "current", "existing_cluster", "allowed", "discounts", "set"};
const std::set<std::string> k_run_keys = {"margin_pct", "cost_view", "what_if", "seed", "inputs", "select"};

std::string resolve(const std::string& base_dir, const std::string& path) {
  if (path == "-" || std::filesystem::path{path}.is_absolute() || base_dir.empty()) {
    return path;
  }
  return (std::filesystem::path{base_dir} / path).lexically_normal().string();
}

std::vector<InputSpec> read_inputs(const JsonReader& node, const std::string& base_dir) {
  std::vector<InputSpec> out;
  for (const JsonReader& e : node.elements()) {
    e.only_keys({"path", "format", "on_bad_row", "log_format", "series_kind", "series", "workload_label",
                  "quantile", "step_s", "metric_query", "as_workload"});
    InputSpec in;
    const JsonReader path = e.at("path");
    in.path = path.string();
    if (in.path.empty() || in.path == "-") {
      path.fail("expected a file path (standard input is not an input of a manifest)");
    }
    in.path = resolve(base_dir, in.path);
    if (auto v = e.find("format")) {
      in.format = v->string();
      if (in.format != "auto") {
        if (auto f = ingest::parse_format(in.format); !f) {
          v->fail(f.error().message);
        }
      }
    }
    if (auto v = e.find("on_bad_row")) {
      in.on_bad_row = v->string();
      if (in.on_bad_row != "fail" && in.on_bad_row != "skip") {
        v->fail("expected \"fail\" or \"skip\", found \"" + in.on_bad_row + "\"");
      }
    }
    if (auto v = e.find("log_format")) in.log_format = v->string();
    if (auto v = e.find("series_kind")) in.series_kind = v->string();
    if (auto v = e.find("series")) {
      for (const JsonReader& s : v->elements()) {
        in.series.push_back(s.string());
      }
    }
    if (auto v = e.find("workload_label")) in.workload_label = v->string();
    if (auto v = e.find("quantile")) in.quantile = v->number();
    if (auto v = e.find("step_s")) in.step_seconds = v->positive();
    if (auto v = e.find("metric_query")) in.metric_query = resolve(base_dir, v->string());
    if (auto v = e.find("as_workload")) in.as_workload = v->string();
    out.push_back(std::move(in));
  }
  if (out.empty()) {
    node.fail("expected at least one input");
  }
  return out;
}

// `over` merged onto `base`: objects key by key (recursively), anything else replaced.
json merged(const json& base, const json& over) {
  if (!base.is_object() || !over.is_object()) {
    return over;
  }
  json out = base;
  for (const auto& [key, value] : over.items()) {
    out[key] = out.contains(key) ? merged(out[key], value) : value;
  }
  return out;
}

// Reads a workload (or the defaults, `is_defaults`) from `node`, already merged.
ManifestWorkload read_workload(const JsonReader& node, std::string_view origin, const std::string& base_dir,
                               bool is_defaults) {
  std::set<std::string> known = k_config_keys;
  known.insert(k_run_keys.begin(), k_run_keys.end());
  known.insert(is_defaults ? "region" : "name");
  node.only_keys(known);
  ManifestWorkload w;
  if (!is_defaults) {
    w.name = node.at("name").string();
    if (w.name.empty()) {
      node.at("name").fail("expected a non-empty name");
    }
  }
  if (auto v = node.find("inputs")) w.inputs = read_inputs(*v, base_dir);
  if (auto v = node.find("select")) w.select = v->string();
  if (auto v = node.find("margin_pct")) {
    w.margin_pct = v->non_negative();
    if (*w.margin_pct > 100) v->fail("expected a percentage up to 100");
  }
  if (auto v = node.find("cost_view")) {
    w.cost_view = v->string();
    if (*w.cost_view != "dedicated" && *w.cost_view != "shared") {
      v->fail("expected \"dedicated\" or \"shared\", found \"" + *w.cost_view + "\"");
    }
  }
  if (auto v = node.find("what_if")) {
    for (const JsonReader& k : v->elements()) {
      w.what_if.push_back(k.positive());
    }
  } else {
    w.what_if = k_report_what_if;
  }
  if (auto v = node.find("seed")) w.seed = static_cast<std::uint64_t>(v->count());
  // The workload config keys, through the one reader of workload configs.
  json config = json::object();
  for (const std::string& key : k_config_keys) {
    if (node.node().contains(key)) {
      config[key] = node.node()[key];
    }
  }
  w.config = detail::read_workload_config(JsonReader{config, node.path(), origin});
  w.config.name = w.name;
  return w;
}

Manifest read_manifest(const json& root, std::string_view origin, const std::string& base_dir) {
  const JsonReader r{root, "$", origin};
  r.only_keys({"version", "defaults", "workloads"});
  Manifest m;
  const JsonReader version = r.at("version");
  if (version.number() != 1) {
    throw InputError{Error{ErrorCode::unsupported, "manifest version " + version.node().dump() + ", expected 1",
                           version.where()}};
  }
  json defaults = json::object();
  if (auto d = r.find("defaults")) {
    read_workload(*d, origin, base_dir, true);  // errors in the defaults name the defaults
    defaults = d->node();
    if (auto region = d->find("region")) {
      m.region = region->string();
    }
    defaults.erase("region");
  }
  std::set<std::string> names;
  for (const JsonReader& w : r.at("workloads").elements()) {
    w.find("");  // throws unless an object
    const json node = merged(defaults, w.node());
    ManifestWorkload workload = read_workload(JsonReader{node, w.path(), origin}, origin, base_dir, false);
    if (workload.inputs.empty()) {
      w.fail("expected inputs (here or in the defaults)");
    }
    if (!names.insert(workload.name).second) {
      w.at("name").fail("duplicate workload name \"" + workload.name + "\"");
    }
    if (workload.select.empty()) {
      workload.select = workload.name;
    }
    m.workloads.push_back(std::move(workload));
  }
  if (m.workloads.empty()) {
    r.at("workloads").fail("expected at least one workload");
  }
  return m;
}

// "origin: $.a.b" as "origin:LINE: $.a.b", the line of the deepest node of the path that
// the YAML document has.
Error with_line(Error e, std::string_view origin, const Lines& lines) {
  const std::string prefix = std::string{origin} + ": ";
  if (!e.where.starts_with(prefix)) {
    return e;
  }
  std::string path = e.where.substr(prefix.size());
  for (std::string p = path; !p.empty();) {
    if (auto it = lines.find(p); it != lines.end()) {
      e.where = std::string{origin} + ":" + std::to_string(it->second) + ": " + path;
      return e;
    }
    const std::size_t cut = p.find_last_of(".[");
    p = cut == std::string::npos || cut == 0 ? std::string{} : p.substr(0, cut);
  }
  return e;
}

}  // namespace

std::string fnv1a64_hex(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ULL;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

Result<Manifest> parse_manifest(std::string_view text, std::string_view origin, bool yaml,
                                const std::string& base_dir) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return fail(ErrorCode::parse, "empty manifest, expected version and workloads", std::string{origin});
  }
  json root;
  Lines lines;
  if (yaml) {
    try {
      const YAML::Node doc = YAML::Load(std::string{text});
      root = to_json(doc, "$", lines, origin, 0);
    } catch (const YAML::Exception& e) {
      return fail(ErrorCode::parse, e.msg,
                  std::string{origin} + ":" + std::to_string(e.mark.line + 1) + ":" +
                      std::to_string(e.mark.column + 1));
    } catch (const InputError& e) {
      return tl::unexpected(e.error);
    }
  } else {
    auto parsed = detail::parse_json(text, origin);
    if (!parsed) {
      return tl::unexpected(parsed.error());
    }
    root = std::move(*parsed);
  }
  try {
    Manifest m = read_manifest(root, origin, base_dir);
    m.digest = fnv1a64_hex(text);
    return m;
  } catch (const InputError& e) {
    return tl::unexpected(with_line(e.error, origin, lines));
  }
}

Result<Manifest> load_manifest(const std::string& path) {
  auto text = detail::read_small_file(path, 16u << 20, "manifest");
  if (!text) {
    return tl::unexpected(text.error());
  }
  const std::filesystem::path p{path};
  auto m = parse_manifest(*text, path, p.extension() != ".json", p.parent_path().string());
  if (m) {
    m->name = p.filename().string();
  }
  return m;
}

}  // namespace placer::report
