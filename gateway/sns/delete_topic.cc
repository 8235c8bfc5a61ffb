#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// DeleteTopic: TopicArn -> nothing (idempotent).
void DeleteTopic(const ActionContext& context, const Params& params,
                 ActionDone done) {
  absl::StatusOr<std::string> arn = Required(params, "TopicArn");
  if (!arn.ok()) return std::move(done)(arn.status());
  context.broker->DeleteTopic(*std::move(arn),
                              EmptyResult(context, std::move(done)));
}

}  // namespace cortado::gateway::sns
