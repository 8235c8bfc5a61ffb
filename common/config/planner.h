// The planner: what applying a Config to a server in State would change,
// after checking everything first (references, cycles, values through an
// AttributeChecker), so that a file with any error changes nothing. Errors
// name "FILE:LINE: problem".
//
// Semantics (docs/CONFIG.md): missing queues, topics and subscriptions are
// created; the attributes a file gives are brought to its values (others
// are left alone); `tags:` makes the tags exactly those; with `prune` the
// queues, topics and subscriptions the file does not declare are deleted.
// Thread-safety: pure functions.
#ifndef CORTADO_COMMON_CONFIG_PLANNER_H_
#define CORTADO_COMMON_CONFIG_PLANNER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/config/model.h"
#include "common/config/target.h"

namespace cortado::config {

struct Change {
  enum class Kind {
    kCreateQueue,
    kSetQueueAttribute,
    kSetDeadLetter,
    kTagQueue,
    kUntagQueue,
    kDeleteQueue,
    kCreateTopic,
    kSetTopicAttribute,
    kTagTopic,
    kUntagTopic,
    kDeleteTopic,
    kSubscribe,
    kSetSubscriptionAttribute,
    kUnsubscribe,
  };
  Kind kind = Kind::kCreateQueue;
  std::string name;  // the queue or topic
  // kSet*Attribute: one attribute, from -> to ("" when unset before).
  std::string attribute;
  std::string from;
  std::string to;
  StringMap attributes;                   // kCreate*, kSubscribe
  StringMap tags;                         // kCreate*, kTag*
  std::vector<std::string> keys;          // kUntag*
  std::optional<DeadLetter> dead_letter;  // kCreateQueue, kSetDeadLetter
  std::string queue;                      // kSubscribe, kUnsubscribe
  std::string subscription_arn;  // kSetSubscriptionAttribute, kUnsubscribe

  // One line for `cortado config plan` and the server's log.
  std::string Describe() const;
};

// In the order the applier runs them: queues (dead-letter queues before the
// queues redriving to them), topics, subscriptions, then deletions.
struct Plan {
  std::vector<Change> changes;
};

absl::StatusOr<Plan> MakePlan(const Config& config, const State& state,
                              const AttributeChecker& checker);

}  // namespace cortado::config

#endif  // CORTADO_COMMON_CONFIG_PLANNER_H_
