// The typed requests and results of the Broker façade. Transports (gRPC,
// the SQS gateway) parse their wire formats into these and encode the results.
// Thread-safety: value types.
#ifndef CORTADO_SERVER_CORE_API_H_
#define CORTADO_SERVER_CORE_API_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/core/errors.h"
#include "server/core/message_attributes.h"
#include "server/core/queue_attributes.h"

namespace cortado {

// Completion callback of an asynchronous Broker call. Called exactly once,
// never while a broker lock is held, possibly on another thread.
template <typename T>
using Callback = absl::AnyInvocable<void(absl::StatusOr<T>) &&>;

// For calls whose success carries no data.
struct Empty {};

using TagMap = std::map<std::string, std::string>;

struct CreateQueueRequest {
  std::string queue_name;
  AttributeMap attributes;
  TagMap tags;
};

struct ListQueuesRequest {
  std::string prefix;
  int32_t max_results = 0;  // 0: no paging (up to 1000, no token)
  std::string next_token;
};
struct ListQueuesResult {
  std::vector<std::string> queue_names;  // sorted
  std::string next_token;                // empty when no more
};

struct SendMessageEntry {
  std::string id;  // batch entry id; unused by SendMessage
  std::string body;
  std::optional<int32_t> delay_seconds;
  MessageAttributes attributes;
  MessageAttributes system_attributes;
  std::string message_group_id;
  std::string message_deduplication_id;
  // Who sent it (SenderId system attribute): an access key or account id.
  std::string sender_id;
};

struct SendMessageResult {
  std::string id;  // batch entry id
  std::string message_id;
  std::string md5_of_message_body;
  std::string md5_of_message_attributes;         // empty if none
  std::string md5_of_message_system_attributes;  // empty if none
  std::string sequence_number;                   // FIFO only
};

// A per-entry failure inside a successful batch call.
struct BatchEntryError {
  std::string id;
  ErrorKind kind = ErrorKind::kNone;
  std::string message;
  bool sender_fault = true;
};

// The failure of batch entry `id` (SQS and SNS batches alike): an error
// without a kind is Internal; only Internal and StoreFailed are not the
// sender's fault.
inline BatchEntryError EntryError(const std::string& id,
                                  const absl::Status& status) {
  BatchEntryError error;
  error.id = id;
  error.kind = GetErrorKind(status);
  if (error.kind == ErrorKind::kNone) error.kind = ErrorKind::kInternal;
  error.message = std::string(status.message());
  error.sender_fault = error.kind != ErrorKind::kInternal &&
                       error.kind != ErrorKind::kStoreFailed;
  return error;
}

struct SendMessageBatchResult {
  std::vector<SendMessageResult> successful;
  std::vector<BatchEntryError> failed;
};

struct ReceiveMessageRequest {
  std::string queue_name;
  int32_t max_number_of_messages = 1;                // 1-10
  std::optional<int32_t> visibility_timeout;         // default: queue's
  std::optional<int32_t> wait_time_seconds;          // default: queue's
  std::vector<std::string> system_attribute_names;   // "All" or names
  std::vector<std::string> message_attribute_names;  // "All", ".*", "Foo.*"
  std::string receive_request_attempt_id;            // FIFO
};

struct ReceivedMessage {
  std::string message_id;
  std::string receipt_handle;
  std::string body;
  std::string md5_of_body;
  std::map<std::string, std::string> attributes;  // selected system attributes
  MessageAttributes message_attributes;           // selected user attributes
  std::string md5_of_message_attributes;          // over the selected ones
};

struct ReceiveMessageResult {
  std::vector<ReceivedMessage> messages;
};

// PeekMessages: a queue's messages in sequence order without receiving
// them (no visibility, receive count or receipt handle changes).
struct PeekMessagesRequest {
  std::string queue_name;
  int32_t max_messages = 0;  // 1-100; 0: 10
  std::string next_token;    // from the previous page; "": the oldest
};

struct PeekedMessage {
  std::string message_id;
  std::string body;
  std::string md5_of_body;
  std::map<std::string, std::string> attributes;  // every system attribute
  MessageAttributes message_attributes;           // every user attribute
  int32_t receive_count = 0;
  absl::Time sent;
  // "VISIBLE", "DELAYED" or "IN_FLIGHT", as the broker last indexed it (a
  // delay or visibility timeout that has just ended may still show).
  std::string state;
  absl::Time visible_at;  // when a delayed or in-flight message returns
};

struct PeekMessagesResult {
  std::vector<PeekedMessage> messages;
  std::string next_token;  // empty when no more
  // The enqueue time of the queue's oldest message (retention's clock),
  // whatever the page: a console's "age of the oldest message".
  std::optional<absl::Time> oldest_message;
};

struct BatchHandleEntry {
  std::string id;
  std::string receipt_handle;
  int32_t visibility_timeout = 0;  // ChangeMessageVisibilityBatch only
};

struct BatchResult {
  std::vector<std::string> successful;  // entry ids
  std::vector<BatchEntryError> failed;
};

struct StartMessageMoveTaskRequest {
  std::string source_arn;       // a dead-letter queue
  std::string destination_arn;  // empty: each message's source queue
  std::optional<int32_t> max_number_of_messages_per_second;  // 1-500
};

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_API_H_
