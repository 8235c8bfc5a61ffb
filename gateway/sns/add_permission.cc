// AddPermission (SNS): TopicArn, Label, AWSAccountId.member.N,
// ActionName.member.N -> (no output). Adds a statement to the topic's Policy
// attribute: read with GetTopicAttributes, written back with
// SetTopicAttributes (two broker calls, like SQS's AddPermission: concurrent
// permission edits of one topic may race). Policies are stored, never
// enforced (docs/SNS_COMPATIBILITY.md).
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "gateway/actions/policy.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {
namespace {

// The topic actions SNS lets a policy statement grant (moto's
// VALID_POLICY_ACTIONS, checked against SNS).
bool IsTopicAction(absl::string_view action) {
  static constexpr absl::string_view kActions[] = {"GetTopicAttributes",
                                                   "SetTopicAttributes",
                                                   "AddPermission",
                                                   "RemovePermission",
                                                   "DeleteTopic",
                                                   "Subscribe",
                                                   "ListSubscriptionsByTopic",
                                                   "Publish",
                                                   "Receive"};
  return absl::c_linear_search(kActions, action);
}

// A required list: SNS's validation error naming the lower-camel member.
absl::StatusOr<std::vector<std::string>> RequiredList(
    const Params& params, absl::string_view query_name,
    absl::string_view member) {
  std::vector<std::string> values = params.List("", query_name);
  if (!values.empty()) return values;
  return MakeError(
      ErrorKind::kMissingParameter,
      absl::StrCat("1 validation error detected: Value null at '", member,
                   "' failed to satisfy constraint: Member must not be null"));
}

}  // namespace

void AddPermission(const ActionContext& context, const Params& params,
                   ActionDone done) {
  absl::StatusOr<std::string> arn = Required(params, "TopicArn");
  if (!arn.ok()) return std::move(done)(arn.status());
  absl::StatusOr<std::string> label = Required(params, "Label");
  if (!label.ok()) return std::move(done)(label.status());
  absl::StatusOr<std::vector<std::string>> accounts =
      RequiredList(params, "AWSAccountId.member", "aWSAccountId");
  if (!accounts.ok()) return std::move(done)(accounts.status());
  absl::StatusOr<std::vector<std::string>> actions =
      RequiredList(params, "ActionName.member", "actionName");
  if (!actions.ok()) return std::move(done)(actions.status());
  absl::StatusOr<AttributeMap> current =
      context.broker->GetTopicAttributes(*arn);
  if (!current.ok()) return std::move(done)(current.status());
  absl::StatusOr<JsonValue> policy = ParsePolicy((*current)["Policy"], *arn);
  if (!policy.ok()) return std::move(done)(policy.status());
  if (HasStatement(*policy, *label)) {
    return std::move(done)(
        MakeError(ErrorKind::kInvalidParameter,
                  "Invalid parameter: Statement already exists"));
  }
  for (const std::string& action : *actions) {
    if (!IsTopicAction(action)) {
      return std::move(done)(MakeError(
          ErrorKind::kInvalidParameter,
          "Invalid parameter: Policy statement action out of service scope!"));
    }
  }
  Statements(*policy).elements.push_back(
      MakeStatement(*label, *accounts, *actions, *arn, "SNS"));
  context.broker->SetTopicAttributes(*std::move(arn), "Policy",
                                     SerializeJson(*policy),
                                     EmptyResult(context, std::move(done)));
}

}  // namespace cortado::gateway::sns
