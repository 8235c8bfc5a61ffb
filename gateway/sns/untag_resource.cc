#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// UntagResource: ResourceArn, TagKeys.member.N -> empty result.
void UntagResource(const ActionContext& context, const Params& params,
                   ActionDone done) {
  absl::StatusOr<std::string> arn = Required(params, "ResourceArn");
  if (!arn.ok()) return std::move(done)(arn.status());
  context.broker->UntagResource(*std::move(arn),
                                params.List("", "TagKeys.member"),
                                EmptyResult(context, std::move(done)));
}

}  // namespace cortado::gateway::sns
