// The queues-and-topics YAML (common/config/parser.h): a file given to
// `cortado-server --config` or `cortado apply`, parsed with yaml-cpp and
// checked for shape, attribute names and shorthand values.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "common/config/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  (void)cortado::config::ParseConfig(text, "fuzz.yaml");
  return 0;
}
