// The HTTP service (`placer serve`): thin routes over the core calls the CLI makes, with
// problem+json errors, optional bearer auth on /v1/*, Prometheus metrics and one JSON log
// line per request. httplib stays inside server/src/service.cpp.
//
// A Service owns its catalog and models (immutable once constructed) and serves requests
// from a fixed pool of threads; the core calls it makes are reentrant. bind() then run() on
// one thread; stop() from any other thread (not from a signal handler).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "placer/error.hpp"
#include "placer/models.hpp"
#include "placer/pricing.hpp"

namespace placer::server {

inline constexpr std::size_t k_default_max_body_bytes = std::size_t{64} << 20;  // 64 MiB

struct ServiceOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port; bind() says which
  int threads = 0;  // 0: default_thread_count()
  std::size_t max_body_bytes = k_default_max_body_bytes;
  std::chrono::seconds request_timeout{30};  // reading a request, writing a response
  std::chrono::seconds keep_alive_timeout{5};
  std::string auth_token;       // non-empty: "Authorization: Bearer <token>" on /v1/*
  std::ostream* log = nullptr;  // one JSON line per request; nullptr: no log
};

// max(8, 2 x hardware threads): a connection holds a thread while it is kept alive.
int default_thread_count();

// A method and path the service answers, for the OpenAPI test and 405s.
struct Route {
  std::string method;  // "GET", "POST"
  std::string path;    // "/v1/cost"
};

class Service {
 public:
  Service(ServiceOptions options, PricingCatalog catalog, ModelSet models);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Binds the listening socket. Returns the port (useful with port 0).
  // Fails with io when the address cannot be bound.
  Result<int> bind();

  // Serves until stop(): then stops accepting, lets in-flight requests finish (each is
  // bounded by the request timeout), closes idle connections and returns.
  // Requires: bind() succeeded. Fails with io when the listener fails.
  Result<void> run();

  // Thread-safe; idempotent. /readyz answers 503 from here on.
  void stop();

  // True between run() starting to accept and stop().
  bool running() const;

  // Every route served, in registration order.
  std::vector<Route> routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads a bearer token from `path`: the file's content without surrounding whitespace.
// Fails with not_found / io as reading does, and invalid_argument when it is empty.
Result<std::string> read_token_file(const std::string& path);

// True when `given` equals `expected`, in time that depends only on their lengths.
bool tokens_equal(std::string_view given, std::string_view expected);

}  // namespace placer::server
