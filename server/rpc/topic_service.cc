#include "server/rpc/topic_service.h"

#include <string>
#include <utility>
#include <vector>

#include "server/rpc/convert.h"
#include "server/rpc/listen_reactor.h"
#include "server/rpc/status_mapping.h"

namespace cortado::rpc {
namespace {

using Unary = grpc::ServerUnaryReactor;

Unary* FinishNow(grpc::CallbackServerContext* context,
                 const absl::Status& status) {
  Unary* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status, context));
  return reactor;
}

// Starts a broker call whose completion (on success) lets `fill` write the
// response, then finishes the rpc.
template <typename T, typename Start, typename Fill>
Unary* Call(grpc::CallbackServerContext* context, Start start, Fill fill) {
  Unary* reactor = context->DefaultReactor();
  start([context, reactor,
         fill = std::move(fill)](absl::StatusOr<T> result) mutable {
    if (result.ok()) fill(*result);
    reactor->Finish(ToGrpcStatus(result.status(), context));
  });
  return reactor;
}

auto NoFill = [](const Empty&) {};

}  // namespace

Unary* TopicService::CreateTopic(Context* c,
                                 const v1::CreateTopicRequest* request,
                                 v1::CreateTopicResponse* response) {
  CreateTopicRequest core{request->name(), ToCore(request->attributes()),
                          ToCore(request->tags())};
  return Call<std::string>(
      c,
      [&](Callback<std::string> done) {
        broker_->CreateTopic(std::move(core), std::move(done));
      },
      [response](const std::string& arn) { response->set_topic_arn(arn); });
}

Unary* TopicService::DeleteTopic(Context* c,
                                 const v1::DeleteTopicRequest* request,
                                 v1::DeleteTopicResponse*) {
  return Call<Empty>(
      c,
      [&](Callback<Empty> done) {
        broker_->DeleteTopic(request->topic_arn(), std::move(done));
      },
      NoFill);
}

Unary* TopicService::ListTopics(Context* c,
                                const v1::ListTopicsRequest* request,
                                v1::ListTopicsResponse* response) {
  absl::StatusOr<ListTopicsResult> result =
      broker_->ListTopics(request->next_token());
  if (result.ok()) {
    for (const std::string& arn : result->topic_arns) {
      response->add_topic_arns(arn);
    }
    response->set_next_token(result->next_token);
  }
  return FinishNow(c, result.status());
}

Unary* TopicService::GetTopicAttributes(
    Context* c, const v1::GetTopicAttributesRequest* request,
    v1::GetTopicAttributesResponse* response) {
  absl::StatusOr<AttributeMap> result =
      broker_->GetTopicAttributes(request->topic_arn());
  if (result.ok()) ToProto(*result, response->mutable_attributes());
  return FinishNow(c, result.status());
}

Unary* TopicService::SetTopicAttributes(
    Context* c, const v1::SetTopicAttributesRequest* request,
    v1::SetTopicAttributesResponse*) {
  return Call<Empty>(
      c,
      [&](Callback<Empty> done) {
        broker_->SetTopicAttributes(request->topic_arn(), request->name(),
                                    request->value(), std::move(done));
      },
      NoFill);
}

Unary* TopicService::Subscribe(Context* c, const v1::SubscribeRequest* request,
                               v1::SubscribeResponse* response) {
  SubscribeRequest core{request->topic_arn(), request->protocol(),
                        request->endpoint(), ToCore(request->attributes())};
  return Call<std::string>(
      c,
      [&](Callback<std::string> done) {
        broker_->Subscribe(std::move(core), std::move(done));
      },
      [response](const std::string& arn) {
        response->set_subscription_arn(arn);
      });
}

Unary* TopicService::Unsubscribe(Context* c,
                                 const v1::UnsubscribeRequest* request,
                                 v1::UnsubscribeResponse*) {
  return Call<Empty>(
      c,
      [&](Callback<Empty> done) {
        broker_->Unsubscribe(request->subscription_arn(), std::move(done));
      },
      NoFill);
}

