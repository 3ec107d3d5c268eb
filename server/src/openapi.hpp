// Private to the server: the OpenAPI 3.1 document (server/openapi.json), compiled in at
// build time so the binary serves exactly the committed file.
#pragma once

#include <string_view>

namespace placer::server {

extern const std::string_view k_openapi_json;

}  // namespace placer::server
