// Target: the server a queues-and-topics file is applied to. Two
// implementations: the server's own Broker at start and on SIGHUP
// (cmd/cortado-server/broker_target.h) and a running server over gRPC for
// `cortado config` (client/cli/client_target.h). The planner and the applier
// see only this, so both apply a file the same way.
// Thread-safety: implementations are used from one thread at a time.
#ifndef CORTADO_COMMON_CONFIG_TARGET_H_
#define CORTADO_COMMON_CONFIG_TARGET_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/config/model.h"

namespace cortado::config {

// Checks attribute values the way the server would, before anything is
// changed. Errors carry the server's own (SQS/SNS) text; the planner adds
// the file and line.
class AttributeChecker {
 public:
  virtual ~AttributeChecker() = default;
  // `attributes` is what the queue would have: for an existing queue its
  // current settable attributes with the file's on top.
  virtual absl::Status CheckQueue(const std::string& name,
                                  const StringMap& attributes) const = 0;
  virtual absl::Status CheckTopic(const std::string& name,
                                  const StringMap& attributes) const = 0;
  virtual absl::Status CheckSubscription(const StringMap& attributes) const = 0;
};

class Target : public AttributeChecker {
 public:
  // Every queue and topic with its settable attributes, tags and (topics)
  // subscriptions to queues.
  virtual absl::StatusOr<State> Read() = 0;

  // Queues. A DeadLetter becomes the RedrivePolicy naming that queue's ARN.
  virtual absl::Status CreateQueue(const std::string& name,
                                   const StringMap& attributes,
                                   const std::optional<DeadLetter>& dead_letter,
                                   const StringMap& tags) = 0;
  virtual absl::Status SetQueueAttributes(const std::string& name,
                                          const StringMap& attributes) = 0;
  virtual absl::Status SetDeadLetter(const std::string& name,
                                     const DeadLetter& dead_letter) = 0;
  virtual absl::Status TagQueue(const std::string& name,
                                const StringMap& tags) = 0;
  virtual absl::Status UntagQueue(const std::string& name,
                                  const std::vector<std::string>& keys) = 0;
  virtual absl::Status DeleteQueue(const std::string& name) = 0;

  // Topics, by name.
  virtual absl::Status CreateTopic(const std::string& name,
                                   const StringMap& attributes,
                                   const StringMap& tags) = 0;
  virtual absl::Status SetTopicAttribute(const std::string& name,
                                         const std::string& attribute,
                                         const std::string& value) = 0;
  virtual absl::Status TagTopic(const std::string& name,
                                const StringMap& tags) = 0;
  virtual absl::Status UntagTopic(const std::string& name,
                                  const std::vector<std::string>& keys) = 0;
  virtual absl::Status DeleteTopic(const std::string& name) = 0;

  // Subscriptions of a topic to a queue.
  virtual absl::Status Subscribe(const std::string& topic,
                                 const std::string& queue,
                                 const StringMap& attributes) = 0;
  virtual absl::Status SetSubscriptionAttribute(
      const std::string& subscription_arn, const std::string& attribute,
      const std::string& value) = 0;
  virtual absl::Status Unsubscribe(const std::string& subscription_arn) = 0;
};

}  // namespace cortado::config

#endif  // CORTADO_COMMON_CONFIG_TARGET_H_
