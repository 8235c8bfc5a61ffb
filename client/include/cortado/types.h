// Plain value types of the Cortado client API: messages, their attributes,
// the options of sends and receives, and the results of batch calls. They
// mirror SQS's shapes (same names, same units) without exposing protobuf, so
// programs that use libcortado never include generated code.
// Thread-safety: plain structs; the usual rules for values apply.
#ifndef CORTADO_CLIENT_INCLUDE_CORTADO_TYPES_H_
#define CORTADO_CLIENT_INCLUDE_CORTADO_TYPES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/time.h"

namespace cortado::client {

class Cancellation;

// A user message attribute, as SQS's MessageAttributeValue. `data_type` is
// "String", "Number" or "Binary", optionally with a custom label
// ("Number.float", "Binary.png"); it is returned exactly as sent. `value`
// holds the text for String and Number types and the raw bytes (not base64)
// for Binary types.
struct MessageAttributeValue {
  std::string data_type = "String";
  std::string value;

  static MessageAttributeValue String(std::string value) {
    return {"String", std::move(value)};
  }
  // Numbers travel as decimal text, byte for byte ("42", "-1.5e3").
  static MessageAttributeValue Number(std::string value) {
    return {"Number", std::move(value)};
  }
  static MessageAttributeValue Binary(std::string bytes) {
    return {"Binary", std::move(bytes)};
  }

  bool is_binary() const { return absl::StartsWith(data_type, "Binary"); }

  friend bool operator==(const MessageAttributeValue&,
                         const MessageAttributeValue&) = default;
};

using MessageAttributes = std::map<std::string, MessageAttributeValue>;
// Queue attributes and tags are string-to-string maps, keyed by SQS's names
// ("VisibilityTimeout", "ApproximateNumberOfMessages", ...).
using StringMap = std::map<std::string, std::string>;

// A received message.
struct Message {
  std::string message_id;
  // Names this receive of the message; a new one on every receive. Pass it
  // to DeleteMessage and ChangeMessageVisibility.
  std::string receipt_handle;
  std::string body;
  std::string md5_of_body;
  // The requested system attributes as SQS's strings: SentTimestamp,
  // ApproximateReceiveCount, ApproximateFirstReceiveTimestamp, SenderId, and
  // for FIFO queues MessageGroupId, MessageDeduplicationId, SequenceNumber.
  StringMap attributes;
  // The requested user attributes.
  MessageAttributes message_attributes;
  std::string md5_of_message_attributes;

  // ApproximateReceiveCount as a number: 1 on the first receive, 0 when the
  // attribute was not requested.
  int64_t receive_count() const;
};

// What to send besides the body.
struct SendOptions {
  // Per-message delay, whole seconds 0-15 min (fractions round up). Unset
  // means the queue's DelaySeconds. Not allowed on FIFO queues.
  std::optional<absl::Duration> delay;
  // User attributes, at most 10.
  MessageAttributes attributes;
  // FIFO: the message group (required there).
  std::string group_id;
  // FIFO: the deduplication id; empty means content-based deduplication.
  std::string dedup_id;
  // The AWSTraceHeader system attribute (X-Ray format); empty sends none.
  std::string trace_header;
};

// The outcome of one accepted send.
struct SendResult {
  // The batch entry id (batches only).
  std::string id;
  std::string message_id;
  std::string md5_of_message_body;
  std::string md5_of_message_attributes;
  std::string md5_of_message_system_attributes;
  // FIFO only: the 128-bit sequence number in decimal.
  std::string sequence_number;
};

// How to receive.
struct ReceiveOptions {
  // 1-10 messages per call.
  int max_messages = 1;
  // Long-poll time, whole seconds 0-20: the call returns as soon as a message
  // is available or empty when the time is up. Unset means the queue's
  // ReceiveMessageWaitTimeSeconds.
  std::optional<absl::Duration> wait;
  // How long the received messages stay invisible (whole seconds, 0-12 h).
  // Unset means the queue's VisibilityTimeout.
  std::optional<absl::Duration> visibility_timeout;
  // System attributes to return. Unlike SQS, the default asks for all of
  // them: they are small, and consumers nearly always want
  // ApproximateReceiveCount. Clear the vector to ask for none.
  std::vector<std::string> attribute_names = {"All"};
  // User attributes to return: names, "All", or prefixes like "Foo.*".
  std::vector<std::string> message_attribute_names = {"All"};
  // FIFO: makes a retried receive return the same messages.
  std::string receive_request_attempt_id;
  // When set, Cancel() on it from another thread ends the call at once with
  // kCancelled. Not owned; must outlive the call.
  Cancellation* cancellation = nullptr;
};

// A rejected entry of a batch call (the call itself succeeded).
struct BatchError {
  // The entry's id from the request.
  std::string id;
  // The SQS error name, e.g. "ReceiptHandleIsInvalid".
  std::string code;
  std::string message;
  // True when the caller is at fault (SQS's SenderFault).
  bool sender_fault = false;
};

// One message of SendMessageBatch.
struct SendBatchEntry {
  // [A-Za-z0-9_-]{1,80}, unique within the batch.
  std::string id;
  std::string body;
  SendOptions options;
};

struct SendBatchResult {
  std::vector<SendResult> successful;
  std::vector<BatchError> failed;
};

// One entry of DeleteMessageBatch.
struct DeleteBatchEntry {
  std::string id;
  std::string receipt_handle;
};

// One entry of ChangeMessageVisibilityBatch.
struct VisibilityBatchEntry {
  std::string id;
  std::string receipt_handle;
  // Whole seconds from now, 0-12 h (fractions round up).
  absl::Duration visibility_timeout;
};

// The result of DeleteMessageBatch and ChangeMessageVisibilityBatch.
struct BatchResult {
  // Ids of the entries that succeeded.
  std::vector<std::string> successful;
  std::vector<BatchError> failed;
};

// A queue as CreateQueue reports it.
struct QueueInfo {
  std::string name;
  // The SQS-style URL, as seen through the HTTP gateway.
  std::string url;
  std::string arn;
};

struct ListQueuesOptions {
  // Only queues whose name starts with this (case-sensitive).
  std::string prefix;
  // Page size 1-1000; 0 means no paging (up to 1000 queues, no token).
  int max_results = 0;
  // The previous page's next_token.
  std::string next_token;
};

struct QueueList {
  // Sorted queue names and, in the same order, their URLs.
  std::vector<std::string> names;
  std::vector<std::string> urls;
  // Non-empty when max_results was given and more queues follow.
  std::string next_token;
};

// A message move task (dead-letter redrive), as ListMessageMoveTasks shows.
struct MessageMoveTask {
  // Set only while the task is running (for CancelMessageMoveTask).
  std::string task_handle;
  // "RUNNING", "COMPLETED", "CANCELLED" or "FAILED".
  std::string status;
  std::string source_arn;
  // Empty when messages go back to the queues they came from.
  std::string destination_arn;
  // 0 when unlimited.
  int32_t max_messages_per_second = 0;
  int64_t moved = 0;
  int64_t to_move = 0;
  std::string failure_reason;
  absl::Time started = absl::UnixEpoch();
};

}  // namespace cortado::client

#endif  // CORTADO_CLIENT_INCLUDE_CORTADO_TYPES_H_
