// Private to the server: a request and a reply as the routes see them, so that route code
// needs no httplib (only service.cpp includes it).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "placer/server/problem.hpp"

namespace placer::server {

struct HttpRequest {
  std::string method;
  std::string path;
  std::string content_type;  // media type only, lower case: "text/csv"
  std::multimap<std::string, std::string> query;
  const std::string* body = nullptr;  // owned by the transport; never null in routes
};

struct HttpReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// A problem as a reply: application/problem+json with its status.
HttpReply problem_reply(const Problem& problem);

// The reply to a body that parse_json_object refused: 400 malformed_json for malformed
// JSON (`where` = line:column), else 422.
HttpReply body_error_reply(const Error& error, const std::string& instance);

}  // namespace placer::server
