// Router: method + path to a handler, the rest to the fallback (the AWS
// API, which the query protocol reaches on any path and with any query).
#include "gateway/router.h"

#include <string>
#include <utility>

#include "gtest/gtest.h"

namespace cortado::gateway {
namespace {

// A router whose handlers answer with their own name.
Router NamedRoutes() {
  auto named = [](std::string name) {
    return [name](HttpRequest, Respond respond, std::shared_ptr<Connection>) {
      HttpResponse response;
      response.body = name;
      std::move(respond)(std::move(response));
    };
  };
  Router router;
  router.Add({.path = "/healthz"}, named("health"));
  router.Add({.method = "GET", .path = "/cert.pem", .with_query = true},
             named("cert"));
  router.SetFallback(named("api"));
  return router;
}

std::string Route(const Router& router, std::string method,
                  std::string target) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  std::string answered_by;
  router.Handle(
      std::move(request),
      [&answered_by](HttpResponse response) { answered_by = response.body; },
      nullptr);
  return answered_by;
}

TEST(RouterTest, ExactPathWithoutQueryGoesToItsRoute) {
  const Router router = NamedRoutes();
  EXPECT_EQ(Route(router, "GET", "/healthz"), "health");
  // Any method: the handler answers the ones it does not serve.
  EXPECT_EQ(Route(router, "POST", "/healthz"), "health");
  // An empty query is no query.
  EXPECT_EQ(Route(router, "GET", "/healthz?"), "health");
}

TEST(RouterTest, QueryParametersMakeAnApiCall) {
  const Router router = NamedRoutes();
  EXPECT_EQ(Route(router, "GET", "/healthz?Action=ListQueues"), "api");
  EXPECT_EQ(Route(router, "GET", "/cert.pem?x=1"), "cert");
}

TEST(RouterTest, MethodMustMatchWhenTheRouteNamesOne) {
  const Router router = NamedRoutes();
  EXPECT_EQ(Route(router, "GET", "/cert.pem"), "cert");
  EXPECT_EQ(Route(router, "POST", "/cert.pem"), "api");
}

TEST(RouterTest, OtherPathsGoToTheFallback) {
  const Router router = NamedRoutes();
  EXPECT_EQ(Route(router, "POST", "/"), "api");
  EXPECT_EQ(Route(router, "GET", "/000000000000/queue"), "api");
  EXPECT_EQ(Route(router, "GET", "/healthzz"), "api");
}

}  // namespace
}  // namespace cortado::gateway
