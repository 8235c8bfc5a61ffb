// TopicService implements the cortado.v1.Topics gRPC service on top of the
// Broker: one rpc per topic action (converted to the core's typed requests,
// finished from the broker's completion callback), plus Listen, the push
// stream served by a ListenReactor. Errors go through status_mapping.h.
//
// Thread-safety: gRPC calls the handlers concurrently; the service keeps no
// mutable state of its own (the broker is thread-safe).
#ifndef CORTADO_SERVER_RPC_TOPIC_SERVICE_H_
#define CORTADO_SERVER_RPC_TOPIC_SERVICE_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <memory>

#include "cortado/v1/topic.grpc.pb.h"
#include "cortado/v1/topic.pb.h"
#include "server/core/broker.h"
#include "server/rpc/broker_resolver.h"

namespace cortado::rpc {

class TopicService final : public v1::Topics::CallbackService {
 public:
  // One broker for every topic (a single server). `broker` must outlive
  // the service, and the service the gRPC server.
  explicit TopicService(Broker* broker)
      : owned_resolver_(std::make_unique<SingleBrokerResolver>(broker)),
        resolver_(owned_resolver_.get()) {}
  // Each call's broker found by `resolver` from the topic it names (cluster
  // mode); `resolver` must outlive the service.
  explicit TopicService(const BrokerResolver* resolver) : resolver_(resolver) {}

  TopicService(const TopicService&) = delete;
  TopicService& operator=(const TopicService&) = delete;

  using Context = grpc::CallbackServerContext;
  using Unary = grpc::ServerUnaryReactor;

  Unary* CreateTopic(Context* c, const v1::CreateTopicRequest* request,
                     v1::CreateTopicResponse* response) override;
  Unary* DeleteTopic(Context* c, const v1::DeleteTopicRequest* request,
                     v1::DeleteTopicResponse* response) override;
  Unary* ListTopics(Context* c, const v1::ListTopicsRequest* request,
                    v1::ListTopicsResponse* response) override;
  Unary* GetTopicAttributes(Context* c,
                            const v1::GetTopicAttributesRequest* request,
                            v1::GetTopicAttributesResponse* response) override;
  Unary* SetTopicAttributes(Context* c,
                            const v1::SetTopicAttributesRequest* request,
                            v1::SetTopicAttributesResponse* response) override;
  Unary* Subscribe(Context* c, const v1::SubscribeRequest* request,
                   v1::SubscribeResponse* response) override;
  Unary* Unsubscribe(Context* c, const v1::UnsubscribeRequest* request,
                     v1::UnsubscribeResponse* response) override;
  Unary* ListSubscriptions(Context* c,
                           const v1::ListSubscriptionsRequest* request,
                           v1::ListSubscriptionsResponse* response) override;
  Unary* GetSubscriptionAttributes(
      Context* c, const v1::GetSubscriptionAttributesRequest* request,
      v1::GetSubscriptionAttributesResponse* response) override;
  Unary* SetSubscriptionAttributes(
      Context* c, const v1::SetSubscriptionAttributesRequest* request,
      v1::SetSubscriptionAttributesResponse* response) override;
  Unary* Publish(Context* c, const v1::PublishRequest* request,
                 v1::PublishResponse* response) override;
  Unary* PublishBatch(Context* c, const v1::PublishBatchRequest* request,
                      v1::PublishBatchResponse* response) override;
  Unary* TagResource(Context* c, const v1::TagResourceRequest* request,
                     v1::TagResourceResponse* response) override;
  Unary* UntagResource(Context* c, const v1::UntagResourceRequest* request,
                       v1::UntagResourceResponse* response) override;
  Unary* ListTagsForResource(
      Context* c, const v1::ListTagsForResourceRequest* request,
      v1::ListTagsForResourceResponse* response) override;
  grpc::ServerBidiReactor<v1::ListenRequest, v1::ListenEvent>* Listen(
      Context* c) override;

 private:
  const std::unique_ptr<BrokerResolver> owned_resolver_;  // single server
  const BrokerResolver* const resolver_;
};

}  // namespace cortado::rpc

#endif  // CORTADO_SERVER_RPC_TOPIC_SERVICE_H_
