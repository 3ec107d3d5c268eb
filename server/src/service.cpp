// The transport: httplib's server, the route table, auth, problem+json for httplib's own
// errors, metrics and the access log. The only file that includes <httplib.h>.
#include "placer/server/service.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <fstream>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "analyze_route.hpp"
#include "cost_route.hpp"
#include "http_types.hpp"
#include "metrics.hpp"
#include "openapi.hpp"
#include "placer/render/pricing_json.hpp"
#include "placer/render/simulation_json.hpp"
#include "placer/version.hpp"

namespace placer::server {
namespace {

using Clock = std::chrono::steady_clock;
using Handler = std::function<HttpReply(const HttpRequest&)>;

// Per-request state. httplib serves a request on one thread from routing to logging.
thread_local Clock::time_point t_started;
thread_local bool t_counted = false;

std::string media_type(const std::string& header) {
  std::string type = header.substr(0, header.find(';'));
  type.erase(
      std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }),
      type.end());
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type;
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", buffer, static_cast<int>(ms.count()));
  return out;
}

void write_reply(const HttpReply& reply, httplib::Response& res) {
  res.status = reply.status;
  for (const auto& [name, value] : reply.headers) {
    res.set_header(name, value);
  }
  res.set_content(reply.body, reply.content_type.c_str());
}

HttpReply json_reply(std::string body) {
  return HttpReply{200, "application/json", std::move(body), {}};
}

}  // namespace

HttpReply problem_reply(const Problem& problem) {
  return HttpReply{problem.status, "application/problem+json", problem_json(problem), {}};
}

HttpReply body_error_reply(const Error& error, const std::string& instance) {
  if (error.code == ErrorCode::parse) {
    return problem_reply(http_problem(400, "malformed_json", error.message, instance, error.where));
  }
  return problem_reply(problem_from(error, instance, Origin::request_content));
}

int default_thread_count() {
  const unsigned hardware = std::thread::hardware_concurrency();
  return static_cast<int>(std::max(8u, 2 * hardware));
}

bool tokens_equal(std::string_view given, std::string_view expected) {
  // Every byte of `expected` is looked at whatever `given` holds; only lengths leak.
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const unsigned char g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
    diff = static_cast<unsigned char>(diff | (g ^ static_cast<unsigned char>(expected[i])));
  }
  return diff == 0;
}

