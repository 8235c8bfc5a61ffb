#include "server/rpc/queue_service.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/route_names.h"
#include "server/core/errors.h"
#include "server/rpc/consume_reactor.h"
#include "server/rpc/convert.h"
#include "server/rpc/publish_reactor.h"
#include "server/rpc/receive_reactor.h"
#include "server/rpc/status_mapping.h"

namespace cortado::rpc {
namespace {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;

// Clients use 32 hex digits; the bound only keeps the registry small.
constexpr size_t kMaxReceiveTokenLength = 128;

absl::Status ReceiveTokenError() {
  return MakeError(ErrorKind::kInvalidParameterValue,
                   absl::StrCat("receive_token must be at most ",
                                kMaxReceiveTokenLength, " characters."));
}

// Finishes the call at once (synchronous reads and early errors).
ServerUnaryReactor* FinishNow(CallbackServerContext* context,
                              const absl::Status& status) {
  ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status, context));
  return reactor;
}

// A broker completion callback that, on success, lets `fill` write the
// response, then finishes the call. Runs on the broker's thread; `fill` must
// not block. `broker` (the call's) stays alive until then.
template <typename T, typename Fill>
Callback<T> FinishWhenDone(std::shared_ptr<Broker> broker,
                           CallbackServerContext* context,
                           ServerUnaryReactor* reactor, Fill fill) {
  return [broker = std::move(broker), context, reactor,
          fill = std::move(fill)](absl::StatusOr<T> result) mutable {
    if (result.ok()) fill(*result);
    reactor->Finish(ToGrpcStatus(result.status(), context));
  };
}

Callback<Empty> FinishWhenDone(std::shared_ptr<Broker> broker,
                               CallbackServerContext* context,
                               ServerUnaryReactor* reactor) {
  return FinishWhenDone<Empty>(std::move(broker), context, reactor,
                               [](const Empty&) {});
}

// Writes a batch result into a response with `successful` and `failed`.
template <typename Response>
void FillBatchResponse(const BatchResult& result, Response* response) {
  for (const std::string& id : result.successful) response->add_successful(id);
  for (const BatchEntryError& error : result.failed) {
    ToProto(error, response->add_failed());
  }
}

}  // namespace

QueueService::QueueService(Broker* broker, QueueServiceOptions options)
    : owned_resolver_(std::make_unique<SingleBrokerResolver>(broker)),
      resolver_(owned_resolver_.get()),
      options_(std::move(options)) {}

QueueService::QueueService(const BrokerResolver* resolver,
                           QueueServiceOptions options)
    : resolver_(resolver), options_(std::move(options)) {}

std::shared_ptr<Broker> QueueService::BrokerOf(
    CallbackServerContext* context, absl::string_view name,
    ServerUnaryReactor** failed) const {
  absl::StatusOr<std::shared_ptr<Broker>> broker = resolver_->BrokerFor(name);
  if (broker.ok()) return *std::move(broker);
  *failed = FinishNow(context, broker.status());
  return nullptr;
}

std::string QueueService::QueueUrlOf(const std::string& queue_name) const {
  return QueueUrl(options_.http_addr, resolver_->AccountId(), queue_name);
}

ServerUnaryReactor* QueueService::CreateQueue(
    CallbackServerContext* context, const v1::CreateQueueRequest* request,
    v1::CreateQueueResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  ServerUnaryReactor* reactor = context->DefaultReactor();
  broker->CreateQueue(
      ToCore(*request),
      FinishWhenDone<QueueRecord>(
          broker, context, reactor,
          [this, response, broker](const QueueRecord& queue) {
            response->set_queue_name(queue.name);
            response->set_queue_url(QueueUrlOf(queue.name));
            response->set_queue_arn(broker->QueueArn(queue.name));
          }));
  return reactor;
}

ServerUnaryReactor* QueueService::GetQueueUrl(
    CallbackServerContext* context, const v1::GetQueueUrlRequest* request,
    v1::GetQueueUrlResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  absl::Status status = broker->GetQueue(request->queue_name());
  if (status.ok()) response->set_queue_url(QueueUrlOf(request->queue_name()));
  return FinishNow(context, status);
}

void QueueService::FillQueueList(const ListQueuesResult& result,
                                 v1::ListQueuesResponse* response) const {
  for (const std::string& name : result.queue_names) {
    response->add_queue_names(name);
    response->add_queue_urls(QueueUrlOf(name));
  }
  response->set_next_token(result.next_token);
}

