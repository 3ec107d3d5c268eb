// A small JSON Schema (2020-12) checker for the tests: the keywords placer's committed
// schemas use (type, enum, minimum, maximum, required, properties, additionalProperties:
// false, items, oneOf). An unknown keyword fails loudly, so the schema cannot silently use
// more than is checked.
#pragma once

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace placer::testing {

inline bool json_type_is(const nlohmann::json& v, const std::string& type) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_boolean();
  if (type == "null") return v.is_null();
  if (type == "number") return v.is_number();
  if (type == "integer") {
    return v.is_number_integer() || (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
  }
  return false;
}

// Appends "path: problem" for every violation of `schema` by `value`.
inline void check_schema(const nlohmann::json& schema, const nlohmann::json& value,
                         const std::string& path, std::vector<std::string>& errors) {
  static const std::set<std::string> known = {"$schema", "$id", "title", "description", "type",
                                              "enum", "minimum", "maximum", "required",
                                              "properties", "additionalProperties", "items",
                                              "oneOf"};
  for (const auto& [key, unused] : schema.items()) {
    (void)unused;
    if (!known.contains(key)) {
      errors.push_back(path + ": the checker does not know schema keyword " + key);
    }
  }
  if (schema.contains("oneOf")) {
    int matches = 0;
    for (const auto& option : schema["oneOf"]) {
      std::vector<std::string> sub;
      check_schema(option, value, path, sub);
      matches += sub.empty() ? 1 : 0;
    }
    if (matches != 1) {
      errors.push_back(path + ": matches " + std::to_string(matches) + " of oneOf, expected 1");
    }
  }
  if (schema.contains("type")) {
    const auto& t = schema["type"];
    bool ok = false;
    if (t.is_string()) {
      ok = json_type_is(value, t.get<std::string>());
    } else {
      for (const auto& each : t) ok = ok || json_type_is(value, each.get<std::string>());
    }
    if (!ok) {
      errors.push_back(path + ": type " + std::string{value.type_name()} + ", expected " + t.dump());
      return;
    }
  }
  if (schema.contains("enum")) {
    bool found = false;
    for (const auto& option : schema["enum"]) found = found || option == value;
    if (!found) errors.push_back(path + ": " + value.dump() + " not in " + schema["enum"].dump());
  }
  if (value.is_number()) {
    if (schema.contains("minimum") && value.get<double>() < schema["minimum"].get<double>()) {
      errors.push_back(path + ": " + value.dump() + " below minimum");
    }
    if (schema.contains("maximum") && value.get<double>() > schema["maximum"].get<double>()) {
      errors.push_back(path + ": " + value.dump() + " above maximum");
    }
  }
  if (value.is_object()) {
    for (const auto& name : schema.value("required", nlohmann::json::array())) {
      if (!value.contains(name.get<std::string>())) {
        errors.push_back(path + ": missing required " + name.get<std::string>());
      }
    }
    const auto properties = schema.value("properties", nlohmann::json::object());
    for (const auto& [key, member] : value.items()) {
      if (properties.contains(key)) {
        check_schema(properties[key], member, path + "." + key, errors);
      } else if (schema.contains("additionalProperties") && schema["additionalProperties"] == false) {
        errors.push_back(path + ": unexpected property " + key);
      }
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      check_schema(schema["items"], value[i], path + "[" + std::to_string(i) + "]", errors);
    }
  }
}

}  // namespace placer::testing
