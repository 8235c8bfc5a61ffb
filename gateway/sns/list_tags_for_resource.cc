#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// ListTagsForResource: ResourceArn -> Tags.member.N.{Key,Value}.
void ListTagsForResource(const SnsContext& context, const Params& params,
                         SnsDone done) {
  absl::StatusOr<std::string> arn = Required(params, "ResourceArn");
  if (!arn.ok()) return std::move(done)(arn.status());
  absl::StatusOr<TagMap> tags = context.broker->ListTagsForResource(*arn);
  if (!tags.ok()) return std::move(done)(tags.status());
  std::string out = "<Tags>";
  for (const auto& [key, value] : *tags) {
    absl::StrAppend(&out, "<member>", XmlElement("Key", key),
                    XmlElement("Value", value), "</member>");
  }
  absl::StrAppend(&out, "</Tags>");
  std::move(done)(std::move(out));
}

}  // namespace cortado::gateway::sns