ServerUnaryReactor* QueueService::ListQueues(
    CallbackServerContext* context, const v1::ListQueuesRequest* request,
    v1::ListQueuesResponse* response) {
  absl::StatusOr<ListQueuesResult> result =
      resolver_->ListQueues(ToCore(*request));
  if (result.ok()) FillQueueList(*result, response);
  return FinishNow(context, result.status());
}

ServerUnaryReactor* QueueService::ListDeadLetterSourceQueues(
    CallbackServerContext* context,
    const v1::ListDeadLetterSourceQueuesRequest* request,
    v1::ListQueuesResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  absl::StatusOr<ListQueuesResult> result = broker->ListDeadLetterSourceQueues(
      request->queue_name(), request->max_results(), request->next_token());
  if (result.ok()) FillQueueList(*result, response);
  return FinishNow(context, result.status());
}

ServerUnaryReactor* QueueService::StartMessageMoveTask(
    CallbackServerContext* context,
    const v1::StartMessageMoveTaskRequest* request,
    v1::StartMessageMoveTaskResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, NameInArn(request->source_arn()), &failed);
  if (broker == nullptr) return failed;
  StartMessageMoveTaskRequest core;
  core.source_arn = request->source_arn();
  core.destination_arn = request->destination_arn();
  if (request->max_number_of_messages_per_second() != 0) {
    core.max_number_of_messages_per_second =
        request->max_number_of_messages_per_second();
  }
  ServerUnaryReactor* reactor = context->DefaultReactor();
  broker->StartMessageMoveTask(
      std::move(core),
      FinishWhenDone<std::string>(broker, context, reactor,
                                  [response](const std::string& handle) {
                                    response->set_task_handle(handle);
                                  }));
  return reactor;
}

ServerUnaryReactor* QueueService::CancelMessageMoveTask(
    CallbackServerContext* context,
    const v1::CancelMessageMoveTaskRequest* request,
    v1::CancelMessageMoveTaskResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, NameInTaskHandle(request->task_handle()), &failed);
  if (broker == nullptr) return failed;
  ServerUnaryReactor* reactor = context->DefaultReactor();
  broker->CancelMessageMoveTask(
      request->task_handle(),
      FinishWhenDone<int64_t>(
          broker, context, reactor, [response](int64_t moved) {
            response->set_approximate_number_of_messages_moved(moved);
          }));
  return reactor;
}

ServerUnaryReactor* QueueService::ListMessageMoveTasks(
    CallbackServerContext* context,
    const v1::ListMessageMoveTasksRequest* request,
    v1::ListMessageMoveTasksResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, NameInArn(request->source_arn()), &failed);
  if (broker == nullptr) return failed;
  absl::StatusOr<std::vector<MoveTaskRecord>> tasks =
      broker->ListMessageMoveTasks(request->source_arn(),
                                   request->max_results());
  if (tasks.ok()) {
    for (const MoveTaskRecord& task : *tasks) {
      v1::MessageMoveTask* out = response->add_results();
      if (task.status == "RUNNING") out->set_task_handle(task.task_handle);
      out->set_status(task.status);
      out->set_source_arn(task.source_arn);
      out->set_destination_arn(task.destination_arn);
      out->set_max_number_of_messages_per_second(task.max_per_second);
      out->set_approximate_number_of_messages_moved(task.moved);
      out->set_approximate_number_of_messages_to_move(task.to_move);
      out->set_failure_reason(task.failure_reason);
      out->set_started_timestamp(absl::ToUnixMillis(task.started));
    }
  }
  return FinishNow(context, tasks.status());
}

ServerUnaryReactor* QueueService::DeleteQueue(
    CallbackServerContext* context, const v1::DeleteQueueRequest* request,
    v1::DeleteQueueResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  ServerUnaryReactor* reactor = context->DefaultReactor();
  broker->DeleteQueue(request->queue_name(),
                      FinishWhenDone(broker, context, reactor));
  return reactor;
}

ServerUnaryReactor* QueueService::GetQueueAttributes(
    CallbackServerContext* context,
    const v1::GetQueueAttributesRequest* request,
    v1::GetQueueAttributesResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  const std::vector<std::string> names(request->attribute_names().begin(),
                                       request->attribute_names().end());
  absl::StatusOr<AttributeMap> attributes =
      broker->GetQueueAttributes(request->queue_name(), names);
  if (attributes.ok()) ToProto(*attributes, response->mutable_attributes());
  return FinishNow(context, attributes.status());
}

