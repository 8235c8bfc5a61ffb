#include "cortado/client.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/lib/client_impl.h"
#include "client/lib/convert.h"
#include "client/lib/grpc_status.h"
#include "client/lib/receive_call.h"
#include "cortado/cancellation.h"
#include "cortado/v1/queue.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace cortado::client {
namespace {

// A receive of 10 messages of 1 MiB each (plus attributes) exceeds gRPC's
// default 4 MiB limit on received messages.
constexpr int kMaxReceiveMessageBytes = 64 << 20;

// A broker client should find a restarted broker within seconds. By default
// gRPC backs off reconnecting up to 120 s, and after a lost connection it
// re-resolves the address at most every 30 s, which in practice delays the
// reconnect by the resolver's own backoff (measured: 10-15 s after a
// 6-second outage; about 1 s with these settings).
constexpr int kMaxReconnectBackoffMs = 2000;
constexpr int kMinTimeBetweenResolutionsMs = 1000;

// The long-poll wait a receive may be held for when it leaves the wait to
// the queue (ReceiveMessageWaitTimeSeconds is at most 20 s).
constexpr absl::Duration kMaxQueueWait = absl::Seconds(20);

}  // namespace

absl::StatusOr<std::unique_ptr<Client>> Client::Connect(
    absl::string_view target, ClientOptions options) {
  if (target.empty()) {
    return absl::InvalidArgumentError(
        "empty server address; expected HOST:PORT");
  }
  // gRPC would quietly default a missing port to 443; nobody means that.
  if (!absl::StrContains(target, ':')) {
    return absl::InvalidArgumentError(absl::StrCat(
        "server address \"", target, "\" has no port; expected HOST:PORT"));
  }
  if (options.deadline <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("the call deadline must be positive");
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxReceiveMessageBytes);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, kMaxReconnectBackoffMs);
  args.SetInt(GRPC_ARG_DNS_MIN_TIME_BETWEEN_RESOLUTIONS_MS,
              kMinTimeBetweenResolutionsMs);
  // gRPC's transparent retries stay on: they cost about 13% of the
  // client's instructions per message (docs/PERFORMANCE.md), but they
  // retry calls that never reached a restarting broker instead of handing
  // every caller an UNAVAILABLE.
  auto channel = grpc::CreateCustomChannel(
      std::string(target), grpc::InsecureChannelCredentials(), args);
  auto impl = std::make_unique<Impl>();
  impl->target = std::string(target);
  impl->options = options;
  impl->stub = v1::Queues::NewStub(channel);
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() = default;

const std::string& Client::target() const { return impl_->target; }

absl::StatusOr<QueueInfo> Client::CreateQueue(absl::string_view name,
                                              const StringMap& attributes,
                                              const StringMap& tags) {
  v1::CreateQueueRequest request;
  request.set_queue_name(std::string(name));
  request.mutable_attributes()->insert(attributes.begin(), attributes.end());
  request.mutable_tags()->insert(tags.begin(), tags.end());
  v1::CreateQueueResponse response;
  absl::Status status = impl_->Call(&v1::Queues::Stub::CreateQueue,
                                    "CreateQueue", request, &response);
  if (!status.ok()) return status;
  return QueueInfo{response.queue_name(), response.queue_url(),
                   response.queue_arn()};
}

absl::StatusOr<std::string> Client::GetQueueUrl(absl::string_view name) {
  v1::GetQueueUrlRequest request;
  request.set_queue_name(std::string(name));
  v1::GetQueueUrlResponse response;
  absl::Status status = impl_->Call(&v1::Queues::Stub::GetQueueUrl,
                                    "GetQueueUrl", request, &response);
  if (!status.ok()) return status;
  return response.queue_url();
}

absl::StatusOr<QueueList> Client::ListQueues(const ListQueuesOptions& options) {
  v1::ListQueuesRequest request;
  request.set_queue_name_prefix(options.prefix);
  request.set_max_results(options.max_results);
  request.set_next_token(options.next_token);
  v1::ListQueuesResponse response;
  absl::Status status = impl_->Call(&v1::Queues::Stub::ListQueues, "ListQueues",
                                    request, &response);
  if (!status.ok()) return status;
  QueueList list;
  list.names.assign(response.queue_names().begin(),
                    response.queue_names().end());
  list.urls.assign(response.queue_urls().begin(), response.queue_urls().end());
  list.next_token = response.next_token();
  return list;
}

