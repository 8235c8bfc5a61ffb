#include "gateway/route_key.h"

#include "common/route_names.h"

namespace cortado::gateway {
namespace {

RouteKey Named(std::string name) {
  if (name.empty()) return RouteKey{};
  return RouteKey{RouteKey::Kind::kName, std::move(name)};
}

RouteKey FromParam(const Params& params, absl::string_view name) {
  std::optional<std::string> value = params.String(name);
  return value.has_value() ? Named(*std::move(value)) : RouteKey{};
}

RouteKey FromArnParam(const Params& params, absl::string_view name) {
  std::optional<std::string> value = params.String(name);
  return value.has_value() ? Named(NameInArn(*value)) : RouteKey{};
}

RouteKey FromTaskHandle(const Params& params) {
  std::optional<std::string> handle = params.String("TaskHandle");
  return handle.has_value() ? Named(NameInTaskHandle(*handle)) : RouteKey{};
}

RouteKey SqsKey(absl::string_view action, const Params& params,
                const ActionContext& context) {
  if (action == "ListQueues") return RouteKey{RouteKey::Kind::kListing, ""};
  if (action == "CreateQueue" || action == "GetQueueUrl") {
    return FromParam(params, "QueueName");
  }
  if (action == "StartMessageMoveTask" || action == "ListMessageMoveTasks") {
    return FromArnParam(params, "SourceArn");
  }
  if (action == "CancelMessageMoveTask") return FromTaskHandle(params);
  absl::StatusOr<std::string> queue = context.QueueName(params);
  return queue.ok() ? Named(*std::move(queue)) : RouteKey{};
}

RouteKey SnsKey(absl::string_view action, const Params& params) {
  if (action == "ListTopics" || action == "ListSubscriptions") {
    return RouteKey{RouteKey::Kind::kListing, ""};
  }
  if (action == "CreateTopic") return FromParam(params, "Name");
  if (action == "Unsubscribe" || action == "GetSubscriptionAttributes" ||
      action == "SetSubscriptionAttributes") {
    return FromArnParam(params, "SubscriptionArn");
  }
  if (action == "TagResource" || action == "UntagResource" ||
      action == "ListTagsForResource") {
    return FromArnParam(params, "ResourceArn");
  }
  if (action == "Publish" && !params.String("TopicArn").has_value()) {
    return FromArnParam(params, "TargetArn");
  }
  return FromArnParam(params, "TopicArn");
}

}  // namespace

RouteKey RouteKeyOf(Api api, absl::string_view action, const Params& params,
                    const ActionContext& context) {
  return api == Api::kSqs ? SqsKey(action, params, context)
                          : SnsKey(action, params);
}

}  // namespace cortado::gateway
