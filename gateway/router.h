// Router: the first step of every HTTP request on the gateway's listener,
// mapping method + path to the handler that answers it (/metrics, /healthz,
// static documents such as the SNS signing certificate), and everything
// else to the fallback: the AWS API endpoint, which SQS and SNS clients
// reach on any path.
// Thread-safety: Add/SetFallback before the first Handle; Handle may then
// be called concurrently from any thread.
#ifndef CORTADO_GATEWAY_ROUTER_H_
#define CORTADO_GATEWAY_ROUTER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gateway/http_message.h"

namespace cortado::gateway {

class Router {
 public:
  using Handler =
      std::function<void(HttpRequest, Respond, std::shared_ptr<Connection>)>;

  // Which requests a route takes.
  struct Match {
    std::string method;  // "" = any method (the handler answers the rest)
    std::string path;    // exact, still percent-encoded
    // Whether a query string is allowed: a request for "/metrics?x" is an
    // API call (the query protocol sends parameters on any path).
    bool with_query = false;
  };

  // Routes are tried in the order they were added.
  void Add(Match match, Handler handler);
  void SetFallback(Handler handler);

  void Handle(HttpRequest request, Respond respond,
              std::shared_ptr<Connection> connection) const;

 private:
  struct Route {
    Match match;
    Handler handler;
  };
  std::vector<Route> routes_;
  Handler fallback_;
};

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_ROUTER_H_
