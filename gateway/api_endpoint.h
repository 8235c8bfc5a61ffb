// ApiEndpoint: the AWS API, answered on every path the router does not
// claim. One pipeline for SQS and SNS:
//
//   authenticate (SigV4, gateway/authenticate.h)
//   -> decode (service, protocol, action, parameters; gateway/decode.h)
//   -> action (one Broker call, an Output tree; gateway/actions/, sns/)
//   -> encode (JSON, or XML in the service's dialect; gateway/encode.h)
//
// Each request is counted in HttpRequestMetrics from its structured
// outcome: its action (or "unknown") and "ok" or the error's name.
// Thread-safety: Handle() and ErrorResponse() may be called concurrently
// from any thread. The broker answers on its writer thread; the actions
// move their completions to the request's Connection (OnConnection), so
// encoding and `respond` run on the I/O thread (or where the broker
// answers when no connection is given).
#ifndef CORTADO_GATEWAY_API_ENDPOINT_H_
#define CORTADO_GATEWAY_API_ENDPOINT_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "gateway/http_forwarder.h"
#include "gateway/http_message.h"
#include "gateway/metrics/http_request_metrics.h"
#include "gateway/routing.h"
#include "gateway/sigv4.h"
#include "server/core/broker.h"
#include "server/core/clock.h"

namespace cortado::gateway {

struct ApiEndpointOptions {
  // When set, every request must carry a valid SigV4 signature by one of
  // these keys; otherwise any (or no) credentials are accepted.
  std::optional<SigV4Credentials> credentials;
  // Host used in queue URLs when a request has no Host header.
  std::string default_host = "127.0.0.1:9324";
  // Cluster mode: where each request is served (routing.h), and how one
  // owned by another node is forwarded there. Both null on a single server.
  const Routing* routing = nullptr;
  HttpForwarder* forwarder = nullptr;
  // How long a forwarded request may take: a ReceiveMessage its longest
  // wait (20 s) plus this, any other call this. An owner that stopped
  // answering (frozen) then costs the client this long, and a retryable
  // error.
  absl::Duration forward_timeout = absl::Seconds(10);
};

class ApiEndpoint {
 public:
  // `broker`, `clock` and `requests` must outlive the endpoint. `broker` is
  // null in cluster mode (options.routing finds one per request).
  ApiEndpoint(ApiEndpointOptions options, Broker* broker, Clock* clock,
              HttpRequestMetrics* requests);

  // `connection` may be null: completions then run where the broker
  // answers.
  void Handle(HttpRequest request, Respond respond,
              std::shared_ptr<Connection> connection);

  // The error response for a request the HTTP layer rejected before it was
  // complete (malformed HTTP, body too large), in the SQS protocol its
  // headers suggest.
  HttpResponse ErrorResponse(const HttpRequest& partial,
                             const absl::Status& error) const;

  const Routing* routing() const { return options_.routing; }

  void set_default_host(std::string host) {
    options_.default_host = std::move(host);
  }

 private:
  ApiEndpointOptions options_;
  Broker* const broker_;
  Clock* const clock_;
  HttpRequestMetrics* const requests_;
};

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_API_ENDPOINT_H_
