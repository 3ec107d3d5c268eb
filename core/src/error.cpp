#include "placer/error.hpp"

namespace placer {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
      return "invalid_argument";
    case ErrorCode::parse:
      return "parse";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::unsupported:
      return "unsupported";
    case ErrorCode::io:
      return "io";
    case ErrorCode::internal:
      return "internal";
  }
  return "internal";
}

std::string describe(const Error& error) {
  std::string text{to_string(error.code)};
  text += ": ";
  text += error.message;
  if (!error.where.empty()) {
    text += " (";
    text += error.where;
    text += ")";
  }
  return text;
}

}  // namespace placer
