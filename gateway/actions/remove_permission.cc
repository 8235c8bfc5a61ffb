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
  std::vector<JsonValue>& statements = Statements(*policy).elements;
  bool removed = false;
  for (auto it = statements.begin(); it != statements.end();) {
    const JsonValue* sid = it->Find("Sid");
    if (sid != nullptr && sid->text == *label) {
      it = statements.erase(it);
      removed = true;
    } else {
      ++it;
    }
  }
  if (!removed) return std::move(done)(not_found);
  context.broker->SetQueueAttributes(
      *queue,
      {{"Policy", statements.empty() ? std::string() : SerializeJson(*policy)}},
      EmptyResult(context, std::move(done)));
}

}  // namespace cortado::gateway
