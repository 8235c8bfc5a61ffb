// QueueService implements the cortado.v1.Queues gRPC service on top of the
// Broker of each call's queue (broker_resolver.h). Each rpc converts the proto
// request into the core's typed request, calls the broker once, and finishes
// the call from the broker's completion callback (or at once for the
// synchronous reads). Handlers never block: a long-poll ReceiveMessage parks in
// the broker through a ReceiveReactor; the Publish and Consume streams are
// served by their own reactors. Errors go through the one table in
// status_mapping.h.
//
// Thread-safety: gRPC calls the handlers concurrently; the service's only
// state of its own is the thread-safe ParkedReceives (the broker is
// thread-safe).
#ifndef CORTADO_SERVER_RPC_QUEUE_SERVICE_H_
#define CORTADO_SERVER_RPC_QUEUE_SERVICE_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <memory>
#include <string>

#include "cortado/v1/queue.grpc.pb.h"
#include "cortado/v1/queue.pb.h"
#include "server/core/broker.h"
#include "server/rpc/broker_resolver.h"
#include "server/rpc/parked_receives.h"
#include "server/rpc/publish_relay.h"

namespace cortado::rpc {

struct QueueServiceOptions {
  // The HTTP gateway's "host:port", used to build queue URLs.
  std::string http_addr = "127.0.0.1:9324";
  // Cluster mode: where Publish stream requests for queues served by other
  // nodes go (publish_relay.h); must outlive the service.
  PublishRelay* publish_relay = nullptr;
};

class QueueService final : public v1::Queues::CallbackService {
 public:
  // One broker for every queue (a single server). `broker` must outlive
  // the service, and the service the gRPC server.
  QueueService(Broker* broker, QueueServiceOptions options);
  // Each call's broker found by `resolver` from the queue it names (cluster
  // mode); `resolver` must outlive the service.
  QueueService(const BrokerResolver* resolver, QueueServiceOptions options);

  QueueService(const QueueService&) = delete;
  QueueService& operator=(const QueueService&) = delete;

