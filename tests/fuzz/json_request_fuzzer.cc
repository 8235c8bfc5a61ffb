// The JSON 1.0 decoder: an SQS JSON request body through
// ParseJsonRequest (the common/json.h reader under it), read the ways the
// actions read it. Also an invariant of the reader and writer: a parsed
// document written back compactly (AppendJson) parses to the same text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "common/json.h"
#include "gateway/json_codec.h"
#include "gateway/params.h"
#include "tests/fuzz/params_probe.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  (void)cortado::IsJsonObject(text);
  if (std::optional<cortado::JsonValue> any = cortado::ParseJson(text)) {
    std::string once;
    cortado::AppendJson(*any, once);
    std::optional<cortado::JsonValue> again = cortado::ParseJson(once);
    if (!again) abort();  // the writer wrote something the reader rejects
    std::string twice;
    cortado::AppendJson(*again, twice);
    if (once != twice) abort();  // not a fixed point
  }
  auto request = cortado::gateway::ParseJsonRequest(text);
  if (!request.ok()) return 0;
  cortado::fuzz::ProbeParams(cortado::gateway::Params::Json(&*request));
  return 0;
}