Result<std::string> read_token_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) {
    return fail(ErrorCode::not_found, "cannot open the token file", path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  token.erase(token.begin(), std::find_if(token.begin(), token.end(), not_space));
  token.erase(std::find_if(token.rbegin(), token.rend(), not_space).base(), token.end());
  if (token.empty()) {
    return fail(ErrorCode::invalid_argument, "the token file is empty", path);
  }
  return token;
}

struct Service::Impl {
  ServiceOptions options;
  PricingCatalog catalog;
  ModelSet models;
  std::string pricing_doc;
  std::string models_doc;
  std::string version_doc;
  httplib::Server server;
  Metrics metrics;
  std::vector<Route> routes;
  std::atomic<bool> stopping{false};
  std::mutex log_mutex;
  bool bound = false;

  bool authorized(const httplib::Request& req) const {
    if (options.auth_token.empty()) {
      return true;
    }
    const std::string header = req.get_header_value("Authorization");
    constexpr std::string_view k_scheme = "Bearer ";
    if (header.size() < k_scheme.size() ||
        !std::equal(k_scheme.begin(), k_scheme.end(), header.begin(),
                    [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      return false;
    }
    return tokens_equal(std::string_view{header}.substr(k_scheme.size()), options.auth_token);
  }

  // Registers `handler` for `method` `path` (an exact path). /v1/* routes need the token
  // when one is set; a POST route accepts only `media_types`.
  void add(const std::string& method, const std::string& path, std::vector<std::string> media_types,
           Handler handler) {
    routes.push_back(Route{method, path});
    const std::string pattern = std::regex_replace(path, std::regex{R"([.])"}, R"(\.)");
    auto wrapped = [this, path, media_types = std::move(media_types), handler = std::move(handler)](
                       const httplib::Request& req, httplib::Response& res) {
      if (path.starts_with("/v1/") && !authorized(req)) {
        HttpReply reply = problem_reply(http_problem(
            401, "unauthorized", "a valid bearer token is required on /v1/*", req.path));
        reply.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"placer\"");
        return write_reply(reply, res);
      }
      HttpRequest request;
      request.method = req.method;
      request.path = req.path;
      request.content_type = media_type(req.get_header_value("Content-Type"));
      request.query = req.params;
      request.body = &req.body;
      if (!media_types.empty() && std::find(media_types.begin(), media_types.end(),
                                            request.content_type) == media_types.end()) {
        std::string accepted;
        for (const std::string& type : media_types) {
          accepted += (accepted.empty() ? "" : ", ") + type;
        }
        return write_reply(
            problem_reply(http_problem(
                415, "unsupported_media_type",
                "expected Content-Type " + accepted + ", found \"" + request.content_type + "\"",
                req.path, "Content-Type")),
            res);
      }
      write_reply(handler(request), res);
    };
    if (method == "GET") {
      server.Get(pattern, wrapped);
    } else {
      server.Post(pattern, wrapped);
    }
  }

  std::string route_label(const std::string& path) const {
    for (const Route& route : routes) {
      if (route.path == path) {
        return route.path;
      }
    }
    return "other";
  }

  // httplib's own errors (no route, body too large, bad request line) as problems; a
  // reply the routes already made is left alone.
  httplib::Server::HandlerResponse on_error(const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    Problem problem;
    if (res.status == 404) {
      std::string allow;
      for (const Route& route : routes) {
        if (route.path == req.path) {
          allow += (allow.empty() ? "" : ", ") + route.method;
        }
      }
      if (!allow.empty()) {
        res.status = 405;
        res.set_header("Allow", allow);
        problem = http_problem(405, "method_not_allowed",
                               req.method + " is not served here; allowed: " + allow, req.path);
      } else {
        problem = http_problem(404, "not_found", "no such route", req.path);
      }
    } else if (res.status == 413) {
      problem = http_problem(
          413, "payload_too_large",
          "the body exceeds " + std::to_string(options.max_body_bytes) + " bytes (--max-body-mib)",
          req.path);
    } else if (res.status == 400) {
      problem = http_problem(400, "bad_request", "malformed HTTP request", req.path);
    } else if (res.status == 500) {
      problem = http_problem(500, "internal", "internal error", req.path);
    } else {
      problem = http_problem(res.status, "http_" + std::to_string(res.status), "request failed",
                             req.path);
    }
    res.set_content(problem_json(problem), "application/problem+json");
    return httplib::Server::HandlerResponse::Handled;
  }

  void on_logged(const httplib::Request& req, const httplib::Response& res) {
    double seconds = 0;
    if (t_counted) {
      seconds = std::chrono::duration<double>(Clock::now() - t_started).count();
      metrics.request_finished();
      t_counted = false;
    }
    const std::string route = route_label(req.path);
    metrics.observe(req.method, route, res.status, seconds);
    if (route == "/v1/analyze" && req.method == "POST") {
      if (res.status == 200) {
        metrics.analysis_run(true);
      } else if (res.status == 422 || res.status == 500) {
        metrics.analysis_run(false);
      }
    }
    if (options.log == nullptr) {
      return;
    }
    nlohmann::ordered_json line{{"time", utc_now()},
                                {"method", req.method},
                                {"path", req.path},
                                {"status", res.status},
                                {"duration_ms", seconds * 1000},
                                {"bytes", res.body.size()},
                                {"request_bytes", req.body.size()},
                                {"remote", req.remote_addr}};
    const std::string text =
        line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::lock_guard lock{log_mutex};
    *options.log << text << std::flush;
  }

  void register_routes() {
    add("GET", "/healthz", {},
        [](const HttpRequest&) { return json_reply("{\"status\": \"ok\"}\n"); });
    add("GET", "/readyz", {}, [this](const HttpRequest& r) {
      if (stopping.load()) {
        return problem_reply(http_problem(503, "unavailable", "shutting down", r.path));
      }
      return json_reply("{\"status\": \"ready\"}\n");
    });
    add("GET", "/version", {}, [this](const HttpRequest&) { return json_reply(version_doc); });
    add("GET", "/metrics", {}, [this](const HttpRequest&) {
      return HttpReply{200, "text/plain; version=0.0.4; charset=utf-8", metrics.render(), {}};
    });
    add("GET", "/openapi.json", {},
        [](const HttpRequest&) { return json_reply(std::string{k_openapi_json}); });
    add("GET", "/v1/pricing", {}, [this](const HttpRequest&) { return json_reply(pricing_doc); });
    add("GET", "/v1/models", {}, [this](const HttpRequest&) { return json_reply(models_doc); });
    add("POST", "/v1/cost", {"application/json"},
        [this](const HttpRequest& r) { return handle_cost(r, catalog); });
    add("POST", "/v1/analyze", {"application/json", "text/csv", "application/x-ndjson"},
        [this](const HttpRequest& r) { return handle_analyze(r, models, catalog); });
  }

  void configure() {
    const int threads = options.threads > 0 ? options.threads : default_thread_count();
    server.new_task_queue = [threads] {
      return new httplib::ThreadPool(static_cast<std::size_t>(threads));
    };
    server.set_payload_max_length(options.max_body_bytes);
    // Small JSON answers: without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms to each.
    server.set_tcp_nodelay(true);
    server.set_read_timeout(options.request_timeout);
    server.set_write_timeout(options.request_timeout);
    server.set_keep_alive_timeout(options.keep_alive_timeout.count());
    server.set_pre_routing_handler([this](const httplib::Request&, httplib::Response&) {
      // A request whose write failed is never logged: its count carries over to this one
      // rather than leaking into the in-flight gauge.
      if (!t_counted) {
        metrics.request_started();
      }
      t_started = Clock::now();
      t_counted = true;
      return httplib::Server::HandlerResponse::Unhandled;
    });
    server.set_error_handler(httplib::Server::HandlerWithResponse{
        [this](const httplib::Request& req, httplib::Response& res) {
          return on_error(req, res);
        }});
    server.set_exception_handler(
        [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
          std::string what = "unknown exception";
          try {
            std::rethrow_exception(ep);
          } catch (const std::exception& e) {
            what = e.what();
          } catch (...) {
          }
          if (options.log != nullptr) {
            std::lock_guard lock{log_mutex};
            *options.log << nlohmann::json{{"time", utc_now()}, {"error", what}, {"path", req.path}}
                                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                         << "\n";
          }
          res.status = 500;
          res.set_content(problem_json(http_problem(500, "internal", "internal error", req.path)),
                          "application/problem+json");
        });
    server.set_logger(
        [this](const httplib::Request& req, const httplib::Response& res) { on_logged(req, res); });
    register_routes();
  }
};

Service::Service(ServiceOptions options, PricingCatalog catalog, ModelSet models)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->catalog = std::move(catalog);
  impl_->models = std::move(models);
  impl_->pricing_doc = pricing_json(impl_->catalog);
  impl_->models_doc = models_json(impl_->models);
  nlohmann::ordered_json version{
      {"version", std::string{k_placer_version}},
      {"cost_model_version", std::string{k_cost_model_version}},
      {"schema_version", k_output_schema_version},
      {"catalog", {{"id", impl_->catalog.id}, {"date", impl_->catalog.date}}},
      {"models", impl_->models.ids}};
  impl_->version_doc = version.dump(2) + "\n";
  impl_->configure();
}

Service::~Service() = default;

Result<int> Service::bind() {
  int port = 0;
  if (impl_->options.port == 0) {
    port = impl_->server.bind_to_any_port(impl_->options.host);
  } else if (impl_->server.bind_to_port(impl_->options.host, impl_->options.port)) {
    port = impl_->options.port;
  } else {
    port = -1;
  }
  if (port <= 0) {
    return fail(ErrorCode::io, "cannot listen on this address",
                impl_->options.host + ":" + std::to_string(impl_->options.port));
  }
  impl_->bound = true;
  return port;
}

Result<void> Service::run() {
  if (!impl_->bound) {
    return fail(ErrorCode::internal, "run() before bind()");
  }
  if (impl_->stopping.load()) {
    return {};
  }
  if (!impl_->server.listen_after_bind() && !impl_->stopping.load()) {
    return fail(ErrorCode::io, "the listener failed");
  }
  return {};
}

void Service::stop() {
  impl_->stopping.store(true);
  impl_->server.stop();
}

bool Service::running() const { return impl_->server.is_running() && !impl_->stopping.load(); }

std::vector<Route> Service::routes() const { return impl_->routes; }

}  // namespace placer::server