  grpc::ServerUnaryReactor* CreateQueue(
      grpc::CallbackServerContext* context,
      const v1::CreateQueueRequest* request,
      v1::CreateQueueResponse* response) override;
  grpc::ServerUnaryReactor* GetQueueUrl(
      grpc::CallbackServerContext* context,
      const v1::GetQueueUrlRequest* request,
      v1::GetQueueUrlResponse* response) override;
  grpc::ServerUnaryReactor* ListQueues(
      grpc::CallbackServerContext* context,
      const v1::ListQueuesRequest* request,
      v1::ListQueuesResponse* response) override;
  grpc::ServerUnaryReactor* DeleteQueue(
      grpc::CallbackServerContext* context,
      const v1::DeleteQueueRequest* request,
      v1::DeleteQueueResponse* response) override;
  grpc::ServerUnaryReactor* GetQueueAttributes(
      grpc::CallbackServerContext* context,
      const v1::GetQueueAttributesRequest* request,
      v1::GetQueueAttributesResponse* response) override;
  grpc::ServerUnaryReactor* SetQueueAttributes(
      grpc::CallbackServerContext* context,
      const v1::SetQueueAttributesRequest* request,
      v1::SetQueueAttributesResponse* response) override;
  grpc::ServerUnaryReactor* PurgeQueue(
      grpc::CallbackServerContext* context,
      const v1::PurgeQueueRequest* request,
      v1::PurgeQueueResponse* response) override;
  grpc::ServerUnaryReactor* SendMessage(
      grpc::CallbackServerContext* context,
      const v1::SendMessageRequest* request,
      v1::SendMessageResponse* response) override;
  grpc::ServerUnaryReactor* SendMessageBatch(
      grpc::CallbackServerContext* context,
      const v1::SendMessageBatchRequest* request,
      v1::SendMessageBatchResponse* response) override;
  grpc::ServerUnaryReactor* ReceiveMessage(
      grpc::CallbackServerContext* context,
      const v1::ReceiveMessageRequest* request,
      v1::ReceiveMessageResponse* response) override;
  grpc::ServerUnaryReactor* CancelReceive(
      grpc::CallbackServerContext* context,
      const v1::CancelReceiveRequest* request,
      v1::CancelReceiveResponse* response) override;
  grpc::ServerUnaryReactor* DeleteMessage(
      grpc::CallbackServerContext* context,
      const v1::DeleteMessageRequest* request,
      v1::DeleteMessageResponse* response) override;
  grpc::ServerUnaryReactor* DeleteMessageBatch(
      grpc::CallbackServerContext* context,
      const v1::DeleteMessageBatchRequest* request,
      v1::DeleteMessageBatchResponse* response) override;
  grpc::ServerUnaryReactor* ChangeMessageVisibility(
      grpc::CallbackServerContext* context,
      const v1::ChangeMessageVisibilityRequest* request,
      v1::ChangeMessageVisibilityResponse* response) override;
  grpc::ServerUnaryReactor* ChangeMessageVisibilityBatch(
      grpc::CallbackServerContext* context,
      const v1::ChangeMessageVisibilityBatchRequest* request,
      v1::ChangeMessageVisibilityBatchResponse* response) override;
  grpc::ServerUnaryReactor* TagQueue(grpc::CallbackServerContext* context,
                                     const v1::TagQueueRequest* request,
                                     v1::TagQueueResponse* response) override;
  grpc::ServerUnaryReactor* UntagQueue(
      grpc::CallbackServerContext* context,
      const v1::UntagQueueRequest* request,
      v1::UntagQueueResponse* response) override;
  grpc::ServerUnaryReactor* StartMessageMoveTask(
      grpc::CallbackServerContext* context,
      const v1::StartMessageMoveTaskRequest* request,
      v1::StartMessageMoveTaskResponse* response) override;
  grpc::ServerUnaryReactor* CancelMessageMoveTask(
      grpc::CallbackServerContext* context,
      const v1::CancelMessageMoveTaskRequest* request,
      v1::CancelMessageMoveTaskResponse* response) override;
  grpc::ServerUnaryReactor* ListMessageMoveTasks(
      grpc::CallbackServerContext* context,
      const v1::ListMessageMoveTasksRequest* request,
      v1::ListMessageMoveTasksResponse* response) override;
  grpc::ServerUnaryReactor* ListDeadLetterSourceQueues(
      grpc::CallbackServerContext* context,
      const v1::ListDeadLetterSourceQueuesRequest* request,
      v1::ListQueuesResponse* response) override;
  grpc::ServerUnaryReactor* ListQueueTags(
      grpc::CallbackServerContext* context,
      const v1::ListQueueTagsRequest* request,
      v1::ListQueueTagsResponse* response) override;
  grpc::ServerUnaryReactor* PeekMessages(
      grpc::CallbackServerContext* context,
      const v1::PeekMessagesRequest* request,
      v1::PeekMessagesResponse* response) override;
  // Streams: publish_reactor.h and consume_reactor.h.
  grpc::ServerBidiReactor<v1::QueuePublishRequest, v1::QueuePublishResponse>*
  Publish(grpc::CallbackServerContext* context) override;
  grpc::ServerBidiReactor<v1::ConsumeRequest, v1::ConsumeEvent>* Consume(
      grpc::CallbackServerContext* context) override;

 private:
  // The broker of queue `name`; else null, and `*failed` is the call,
  // finished with why not.
  std::shared_ptr<Broker> BrokerOf(grpc::CallbackServerContext* context,
                                   absl::string_view name,
                                   grpc::ServerUnaryReactor** failed) const;
  std::string QueueUrlOf(const std::string& queue_name) const;
  // Names and URLs of a queue listing, with its paging token.
  void FillQueueList(const ListQueuesResult& result,
                     v1::ListQueuesResponse* response) const;

  // Constant after construction.
  const std::unique_ptr<BrokerResolver> owned_resolver_;  // single server
  const BrokerResolver* const resolver_;
  const QueueServiceOptions options_;
  // Long polls that CancelReceive can end.
  ParkedReceives parked_receives_;
};

}  // namespace cortado::rpc

#endif  // CORTADO_SERVER_RPC_QUEUE_SERVICE_H_