absl::Status Client::DeleteQueue(absl::string_view name) {
  v1::DeleteQueueRequest request;
  request.set_queue_name(std::string(name));
  v1::DeleteQueueResponse response;
  return impl_->Call(&v1::Queues::Stub::DeleteQueue, "DeleteQueue", request,
                     &response);
}

absl::StatusOr<StringMap> Client::GetQueueAttributes(
    absl::string_view name, const std::vector<std::string>& names) {
  v1::GetQueueAttributesRequest request;
  request.set_queue_name(std::string(name));
  for (const std::string& attribute : names) {
    request.add_attribute_names(attribute);
  }
  v1::GetQueueAttributesResponse response;
  absl::Status status = impl_->Call(&v1::Queues::Stub::GetQueueAttributes,
                                    "GetQueueAttributes", request, &response);
  if (!status.ok()) return status;
  return StringMap(response.attributes().begin(), response.attributes().end());
}

absl::Status Client::SetQueueAttributes(absl::string_view name,
                                        const StringMap& attributes) {
  v1::SetQueueAttributesRequest request;
  request.set_queue_name(std::string(name));
  request.mutable_attributes()->insert(attributes.begin(), attributes.end());
  v1::SetQueueAttributesResponse response;
  return impl_->Call(&v1::Queues::Stub::SetQueueAttributes,
                     "SetQueueAttributes", request, &response);
}

absl::Status Client::PurgeQueue(absl::string_view name) {
  v1::PurgeQueueRequest request;
  request.set_queue_name(std::string(name));
  v1::PurgeQueueResponse response;
  return impl_->Call(&v1::Queues::Stub::PurgeQueue, "PurgeQueue", request,
                     &response);
}

absl::StatusOr<SendResult> Client::SendMessage(absl::string_view queue,
                                               absl::string_view body,
                                               const SendOptions& options) {
  v1::SendMessageRequest request;
  request.set_queue_name(std::string(queue));
  internal::ToProto(body, options, request.mutable_message());
  v1::SendMessageResponse response;
  absl::Status status = impl_->Call(&v1::Queues::Stub::SendMessage,
                                    "SendMessage", request, &response);
  if (!status.ok()) return status;
  return internal::FromProto(response.result());
}

absl::StatusOr<SendBatchResult> Client::SendMessageBatch(
    absl::string_view queue, const std::vector<SendBatchEntry>& entries) {
  v1::SendMessageBatchRequest request;
  request.set_queue_name(std::string(queue));
  for (const SendBatchEntry& entry : entries) {
    v1::SendMessageEntry* proto = request.add_entries();
    internal::ToProto(entry.body, entry.options, proto);
    proto->set_id(entry.id);
  }
  v1::SendMessageBatchResponse response;
  absl::Status status = impl_->Call(&v1::Queues::Stub::SendMessageBatch,
                                    "SendMessageBatch", request, &response);
  if (!status.ok()) return status;
  SendBatchResult result;
  for (const auto& sent : response.successful()) {
    result.successful.push_back(internal::FromProto(sent));
  }
  for (const auto& error : response.failed()) {
    result.failed.push_back(internal::FromProto(error));
  }
  return result;
}

