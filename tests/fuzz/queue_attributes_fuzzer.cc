// Queue attributes and the redrive-policy JSON: sections (sections.h) are
// the queue name, CreateQueue's attributes and SetQueueAttributes' changes
// ("Name value" lines). Builds the queue's attributes, applies the changes,
// renders them and reads the redrive and redrive-allow policies as the
// broker does. Invariant: a queue created from its own rendered attributes
// has the same attributes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "server/core/queue_attributes.h"
#include "server/core/redrive.h"
#include "tests/fuzz/sections.h"

namespace {

cortado::AttributeMap ToMap(const std::string& text) {
  cortado::AttributeMap map;
  for (auto& [name, value] : cortado::fuzz::NameValueLines(text)) {
    map[name] = value;
  }
  return map;
}

void ReadPolicies(const cortado::QueueAttributes& attributes) {
  (void)cortado::ParseRedrivePolicy(attributes.redrive_policy);
  (void)cortado::CheckRedriveAllowed(
      attributes, "arn:aws:sqs:us-east-1:000000000000:source",
      attributes.redrive_policy);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<std::string> parts = cortado::fuzz::Sections(data, size, 3);
  const std::string& name = parts[0];
  (void)cortado::IsValidQueueName(name);
  const cortado::AttributeMap given = ToMap(parts[1]);
  for (const auto& [key, value] : given) {
    (void)cortado::IsKnownQueueAttributeName(key);
  }
  auto created = cortado::AttributesForNewQueue(name, given);
  if (!created.ok()) return 0;
  ReadPolicies(*created);
  (void)cortado::FirstDifferingAttribute(*created, given);
  const cortado::AttributeMap rendered = cortado::RenderAttributes(*created);
  auto recreated = cortado::AttributesForNewQueue(name, rendered);
  if (!recreated.ok() || !(*recreated == *created)) abort();

  auto changed = cortado::ApplyAttributeChanges(*created, ToMap(parts[2]));
  if (!changed.ok()) return 0;
  ReadPolicies(*changed);
  (void)cortado::RenderAttributes(*changed);
  return 0;
}
