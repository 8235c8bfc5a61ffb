#include "gateway/console/console_routes.h"

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "gateway/console/console_assets.h"

namespace cortado::gateway {
namespace {

std::string ContentType(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

Router::Handler AssetRoute(const ConsoleAsset& asset) {
  return [&asset](HttpRequest, Respond respond, std::shared_ptr<Connection>) {
    HttpResponse response;
    response.status = 200;
    response.headers.emplace_back("Content-Type", ContentType(asset.name));
    // The page runs only its own scripts and talks only to this origin, so
    // a message body shown in it can never load or run anything.
    response.headers.emplace_back(
        "Content-Security-Policy",
        "default-src 'self'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'");
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    response.headers.emplace_back("Cache-Control", "no-cache");
    response.body = std::string(asset.body);
    std::move(respond)(std::move(response));
  };
}

}  // namespace

void AddConsoleRoutes(Router& router) {
  for (const ConsoleAsset& asset : ConsoleAssets()) {
    if (asset.name == "index.html") {
      for (const char* path : {"/console", "/console/"}) {
        router.Add({.method = "GET", .path = path, .with_query = true},
                   AssetRoute(asset));
      }
    }
    router.Add({.method = "GET",
                .path = "/console/" + std::string(asset.name),
                .with_query = true},
               AssetRoute(asset));
  }
}

}  // namespace cortado::gateway