ServerUnaryReactor* QueueService::SetQueueAttributes(
    CallbackServerContext* context,
    const v1::SetQueueAttributesRequest* request,
    v1::SetQueueAttributesResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  ServerUnaryReactor* reactor = context->DefaultReactor();
  broker->SetQueueAttributes(request->queue_name(),
                             ToCore(request->attributes()),
                             FinishWhenDone(broker, context, reactor));
  return reactor;
}

ServerUnaryReactor* QueueService::PurgeQueue(
    CallbackServerContext* context, const v1::PurgeQueueRequest* request,
    v1::PurgeQueueResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  ServerUnaryReactor* reactor = context->DefaultReactor();
  broker->PurgeQueue(request->queue_name(),
                     FinishWhenDone(broker, context, reactor));
  return reactor;
}

ServerUnaryReactor* QueueService::SendMessage(
    CallbackServerContext* context, const v1::SendMessageRequest* request,
    v1::SendMessageResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  ServerUnaryReactor* reactor = context->DefaultReactor();
  broker->SendMessage(request->queue_name(),
                      ToCore(request->message(), broker->options().account_id),
                      FinishWhenDone<SendMessageResult>(
                          broker, context, reactor,
                          [response](const SendMessageResult& result) {
                            ToProto(result, response->mutable_result());
                          }));
  return reactor;
}

ServerUnaryReactor* QueueService::SendMessageBatch(
    CallbackServerContext* context, const v1::SendMessageBatchRequest* request,
    v1::SendMessageBatchResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  std::vector<SendMessageEntry> entries;
  entries.reserve(request->entries_size());
  for (const v1::SendMessageEntry& entry : request->entries()) {
    entries.push_back(ToCore(entry, broker->options().account_id));
  }
  ServerUnaryReactor* reactor = context->DefaultReactor();
  broker->SendMessageBatch(
      request->queue_name(), std::move(entries),
      FinishWhenDone<SendMessageBatchResult>(
          broker, context, reactor,
          [response](const SendMessageBatchResult& result) {
            for (const SendMessageResult& sent : result.successful) {
              ToProto(sent, response->add_successful());
            }
            for (const BatchEntryError& error : result.failed) {
              ToProto(error, response->add_failed());
            }
          }));
  return reactor;
}

ServerUnaryReactor* QueueService::ReceiveMessage(
    CallbackServerContext* context, const v1::ReceiveMessageRequest* request,
    v1::ReceiveMessageResponse* response) {
  if (request->receive_token().size() > kMaxReceiveTokenLength) {
    return FinishNow(context, ReceiveTokenError());
  }
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  auto* reactor =
      new ReceiveReactor(broker, &parked_receives_, context, response);
  reactor->Start(ToCore(*request), request->receive_token());
  return reactor;
}

