#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// TagResource: ResourceArn, Tags.member.N -> empty result.
void TagResource(const ActionContext& context, const Params& params,
                 ActionDone done) {
  absl::StatusOr<std::string> arn = Required(params, "ResourceArn");
  if (!arn.ok()) return std::move(done)(arn.status());
  context.broker->TagResource(*std::move(arn), TagsParam(params),
                              EmptyResult(context, std::move(done)));
}

}  // namespace cortado::gateway::sns
