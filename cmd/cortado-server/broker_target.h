// BrokerTarget: the server's own Broker as the target of a queues-and-topics
// file (--config at start and on SIGHUP). Checks values with the core's own
// validation, so errors carry SQS's and SNS's texts; changes go through the
// Broker's ordinary calls (each committed before the next is made).
// Thread-safety: use from one thread; never from the broker's writer thread
// (each change waits for its commit).
#ifndef CORTADO_CMD_CORTADO_SERVER_BROKER_TARGET_H_
#define CORTADO_CMD_CORTADO_SERVER_BROKER_TARGET_H_

#include <optional>
#include <string>
#include <vector>

#include "common/config/target.h"
#include "server/core/broker.h"

namespace cortado {

class BrokerTarget : public config::Target {
 public:
  explicit BrokerTarget(Broker* broker) : broker_(broker) {}

  absl::Status CheckQueue(const std::string& name,
                          const config::StringMap& attributes) const override;
  absl::Status CheckTopic(const std::string& name,
                          const config::StringMap& attributes) const override;
  absl::Status CheckSubscription(
      const config::StringMap& attributes) const override;

  absl::StatusOr<config::State> Read() override;

  absl::Status CreateQueue(const std::string& name,
                           const config::StringMap& attributes,
                           const std::optional<config::DeadLetter>& dead_letter,
                           const config::StringMap& tags) override;
  absl::Status SetQueueAttributes(const std::string& name,
                                  const config::StringMap& attributes) override;
  absl::Status SetDeadLetter(const std::string& name,
                             const config::DeadLetter& dead_letter) override;
  absl::Status TagQueue(const std::string& name,
                        const config::StringMap& tags) override;
  absl::Status UntagQueue(const std::string& name,
                          const std::vector<std::string>& keys) override;
  absl::Status DeleteQueue(const std::string& name) override;

  absl::Status CreateTopic(const std::string& name,
                           const config::StringMap& attributes,
                           const config::StringMap& tags) override;
  absl::Status SetTopicAttribute(const std::string& name,
                                 const std::string& attribute,
                                 const std::string& value) override;
  absl::Status TagTopic(const std::string& name,
                        const config::StringMap& tags) override;
  absl::Status UntagTopic(const std::string& name,
                          const std::vector<std::string>& keys) override;
  absl::Status DeleteTopic(const std::string& name) override;

  absl::Status Subscribe(const std::string& topic, const std::string& queue,
                         const config::StringMap& attributes) override;
  absl::Status SetSubscriptionAttribute(const std::string& subscription_arn,
                                        const std::string& attribute,
                                        const std::string& value) override;
  absl::Status Unsubscribe(const std::string& subscription_arn) override;

 private:
  absl::StatusOr<config::QueueState> ReadQueue(const std::string& name) const;
  absl::StatusOr<config::TopicState> ReadTopic(const std::string& arn) const;

  Broker* const broker_;
};

}  // namespace cortado

#endif  // CORTADO_CMD_CORTADO_SERVER_BROKER_TARGET_H_
