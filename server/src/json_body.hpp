// Private to the server: a request body parsed as JSON, and a reader over one of its
// objects that checks each field's type and names it by JSON path ("$.workload.memory_mib")
// when it is wrong. nlohmann_json stays inside the server's .cpp files and this header.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "placer/error.hpp"

namespace placer::server {

// Malformed JSON fails with parse, `where` = "<line>:<column>" of the offending byte
// (1-based); a body that is not a JSON object fails with invalid_argument at "$".
// The caller answers the first 400, the second 422.
Result<nlohmann::json> parse_json_object(std::string_view body);

// "line:column" of byte `offset` (0-based) in `text`.
std::string line_column(std::string_view text, std::size_t offset);

// Reads the members of one JSON object. Each getter leaves `out` unchanged when the key is
// absent (or null) and records the first type error; finish() then fails with it, or with
// the first key no getter asked for (a misspelt field must not be ignored silently).
// All errors are invalid_argument with `where` = the member's JSON path.
class ObjectReader {
 public:
  ObjectReader(const nlohmann::json& object, std::string path);

  void number(std::string_view key, double& out);
  void number(std::string_view key, std::optional<double>& out);
  void integer(std::string_view key, int& out);
  void boolean(std::string_view key, bool& out);
  void string(std::string_view key, std::string& out);
  // The member itself (any type), for callers that read nested values; null when absent.
  const nlohmann::json* member(std::string_view key);
  bool has(std::string_view key) const;
  // Records `message` at `key` unless an error is already recorded.
  void fail(std::string_view key, std::string message);

  std::string path_of(std::string_view key) const;
  Result<void> finish();

 private:
  const nlohmann::json* find(std::string_view key);
  const nlohmann::json& object_;
  std::string path_;
  std::set<std::string, std::less<>> seen_;
  std::optional<Error> error_;
};

}  // namespace placer::server
