// RFC 9457 problem details for the HTTP service: the one table that maps core ErrorCodes
// to HTTP statuses and stable problem types. Clients switch on `code`.
#pragma once

#include <string>

#include "placer/error.hpp"

namespace placer::server {

struct Problem {
  std::string type;   // "/problems/not_found": stable per code, relative to the service
  std::string title;  // "Not found"
  int status = 500;
  std::string detail;    // the Error's message
  std::string instance;  // the request path
  std::string code;      // "not_found"
  std::string where;     // the Error's where
};

// invalid_argument 400, parse 422, not_found 404, unsupported 501, io 500, internal 500.
int http_status_for(ErrorCode code);

Problem problem_from(const Error& error, std::string instance);

// The application/problem+json body.
std::string problem_json(const Problem& problem);

}  // namespace placer::server
