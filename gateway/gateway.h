// Gateway: everything the HTTP listener answers. A Router sends /healthz,
// /metrics, the web console's files (console/console_routes.h) and the
// static documents (the SNS signing certificate) to their
// own handlers (gateway/status_routes.h), and every other request to the
// AWS API endpoint, one pipeline for SQS and SNS (gateway/api_endpoint.h).
// The gateway knows no core constants: the composition root
// (cmd/cortado-server/) hands it the documents to serve.
// Thread-safety: Handle() and ErrorResponse() may be called concurrently
// from any thread; see ApiEndpoint for where responses are written.
#ifndef CORTADO_GATEWAY_GATEWAY_H_
#define CORTADO_GATEWAY_GATEWAY_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gateway/api_endpoint.h"
#include "gateway/http_message.h"
#include "gateway/http_server.h"
#include "gateway/metrics/http_request_metrics.h"
#include "gateway/metrics/metrics_text.h"
#include "gateway/router.h"
#include "gateway/status_routes.h"
#include "server/core/broker.h"
#include "server/core/clock.h"

namespace cortado::gateway {

struct GatewayOptions {
  ApiEndpointOptions api;  // credentials, default host
  // Appends families from outside the gateway to /metrics (the server adds
  // the gRPC call counters). Called on an I/O thread, once per scrape.
  std::function<void(MetricsText&)> extra_metrics;
  // Served on GET at their paths, e.g. the certificate SNS envelopes are
  // signed with (their SigningCertURL points there).
  std::vector<StaticDocument> documents;
};

class Gateway {
 public:
  // `broker` and `clock` must outlive the gateway.
  Gateway(GatewayOptions options, Broker* broker, Clock* clock);

  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // Routes the request; `connection` may be null (see ApiEndpoint).
  void Handle(HttpRequest request, Respond respond,
              std::shared_ptr<Connection> connection = nullptr) {
    router_.Handle(std::move(request), std::move(respond),
                   std::move(connection));
  }

  // See ApiEndpoint::ErrorResponse.
  HttpResponse ErrorResponse(const HttpRequest& partial,
                             const absl::Status& error) const {
    return api_.ErrorResponse(partial, error);
  }

  void set_default_host(std::string host) {
    api_.set_default_host(std::move(host));
  }

  // The requests counted so far (for tests and /metrics).
  const HttpRequestMetrics& request_metrics() const { return requests_; }

 private:
  HttpRequestMetrics requests_;
  ApiEndpoint api_;
  Router router_;
};

// An HttpServer (not started) that hands every request to `gateway` and
// answers what the HTTP layer rejects (400, 413) in the SQS protocol the
// request suggests. `gateway` must outlive it.
std::unique_ptr<HttpServer> NewHttpServer(Gateway* gateway,
                                          HttpServerOptions options);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_GATEWAY_H_
