// The gateway's routes beside the AWS API (gateway/router.h): GET /healthz,
// GET /metrics (Prometheus text, gateway/metrics/metrics_page.h) and fixed
// documents such as the SNS signing certificate. Unauthenticated: the
// listener is on loopback by default.
// Thread-safety: the handlers may be called concurrently from any thread;
// each answers before it returns.
#ifndef CORTADO_GATEWAY_STATUS_ROUTES_H_
#define CORTADO_GATEWAY_STATUS_ROUTES_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "gateway/metrics/http_request_metrics.h"
#include "gateway/metrics/metrics_text.h"
#include "gateway/router.h"
#include "server/core/broker.h"
#include "server/core/clock.h"

namespace cortado::gateway {

// 200 "ok\n", or 503 "store failed: <why>\n" once the broker has failed.
// `broker` must outlive the handler.
Router::Handler HealthRoute(std::function<BrokerStats()> stats);

// The /metrics page, 405 for any method but GET. Every pointer must
// outlive the handler; `extra` appends families from outside the gateway.
Router::Handler MetricsRoute(std::function<BrokerMetrics()> broker_metrics,
                             Clock* clock, const HttpRequestMetrics* requests,
                             std::function<void(MetricsText&)> extra);

// A document served as it is, e.g. a PEM certificate, or made anew for each
// request by `render` when set (a cluster node's GET /cluster): its error
// is answered 503 with the message as text.
struct StaticDocument {
  std::string path;  // e.g. "/SimpleNotificationService-cortado.pem"
  std::string content_type;
  std::string body;
  std::function<absl::StatusOr<std::string>()> render = nullptr;
};
Router::Handler DocumentRoute(StaticDocument document);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_STATUS_ROUTES_H_
