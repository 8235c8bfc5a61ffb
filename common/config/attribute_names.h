// The attributes a queues-and-topics file may set, by their AWS names: the
// settable SQS queue attributes and SNS topic and subscription attributes.
// Read-only ones (QueueArn, ApproximateNumberOfMessages, TopicArn, ...) are
// what a server reports, never what a file declares, so export leaves them
// out and the parser rejects them with SQS's text.
// Thread-safety: constants and pure functions.
#ifndef CORTADO_COMMON_CONFIG_ATTRIBUTE_NAMES_H_
#define CORTADO_COMMON_CONFIG_ATTRIBUTE_NAMES_H_

#include <string>

#include "absl/strings/string_view.h"

namespace cortado::config {

enum class Resource { kQueue, kTopic, kSubscription };

// True if a file may set `name` on `resource`.
bool IsSettableAttribute(Resource resource, absl::string_view name);

// True if the attribute's value is a JSON document (Policy, FilterPolicy,
// ...): a file may write it as a YAML map, and values compare as JSON.
bool IsJsonAttribute(absl::string_view name);

}  // namespace cortado::config

#endif  // CORTADO_COMMON_CONFIG_ATTRIBUTE_NAMES_H_
