// CortadoServer wires a whole broker process: store, Broker, gRPC service
// and the SQS-compatible HTTP gateway (which calls the Broker in-process).
// `cortado-server`'s main() is a thin shell around it, and integration tests
// run it in-process on port 0. Thread-safety: Start/Shutdown/Wait from one
// controlling thread; the accessors are safe once Start() returned OK.
#ifndef CORTADO_SERVER_CORTADO_SERVER_H_
#define CORTADO_SERVER_CORTADO_SERVER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gateway/sigv4.h"
#include "server/core/broker.h"
#include "server/core/clock.h"
#include "server/core/http_push.h"

namespace cortado {

struct ServerOptions {
  std::string data_dir = "./cortado-data";
  std::string grpc_addr = "127.0.0.1:50051";  // port 0: pick a free one
  std::string http_addr = "127.0.0.1:9324";   // port 0: pick a free one
  // SigV4 enforcement on the HTTP gateway: when set, every request must be
  // signed by one of these keys; otherwise the gateway is open.
  std::optional<gateway::SigV4Credentials> credentials;
  // "sqlite" (durable, in data_dir), "postgres" (durable, at
  // database_url) or "memory".
  std::string storage = "sqlite";
  std::string sync = "normal";  // sqlite: "normal" or "full"
  // postgres: any libpq connection string, the PostgreSQL schema of the
  // broker's tables, and how long to wait for an unreachable database.
  std::string database_url;
  std::string database_schema = "cortado";
  absl::Duration database_wait = absl::Minutes(5);
  BrokerOptions broker;
  // SNS push to http/https subscribers: the address ranges the broker may
  // POST to ("" = any; --sns-http-allow, a comma-separated CIDR list) and a
  // PEM file of extra CAs for https endpoints (--https-ca-file).
  std::string sns_http_allow;
  std::string https_ca_file;
  // Each push's outcome, on a sender thread (main logs failures); optional.
  std::function<void(const HttpPush&, const absl::Status&)> on_http_push;
  // Runs once the broker has loaded its state, before the listeners open
  // (main applies --config here); an error stops Start().
  std::function<absl::Status(Broker&)> before_serving;
};

class CortadoServer {
 public:
  // `clock` may be null (the real clock); it must outlive the server.
  explicit CortadoServer(ServerOptions options, Clock* clock = nullptr);
  ~CortadoServer();  // Shutdown()

  // Opens the store, starts the broker and binds the listeners.
  absl::Status Start();

  // The bound gRPC address, "host:port" (the real port when 0 was asked).
  std::string grpc_address() const;
  int grpc_port() const;
  // The bound HTTP gateway address, "host:port" (the real port when 0 was
  // asked). Queue URLs of the gRPC API use it.
  std::string http_address() const;
  int http_port() const;

  Broker& broker();

  // Graceful stop: refuse new calls, answer parked long polls with empty
  // results (broker first), then finish in-flight HTTP and gRPC calls and
  // close the listeners. Idempotent.
  void Shutdown();

  // Blocks until Shutdown() has completed (from another thread or a signal).
  void Wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORTADO_SERVER_H_
