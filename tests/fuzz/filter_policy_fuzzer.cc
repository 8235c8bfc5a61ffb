// SNS filter policies, parse and match: sections (sections.h) are the
// policy JSON, the message attributes as "name DataType value" lines, and
// the message body. The policy is parsed in both scopes and each parsed
// policy is matched against the attributes and the body, as a publish does
// for every subscription.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "server/core/filter_policy.h"
#include "server/core/message_attributes.h"
#include "tests/fuzz/sections.h"

namespace {

cortado::MessageAttributes ToAttributes(const std::string& text) {
  cortado::MessageAttributes attributes;
  for (const auto& [name, rest] : cortado::fuzz::NameValueLines(text)) {
    std::pair<std::string, std::string> type_value =
        absl::StrSplit(rest, absl::MaxSplits(' ', 1));
    cortado::MessageAttributeValue& value = attributes[name];
    value.data_type = type_value.first;
    value.binary = cortado::AttributeBaseType(value.data_type) == "Binary";
    (value.binary ? value.binary_value : value.string_value) =
        type_value.second;
  }
  return attributes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<std::string> parts = cortado::fuzz::Sections(data, size, 3);
  const cortado::MessageAttributes attributes = ToAttributes(parts[1]);
  for (auto scope : {cortado::FilterPolicyScope::kMessageAttributes,
                     cortado::FilterPolicyScope::kMessageBody}) {
    auto policy = cortado::FilterPolicy::Parse(parts[0], scope);
    if (policy.ok()) (void)policy->Matches(attributes, parts[2]);
  }
  (void)cortado::ParseFilterPolicyScope(parts[2]);
  return 0;
}
