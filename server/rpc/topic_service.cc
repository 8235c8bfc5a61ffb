#include "server/rpc/topic_service.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/route_names.h"
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

// Starts a call on the broker of `name` whose completion (on success) lets
// `fill` write the response, then finishes the rpc. The broker stays alive
// until then.
template <typename T, typename Start, typename Fill>
Unary* Call(const BrokerResolver& resolver,
            grpc::CallbackServerContext* context, absl::string_view name,
            Start start, Fill fill) {
  absl::StatusOr<std::shared_ptr<Broker>> broker = resolver.BrokerFor(name);
  if (!broker.ok()) return FinishNow(context, broker.status());
  Unary* reactor = context->DefaultReactor();
  Broker& served = **broker;
  start(served, [broker = *std::move(broker), context, reactor,
                 fill = std::move(fill)](absl::StatusOr<T> result) mutable {
    if (result.ok()) fill(*result);
    reactor->Finish(ToGrpcStatus(result.status(), context));
  });
  return reactor;
}

// Answers a read on the broker of `name` at once: `read` returns the result,
// which `fill` writes into the response when it is one.
template <typename Read, typename Fill>
Unary* ReadNow(const BrokerResolver& resolver,
               grpc::CallbackServerContext* context, absl::string_view name,
               Read read, Fill fill) {
  absl::StatusOr<std::shared_ptr<Broker>> broker = resolver.BrokerFor(name);
  if (!broker.ok()) return FinishNow(context, broker.status());
  auto result = read(**broker);
  if (result.ok()) fill(*result);
  return FinishNow(context, result.status());
}

auto NoFill = [](const Empty&) {};

}  // namespace

Unary* TopicService::CreateTopic(Context* c,
                                 const v1::CreateTopicRequest* request,
                                 v1::CreateTopicResponse* response) {
  CreateTopicRequest core{request->name(), ToCore(request->attributes()),
                          ToCore(request->tags())};
  return Call<std::string>(
      *resolver_, c, request->name(),
      [&](Broker& broker, Callback<std::string> done) {
        broker.CreateTopic(std::move(core), std::move(done));
      },
      [response](const std::string& arn) { response->set_topic_arn(arn); });
}

Unary* TopicService::DeleteTopic(Context* c,
                                 const v1::DeleteTopicRequest* request,
                                 v1::DeleteTopicResponse*) {
  return Call<Empty>(
      *resolver_, c, NameInArn(request->topic_arn()),
      [&](Broker& broker, Callback<Empty> done) {
        broker.DeleteTopic(request->topic_arn(), std::move(done));
      },
      NoFill);
}

Unary* TopicService::ListTopics(Context* c,
                                const v1::ListTopicsRequest* request,
                                v1::ListTopicsResponse* response) {
  absl::StatusOr<ListTopicsResult> result =
      resolver_->ListTopics(request->next_token());
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
  return ReadNow(
      *resolver_, c, NameInArn(request->topic_arn()),
      [&](Broker& broker) {
        return broker.GetTopicAttributes(request->topic_arn());
      },
      [&](const auto& result) {
        ToProto(result, response->mutable_attributes());
      });
}

Unary* TopicService::SetTopicAttributes(
    Context* c, const v1::SetTopicAttributesRequest* request,
    v1::SetTopicAttributesResponse*) {
  return Call<Empty>(
      *resolver_, c, NameInArn(request->topic_arn()),
      [&](Broker& broker, Callback<Empty> done) {
        broker.SetTopicAttributes(request->topic_arn(), request->name(),
                                  request->value(), std::move(done));
      },
      NoFill);
}

Unary* TopicService::Subscribe(Context* c, const v1::SubscribeRequest* request,
                               v1::SubscribeResponse* response) {
  SubscribeRequest core{request->topic_arn(), request->protocol(),
                        request->endpoint(), ToCore(request->attributes())};
  return Call<std::string>(
      *resolver_, c, NameInArn(request->topic_arn()),
      [&](Broker& broker, Callback<std::string> done) {
        broker.Subscribe(std::move(core), std::move(done));
      },
      [response](const std::string& arn) {
        response->set_subscription_arn(arn);
      });
}

Unary* TopicService::Unsubscribe(Context* c,
                                 const v1::UnsubscribeRequest* request,
                                 v1::UnsubscribeResponse*) {
  return Call<Empty>(
      *resolver_, c, NameInArn(request->subscription_arn()),
      [&](Broker& broker, Callback<Empty> done) {
        broker.Unsubscribe(request->subscription_arn(), std::move(done));
      },
      NoFill);
}

Unary* TopicService::ListSubscriptions(
    Context* c, const v1::ListSubscriptionsRequest* request,
    v1::ListSubscriptionsResponse* response) {
  // By topic: that topic's broker; else every topic's, wherever served.
  absl::StatusOr<ListSubscriptionsResult> result;
  if (request->topic_arn().empty()) {
    result = resolver_->ListSubscriptions(request->next_token());
  } else {
    absl::StatusOr<std::shared_ptr<Broker>> broker =
        resolver_->BrokerFor(NameInArn(request->topic_arn()));
    result = broker.ok() ? (*broker)->ListSubscriptions(request->topic_arn(),
                                                        request->next_token())
                         : broker.status();
  }
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
  return ReadNow(
      *resolver_, c, NameInArn(request->subscription_arn()),
      [&](Broker& broker) {
        return broker.GetSubscriptionAttributes(request->subscription_arn());
      },
      [&](const auto& result) {
        ToProto(result, response->mutable_attributes());
      });
}

Unary* TopicService::SetSubscriptionAttributes(
    Context* c, const v1::SetSubscriptionAttributesRequest* request,
    v1::SetSubscriptionAttributesResponse*) {
  return Call<Empty>(
      *resolver_, c, NameInArn(request->subscription_arn()),
      [&](Broker& broker, Callback<Empty> done) {
        broker.SetSubscriptionAttributes(request->subscription_arn(),
                                         request->name(), request->value(),
                                         std::move(done));
      },
      NoFill);
}

Unary* TopicService::Publish(Context* c, const v1::PublishRequest* request,
                             v1::PublishResponse* response) {
  return Call<PublishResult>(
      *resolver_, c, NameInArn(request->topic_arn()),
      [&](Broker& broker, Callback<PublishResult> done) {
        broker.Publish(request->topic_arn(), ToCore(request->entry()),
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
      *resolver_, c, NameInArn(request->topic_arn()),
      [&](Broker& broker, Callback<PublishBatchResult> done) {
        broker.PublishBatch(request->topic_arn(), std::move(entries),
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
      *resolver_, c, NameInArn(request->resource_arn()),
      [&](Broker& broker, Callback<Empty> done) {
        broker.TagResource(request->resource_arn(), ToCore(request->tags()),
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
      *resolver_, c, NameInArn(request->resource_arn()),
      [&](Broker& broker, Callback<Empty> done) {
        broker.UntagResource(request->resource_arn(), std::move(keys),
                             std::move(done));
      },
      NoFill);
}

Unary* TopicService::ListTagsForResource(
    Context* c, const v1::ListTagsForResourceRequest* request,
    v1::ListTagsForResourceResponse* response) {
  return ReadNow(
      *resolver_, c, NameInArn(request->resource_arn()),
      [&](Broker& broker) {
        return broker.ListTagsForResource(request->resource_arn());
      },
      [&](const auto& result) { ToProto(result, response->mutable_tags()); });
}

grpc::ServerBidiReactor<v1::ListenRequest, v1::ListenEvent>*
TopicService::Listen(Context* c) {
  return new ListenReactor(resolver_, c);
}

}  // namespace cortado::rpc
