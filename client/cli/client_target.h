// ClientTarget: a running server, over its gRPC API (libcortado), as the
// target of `cortado config plan|apply|export`. Attribute values are not
// checked before applying: the client has no copy of the server's rules
// (client/ never links server/), so the server checks each change as it is
// made and the first refusal stops the apply (docs/CONFIG.md says so).
// References, cycles and names are still checked by the planner first.
// Thread-safety: use from one thread.
#ifndef CORTADO_CLIENT_CLI_CLIENT_TARGET_H_
#define CORTADO_CLIENT_CLI_CLIENT_TARGET_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/config/target.h"
#include "cortado/client.h"
#include "cortado/topics.h"

namespace cortado::cli {

class ClientTarget : public config::Target {
 public:
  // Both must outlive the target.
  ClientTarget(client::Client* queues, client::TopicClient* topics)
      : queues_(queues), topics_(topics) {}

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
  absl::StatusOr<std::string> QueueArn(const std::string& queue);
  // The RedrivePolicy naming the dead-letter queue's ARN.
  absl::StatusOr<std::string> RedrivePolicy(
      const config::DeadLetter& dead_letter);
  absl::StatusOr<config::TopicState> ReadTopic(const std::string& arn);
  // Known from Read() and CreateTopic().
  absl::StatusOr<std::string> TopicArn(const std::string& topic) const;

  client::Client* const queues_;
  client::TopicClient* const topics_;
  std::map<std::string, std::string> topic_arns_;  // name -> ARN
};

}  // namespace cortado::cli

#endif  // CORTADO_CLIENT_CLI_CLIENT_TARGET_H_
