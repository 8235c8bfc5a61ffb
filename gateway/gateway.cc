#include "gateway/gateway.h"

#include <utility>

#include "gateway/console/console_routes.h"
#include "gateway/errors.h"

namespace cortado::gateway {

Gateway::Gateway(GatewayOptions options, Broker* broker, Clock* clock)
    : api_(std::move(options.api), broker, clock, &requests_) {
  // A single server reports its one broker; a cluster node what it serves.
  const Routing* routing = api_.routing();
  std::function<BrokerMetrics()> metrics =
      routing != nullptr ? std::function<BrokerMetrics()>(
                               [routing] { return routing->Metrics(); })
                         : [broker] { return broker->Metrics(); };
  std::function<BrokerStats()> stats =
      routing != nullptr
          ? std::function<BrokerStats()>([routing] { return routing->Stats(); })
          : [broker] { return broker->Stats(); };
  router_.Add({.path = "/metrics"},
              MetricsRoute(std::move(metrics), clock, &requests_,
                           std::move(options.extra_metrics)));
  router_.Add({.path = "/healthz"}, HealthRoute(std::move(stats)));
  AddConsoleRoutes(router_);
  for (StaticDocument& document : options.documents) {
    Router::Match match{
        .method = "GET", .path = document.path, .with_query = true};
    router_.Add(std::move(match), DocumentRoute(std::move(document)));
  }
  router_.SetFallback([api = &api_](HttpRequest request, Respond respond,
                                    std::shared_ptr<Connection> connection) {
    api->Handle(std::move(request), std::move(respond), std::move(connection));
  });
}

std::unique_ptr<HttpServer> NewHttpServer(Gateway* gateway,
                                          HttpServerOptions options) {
  return std::make_unique<HttpServer>(
      std::move(options),
      [gateway](HttpRequest request, Respond respond,
                std::shared_ptr<Connection> connection) {
        gateway->Handle(std::move(request), std::move(respond),
                        std::move(connection));
      },
      [gateway](const HttpRequest& partial, int status,
                const std::string& message) {
        return gateway->ErrorResponse(
            partial, MakeGatewayError(status == 413
                                          ? GatewayError::kRequestEntityTooLarge
                                          : GatewayError::kInvalidRequest,
                                      message));
      });
}

}  // namespace cortado::gateway
