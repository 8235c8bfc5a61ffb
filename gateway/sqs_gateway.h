// SqsGateway turns one HTTP request into one SQS action and its response:
// picks the protocol per request (JSON 1.0 vs query, §1.1), checks SigV4
// when credentials are configured, resolves the action and the queue, runs
// the action against the in-process Broker and answers in the request's own
// protocol, errors included. Also serves GET /healthz and GET /metrics
// (Prometheus text, gateway/metrics/metrics_page.h), and counts its API
// requests for the latter.
// Thread-safety: Handle() may be called concurrently from any thread. The
// broker answers on its writer thread; the actions move their completions
// (encoding included) to the request's Connection, so `respond` runs there
// (or on the writer when no connection is given, or for SNS actions).
#ifndef CORTADO_GATEWAY_SQS_GATEWAY_H_
#define CORTADO_GATEWAY_SQS_GATEWAY_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "gateway/http_message.h"
#include "gateway/metrics/http_request_metrics.h"
#include "gateway/metrics/metrics_text.h"
#include "gateway/sigv4.h"
#include "server/core/broker.h"
#include "server/core/clock.h"

namespace cortado::gateway {

struct SqsGatewayOptions {
  // When set, every request must carry a valid SigV4 signature by one of
  // these keys; otherwise any (or no) credentials are accepted.
  std::optional<SigV4Credentials> credentials;
  // Host used in queue URLs when a request has no Host header.
  std::string default_host = "127.0.0.1:9324";
  // Appends families from outside the gateway to /metrics (the server adds
  // the gRPC call counters). Called on an I/O thread, once per scrape.
  std::function<void(MetricsText&)> extra_metrics;
};

class SqsGateway {
 public:
  // `broker` and `clock` must outlive the gateway.
  SqsGateway(SqsGatewayOptions options, Broker* broker, Clock* clock);

  // `connection` may be null: completions then run where the broker
  // answers.
  void Handle(HttpRequest request, Respond respond,
              std::shared_ptr<Connection> connection = nullptr);

  // The error response for a request the HTTP layer rejected before it was
  // complete (malformed HTTP, body too large), in the protocol its headers
  // suggest.
  HttpResponse ErrorResponse(const HttpRequest& partial,
                             const absl::Status& error) const;

  void set_default_host(std::string host) {
    options_.default_host = std::move(host);
  }

  // The requests counted so far (for tests and /metrics).
  const HttpRequestMetrics& request_metrics() const { return requests_; }

 private:
  void ServeMetrics(const HttpRequest& request, Respond respond) const;

  SqsGatewayOptions options_;
  Broker* const broker_;
  Clock* const clock_;
  // Mutable: counting a request does not change what the gateway answers
  // (ErrorResponse is const and counts too).
  mutable HttpRequestMetrics requests_;
};

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_SQS_GATEWAY_H_
