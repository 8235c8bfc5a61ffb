// The web console's files (gateway/console/assets/), embedded in the binary
// at build time (console_assets.cc.in): the server serves them with no
// files on disk and nothing fetched from elsewhere at run time.
// Thread-safety: the list is built once, then only read.
#ifndef CORTADO_GATEWAY_CONSOLE_CONSOLE_ASSETS_H_
#define CORTADO_GATEWAY_CONSOLE_CONSOLE_ASSETS_H_

#include <string_view>
#include <vector>

namespace cortado::gateway {

struct ConsoleAsset {
  std::string_view name;  // e.g. "app.js"
  std::string_view body;
};

// Every asset, sorted by name.
const std::vector<ConsoleAsset>& ConsoleAssets();

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_CONSOLE_CONSOLE_ASSETS_H_
