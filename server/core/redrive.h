// Dead-letter redrive: what a queue's RedrivePolicy says, and the checks
// SetQueueAttributes/CreateQueue make on it and on the target's
// RedriveAllowPolicy.
// Thread-safety: value types and pure functions.
#ifndef CORTADO_SERVER_CORE_REDRIVE_H_
#define CORTADO_SERVER_CORE_REDRIVE_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "server/core/queue_attributes.h"

namespace cortado {

struct RedriveTarget {
  std::string arn;         // deadLetterTargetArn
  std::string queue_name;  // its last segment
  int max_receive_count = 0;
};

// The target of a normalised RedrivePolicy (see queue_attributes.cc), or
// nullopt when the queue has none.
std::optional<RedriveTarget> ParseRedrivePolicy(const std::string& policy);

// Whether `dead_letter` (with ARN `dead_letter_arn`) accepts `source_arn` as a
// source under its RedriveAllowPolicy (absent = allowAll).
absl::Status CheckRedriveAllowed(const QueueAttributes& dead_letter,
                                 const std::string& source_arn,
                                 const std::string& redrive_policy);

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_REDRIVE_H_
