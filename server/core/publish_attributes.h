// The message attributes of an SNS Publish / PublishBatch entry, checked with
// SNS's rules and wording (not SQS's: the same mistake reads differently on
// the two services, and SDK users match on the text).
// Thread-safety: pure functions.
#ifndef CORTADO_SERVER_CORE_PUBLISH_ATTRIBUTES_H_
#define CORTADO_SERVER_CORE_PUBLISH_ATTRIBUTES_H_

#include "absl/status/status.h"
#include "server/core/message_attributes.h"

namespace cortado {

// InvalidParameterValue (SNS: ParameterValueInvalid) with SNS's message for
// the first attribute that breaks a rule: its name (ASCII letters, digits,
// '-', '_', '.', not at either end, not doubled, under 256 bytes), its type
// (String, Number or Binary, optionally ".label"), the field the type needs
// and a non-empty value, a Number that parses.
absl::Status ValidatePublishAttributes(const MessageAttributes& attributes);

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_PUBLISH_ATTRIBUTES_H_
