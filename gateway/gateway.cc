#include "gateway/gateway.h"

#include <utility>

#include "gateway/console/console_routes.h"

namespace cortado::gateway {

Gateway::Gateway(GatewayOptions options, Broker* broker, Clock* clock)
    : api_(std::move(options.api), broker, clock, &requests_) {
  router_.Add({.path = "/metrics"},
              MetricsRoute(broker, clock, &requests_,
                           std::move(options.extra_metrics)));
  router_.Add({.path = "/healthz"}, HealthRoute(broker));
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

}  // namespace cortado::gateway
