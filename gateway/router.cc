#include "gateway/router.h"

#include <utility>

namespace cortado::gateway {

void Router::Add(Match match, Handler handler) {
  routes_.push_back(Route{std::move(match), std::move(handler)});
}

void Router::SetFallback(Handler handler) { fallback_ = std::move(handler); }

void Router::Handle(HttpRequest request, Respond respond,
                    std::shared_ptr<Connection> connection) const {
  const size_t query = request.target.find('?');
  const bool has_query =
      query != std::string::npos && query + 1 < request.target.size();
  const std::string_view path =
      std::string_view(request.target).substr(0, query);
  for (const Route& route : routes_) {
    const Match& match = route.match;
    if (path == match.path && (match.with_query || !has_query) &&
        (match.method.empty() || match.method == request.method)) {
      return route.handler(std::move(request), std::move(respond),
                           std::move(connection));
    }
  }
  fallback_(std::move(request), std::move(respond), std::move(connection));
}

}  // namespace cortado::gateway
