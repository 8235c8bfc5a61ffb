// Client is the C++ entry point to a Cortado broker: one method per rpc of
// the cortado.v1.Queues gRPC service, taking and returning the plain structs
// of cortado/types.h. Every method returns absl::Status or absl::StatusOr;
// errors from the broker carry their SQS name (see cortado/errors.h).
//
//   auto client = cortado::client::Client::Connect("127.0.0.1:50051");
//   if (!client.ok()) return client.status();
//   (*client)->CreateQueue("orders");
//   (*client)->SendMessage("orders", "hello");
//   cortado::client::ReceiveOptions options;
//   options.max_messages = 10;
//   options.wait = absl::Seconds(20);  // long poll
//   auto messages = (*client)->ReceiveMessage("orders", options);
//
// Queues are addressed by name, not URL. The connection is made lazily and
// re-made after failures, so Connect() succeeds while the server is down and
// the calls report UNAVAILABLE until it is back.
//
// For many messages per second, Publisher (cortado/publisher.h) and
// StreamConsumer (cortado/stream_consumer.h) send and consume over one
// stream each instead of one rpc per message.
//
// Thread-safety: thread-safe. One Client is meant to be shared by all the
// threads of a program (each call is an independent rpc on one channel).
#ifndef CORTADO_CLIENT_INCLUDE_CORTADO_CLIENT_H_
#define CORTADO_CLIENT_INCLUDE_CORTADO_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cortado/types.h"

namespace cortado::client {

struct ClientOptions {
  // Deadline of every call. ReceiveMessage gets its long-poll wait on top
  // (20 s when the wait is the queue's default), so a long poll is never cut
  // short by the deadline.
  absl::Duration deadline = absl::Seconds(30);
};

class Client {
 public:
  // Opens an insecure channel to `target`, "host:port" (or any gRPC target
  // such as "unix:/path"). Fails only on a malformed target.
  static absl::StatusOr<std::unique_ptr<Client>> Connect(
      absl::string_view target, ClientOptions options = {});

  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const std::string& target() const;

  // --- Queues ---

  // Creates a queue, or returns the existing one if every given attribute
  // matches (QueueAlreadyExists otherwise). FIFO names end in ".fifo" and
  // set attribute FifoQueue=true.
  absl::StatusOr<QueueInfo> CreateQueue(absl::string_view name,
                                        const StringMap& attributes = {},
                                        const StringMap& tags = {});
  // The queue's SQS-style URL.
  absl::StatusOr<std::string> GetQueueUrl(absl::string_view name);
  absl::StatusOr<QueueList> ListQueues(const ListQueuesOptions& options = {});
  // Deletes the queue and its messages.
  absl::Status DeleteQueue(absl::string_view name);
  // Attribute values by SQS name; `names` may contain "All".
  absl::StatusOr<StringMap> GetQueueAttributes(
      absl::string_view name, const std::vector<std::string>& names = {"All"});
  // Changes attributes; "" removes Policy, RedrivePolicy, RedriveAllowPolicy.
  absl::Status SetQueueAttributes(absl::string_view name,
                                  const StringMap& attributes);
  // Deletes every message of the queue, in flight or not.
  absl::Status PurgeQueue(absl::string_view name);

  // --- Messages ---

  absl::StatusOr<SendResult> SendMessage(absl::string_view queue,
                                         absl::string_view body,
                                         const SendOptions& options = {});
  // Sends 1-10 messages; entries can fail one by one (see BatchError).
  absl::StatusOr<SendBatchResult> SendMessageBatch(
      absl::string_view queue, const std::vector<SendBatchEntry>& entries);
  // Receives up to options.max_messages, long polling up to options.wait.
  // An empty vector means no message became available in time.
  absl::StatusOr<std::vector<Message>> ReceiveMessage(
      absl::string_view queue, const ReceiveOptions& options = {});
  absl::Status DeleteMessage(absl::string_view queue,
                             absl::string_view receipt_handle);
  absl::StatusOr<BatchResult> DeleteMessageBatch(
      absl::string_view queue, const std::vector<DeleteBatchEntry>& entries);
  // Makes the message visible again `visibility_timeout` from now (whole
  // seconds, fractions round up; zero makes it visible at once).
  absl::Status ChangeMessageVisibility(absl::string_view queue,
                                       absl::string_view receipt_handle,
                                       absl::Duration visibility_timeout);
  absl::StatusOr<BatchResult> ChangeMessageVisibilityBatch(
      absl::string_view queue,
      const std::vector<VisibilityBatchEntry>& entries);

  // --- Tags ---

  // Adds or overwrites tags.
  absl::Status TagQueue(absl::string_view queue, const StringMap& tags);
  // Removes tags; unknown keys are ignored.
  absl::Status UntagQueue(absl::string_view queue,
                          const std::vector<std::string>& keys);
  absl::StatusOr<StringMap> ListQueueTags(absl::string_view queue);

  // --- Dead-letter queues ---

  // Names of the queues whose RedrivePolicy targets `dead_letter_queue`.
  absl::StatusOr<std::vector<std::string>> ListDeadLetterSourceQueues(
      absl::string_view dead_letter_queue);
  // Starts moving the messages of a dead-letter queue (by ARN) back to the
  // queues they came from, or to `destination_arn`; at most
  // `max_messages_per_second` (0: unlimited). Returns the task handle.
  absl::StatusOr<std::string> StartMessageMoveTask(
      absl::string_view source_arn, absl::string_view destination_arn = "",
      int32_t max_messages_per_second = 0);
  // Cancels a running task; returns how many messages it had moved.
  absl::StatusOr<int64_t> CancelMessageMoveTask(absl::string_view task_handle);
  // The source queue's tasks, most recent first (1-10).
  absl::StatusOr<std::vector<MessageMoveTask>> ListMessageMoveTasks(
      absl::string_view source_arn, int max_results = 1);

 private:
  // The streams (cortado/publisher.h, cortado/stream_consumer.h) run on the
  // client's channel.
  friend class Publisher;
  friend class StreamConsumer;
  struct Impl;
  explicit Client(std::unique_ptr<Impl> impl);
  // Constant after construction; Impl holds the thread-safe gRPC stub.
  const std::unique_ptr<Impl> impl_;
};

}  // namespace cortado::client

#endif  // CORTADO_CLIENT_INCLUDE_CORTADO_CLIENT_H_
