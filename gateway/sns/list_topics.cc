#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// ListTopics: NextToken -> Topics.member.N.TopicArn, NextToken.
void ListTopics(const SnsContext& context, const Params& params, SnsDone done) {
  absl::StatusOr<ListTopicsResult> result =
      context.broker->ListTopics(params.String("NextToken").value_or(""));
  if (!result.ok()) return std::move(done)(result.status());
  std::string out = "<Topics>";
  for (const std::string& arn : result->topic_arns) {
    absl::StrAppend(&out, "<member>", XmlElement("TopicArn", arn), "</member>");
  }
  absl::StrAppend(&out, "</Topics>");
  if (!result->next_token.empty()) {
    absl::StrAppend(&out, XmlElement("NextToken", result->next_token));
  }
  std::move(done)(std::move(out));
}

}  // namespace cortado::gateway::sns
