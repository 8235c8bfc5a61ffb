// TopicClient: the unary topic rpcs. Listen lives in listener.cc.
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/lib/convert.h"
#include "client/lib/grpc_status.h"
#include "client/lib/topic_client_impl.h"
#include "cortado/topics.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace cortado::client {
namespace {

// Same reconnect behaviour as Client (see client.cc for the measurements).
constexpr int kMaxReconnectBackoffMs = 2000;
constexpr int kMinTimeBetweenResolutionsMs = 1000;

void ToProto(absl::string_view message, const PublishOptions& options,
             v1::PublishEntry* entry) {
  entry->set_message(std::string(message));
  entry->set_subject(options.subject);
  entry->set_message_structure(options.message_structure);
  for (const auto& [name, value] : options.attributes) {
    internal::ToProto(value, &(*entry->mutable_attributes())[name]);
  }
  entry->set_message_group_id(options.message_group_id);
  entry->set_message_deduplication_id(options.message_deduplication_id);
}

}  // namespace

absl::Status TopicClient::Impl::Finish(const grpc::Status& status,
                                       const grpc::ClientContext& context,
                                       absl::string_view rpc) const {
  return internal::FromGrpcStatus(status, context, rpc, target,
                                  /*cancelled_by_caller=*/false);
}

absl::StatusOr<std::unique_ptr<TopicClient>> TopicClient::Connect(
    absl::string_view target, absl::Duration deadline) {
  if (target.empty() || !absl::StrContains(target, ':')) {
    return absl::InvalidArgumentError(absl::StrCat(
        "server address \"", target, "\" has no port; expected HOST:PORT"));
  }
  if (deadline <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("the call deadline must be positive");
  }
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, kMaxReconnectBackoffMs);
  args.SetInt(GRPC_ARG_DNS_MIN_TIME_BETWEEN_RESOLUTIONS_MS,
              kMinTimeBetweenResolutionsMs);
  auto impl = std::make_unique<Impl>();
  impl->target = std::string(target);
  impl->deadline = deadline;
  impl->stub = v1::Topics::NewStub(grpc::CreateCustomChannel(
      impl->target, grpc::InsecureChannelCredentials(), args));
  return std::unique_ptr<TopicClient>(new TopicClient(std::move(impl)));
}

TopicClient::TopicClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TopicClient::~TopicClient() = default;

absl::StatusOr<std::string> TopicClient::CreateTopic(
    absl::string_view name, const StringMap& attributes,
    const StringMap& tags) {
  v1::CreateTopicRequest request;
  request.set_name(std::string(name));
  request.mutable_attributes()->insert(attributes.begin(), attributes.end());
  request.mutable_tags()->insert(tags.begin(), tags.end());
  v1::CreateTopicResponse response;
  absl::Status status = impl_->Call(&v1::Topics::Stub::CreateTopic,
                                    "CreateTopic", request, &response);
  if (!status.ok()) return status;
  return response.topic_arn();
}

absl::Status TopicClient::DeleteTopic(absl::string_view topic_arn) {
  v1::DeleteTopicRequest request;
  request.set_topic_arn(std::string(topic_arn));
  v1::DeleteTopicResponse response;
  return impl_->Call(&v1::Topics::Stub::DeleteTopic, "DeleteTopic", request,
                     &response);
}

absl::StatusOr<TopicList> TopicClient::ListTopics(
    absl::string_view next_token) {
  v1::ListTopicsRequest request;
  request.set_next_token(std::string(next_token));
  v1::ListTopicsResponse response;
  absl::Status status = impl_->Call(&v1::Topics::Stub::ListTopics, "ListTopics",
                                    request, &response);
  if (!status.ok()) return status;
  TopicList list;
  list.topic_arns.assign(response.topic_arns().begin(),
                         response.topic_arns().end());
  list.next_token = response.next_token();
  return list;
}

absl::StatusOr<StringMap> TopicClient::GetTopicAttributes(
    absl::string_view topic_arn) {
  v1::GetTopicAttributesRequest request;
  request.set_topic_arn(std::string(topic_arn));
  v1::GetTopicAttributesResponse response;
  absl::Status status = impl_->Call(&v1::Topics::Stub::GetTopicAttributes,
                                    "GetTopicAttributes", request, &response);
  if (!status.ok()) return status;
  return StringMap(response.attributes().begin(), response.attributes().end());
}

absl::Status TopicClient::SetTopicAttributes(absl::string_view topic_arn,
                                             absl::string_view name,
                                             absl::string_view value) {
  v1::SetTopicAttributesRequest request;
  request.set_topic_arn(std::string(topic_arn));
  request.set_name(std::string(name));
  request.set_value(std::string(value));
  v1::SetTopicAttributesResponse response;
  return impl_->Call(&v1::Topics::Stub::SetTopicAttributes,
                     "SetTopicAttributes", request, &response);
}

absl::StatusOr<std::string> TopicClient::Subscribe(
    absl::string_view topic_arn, absl::string_view protocol,
    absl::string_view endpoint, const StringMap& attributes) {
  v1::SubscribeRequest request;
  request.set_topic_arn(std::string(topic_arn));
  request.set_protocol(std::string(protocol));
  request.set_endpoint(std::string(endpoint));
  request.mutable_attributes()->insert(attributes.begin(), attributes.end());
  v1::SubscribeResponse response;
  absl::Status status = impl_->Call(&v1::Topics::Stub::Subscribe, "Subscribe",
                                    request, &response);
  if (!status.ok()) return status;
  return response.subscription_arn();
}

