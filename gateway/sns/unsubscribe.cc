#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// Unsubscribe: SubscriptionArn -> nothing.
void Unsubscribe(const ActionContext& context, const Params& params,
                 ActionDone done) {
  absl::StatusOr<std::string> arn = Required(params, "SubscriptionArn");
  if (!arn.ok()) return std::move(done)(arn.status());
  context.broker->Unsubscribe(*std::move(arn),
                              EmptyResult(context, std::move(done)));
}

}  // namespace cortado::gateway::sns
