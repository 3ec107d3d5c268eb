#include "json_reader.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace placer::detail {
namespace {

std::string origin_and_path(std::string_view origin, const std::string& path) {
  std::string text{origin};
  text += ": ";
  text += path;
  return text;
}

// Parses text[begin, end); errors name their line and column in the whole of `text`.
Result<nlohmann::json> parse_range(std::string_view text, std::size_t begin, std::size_t end,
                                   std::string_view origin) {
  const std::string_view piece = text.substr(begin, end - begin);
  try {
    return nlohmann::json::parse(piece.begin(), piece.end());
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is the 1-based offset just past the offending character.
    std::size_t offset =
        begin + (e.byte == 0 ? 0 : std::min<std::size_t>(e.byte - 1, piece.size()));
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string message = "malformed JSON";
    if (offset >= end) {
      message = text.empty() ? "empty input, expected a JSON document"
                             : "unexpected end of input, expected more JSON";
    } else {
      message += ": unexpected ";
      unsigned char c = static_cast<unsigned char>(text[offset]);
      if (c >= 0x20 && c < 0x7f) {
        message += "'";
        message += static_cast<char>(c);
        message += "'";
      } else {
        message += "byte " + std::to_string(static_cast<unsigned>(c));
      }
    }
    return fail(ErrorCode::parse, message,
                std::string{origin} + ":" + std::to_string(line) + ":" + std::to_string(column));
  } catch (const nlohmann::json::exception&) {
    // out_of_range: a number too large for any numeric type, e.g. 1e99999.
    return fail(ErrorCode::parse, "malformed JSON: a number is out of range", std::string{origin});
  }
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The end of the object or array that starts at `begin`: just past its closing bracket,
// or text.size() when it is never closed (the parser then says what is missing).
std::size_t end_of_value(std::string_view text, std::size_t begin) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = begin; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return i + 1;
    }
  }
  return text.size();
}

}  // namespace

Result<nlohmann::json> parse_json(std::string_view text, std::string_view origin) {
  return parse_range(text, 0, text.size(), origin);
}

Result<std::vector<JsonValueAt>> parse_json_values(std::string_view text, std::string_view origin) {
  std::vector<JsonValueAt> out;
  std::size_t line = 1;
  std::size_t pos = 0;
  for (;;) {
    while (pos < text.size() && is_space(text[pos])) {
      line += text[pos] == '\n';
      ++pos;
    }
    if (pos == text.size()) {
      break;
    }
    // A value that is not an object or array runs to the end: the parser takes it whole and
    // says what is wrong with anything after it.
    const std::size_t end =
        text[pos] == '{' || text[pos] == '[' ? end_of_value(text, pos) : text.size();
    auto value = parse_range(text, pos, end, origin);
    if (!value) {
      return tl::unexpected(value.error());
    }
    out.push_back({std::move(*value), line});
    for (; pos < end; ++pos) {
      line += text[pos] == '\n';
    }
  }
  if (out.empty()) {
    return fail(ErrorCode::parse, "empty input, expected a JSON document",
                std::string{origin} + ":" + std::to_string(line) + ":1");
  }
  return out;
}

std::string JsonReader::where() const { return detail::origin_and_path(origin_, path_); }

void JsonReader::only_keys(const std::set<std::string>& known) const {
  find("");  // throws unless an object
  for (const auto& [key, value] : node_->items()) {
    (void)value;
    if (!known.contains(key)) {
      std::string list;
      for (const std::string& k : known) {
        list += (list.empty() ? "" : ", ") + k;
      }
      at(key).fail("unknown key \"" + key + "\", expected one of " + list);
    }
  }
}

void JsonReader::fail(std::string message) const {
  throw InputError{Error{ErrorCode::parse, std::move(message), origin_and_path(origin_, path_)}};
}

std::string JsonReader::describe_type() const {
  switch (node_->type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "a number";
    default:
      return "an unknown value";
  }
}

JsonReader JsonReader::at(std::string_view key) const {
  auto member = find(key);
  if (!member) {
    std::string path = path_ + "." + std::string{key};
    throw InputError{Error{ErrorCode::parse, "missing required field \"" + std::string{key} + "\"",
                           origin_and_path(origin_, path)}};
  }
  return *member;
}

std::optional<JsonReader> JsonReader::find(std::string_view key) const {
  if (!node_->is_object()) {
    fail("expected an object, found " + describe_type());
  }
  auto it = node_->find(key);
  if (it == node_->end() || it->is_null()) {
    return std::nullopt;
  }
  return JsonReader{*it, path_ + "." + std::string{key}, origin_};
}

std::vector<JsonReader> JsonReader::elements() const {
  if (!node_->is_array()) {
    fail("expected an array, found " + describe_type());
  }
  std::vector<JsonReader> out;
  out.reserve(node_->size());
  for (std::size_t i = 0; i < node_->size(); ++i) {
    out.emplace_back((*node_)[i], path_ + "[" + std::to_string(i) + "]", origin_);
  }
  return out;
}

double JsonReader::number() const {
  if (!node_->is_number()) {
    fail("expected a number, found " + describe_type());
  }
  double value = node_->get<double>();
  if (!std::isfinite(value)) {
    fail("expected a finite number");
  }
  return value;
}

double JsonReader::non_negative() const {
  double value = number();
  if (value < 0) {
    fail("must not be negative, found " + node_->dump());
  }
  return value;
}

double JsonReader::positive() const {
  double value = number();
  if (value <= 0) {
    fail("must be positive, found " + node_->dump());
  }
  return value;
}

int JsonReader::count() const {
  double value = non_negative();
  if (value != std::floor(value) || value > std::numeric_limits<int>::max()) {
    fail("expected a whole number, found " + node_->dump());
  }
  return static_cast<int>(value);
}

std::string JsonReader::string() const {
  if (!node_->is_string()) {
    fail("expected a string, found " + describe_type());
  }
  return node_->get<std::string>();
}

bool JsonReader::boolean() const {
  if (!node_->is_boolean()) {
    fail("expected a boolean, found " + describe_type());
  }
  return node_->get<bool>();
}

Result<std::string> read_small_file(const std::string& path, std::uintmax_t max_bytes, std::string_view what) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return fail(ErrorCode::not_found, std::string{what} + " not found", path);
  }
  if (std::filesystem::file_size(path, ec) > max_bytes) {
    return fail(ErrorCode::parse,
                std::string{what} + " is larger than " + std::to_string(max_bytes >> 20) + " MiB", path);
  }
  std::ifstream in{path, std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    return fail(ErrorCode::io, "cannot read the " + std::string{what}, path);
  }
  return text.str();
}

}  // namespace placer::detail