ServerUnaryReactor* QueueService::CancelReceive(
    CallbackServerContext* context, const v1::CancelReceiveRequest* request,
    v1::CancelReceiveResponse* /*response*/) {
  const std::string& token = request->receive_token();
  if (token.empty()) {
    return FinishNow(context,
                     MakeError(ErrorKind::kMissingParameter,
                               "The request must contain receive_token."));
  }
  if (token.size() > kMaxReceiveTokenLength) {
    return FinishNow(context, ReceiveTokenError());
  }
  ServerUnaryReactor* reactor = context->DefaultReactor();
  // The broker answers the parked receive, which finishes that call.
  if (std::optional<ParkedReceive> parked = parked_receives_.Cancel(token)) {
    parked->broker->CancelReceive(parked->receive_id);
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

ServerUnaryReactor* QueueService::DeleteMessage(
    CallbackServerContext* context, const v1::DeleteMessageRequest* request,
    v1::DeleteMessageResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  ServerUnaryReactor* reactor = context->DefaultReactor();
  broker->DeleteMessage(request->queue_name(), request->receipt_handle(),
                        FinishWhenDone(broker, context, reactor));
  return reactor;
}

ServerUnaryReactor* QueueService::DeleteMessageBatch(
    CallbackServerContext* context,
    const v1::DeleteMessageBatchRequest* request,
    v1::DeleteMessageBatchResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  std::vector<BatchHandleEntry> entries;
  entries.reserve(request->entries_size());
  for (const v1::DeleteMessageBatchEntry& entry : request->entries()) {
    entries.push_back(ToCore(entry));
  }
  ServerUnaryReactor* reactor = context->DefaultReactor();
  broker->DeleteMessageBatch(
      request->queue_name(), std::move(entries),
      FinishWhenDone<BatchResult>(broker, context, reactor,
                                  [response](const BatchResult& result) {
                                    FillBatchResponse(result, response);
                                  }));
  return reactor;
}

ServerUnaryReactor* QueueService::ChangeMessageVisibility(
    CallbackServerContext* context,
    const v1::ChangeMessageVisibilityRequest* request,
    v1::ChangeMessageVisibilityResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  ServerUnaryReactor* reactor = context->DefaultReactor();
  broker->ChangeMessageVisibility(
      request->queue_name(), request->receipt_handle(),
      request->visibility_timeout(), FinishWhenDone(broker, context, reactor));
  return reactor;
}

ServerUnaryReactor* QueueService::ChangeMessageVisibilityBatch(
    CallbackServerContext* context,
    const v1::ChangeMessageVisibilityBatchRequest* request,
    v1::ChangeMessageVisibilityBatchResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  std::vector<BatchHandleEntry> entries;
  entries.reserve(request->entries_size());
  for (const v1::ChangeMessageVisibilityBatchEntry& entry :
       request->entries()) {
    entries.push_back(ToCore(entry));
  }
  ServerUnaryReactor* reactor = context->DefaultReactor();
  broker->ChangeMessageVisibilityBatch(
      request->queue_name(), std::move(entries),
      FinishWhenDone<BatchResult>(broker, context, reactor,
                                  [response](const BatchResult& result) {
                                    FillBatchResponse(result, response);
                                  }));
  return reactor;
}

ServerUnaryReactor* QueueService::TagQueue(CallbackServerContext* context,
                                           const v1::TagQueueRequest* request,
                                           v1::TagQueueResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  ServerUnaryReactor* reactor = context->DefaultReactor();
  broker->TagQueue(request->queue_name(), ToCore(request->tags()),
                   FinishWhenDone(broker, context, reactor));
  return reactor;
}

ServerUnaryReactor* QueueService::UntagQueue(
    CallbackServerContext* context, const v1::UntagQueueRequest* request,
    v1::UntagQueueResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  std::vector<std::string> keys(request->tag_keys().begin(),
                                request->tag_keys().end());
  ServerUnaryReactor* reactor = context->DefaultReactor();
  broker->UntagQueue(request->queue_name(), std::move(keys),
                     FinishWhenDone(broker, context, reactor));
  return reactor;
}

ServerUnaryReactor* QueueService::ListQueueTags(
    CallbackServerContext* context, const v1::ListQueueTagsRequest* request,
    v1::ListQueueTagsResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  absl::StatusOr<TagMap> tags = broker->ListQueueTags(request->queue_name());
  if (tags.ok()) ToProto(*tags, response->mutable_tags());
  return FinishNow(context, tags.status());
}

ServerUnaryReactor* QueueService::PeekMessages(
    CallbackServerContext* context, const v1::PeekMessagesRequest* request,
    v1::PeekMessagesResponse* response) {
  ServerUnaryReactor* failed = nullptr;
  const std::shared_ptr<Broker> broker =
      BrokerOf(context, request->queue_name(), &failed);
  if (broker == nullptr) return failed;
  PeekMessagesRequest peek;
  peek.queue_name = request->queue_name();
  peek.max_messages = request->max_messages();
  peek.next_token = request->next_token();
  absl::StatusOr<PeekMessagesResult> result = broker->PeekMessages(peek);
  if (result.ok()) {
    for (const PeekedMessage& message : result->messages) {
      ToProto(message, response->add_messages());
    }
    response->set_next_token(result->next_token);
    if (result->oldest_message.has_value()) {
      response->set_oldest_message_timestamp(
          absl::ToUnixMillis(*result->oldest_message));
    }
  }
  return FinishNow(context, result.status());
}

grpc::ServerBidiReactor<v1::QueuePublishRequest, v1::QueuePublishResponse>*
QueueService::Publish(CallbackServerContext* context) {
  return new PublishReactor(resolver_, options_.publish_relay, context);
}

grpc::ServerBidiReactor<v1::ConsumeRequest, v1::ConsumeEvent>*
QueueService::Consume(CallbackServerContext* context) {
  return new ConsumeReactor(resolver_, context);
}

}  // namespace cortado::rpc
