#include "placer/server/problem.hpp"

#include <nlohmann/json.hpp>

namespace placer::server {
namespace {

const char* title_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
      return "Invalid argument";
    case ErrorCode::parse:
      return "Unprocessable input";
    case ErrorCode::not_found:
      return "Not found";
    case ErrorCode::unsupported:
      return "Not implemented";
    case ErrorCode::io:
      return "I/O error";
    case ErrorCode::internal:
      return "Internal error";
  }
  return "Internal error";
}

}  // namespace

int http_status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
      return 400;
    case ErrorCode::parse:
      return 422;
    case ErrorCode::not_found:
      return 404;
    case ErrorCode::unsupported:
      return 501;
    case ErrorCode::io:
    case ErrorCode::internal:
      return 500;
  }
  return 500;
}

Problem problem_from(const Error& error, std::string instance) {
  std::string code{to_string(error.code)};
  return Problem{"/problems/" + code, title_for(error.code), http_status_for(error.code),
                 error.message,       std::move(instance),   code,
                 error.where};
}

std::string problem_json(const Problem& p) {
  nlohmann::ordered_json doc{{"type", p.type},       {"title", p.title},   {"status", p.status},
                             {"detail", p.detail},   {"instance", p.instance},
                             {"code", p.code},       {"where", p.where}};
  return doc.dump();
}

}  // namespace placer::server
