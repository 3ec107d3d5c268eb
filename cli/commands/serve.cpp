// placer serve: the HTTP service (server/), with graceful shutdown on SIGTERM and SIGINT.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "../exit_codes.hpp"
#include "commands.hpp"

#ifdef PLACER_HAVE_SERVER
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "../catalog_path.hpp"
#include "../models_path.hpp"
#include "placer/server/service.hpp"
#endif

namespace placer::cli {
namespace {

struct ServeFlags {
  std::string listen = "127.0.0.1:8080";
  int threads = 0;
  double max_body_mib = 64;
  int request_timeout_s = 30;
  int shutdown_grace_s = 30;
  std::string catalog;
  std::string models_dir;
  std::string auth_token_file;
};

#ifdef PLACER_HAVE_SERVER

// "127.0.0.1:8080" -> host and port; "[::1]:8080" for IPv6.
Result<std::pair<std::string, int>> parse_listen(const std::string& text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return fail(ErrorCode::invalid_argument, "expected HOST:PORT, found \"" + text + "\"",
                "--listen");
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = -1;
  try {
    std::size_t used = 0;
    port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1) {
      port = -1;
    }
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) {
    return fail(ErrorCode::invalid_argument,
                "expected a port from 0 to 65535, found \"" + text.substr(colon + 1) + "\"",
                "--listen");
  }
  return std::make_pair(host, port);
}

// A handler that does nothing: with it installed, a signal the parent left ignored
// (a background job's SIGINT) still becomes pending, and sigwait() collects it.
extern "C" void ignore_signal(int) {}

void log_event(const std::string& json_fields) {
  std::cerr << "{\"event\": " << json_fields << "}\n" << std::flush;
}

int run_serve(const ServeFlags& f) {
  auto address = parse_listen(f.listen);
  if (!address) {
    return report(address.error());
  }
  auto catalog = load_catalog(f.catalog);
  if (!catalog) {
    return report(catalog.error());
  }
  auto models = load_model_set(f.models_dir, {});
  if (!models) {
    return report(models.error());
  }
  server::ServiceOptions options;
  options.host = address->first;
  options.port = address->second;
  options.threads = f.threads;
  options.max_body_bytes = static_cast<std::size_t>(f.max_body_mib * 1024 * 1024);
  options.request_timeout = std::chrono::seconds{f.request_timeout_s};
  options.log = &std::cerr;
  if (!f.auth_token_file.empty()) {
    auto token = server::read_token_file(f.auth_token_file);
    if (!token) {
      return report(token.error());
    }
    options.auth_token = std::move(*token);
  }

  // Block the signals in every thread (the pool inherits the mask); one thread waits for
  // them with sigwait, so stopping never runs inside a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  struct sigaction action {};
  action.sa_handler = ignore_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);

  server::Service service{options, std::move(*catalog), std::move(*models)};
  auto port = service.bind();
  if (!port) {
    return report(port.error());
  }
  log_event("\"listening\", \"host\": \"" + options.host +
            "\", \"port\": " + std::to_string(*port) + ", \"threads\": " +
            std::to_string(options.threads > 0 ? options.threads : server::default_thread_count()) +
            ", \"auth\": " + (options.auth_token.empty() ? "false" : "true"));

  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  bool signalled = false;
  std::thread waiter{[&] {
    int signal = 0;
    sigwait(&signals, &signal);
    {
      std::lock_guard lock{mutex};
      if (done) {
        return;  // woken by run() returning on its own
      }
      signalled = true;
    }
    log_event(std::string{"\"draining\", \"signal\": \""} +
              (signal == SIGINT ? "SIGINT" : "SIGTERM") +
              "\", \"grace_s\": " + std::to_string(f.shutdown_grace_s));
    service.stop();
    std::unique_lock lock{mutex};
    if (!finished.wait_for(lock, std::chrono::seconds{f.shutdown_grace_s}, [&] { return done; })) {
      log_event("\"shutdown_timeout\", \"exit\": 70");
      std::_Exit(k_exit_software);  // requests still running past the bound
    }
  }};
  auto ran = service.run();
  {
    std::lock_guard lock{mutex};
    done = true;
  }
  finished.notify_all();
  if (!signalled) {
    pthread_kill(waiter.native_handle(), SIGTERM);  // wake the waiter
  }
  waiter.join();
  if (!ran) {
    return report(ran.error());
  }
  log_event("\"stopped\"");
  return k_exit_ok;
}

#else

int run_serve(const ServeFlags&) {
  return report(Error{ErrorCode::unsupported,
                      "this placer was built without the HTTP service (PLACER_BUILD_SERVER=OFF)",
                      "serve"});
}

#endif

}  // namespace

void register_serve(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<ServeFlags>();
  CLI::App* serve = app.add_subcommand("serve", "Run the HTTP JSON API");
  serve->footer(R"(Examples:
  placer serve
  placer serve --listen 0.0.0.0:8080 --threads 16 --auth-token-file /run/secrets/placer-token
  PLACER_LISTEN=127.0.0.1:9000 placer serve --max-body-mib 16

Routes: POST /v1/analyze, POST /v1/cost, GET /v1/pricing, GET /v1/models, GET /openapi.json,
GET /healthz, GET /readyz, GET /version, GET /metrics. Errors are application/problem+json.
One JSON line per request goes to stderr. SIGTERM or SIGINT: stop accepting, finish the
requests in flight (up to --shutdown-grace-s), exit 0.)");
  serve->add_option("--listen", f->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->envname("PLACER_LISTEN")
      ->capture_default_str();
  serve
      ->add_option("--threads", f->threads,
                   "worker threads (default max(8, 2 x cores)); a kept-alive connection holds one")
      ->envname("PLACER_THREADS")
      ->check(CLI::Range(0, 4096));
  serve->add_option("--max-body-mib", f->max_body_mib, "largest request body, MiB (413 above)")
      ->envname("PLACER_MAX_BODY_MIB")
      ->check(CLI::Range(0.001, 4096.0))
      ->capture_default_str();
  serve
      ->add_option("--request-timeout-s", f->request_timeout_s,
                   "time allowed to read a request or write a response")
      ->envname("PLACER_REQUEST_TIMEOUT_S")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve
      ->add_option("--shutdown-grace-s", f->shutdown_grace_s,
                   "after SIGTERM, time allowed for requests in flight (then exit 70)")
      ->envname("PLACER_SHUTDOWN_GRACE_S")
      ->check(CLI::Range(0, 3600))
      ->capture_default_str();
  serve->add_option("--catalog", f->catalog,
                    "price catalog JSON (default: $PLACER_CATALOG, else the bundled one)");
  serve->add_option("--models", f->models_dir,
                    "folder with lambda.json and kubernetes.json (default: $PLACER_MODELS, else "
                    "the bundled models/)");
  serve
      ->add_option("--auth-token-file", f->auth_token_file,
                   "file holding a bearer token that /v1/* then requires")
      ->envname("PLACER_AUTH_TOKEN_FILE");
  serve->callback([f, &exit_code] { exit_code = run_serve(*f); });
}

}  // namespace placer::cli
