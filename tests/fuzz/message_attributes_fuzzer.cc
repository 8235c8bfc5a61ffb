// Message attribute decoding: the first byte picks the protocol (even: an
// SQS JSON body, odd: a query form), the rest is the request. The
// attributes are decoded as SendMessage (MessageAttributes,
// MessageSystemAttributes) and SNS Publish (MessageAttributes.entry.N) read
// them, then checked, hashed and selected as the send, publish and receive
// paths do.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "gateway/json_codec.h"
#include "gateway/params.h"
#include "gateway/query_codec.h"
#include "server/core/message_attributes.h"
#include "server/core/publish_attributes.h"

namespace {

void Check(const cortado::gateway::Params& params, absl::string_view json_name,
           absl::string_view query_name) {
  auto attributes = params.Attributes(json_name, query_name);
  if (!attributes.ok()) return;
  (void)cortado::ValidateMessageAttributes(*attributes);
  (void)cortado::ValidateSystemAttributes(*attributes);
  (void)cortado::ValidatePublishAttributes(*attributes);
  (void)cortado::Md5OfAttributes(*attributes);
  (void)cortado::AttributesSize(*attributes);
  (void)cortado::SelectAttributes(*attributes, {"All"});
  for (const auto& [name, value] : *attributes) {
    (void)cortado::SelectAttributes(*attributes, {name, name + ".*"});
    (void)cortado::AttributeBaseType(value.data_type);
    (void)cortado::IsNumberText(value.string_value);
    (void)cortado::IsValidMessageText(value.string_value);
  }
}

void CheckAll(const cortado::gateway::Params& params) {
  Check(params, "MessageAttributes", "MessageAttribute");
  Check(params, "MessageSystemAttributes", "MessageSystemAttribute");
  Check(params, "", "MessageAttributes.entry");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  absl::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    auto json = cortado::gateway::ParseJsonRequest(text);
    if (json.ok()) CheckAll(cortado::gateway::Params::Json(&*json));
  } else {
    cortado::gateway::QueryParams query;
    if (cortado::gateway::ParseForm(text, query).ok()) {
      CheckAll(cortado::gateway::Params::Query(&query));
    }
  }
  return 0;
}
