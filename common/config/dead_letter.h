// Between a queue's RedrivePolicy (JSON naming the dead-letter queue by ARN)
// and the DeadLetter a file writes (by queue name).
// Thread-safety: pure functions.
#ifndef CORTADO_COMMON_CONFIG_DEAD_LETTER_H_
#define CORTADO_COMMON_CONFIG_DEAD_LETTER_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "common/config/model.h"

namespace cortado::config {

// The policy's target queue (the ARN's last part) and maxReceiveCount
// (a number or a numeric string, as SQS accepts both); nullopt if the
// policy is not such an object.
std::optional<DeadLetter> ParseRedrivePolicy(absl::string_view policy);

// {"deadLetterTargetArn":"ARN","maxReceiveCount":N}
std::string RedrivePolicyJson(absl::string_view dead_letter_arn,
                              int max_receive_count);

// The last ':'-separated part of an ARN: a queue's or topic's name.
std::string NameFromArn(absl::string_view arn);

}  // namespace cortado::config

#endif  // CORTADO_COMMON_CONFIG_DEAD_LETTER_H_