absl::StatusOr<std::vector<Message>> Client::ReceiveMessage(
    absl::string_view queue, const ReceiveOptions& options) {
  v1::ReceiveMessageRequest request;
  request.set_queue_name(std::string(queue));
  request.set_max_number_of_messages(options.max_messages);
  if (options.visibility_timeout) {
    request.set_visibility_timeout(
        internal::ToWireSeconds(*options.visibility_timeout));
  }
  absl::Duration wait = kMaxQueueWait;
  if (options.wait) {
    request.set_wait_time_seconds(internal::ToWireSeconds(*options.wait));
    wait = std::max(*options.wait, absl::ZeroDuration());
  }
  for (const std::string& name : options.attribute_names) {
    request.add_attribute_names(name);
  }
  for (const std::string& name : options.message_attribute_names) {
    request.add_message_attribute_names(name);
  }
  request.set_receive_request_attempt_id(options.receive_request_attempt_id);
  v1::ReceiveMessageResponse response;
  bool cancelled = false;
  absl::Status status = internal::RunReceive(
      *impl_->stub, impl_->target, absl::Now() + impl_->options.deadline + wait,
      options.cancellation, request, &response, &cancelled);
  if (!status.ok()) return status;
  if (cancelled) {
    // The broker answered before it saw the cancel: the caller no longer
    // wants these, so they go back to the queue at once (best effort; their
    // visibility timeout brings them back anyway).
    if (response.messages_size() > 0) {
      std::vector<VisibilityBatchEntry> entries;
      for (const auto& message : response.messages()) {
        entries.push_back(VisibilityBatchEntry{
            absl::StrCat("m", entries.size()), message.receipt_handle(),
            absl::ZeroDuration()});
      }
      ChangeMessageVisibilityBatch(queue, entries).IgnoreError();
    }
    return absl::CancelledError("ReceiveMessage cancelled");
  }
  std::vector<Message> messages;
  messages.reserve(response.messages_size());
  for (const auto& message : response.messages()) {
    messages.push_back(internal::FromProto(message));
  }
  return messages;
}

absl::Status Client::DeleteMessage(absl::string_view queue,
                                   absl::string_view receipt_handle) {
  v1::DeleteMessageRequest request;
  request.set_queue_name(std::string(queue));
  request.set_receipt_handle(std::string(receipt_handle));
  v1::DeleteMessageResponse response;
  return impl_->Call(&v1::Queues::Stub::DeleteMessage, "DeleteMessage", request,
                     &response);
}

absl::StatusOr<BatchResult> Client::DeleteMessageBatch(
    absl::string_view queue, const std::vector<DeleteBatchEntry>& entries) {
  v1::DeleteMessageBatchRequest request;
  request.set_queue_name(std::string(queue));
  for (const DeleteBatchEntry& entry : entries) {
    v1::DeleteMessageBatchEntry* proto = request.add_entries();
    proto->set_id(entry.id);
    proto->set_receipt_handle(entry.receipt_handle);
  }
  v1::DeleteMessageBatchResponse response;
  absl::Status status = impl_->Call(&v1::Queues::Stub::DeleteMessageBatch,
                                    "DeleteMessageBatch", request, &response);
  if (!status.ok()) return status;
  BatchResult result;
  result.successful.assign(response.successful().begin(),
                           response.successful().end());
  for (const auto& error : response.failed()) {
    result.failed.push_back(internal::FromProto(error));
  }
  return result;
}

absl::Status Client::ChangeMessageVisibility(
    absl::string_view queue, absl::string_view receipt_handle,
    absl::Duration visibility_timeout) {
  v1::ChangeMessageVisibilityRequest request;
  request.set_queue_name(std::string(queue));
  request.set_receipt_handle(std::string(receipt_handle));
  request.set_visibility_timeout(internal::ToWireSeconds(visibility_timeout));
  v1::ChangeMessageVisibilityResponse response;
  return impl_->Call(&v1::Queues::Stub::ChangeMessageVisibility,
                     "ChangeMessageVisibility", request, &response);
}

absl::StatusOr<BatchResult> Client::ChangeMessageVisibilityBatch(
    absl::string_view queue, const std::vector<VisibilityBatchEntry>& entries) {
  v1::ChangeMessageVisibilityBatchRequest request;
  request.set_queue_name(std::string(queue));
  for (const VisibilityBatchEntry& entry : entries) {
    v1::ChangeMessageVisibilityBatchEntry* proto = request.add_entries();
    proto->set_id(entry.id);
    proto->set_receipt_handle(entry.receipt_handle);
    proto->set_visibility_timeout(
        internal::ToWireSeconds(entry.visibility_timeout));
  }
  v1::ChangeMessageVisibilityBatchResponse response;
  absl::Status status =
      impl_->Call(&v1::Queues::Stub::ChangeMessageVisibilityBatch,
                  "ChangeMessageVisibilityBatch", request, &response);
  if (!status.ok()) return status;
  BatchResult result;
  result.successful.assign(response.successful().begin(),
                           response.successful().end());
  for (const auto& error : response.failed()) {
    result.failed.push_back(internal::FromProto(error));
  }
  return result;
}

