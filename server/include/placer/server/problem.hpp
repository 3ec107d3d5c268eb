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

// What an error is about decides its status.
enum class Origin {
  service,          // the service's own state or a route: the table above
  request_content,  // a request body that parsed, or its query string: the client's data
};

// The problem for `error` met while serving `instance`. For Origin::request_content,
// invalid_argument, parse, not_found and unsupported all become 422 (the request was
// well-formed; the model cannot use it: an unknown instance type in a body is not a
// missing resource), io and internal stay 500. `code` keeps the ErrorCode's spelling.
Problem problem_from(const Error& error, std::string instance, Origin origin = Origin::service);

// A problem that is about HTTP itself rather than a core Error: 400 malformed_json,
// 401 unauthorized, 404 not_found, 405 method_not_allowed, 413 payload_too_large,
// 415 unsupported_media_type, 500 internal, 503 unavailable. `code` is the stable spelling
// clients switch on; the title comes from `status`.
Problem http_problem(int status, std::string code, std::string detail, std::string instance,
                     std::string where = {});

// The application/problem+json body.
std::string problem_json(const Problem& problem);

}  // namespace placer::server