absl::Status TopicClient::Unsubscribe(absl::string_view subscription_arn) {
  v1::UnsubscribeRequest request;
  request.set_subscription_arn(std::string(subscription_arn));
  v1::UnsubscribeResponse response;
  return impl_->Call(&v1::Topics::Stub::Unsubscribe, "Unsubscribe", request,
                     &response);
}

absl::StatusOr<SubscriptionList> TopicClient::ListSubscriptions(
    absl::string_view topic_arn, absl::string_view next_token) {
  v1::ListSubscriptionsRequest request;
  request.set_topic_arn(std::string(topic_arn));
  request.set_next_token(std::string(next_token));
  v1::ListSubscriptionsResponse response;
  absl::Status status = impl_->Call(&v1::Topics::Stub::ListSubscriptions,
                                    "ListSubscriptions", request, &response);
  if (!status.ok()) return status;
  SubscriptionList list;
  for (const v1::Subscription& s : response.subscriptions()) {
    list.subscriptions.push_back({s.subscription_arn(), s.owner(), s.protocol(),
                                  s.endpoint(), s.topic_arn()});
  }
  list.next_token = response.next_token();
  return list;
}

absl::StatusOr<StringMap> TopicClient::GetSubscriptionAttributes(
    absl::string_view subscription_arn) {
  v1::GetSubscriptionAttributesRequest request;
  request.set_subscription_arn(std::string(subscription_arn));
  v1::GetSubscriptionAttributesResponse response;
  absl::Status status =
      impl_->Call(&v1::Topics::Stub::GetSubscriptionAttributes,
                  "GetSubscriptionAttributes", request, &response);
  if (!status.ok()) return status;
  return StringMap(response.attributes().begin(), response.attributes().end());
}

absl::Status TopicClient::SetSubscriptionAttributes(
    absl::string_view subscription_arn, absl::string_view name,
    absl::string_view value) {
  v1::SetSubscriptionAttributesRequest request;
  request.set_subscription_arn(std::string(subscription_arn));
  request.set_name(std::string(name));
  request.set_value(std::string(value));
  v1::SetSubscriptionAttributesResponse response;
  return impl_->Call(&v1::Topics::Stub::SetSubscriptionAttributes,
                     "SetSubscriptionAttributes", request, &response);
}

absl::StatusOr<PublishResult> TopicClient::Publish(
    absl::string_view topic_arn, absl::string_view message,
    const PublishOptions& options) {
  v1::PublishRequest request;
  request.set_topic_arn(std::string(topic_arn));
  ToProto(message, options, request.mutable_entry());
  v1::PublishResponse response;
  absl::Status status =
      impl_->Call(&v1::Topics::Stub::Publish, "Publish", request, &response);
  if (!status.ok()) return status;
  return PublishResult{response.message_id(), response.sequence_number()};
}

absl::StatusOr<PublishBatchResult> TopicClient::PublishBatch(
    absl::string_view topic_arn,
    const std::vector<PublishBatchEntry>& entries) {
  v1::PublishBatchRequest request;
  request.set_topic_arn(std::string(topic_arn));
  for (const PublishBatchEntry& entry : entries) {
    v1::PublishEntry* out = request.add_entries();
    ToProto(entry.message, entry.options, out);
    out->set_id(entry.id);
  }
  v1::PublishBatchResponse response;
  absl::Status status = impl_->Call(&v1::Topics::Stub::PublishBatch,
                                    "PublishBatch", request, &response);
  if (!status.ok()) return status;
  PublishBatchResult result;
  for (const v1::PublishBatchResultEntry& ok : response.successful()) {
    result.successful.push_back(
        {ok.id(), PublishResult{ok.message_id(), ok.sequence_number()}});
  }
  for (const v1::BatchResultError& failed : response.failed()) {
    result.failed.push_back(internal::FromProto(failed));
  }
  return result;
}

absl::Status TopicClient::TagResource(absl::string_view arn,
                                      const StringMap& tags) {
  v1::TagResourceRequest request;
  request.set_resource_arn(std::string(arn));
  request.mutable_tags()->insert(tags.begin(), tags.end());
  v1::TagResourceResponse response;
  return impl_->Call(&v1::Topics::Stub::TagResource, "TagResource", request,
                     &response);
}

absl::Status TopicClient::UntagResource(absl::string_view arn,
                                        const std::vector<std::string>& keys) {
  v1::UntagResourceRequest request;
  request.set_resource_arn(std::string(arn));
  for (const std::string& key : keys) request.add_tag_keys(key);
  v1::UntagResourceResponse response;
  return impl_->Call(&v1::Topics::Stub::UntagResource, "UntagResource", request,
                     &response);
}

absl::StatusOr<StringMap> TopicClient::ListTagsForResource(
    absl::string_view arn) {
  v1::ListTagsForResourceRequest request;
  request.set_resource_arn(std::string(arn));
  v1::ListTagsForResourceResponse response;
  absl::Status status = impl_->Call(&v1::Topics::Stub::ListTagsForResource,
                                    "ListTagsForResource", request, &response);
  if (!status.ok()) return status;
  return StringMap(response.tags().begin(), response.tags().end());
}

}  // namespace cortado::client