Unary* TopicService::ListSubscriptions(
    Context* c, const v1::ListSubscriptionsRequest* request,
    v1::ListSubscriptionsResponse* response) {
  absl::StatusOr<ListSubscriptionsResult> result =
      broker_->ListSubscriptions(request->topic_arn(), request->next_token());
  if (result.ok()) {
    for (const SubscriptionInfo& info : result->subscriptions) {
      v1::Subscription* out = response->add_subscriptions();
      out->set_subscription_arn(info.subscription_arn);
      out->set_owner(info.owner);
      out->set_protocol(info.protocol);
      out->set_endpoint(info.endpoint);
      out->set_topic_arn(info.topic_arn);
    }
    response->set_next_token(result->next_token);
  }
  return FinishNow(c, result.status());
}

Unary* TopicService::GetSubscriptionAttributes(
    Context* c, const v1::GetSubscriptionAttributesRequest* request,
    v1::GetSubscriptionAttributesResponse* response) {
  absl::StatusOr<AttributeMap> result =
      broker_->GetSubscriptionAttributes(request->subscription_arn());
  if (result.ok()) ToProto(*result, response->mutable_attributes());
  return FinishNow(c, result.status());
}

Unary* TopicService::SetSubscriptionAttributes(
    Context* c, const v1::SetSubscriptionAttributesRequest* request,
    v1::SetSubscriptionAttributesResponse*) {
  return Call<Empty>(
      c,
      [&](Callback<Empty> done) {
        broker_->SetSubscriptionAttributes(request->subscription_arn(),
                                           request->name(), request->value(),
                                           std::move(done));
      },
      NoFill);
}

Unary* TopicService::Publish(Context* c, const v1::PublishRequest* request,
                             v1::PublishResponse* response) {
  return Call<PublishResult>(
      c,
      [&](Callback<PublishResult> done) {
        broker_->Publish(request->topic_arn(), ToCore(request->entry()),
                         std::move(done));
      },
      [response](const PublishResult& result) {
        response->set_message_id(result.message_id);
        response->set_sequence_number(result.sequence_number);
      });
}

Unary* TopicService::PublishBatch(Context* c,
                                  const v1::PublishBatchRequest* request,
                                  v1::PublishBatchResponse* response) {
  std::vector<PublishEntry> entries;
  for (const v1::PublishEntry& entry : request->entries()) {
    entries.push_back(ToCore(entry));
  }
  return Call<PublishBatchResult>(
      c,
      [&](Callback<PublishBatchResult> done) {
        broker_->PublishBatch(request->topic_arn(), std::move(entries),
                              std::move(done));
      },
      [response](const PublishBatchResult& result) {
        for (const auto& [id, one] : result.successful) {
          v1::PublishBatchResultEntry* out = response->add_successful();
          out->set_id(id);
          out->set_message_id(one.message_id);
          out->set_sequence_number(one.sequence_number);
        }
        for (const BatchEntryError& error : result.failed) {
          ToProto(error, response->add_failed());
        }
      });
}

Unary* TopicService::TagResource(Context* c,
                                 const v1::TagResourceRequest* request,
                                 v1::TagResourceResponse*) {
  return Call<Empty>(
      c,
      [&](Callback<Empty> done) {
        broker_->TagResource(request->resource_arn(), ToCore(request->tags()),
                             std::move(done));
      },
      NoFill);
}

Unary* TopicService::UntagResource(Context* c,
                                   const v1::UntagResourceRequest* request,
                                   v1::UntagResourceResponse*) {
  std::vector<std::string> keys(request->tag_keys().begin(),
                                request->tag_keys().end());
  return Call<Empty>(
      c,
      [&](Callback<Empty> done) {
        broker_->UntagResource(request->resource_arn(), std::move(keys),
                               std::move(done));
      },
      NoFill);
}

Unary* TopicService::ListTagsForResource(
    Context* c, const v1::ListTagsForResourceRequest* request,
    v1::ListTagsForResourceResponse* response) {
  absl::StatusOr<TagMap> result =
      broker_->ListTagsForResource(request->resource_arn());
  if (result.ok()) ToProto(*result, response->mutable_tags());
  return FinishNow(c, result.status());
}

grpc::ServerBidiReactor<v1::ListenRequest, v1::ListenEvent>*
TopicService::Listen(Context* c) {
  return new ListenReactor(broker_, c);
}

}  // namespace cortado::rpc
