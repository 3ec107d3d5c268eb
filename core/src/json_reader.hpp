// Private to core: walks a parsed JSON document while keeping the JSON path of every node,
// so that each schema violation becomes an Error naming the file and "$.a.b[2].c".
//
// Readers throw InputError internally; the public function that uses a reader catches it
// at its boundary (with catch_input_errors) and returns it as a Result. Nothing thrown
// here crosses core's public API.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "placer/error.hpp"

namespace placer::detail {

struct InputError {
  Error error;
};

// Parses `text`; malformed JSON fails with parse at "<origin>:<line>:<column>".
Result<nlohmann::json> parse_json(std::string_view text, std::string_view origin);

// A JSON value and the line of `text` it starts on (1-based).
struct JsonValueAt {
  nlohmann::json value;
  std::size_t line = 1;
};

// Parses the JSON values that follow one another in `text`, separated by nothing but
// whitespace: one document, or several as `aws ... >> out.json` appends them (`{...}{...}`,
// one per line). Fails as parse_json, with positions counted in the whole of `text`;
// text with no value at all fails with "empty input, expected a JSON document".
Result<std::vector<JsonValueAt>> parse_json_values(std::string_view text, std::string_view origin);

// Reads a small document whole: not_found when `path` is no regular file, parse when it is
// larger than `max_bytes`, io when reading fails. `what` names it in messages.
Result<std::string> read_small_file(const std::string& path, std::uintmax_t max_bytes, std::string_view what);

class JsonReader {
 public:
  JsonReader(const nlohmann::json& node, std::string path, std::string_view origin)
      : node_(&node), path_(std::move(path)), origin_(origin) {}

  const std::string& path() const { return path_; }
  // "<origin>: <path>", as errors at this node name it.
  std::string where() const;
  const nlohmann::json& node() const { return *node_; }

  // A required member of this object; throws when this is not an object or the member is
  // missing.
  JsonReader at(std::string_view key) const;
  // A member that may be absent (or null).
  std::optional<JsonReader> find(std::string_view key) const;
  bool has(std::string_view key) const { return find(key).has_value(); }

  // Throws unless this is an object whose every key is in `known` (a typo must not be
  // ignored silently); the message lists the known keys.
  void only_keys(const std::set<std::string>& known) const;

  // The elements of this array (throws when this is not an array).
  std::vector<JsonReader> elements() const;

  // This node as a value; throw on a wrong type or a non-finite number.
  double number() const;
  double non_negative() const;  // >= 0
  double positive() const;      // > 0
  int count() const;            // a non-negative integer that fits an int
  std::string string() const;
  bool boolean() const;
  bool is_null() const { return node_->is_null(); }

  // An InputError (ErrorCode::parse) at this node: "<origin>: <path>".
  [[noreturn]] void fail(std::string message) const;

 private:
  std::string describe_type() const;
  const nlohmann::json* node_;
  std::string path_;
  std::string_view origin_;
};

}  // namespace placer::detail
