#include "placer/models.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "json_reader.hpp"

namespace placer {
namespace {

using detail::InputError;
using detail::JsonReader;

std::string format_number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// Edit distance, to suggest the parameter a user probably meant.
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

void read_parameter(const JsonReader& node, const std::map<std::string, std::string>& sources,
                    ModelSet& into) {
  ModelParameter p;
  p.name = node.at("name").string();
  if (p.name.find('.') == std::string::npos) {
    node.at("name").fail("expected a dotted name such as lambda.keep_alive_s, found \"" + p.name +
                         "\"");
  }
  if (into.find(p.name) != nullptr) {
    node.at("name").fail("parameter \"" + p.name + "\" is defined twice");
  }
  p.unit = node.at("unit").string();
  p.min = node.at("min").number();
  p.max = node.at("max").number();
  if (p.min > p.max) {
    node.at("max").fail("max " + format_number(p.max) + " is below min " + format_number(p.min));
  }
  if (auto value = node.find("value")) {
    p.value = value->number();
    if (*p.value < p.min || *p.value > p.max) {
      value->fail("value " + format_number(*p.value) + " is outside [" + format_number(p.min) +
                  ", " + format_number(p.max) + "]");
    }
  }
  JsonReader source = node.at("source");
  p.source = source.string();
  if (!sources.contains(p.source)) {
    source.fail("unknown source \"" + p.source + "\", expected an id listed in $.sources");
  }
  p.description = node.at("description").string();
  into.parameters.push_back(std::move(p));
}

void read_runtime(const JsonReader& node, const std::map<std::string, std::string>& sources,
                  ModelSet& into) {
  RuntimeColdStart r;
  r.runtime = node.at("runtime").string();
  if (into.find_runtime(r.runtime) != nullptr) {
    node.at("runtime").fail("runtime \"" + r.runtime + "\" is listed twice");
  }
  r.init_p50_ms = node.at("init_p50_ms").positive();
  JsonReader p95 = node.at("init_p95_ms");
  r.init_p95_ms = p95.positive();
  if (r.init_p95_ms < r.init_p50_ms) {
    p95.fail("p95 " + format_number(r.init_p95_ms) + " is below p50 " +
             format_number(r.init_p50_ms));
  }
  if (auto v = node.find("image_init_p50_ms")) {
    r.image_init_p50_ms = v->positive();
  }
  if (auto v = node.find("image_init_p95_ms")) {
    r.image_init_p95_ms = v->positive();
    if (!r.image_init_p50_ms || *r.image_init_p95_ms < *r.image_init_p50_ms) {
      v->fail("expected image_init_p50_ms at or below image_init_p95_ms");
    }
  }
  r.arm64_init_factor = node.at("arm64_init_factor").positive();
  r.first_invoke_ms_at_1024_mib = node.at("first_invoke_ms_at_1024_mib").non_negative();
  JsonReader source = node.at("source");
  r.source = source.string();
  if (!sources.contains(r.source)) {
    source.fail("unknown source \"" + r.source + "\", expected an id listed in $.sources");
  }
  into.runtimes.push_back(std::move(r));
}

void read_models(const JsonReader& root, ModelSet& into) {
  JsonReader version = root.at("schema_version");
  if (version.count() != 1) {
    version.fail("unsupported schema_version " + format_number(version.number()) +
                 ", expected 1");
  }
  into.ids.push_back(root.at("id").string());
  std::map<std::string, std::string> sources;
  JsonReader source_node = root.at("sources");
  source_node.find("");  // throws unless an object
  for (const auto& [key, value] : source_node.node().items()) {
    (void)value;
    sources[key] = source_node.at(key).string();
  }
  for (const JsonReader& entry : root.at("parameters").elements()) {
    read_parameter(entry, sources, into);
  }
  if (auto runtimes = root.find("runtimes")) {
    for (const JsonReader& entry : runtimes->elements()) {
      read_runtime(entry, sources, into);
    }
  }
  for (auto& [key, text] : sources) {
    into.sources.emplace(key, text);  // the first file's citation of a shared id wins
  }
  std::sort(into.parameters.begin(), into.parameters.end(),
            [](const ModelParameter& a, const ModelParameter& b) { return a.name < b.name; });
}

}  // namespace

const ModelParameter* ModelSet::find(std::string_view name) const {
  auto it = std::find_if(parameters.begin(), parameters.end(),
                         [&](const ModelParameter& p) { return p.name == name; });
  return it == parameters.end() ? nullptr : &*it;
}

double ModelSet::value(std::string_view name) const {
  const ModelParameter* p = find(name);
  return p != nullptr && p->value ? *p->value : std::nan("");
}

std::optional<double> ModelSet::optional_value(std::string_view name) const {
  const ModelParameter* p = find(name);
  return p != nullptr ? p->value : std::nullopt;
}

const RuntimeColdStart* ModelSet::find_runtime(std::string_view runtime) const {
  auto it = std::find_if(runtimes.begin(), runtimes.end(),
                         [&](const RuntimeColdStart& r) { return r.runtime == runtime; });
  return it == runtimes.end() ? nullptr : &*it;
}

Result<void> ModelSet::set(std::string_view name, std::optional<double> value) {
  auto it = std::find_if(parameters.begin(), parameters.end(),
                         [&](const ModelParameter& p) { return p.name == name; });
  if (it == parameters.end()) {
    std::vector<std::pair<std::size_t, std::string>> near;
    for (const ModelParameter& p : parameters) {
      near.emplace_back(distance(name, p.name), p.name);
    }
    std::sort(near.begin(), near.end());
    std::string message = "unknown model parameter \"" + std::string{name} + "\"";
    if (!near.empty()) {
      message += ", did you mean " + near[0].second;
      if (near.size() > 1) {
        message += " or " + near[1].second;
      }
      message += "? (placer models show lists them)";
    }
    return fail(ErrorCode::invalid_argument, message, std::string{name});
  }
  if (value && (!std::isfinite(*value) || *value < it->min || *value > it->max)) {
    return fail(ErrorCode::invalid_argument,
                it->name + " must be within [" + format_number(it->min) + ", " +
                    format_number(it->max) + "] " + it->unit + ", found " +
                    format_number(*value),
                std::string{name});
  }
  it->value = value;
  it->overridden = true;
  return {};
}

Result<void> ModelSet::set(std::string_view assignment) {
  const auto equals = assignment.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    return fail(ErrorCode::invalid_argument,
                "expected NAME=VALUE such as lambda.keep_alive_s=600, found \"" +
                    std::string{assignment} + "\"",
                std::string{assignment});
  }
  const std::string_view name = assignment.substr(0, equals);
  const std::string_view text = assignment.substr(equals + 1);
  if (text == "none") {
    return set(name, std::nullopt);
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    return fail(ErrorCode::invalid_argument,
                "expected a number or none after " + std::string{name} + "=, found \"" +
                    std::string{text} + "\"",
                std::string{assignment});
  }
  return set(name, value);
}

Result<void> parse_models(std::string_view json_text, std::string_view origin, ModelSet& into) {
  auto document = detail::parse_json(json_text, origin);
  if (!document) {
    return tl::unexpected(document.error());
  }
  try {
    read_models(JsonReader{*document, "$", origin}, into);
  } catch (const InputError& e) {
    return tl::unexpected(e.error);
  }
  return {};
}

Result<ModelSet> load_models(const std::filesystem::path& directory) {
  ModelSet models;
  for (const char* name : {"lambda.json", "kubernetes.json", "analysis.json"}) {
    const std::filesystem::path file = directory / name;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      return fail(ErrorCode::not_found, "model file not found", file.string());
    }
    constexpr std::uintmax_t k_max_bytes = 4u << 20;
    if (std::filesystem::file_size(file, ec) > k_max_bytes) {
      return fail(ErrorCode::parse, "model file is larger than 4 MiB", file.string());
    }
    std::ifstream in{file, std::ios::binary};
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      return fail(ErrorCode::io, "cannot read model file", file.string());
    }
    if (auto ok = parse_models(text.str(), file.string(), models); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  return models;
}

}  // namespace placer