absl::Status Client::TagQueue(absl::string_view queue, const StringMap& tags) {
  v1::TagQueueRequest request;
  request.set_queue_name(std::string(queue));
  request.mutable_tags()->insert(tags.begin(), tags.end());
  v1::TagQueueResponse response;
  return impl_->Call(&v1::Queues::Stub::TagQueue, "TagQueue", request,
                     &response);
}

absl::Status Client::UntagQueue(absl::string_view queue,
                                const std::vector<std::string>& keys) {
  v1::UntagQueueRequest request;
  request.set_queue_name(std::string(queue));
  for (const std::string& key : keys) request.add_tag_keys(key);
  v1::UntagQueueResponse response;
  return impl_->Call(&v1::Queues::Stub::UntagQueue, "UntagQueue", request,
                     &response);
}

absl::StatusOr<StringMap> Client::ListQueueTags(absl::string_view queue) {
  v1::ListQueueTagsRequest request;
  request.set_queue_name(std::string(queue));
  v1::ListQueueTagsResponse response;
  absl::Status status = impl_->Call(&v1::Queues::Stub::ListQueueTags,
                                    "ListQueueTags", request, &response);
  if (!status.ok()) return status;
  return StringMap(response.tags().begin(), response.tags().end());
}

absl::StatusOr<std::vector<std::string>> Client::ListDeadLetterSourceQueues(
    absl::string_view dead_letter_queue) {
  v1::ListDeadLetterSourceQueuesRequest request;
  request.set_queue_name(std::string(dead_letter_queue));
  v1::ListQueuesResponse response;
  absl::Status status =
      impl_->Call(&v1::Queues::Stub::ListDeadLetterSourceQueues,
                  "ListDeadLetterSourceQueues", request, &response);
  if (!status.ok()) return status;
  return std::vector<std::string>(response.queue_names().begin(),
                                  response.queue_names().end());
}

absl::StatusOr<std::string> Client::StartMessageMoveTask(
    absl::string_view source_arn, absl::string_view destination_arn,
    int32_t max_messages_per_second) {
  v1::StartMessageMoveTaskRequest request;
  request.set_source_arn(std::string(source_arn));
  request.set_destination_arn(std::string(destination_arn));
  request.set_max_number_of_messages_per_second(max_messages_per_second);
  v1::StartMessageMoveTaskResponse response;
  absl::Status status = impl_->Call(&v1::Queues::Stub::StartMessageMoveTask,
                                    "StartMessageMoveTask", request, &response);
  if (!status.ok()) return status;
  return response.task_handle();
}

absl::StatusOr<int64_t> Client::CancelMessageMoveTask(
    absl::string_view task_handle) {
  v1::CancelMessageMoveTaskRequest request;
  request.set_task_handle(std::string(task_handle));
  v1::CancelMessageMoveTaskResponse response;
  absl::Status status =
      impl_->Call(&v1::Queues::Stub::CancelMessageMoveTask,
                  "CancelMessageMoveTask", request, &response);
  if (!status.ok()) return status;
  return response.approximate_number_of_messages_moved();
}

absl::StatusOr<std::vector<MessageMoveTask>> Client::ListMessageMoveTasks(
    absl::string_view source_arn, int max_results) {
  v1::ListMessageMoveTasksRequest request;
  request.set_source_arn(std::string(source_arn));
  request.set_max_results(max_results);
  v1::ListMessageMoveTasksResponse response;
  absl::Status status = impl_->Call(&v1::Queues::Stub::ListMessageMoveTasks,
                                    "ListMessageMoveTasks", request, &response);
  if (!status.ok()) return status;
  std::vector<MessageMoveTask> tasks;
  for (const v1::MessageMoveTask& t : response.results()) {
    MessageMoveTask task;
    task.task_handle = t.task_handle();
    task.status = t.status();
    task.source_arn = t.source_arn();
    task.destination_arn = t.destination_arn();
    task.max_messages_per_second = t.max_number_of_messages_per_second();
    task.moved = t.approximate_number_of_messages_moved();
    task.to_move = t.approximate_number_of_messages_to_move();
    task.failure_reason = t.failure_reason();
    task.started = absl::FromUnixMillis(t.started_timestamp());
    tasks.push_back(std::move(task));
  }
  return tasks;
}

}  // namespace cortado::client
