#include "gateway/status_routes.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/metrics/metrics_page.h"
#include "gateway/metrics/process_metrics.h"

namespace cortado::gateway {

Router::Handler HealthRoute(std::function<BrokerStats()> stats_of) {
  return [stats_of = std::move(stats_of)](HttpRequest, Respond respond,
                                          std::shared_ptr<Connection>) {
    const BrokerStats stats = stats_of();
    HttpResponse response;
    response.status = stats.failed ? 503 : 200;
    response.headers.emplace_back("Content-Type", "text/plain");
    response.body = stats.failed
                        ? absl::StrCat("store failed: ", stats.failure, "\n")
                        : "ok\n";
    std::move(respond)(std::move(response));
  };
}

Router::Handler MetricsRoute(std::function<BrokerMetrics()> broker_metrics,
                             Clock* clock, const HttpRequestMetrics* requests,
                             std::function<void(MetricsText&)> extra) {
  return [broker_metrics = std::move(broker_metrics), clock, requests,
          extra = std::move(extra)](HttpRequest request, Respond respond,
                                    std::shared_ptr<Connection>) {
    HttpResponse response;
    response.headers.emplace_back("Content-Type",
                                  std::string(kMetricsContentType));
    if (request.method != "GET") {
      response.status = 405;
      response.headers.emplace_back("Allow", "GET");
      response.body = "GET only\n";
      return std::move(respond)(std::move(response));
    }
    // Snapshots first (the broker's under its shared lock, briefly); the
    // text is rendered with no lock held.
    const BrokerMetrics metrics = broker_metrics();
    MetricsPageInput input;
    input.broker = &metrics;
    input.http = requests;
    input.process = ReadProcessMetrics();
    input.now = clock->Now();
    input.extra = extra;
    response.status = 200;
    response.body = RenderMetricsPage(input);
    std::move(respond)(std::move(response));
  };
}

Router::Handler DocumentRoute(StaticDocument document) {
  auto shared = std::make_shared<const StaticDocument>(std::move(document));
  return [shared](HttpRequest, Respond respond, std::shared_ptr<Connection>) {
    HttpResponse response;
    response.status = 200;
    response.headers.emplace_back("Content-Type", shared->content_type);
    response.body = shared->body;
    if (shared->render) {
      absl::StatusOr<std::string> body = shared->render();
      if (body.ok()) {
        response.body = *std::move(body);
      } else {
        response.status = 503;
        response.headers.back().second = "text/plain; charset=utf-8";
        response.body = absl::StrCat(body.status().message(), "\n");
      }
    }
    std::move(respond)(std::move(response));
  };
}

}  // namespace cortado::gateway
