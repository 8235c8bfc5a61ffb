// The query-form decoder: an application/x-www-form-urlencoded body or
// query string (the SQS and SNS query protocols), through FormDecode and
// ParseForm, then read the ways the actions read flattened parameters
// (Attribute.N.Name, SendMessageBatchRequestEntry.N.*, ...).
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "gateway/params.h"
#include "gateway/query_codec.h"
#include "tests/fuzz/params_probe.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  (void)cortado::gateway::FormDecode(text);
  cortado::gateway::QueryParams params;
  if (!cortado::gateway::ParseForm(text, params).ok()) return 0;
  cortado::fuzz::ProbeParams(cortado::gateway::Params::Query(&params));
  // Every decoded name and value goes back out in XML answers.
  for (const auto& [name, value] : params) {
    (void)cortado::gateway::XmlEscape(name);
    (void)cortado::gateway::XmlEscape(value);
  }
  return 0;
}
