// AddPermission: QueueUrl, Label, AWSAccountIds (query AWSAccountId.N),
// Actions (query ActionName.N) -> (no output). Adds a statement to the
// queue's Policy attribute: read with GetQueueAttributes, written back with
// SetQueueAttributes (two broker calls; concurrent permission edits of one
// queue may race, see docs/SQS_COMPATIBILITY.md).
#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gateway/actions/action.h"
#include "gateway/actions/policy.h"

namespace cortado::gateway {
namespace {

bool IsValidLabel(const std::string& label) {
  if (label.empty() || label.size() > 80) return false;
  for (char c : label) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-') {
      return false;
    }
  }
  return true;
}

// The actions a queue owner can grant to another account; the rest
// (CreateQueue, SetQueueAttributes, AddPermission, ...) stay the owner's.
bool IsGrantableAction(absl::string_view action) {
  static constexpr absl::string_view kGrantable[] = {
      "*",
      "SendMessage",
      "ReceiveMessage",
      "DeleteMessage",
      "ChangeMessageVisibility",
      "GetQueueAttributes",
      "GetQueueUrl",
      "ListDeadLetterSourceQueues",
      "PurgeQueue"};
  return absl::c_linear_search(kGrantable, action);
}

}  // namespace

void AddPermission(const ActionContext& context, const Params& params,
                   ActionDone done) {
  absl::StatusOr<std::string> queue = context.QueueName(params);
  if (!queue.ok()) return std::move(done)(queue.status());
  absl::StatusOr<std::string> label = params.RequiredString("Label");
  if (!label.ok()) return std::move(done)(label.status());
  if (!IsValidLabel(*label)) {
    return std::move(done)(InvalidParameterValueError(absl::StrCat(
        "Value ", *label,
        " for parameter Label is invalid. Reason: Can only include "
        "alphanumeric characters, hyphens, or underscores. 1 to 80 in "
        "length.")));
  }
  // AWS's order (moto's AWS-validated tests): no actions, then no
  // accounts, then too many actions, then an action only the owner may call.
  std::vector<std::string> actions = params.List("Actions", "ActionName");
  if (actions.empty()) return std::move(done)(MissingParameterError("Actions"));
  std::vector<std::string> accounts =
      params.List("AWSAccountIds", "AWSAccountId");
  if (accounts.empty()) {
    return std::move(done)(InvalidParameterValueError(
        "Value [] for parameter PrincipalId is invalid. Reason: Unable to "
        "verify."));
  }
  if (actions.size() > 7) {
    return std::move(done)(
        MakeError(ErrorKind::kOverLimit,
                  absl::StrCat(actions.size(),
                               " Actions were found, maximum allowed is 7.")));
  }
  for (const std::string& action : actions) {
    if (!IsGrantableAction(action)) {
      return std::move(done)(InvalidParameterValueError(
          absl::StrCat("Value SQS:", action,
                       " for parameter ActionName is invalid. Reason: Only "
                       "the queue owner is allowed to invoke this action.")));
    }
  }
  absl::StatusOr<AttributeMap> current =
      context.broker->GetQueueAttributes(*queue, {"Policy"});
  if (!current.ok()) return std::move(done)(current.status());
  const std::string arn = context.broker->QueueArn(*queue);
  absl::StatusOr<JsonValue> policy = ParsePolicy((*current)["Policy"], arn);
  if (!policy.ok()) return std::move(done)(policy.status());
  if (HasStatement(*policy, *label)) {
    return std::move(done)(InvalidParameterValueError(
        absl::StrCat("Value ", *label,
                     " for parameter Label is invalid. Reason: Already "
                     "exists.")));
  }
  Statements(*policy).elements.push_back(
      MakeStatement(*label, accounts, actions, arn, "SQS"));
  context.broker->SetQueueAttributes(*queue,
                                     {{"Policy", SerializeJson(*policy)}},
                                     EmptyResult(context, std::move(done)));
}

}  // namespace cortado::gateway
