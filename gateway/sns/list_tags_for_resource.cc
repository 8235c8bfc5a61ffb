#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// ListTagsForResource: ResourceArn -> Tags.member.N.{Key,Value}.
void ListTagsForResource(const ActionContext& context, const Params& params,
                         ActionDone done) {
  absl::StatusOr<std::string> arn = Required(params, "ResourceArn");
  if (!arn.ok()) return std::move(done)(arn.status());
  absl::StatusOr<TagMap> tags = context.broker->ListTagsForResource(*arn);
  if (!tags.ok()) return std::move(done)(tags.status());
  Output out = Output::Object();
  out.Add("Tags", Output::WrappedStringMap(*tags, "member", "Key", "Value"));
  std::move(done)(std::move(out));
}

}  // namespace cortado::gateway::sns
