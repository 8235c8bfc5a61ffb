// The settable SQS queue attributes and SNS topic and subscription
// attributes, by their AWS names, in one place: the core validates topic and
// subscription names with them, and queues-and-topics files (common/config/)
// may set exactly these. Read-only ones (QueueArn,
// ApproximateNumberOfMessages, TopicArn, ...) are what a server reports,
// never what a file declares, so export leaves them out and the parser
// rejects them with SQS's text.
// Thread-safety: constants and pure functions.
#ifndef CORTADO_COMMON_ATTRIBUTE_NAMES_H_
#define CORTADO_COMMON_ATTRIBUTE_NAMES_H_

#include <string>

#include "absl/strings/string_view.h"

namespace cortado {

enum class AttributeOwner { kQueue, kTopic, kSubscription };

// True if `name` is a settable attribute of `owner`.
bool IsSettableAttribute(AttributeOwner owner, absl::string_view name);

// True if the attribute's value is a JSON document (Policy, FilterPolicy,
// ...): a file may write it as a YAML map, and values compare as JSON.
bool IsJsonAttribute(absl::string_view name);

}  // namespace cortado

#endif  // CORTADO_COMMON_ATTRIBUTE_NAMES_H_
