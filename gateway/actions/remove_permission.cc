// RemovePermission: QueueUrl, Label -> (no output). Removes the statement
// with Sid == Label from the queue's Policy; removing the last statement
// removes the Policy attribute.
#include "absl/strings/str_cat.h"
#include "gateway/actions/action.h"
#include "gateway/actions/policy.h"

namespace cortado::gateway {

void RemovePermission(const ActionContext& context, const Params& params,
                      ActionDone done) {
  absl::StatusOr<std::string> queue = context.QueueName(params);
  if (!queue.ok()) return std::move(done)(queue.status());
  absl::StatusOr<std::string> label = params.RequiredString("Label");
  if (!label.ok()) return std::move(done)(label.status());
  absl::StatusOr<AttributeMap> current =
      context.broker->GetQueueAttributes(*queue, {"Policy"});
  if (!current.ok()) return std::move(done)(current.status());
  const absl::Status not_found = InvalidParameterValueError(absl::StrCat(
      "Value ", *label,
      " for parameter Label is invalid. Reason: can't find label."));
  const std::string text = (*current)["Policy"];
  if (text.empty()) return std::move(done)(not_found);
  absl::StatusOr<JsonValue> policy =
      ParsePolicy(text, context.broker->QueueArn(*queue));
  if (!policy.ok()) return std::move(done)(policy.status());
  if (!RemoveStatement(*policy, *label)) return std::move(done)(not_found);
  const bool none_left = Statements(*policy).elements.empty();
  context.broker->SetQueueAttributes(
      *queue, {{"Policy", none_left ? std::string() : SerializeJson(*policy)}},
      EmptyResult(context, std::move(done)));
}

}  // namespace cortado::gateway
