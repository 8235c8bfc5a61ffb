#include "gateway/route_key.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"

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

// A move task handle is base64 of {"taskId":"...","sourceArn":"..."}.
RouteKey FromTaskHandle(const Params& params) {
  std::optional<std::string> handle = params.String("TaskHandle");
  std::string json;
  if (!handle.has_value() || !absl::Base64Unescape(*handle, &json)) {
    return RouteKey{};
  }
  const std::string kField = "\"sourceArn\":\"";
  const size_t start = json.find(kField);
  if (start == std::string::npos) return RouteKey{};
  const size_t from = start + kField.size();
  const size_t end = json.find('"', from);
  if (end == std::string::npos) return RouteKey{};
  return Named(NameInArn(absl::string_view(json).substr(from, end - from)));
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

std::string NameInArn(absl::string_view arn) {
  // arn:aws:sqs:region:account:name, arn:aws:sns:region:account:topic[:id]
  std::vector<absl::string_view> fields = absl::StrSplit(arn, ':');
  if (fields.size() < 6 || fields[0] != "arn") return "";
  return std::string(fields[5]);
}

RouteKey RouteKeyOf(Api api, absl::string_view action, const Params& params,
                    const ActionContext& context) {
  return api == Api::kSqs ? SqsKey(action, params, context)
                          : SnsKey(action, params);
}

}  // namespace cortado::gateway
