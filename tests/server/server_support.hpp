// Starts the real service in-process on 127.0.0.1 with an ephemeral port, for the server
// tests, and speaks to it with httplib's client or a raw socket.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "placer/models.hpp"
#include "placer/pricing.hpp"
#include "placer/server/service.hpp"

namespace placer::testing {

inline const PricingCatalog& test_catalog() {
  static const PricingCatalog catalog =
      *load_pricing_catalog(std::string{PLACER_SOURCE_DATA_DIR} + "/pricing/aws-us-east-1.json");
  return catalog;
}

inline const ModelSet& test_models() {
  static const ModelSet models = *load_models(PLACER_SOURCE_MODELS_DIR);
  return models;
}

class TestServer {
 public:
  explicit TestServer(server::ServiceOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    if (options.threads == 0) {
      options.threads = 4;
    }
    service_ = std::make_unique<server::Service>(options, test_catalog(), test_models());
    auto port = service_->bind();
    EXPECT_TRUE(port.has_value());
    port_ = port.value_or(0);
    thread_ = std::thread{[this] { ran_ = service_->run().has_value(); }};
    for (int i = 0; i < 200 && !service_->running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds{5});
    }
  }
  ~TestServer() { stop(); }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  // Stops the service and waits for run() to return.
  void stop() {
    service_->stop();
    if (thread_.joinable()) {
      thread_.join();
    }
  }
  bool ran() const { return ran_; }
  int port() const { return port_; }
  server::Service& service() { return *service_; }

  httplib::Client client() const {
    httplib::Client client{"127.0.0.1", port_};
    client.set_connection_timeout(2);
    client.set_read_timeout(10);
    client.set_write_timeout(10);
    return client;
  }

 private:
  std::unique_ptr<server::Service> service_;
  std::thread thread_;
  int port_ = 0;
  bool ran_ = false;
};

// A TCP connection for requests httplib's client cannot make (half-sent bodies).
class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  bool send(const std::string& text) {
    return ::send(fd_, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size());
  }
  // Everything until the peer closes the connection.
  std::string read_all() {
    std::string out;
    char buffer[4096];
    ssize_t n = 0;
    while ((n = ::recv(fd_, buffer, sizeof buffer, 0)) > 0) {
      out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

}  // namespace placer::testing
