#include "json_body.hpp"

#include <cmath>
#include <limits>

namespace placer::server {

std::string line_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

Result<nlohmann::json> parse_json_object(std::string_view body) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(body.begin(), body.end());
  } catch (const nlohmann::json::parse_error& e) {
    // `byte` is 1-based: the position of the byte the parser stopped at.
    const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    std::string what = e.what();
    const std::size_t colon = what.rfind(": ");
    return fail(ErrorCode::parse,
                "malformed JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2)),
                line_column(body, offset));
  }
  if (!doc.is_object()) {
    return fail(ErrorCode::invalid_argument,
                std::string{"expected a JSON object, found "} + doc.type_name(), "$");
  }
  return doc;
}

ObjectReader::ObjectReader(const nlohmann::json& object, std::string path)
    : object_(object), path_(std::move(path)) {}

std::string ObjectReader::path_of(std::string_view key) const {
  // "?" reads a query string: its parameters are named "?memory_mib".
  return path_ + (path_ == "?" ? "" : ".") + std::string{key};
}

void ObjectReader::fail(std::string_view key, std::string message) {
  if (!error_) {
    error_ = Error{ErrorCode::invalid_argument, std::move(message), path_of(key)};
  }
}

bool ObjectReader::has(std::string_view key) const {
  auto it = object_.find(std::string{key});
  return it != object_.end() && !it->is_null();
}

const nlohmann::json* ObjectReader::find(std::string_view key) {
  seen_.insert(std::string{key});
  auto it = object_.find(std::string{key});
  if (it == object_.end() || it->is_null()) {
    return nullptr;
  }
  return &*it;
}

const nlohmann::json* ObjectReader::member(std::string_view key) { return find(key); }

void ObjectReader::number(std::string_view key, std::optional<double>& out) {
  const nlohmann::json* value = find(key);
  if (value == nullptr) {
    return;
  }
  if (!value->is_number() || !std::isfinite(value->get<double>())) {
    fail(key, std::string{"expected a finite number, found "} + value->type_name());
    return;
  }
  out = value->get<double>();
}

void ObjectReader::number(std::string_view key, double& out) {
  std::optional<double> value;
  number(key, value);
  if (value) {
    out = *value;
  }
}

void ObjectReader::integer(std::string_view key, int& out) {
  std::optional<double> value;
  number(key, value);
  if (!value) {
    return;
  }
  if (*value != std::floor(*value) || std::fabs(*value) > std::numeric_limits<int>::max()) {
    fail(key, "expected a whole number");
    return;
  }
  out = static_cast<int>(*value);
}

void ObjectReader::boolean(std::string_view key, bool& out) {
  const nlohmann::json* value = find(key);
  if (value == nullptr) {
    return;
  }
  if (!value->is_boolean()) {
    fail(key, std::string{"expected true or false, found "} + value->type_name());
    return;
  }
  out = value->get<bool>();
}

void ObjectReader::string(std::string_view key, std::string& out) {
  const nlohmann::json* value = find(key);
  if (value == nullptr) {
    return;
  }
  if (!value->is_string()) {
    fail(key, std::string{"expected a string, found "} + value->type_name());
    return;
  }
  out = value->get<std::string>();
}

Result<void> ObjectReader::finish() {
  if (error_) {
    return tl::unexpected(*error_);
  }
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    if (!seen_.contains(it.key())) {
      return placer::fail(ErrorCode::invalid_argument, "unknown field \"" + it.key() + "\"",
                          path_of(it.key()));
    }
  }
  return {};
}

}  // namespace placer::server
