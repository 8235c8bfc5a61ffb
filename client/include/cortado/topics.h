// TopicClient is the C++ entry point to a Cortado broker's topics: one
// method per rpc of the cortado.v1.Topics gRPC service, plus Listen(), a
// push subscription with flow control and acknowledgements.
//
//   auto topics = cortado::client::TopicClient::Connect("127.0.0.1:50051");
//   auto arn = (*topics)->CreateTopic("orders");
//   (*topics)->Subscribe(*arn, "sqs", queue_arn);
//   (*topics)->Publish(*arn, "order 1");
//
//   cortado::client::ListenOptions options;
//   options.listener = "billing";      // names the durable queue
//   options.window = 10;               // at most 10 unacknowledged
//   auto listener = (*topics)->Listen(*arn, options);
//   while (auto m = (*listener)->Next(absl::Seconds(5))) {
//     if (!m.ok()) break;              // the stream ended
//     if (!m->has_value()) continue;   // nothing within 5 s
//     Handle((*m)->body);
//     (*listener)->Ack((*m)->receipt_handle);
//   }
//
// Topics and subscriptions are addressed by ARN. Errors carry SNS's error
// name ("NotFound", "InvalidParameter"; see cortado/errors.h).
// Thread-safety: TopicClient is thread-safe. A Listener may be used from
// several threads (Next from one at a time).
#ifndef CORTADO_CLIENT_INCLUDE_CORTADO_TOPICS_H_
#define CORTADO_CLIENT_INCLUDE_CORTADO_TOPICS_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cortado/types.h"

namespace cortado::client {

struct PublishOptions {
  std::string subject;            // empty: none
  std::string message_structure;  // "" or "json"
  MessageAttributes attributes;
  std::string message_group_id;          // FIFO topics
  std::string message_deduplication_id;  // FIFO topics
};

struct PublishResult {
  std::string message_id;
  std::string sequence_number;  // FIFO topics only
};

struct PublishBatchEntry {
  std::string id;
  std::string message;
  PublishOptions options;
};

struct PublishBatchResult {
  std::vector<std::pair<std::string /*id*/, PublishResult>> successful;
  std::vector<BatchError> failed;
};

struct TopicList {
  std::vector<std::string> topic_arns;
  std::string next_token;  // empty when no more
};

struct SubscriptionInfo {
  std::string subscription_arn;
  std::string owner;
  std::string protocol;
  std::string endpoint;
  std::string topic_arn;
};

struct SubscriptionList {
  std::vector<SubscriptionInfo> subscriptions;
  std::string next_token;
};

struct ListenOptions {
  // Names the durable queue "listen-<listener>": 1-60 of [A-Za-z0-9_-]. A
  // listener that reconnects under the same name gets what it missed.
  std::string listener;
  // Messages delivered and not yet acknowledged, at most (1-1000).
  int window = 10;
  // An unacknowledged message is redelivered after this long.
  absl::Duration visibility_timeout = absl::Seconds(30);
  // Optional filter policy (scope MessageAttributes).
  std::string filter_policy;
};

class Listener;

class TopicClient {
 public:
  // Opens an insecure channel to "host:port". Fails only on a bad target.
  static absl::StatusOr<std::unique_ptr<TopicClient>> Connect(
      absl::string_view target, absl::Duration deadline = absl::Seconds(30));
  ~TopicClient();
  TopicClient(const TopicClient&) = delete;
  TopicClient& operator=(const TopicClient&) = delete;

  // Returns the topic's ARN; idempotent for the same attributes and tags.
  absl::StatusOr<std::string> CreateTopic(absl::string_view name,
                                          const StringMap& attributes = {},
                                          const StringMap& tags = {});
  absl::Status DeleteTopic(absl::string_view topic_arn);
  absl::StatusOr<TopicList> ListTopics(absl::string_view next_token = "");
  absl::StatusOr<StringMap> GetTopicAttributes(absl::string_view topic_arn);
  absl::Status SetTopicAttributes(absl::string_view topic_arn,
                                  absl::string_view name,
                                  absl::string_view value);

  // Protocol "sqs" with the queue's ARN as endpoint; returns the
  // subscription's ARN (confirmed at once).
  absl::StatusOr<std::string> Subscribe(absl::string_view topic_arn,
                                        absl::string_view protocol,
                                        absl::string_view endpoint,
                                        const StringMap& attributes = {});
  absl::Status Unsubscribe(absl::string_view subscription_arn);
  // `topic_arn` empty: every topic's subscriptions.
  absl::StatusOr<SubscriptionList> ListSubscriptions(
      absl::string_view topic_arn = "", absl::string_view next_token = "");
  absl::StatusOr<StringMap> GetSubscriptionAttributes(
      absl::string_view subscription_arn);
  absl::Status SetSubscriptionAttributes(absl::string_view subscription_arn,
                                         absl::string_view name,
                                         absl::string_view value);

  absl::StatusOr<PublishResult> Publish(absl::string_view topic_arn,
                                        absl::string_view message,
                                        const PublishOptions& options = {});
  absl::StatusOr<PublishBatchResult> PublishBatch(
      absl::string_view topic_arn,
      const std::vector<PublishBatchEntry>& entries);

  absl::Status TagResource(absl::string_view arn, const StringMap& tags);
  absl::Status UntagResource(absl::string_view arn,
                             const std::vector<std::string>& keys);
  absl::StatusOr<StringMap> ListTagsForResource(absl::string_view arn);

  // Opens a push subscription and waits until the server is ready (its
  // queue and subscription exist), so every publish after this returns is
  // delivered to it.
  absl::StatusOr<std::unique_ptr<Listener>> Listen(
      absl::string_view topic_arn, const ListenOptions& options);

  struct Impl;

 private:
  explicit TopicClient(std::unique_ptr<Impl> impl);
  const std::unique_ptr<Impl> impl_;
};

// One open Listen stream. Messages arrive as the server pushes them; Next()
// hands them out in order. Destroying the listener (or Close) ends the
// stream; the server then makes unacknowledged messages visible again.
class Listener {
 public:
  virtual ~Listener() = default;
  // The next message; std::nullopt if none arrived within `timeout`; an
  // error once the stream has ended (with the server's status).
  virtual absl::StatusOr<std::optional<Message>> Next(
      absl::Duration timeout) = 0;
  // Acknowledges (deletes) a delivered message, freeing a window slot.
  virtual absl::Status Ack(absl::string_view receipt_handle) = 0;
  // Widens the window by `credits`.
  virtual absl::Status Grant(int credits) = 0;
  // Ends the stream now.
  virtual void Close() = 0;
  // The durable queue behind the listener.
  virtual const std::string& queue_name() const = 0;
};

}  // namespace cortado::client

#endif  // CORTADO_CLIENT_INCLUDE_CORTADO_TOPICS_H_
