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

Problem problem_from(const Error& error, std::string instance, Origin origin) {
  std::string code{to_string(error.code)};
  int status = http_status_for(error.code);
  const char* title = title_for(error.code);
  if (origin == Origin::request_content && status != 500) {
    status = 422;
    title = "Unprocessable request";
  }
  return Problem{"/problems/" + code, title, status,     error.message,
                 std::move(instance), code,  error.where};
}

Problem http_problem(int status, std::string code, std::string detail, std::string instance,
                     std::string where) {
  const char* title = "Error";
  switch (status) {
    case 400:
      title = "Bad request";
      break;
    case 401:
      title = "Unauthorized";
      break;
    case 404:
      title = "Not found";
      break;
    case 405:
      title = "Method not allowed";
      break;
    case 408:
      title = "Request timeout";
      break;
    case 413:
      title = "Content too large";
      break;
    case 414:
      title = "URI too long";
      break;
    case 415:
      title = "Unsupported media type";
      break;
    case 422:
      title = "Unprocessable request";
      break;
    case 500:
      title = "Internal error";
      break;
    case 503:
      title = "Service unavailable";
      break;
    default:
      break;
  }
  return Problem{"/problems/" + code, title, status,          std::move(detail),
                 std::move(instance), code,  std::move(where)};
}

std::string problem_json(const Problem& p) {
  nlohmann::ordered_json doc{{"type", p.type},     {"title", p.title},       {"status", p.status},
                             {"detail", p.detail}, {"instance", p.instance}, {"code", p.code},
                             {"where", p.where}};
  return doc.dump();
}

}  // namespace placer::server
