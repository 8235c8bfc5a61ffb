#include "cmd/cortado-server/grpc_route_key.h"

#include <grpcpp/support/proto_buffer_reader.h>

#include <functional>

#include "absl/container/flat_hash_map.h"
#include "common/route_names.h"
#include "cortado/v1/queue.pb.h"
#include "cortado/v1/topic.pb.h"

namespace cortado {
namespace {

using NameOfBytes = std::function<std::string(const grpc::ByteBuffer&)>;

// Decodes a copy of the bytes (the original is forwarded untouched).
template <typename Request>
NameOfBytes Named(std::function<std::string(const Request&)> name_of) {
  return [name_of = std::move(name_of)](const grpc::ByteBuffer& bytes) {
    grpc::ByteBuffer copy(bytes);  // shares the slices
    grpc::ProtoBufferReader reader(&copy);
    Request request;
    if (!request.ParseFromZeroCopyStream(&reader)) return std::string();
    return name_of(request);
  };
}

template <typename Request>
NameOfBytes QueueName() {
  return Named<Request>(
      [](const Request& request) { return request.queue_name(); });
}

template <typename Request>
NameOfBytes TopicArn() {
  return Named<Request>(
      [](const Request& request) { return NameInArn(request.topic_arn()); });
}

template <typename Request>
NameOfBytes SubscriptionArn() {
  return Named<Request>([](const Request& request) {
    return NameInArn(request.subscription_arn());
  });
}

template <typename Request>
NameOfBytes ResourceArn() {
  return Named<Request>(
      [](const Request& request) { return NameInArn(request.resource_arn()); });
}

template <typename Request>
NameOfBytes SourceArn() {
  return Named<Request>(
      [](const Request& request) { return NameInArn(request.source_arn()); });
}

void AddQueues(absl::flat_hash_map<std::string, NameOfBytes>& table) {
  const std::string q = "/cortado.v1.Queues/";
  table[q + "CreateQueue"] = QueueName<v1::CreateQueueRequest>();
  table[q + "GetQueueUrl"] = QueueName<v1::GetQueueUrlRequest>();
  table[q + "DeleteQueue"] = QueueName<v1::DeleteQueueRequest>();
  table[q + "GetQueueAttributes"] = QueueName<v1::GetQueueAttributesRequest>();
  table[q + "SetQueueAttributes"] = QueueName<v1::SetQueueAttributesRequest>();
  table[q + "PurgeQueue"] = QueueName<v1::PurgeQueueRequest>();
  table[q + "SendMessage"] = QueueName<v1::SendMessageRequest>();
  table[q + "SendMessageBatch"] = QueueName<v1::SendMessageBatchRequest>();
  table[q + "ReceiveMessage"] = QueueName<v1::ReceiveMessageRequest>();
  table[q + "CancelReceive"] = QueueName<v1::CancelReceiveRequest>();
  table[q + "DeleteMessage"] = QueueName<v1::DeleteMessageRequest>();
  table[q + "DeleteMessageBatch"] = QueueName<v1::DeleteMessageBatchRequest>();
  table[q + "ChangeMessageVisibility"] =
      QueueName<v1::ChangeMessageVisibilityRequest>();
  table[q + "ChangeMessageVisibilityBatch"] =
      QueueName<v1::ChangeMessageVisibilityBatchRequest>();
  table[q + "ListDeadLetterSourceQueues"] =
      QueueName<v1::ListDeadLetterSourceQueuesRequest>();
  table[q + "TagQueue"] = QueueName<v1::TagQueueRequest>();
  table[q + "UntagQueue"] = QueueName<v1::UntagQueueRequest>();
  table[q + "ListQueueTags"] = QueueName<v1::ListQueueTagsRequest>();
  table[q + "PeekMessages"] = QueueName<v1::PeekMessagesRequest>();
  table[q + "StartMessageMoveTask"] =
      SourceArn<v1::StartMessageMoveTaskRequest>();
  table[q + "ListMessageMoveTasks"] =
      SourceArn<v1::ListMessageMoveTasksRequest>();
  table[q + "CancelMessageMoveTask"] =
      Named<v1::CancelMessageMoveTaskRequest>([](const auto& request) {
        return NameInTaskHandle(request.task_handle());
      });
  // Streams: routed by their first message. Not Publish: its requests may
  // name any queue, and this node relays each (grpc_publish_relay.h).
  table[q + "Consume"] = Named<v1::ConsumeRequest>(
      [](const auto& first) { return first.start().queue_name(); });
}

void AddTopics(absl::flat_hash_map<std::string, NameOfBytes>& table) {
  const std::string t = "/cortado.v1.Topics/";
  table[t + "CreateTopic"] = Named<v1::CreateTopicRequest>(
      [](const auto& request) { return request.name(); });
  table[t + "DeleteTopic"] = TopicArn<v1::DeleteTopicRequest>();
  table[t + "GetTopicAttributes"] = TopicArn<v1::GetTopicAttributesRequest>();
  table[t + "SetTopicAttributes"] = TopicArn<v1::SetTopicAttributesRequest>();
  table[t + "Subscribe"] = TopicArn<v1::SubscribeRequest>();
  table[t + "Publish"] = TopicArn<v1::PublishRequest>();
  table[t + "PublishBatch"] = TopicArn<v1::PublishBatchRequest>();
  // Without a topic: every subscription, listed here.
  table[t + "ListSubscriptions"] = TopicArn<v1::ListSubscriptionsRequest>();
  table[t + "Unsubscribe"] = SubscriptionArn<v1::UnsubscribeRequest>();
  table[t + "GetSubscriptionAttributes"] =
      SubscriptionArn<v1::GetSubscriptionAttributesRequest>();
  table[t + "SetSubscriptionAttributes"] =
      SubscriptionArn<v1::SetSubscriptionAttributesRequest>();
  table[t + "TagResource"] = ResourceArn<v1::TagResourceRequest>();
  table[t + "UntagResource"] = ResourceArn<v1::UntagResourceRequest>();
  table[t + "ListTagsForResource"] =
      ResourceArn<v1::ListTagsForResourceRequest>();
  table[t + "Listen"] = Named<v1::ListenRequest>(
      [](const auto& first) { return NameInArn(first.start().topic_arn()); });
}

const absl::flat_hash_map<std::string, NameOfBytes>& Table() {
  static const auto* table = [] {
    auto* built = new absl::flat_hash_map<std::string, NameOfBytes>;
    AddQueues(*built);
    AddTopics(*built);
    return built;
  }();
  return *table;
}

}  // namespace

std::string GrpcRouteKeyOf(absl::string_view method,
                           const grpc::ByteBuffer& first_message) {
  auto it = Table().find(method);
  return it == Table().end() ? std::string() : it->second(first_message);
}

}  // namespace cortado
