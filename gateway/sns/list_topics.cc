#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/sns/sns_action.h"

namespace cortado::gateway::sns {

// ListTopics: NextToken -> Topics.member.N.TopicArn, NextToken.
void ListTopics(const ActionContext& context, const Params& params,
                ActionDone done) {
  const std::string token = params.String("NextToken").value_or("");
  absl::StatusOr<ListTopicsResult> result =
      context.routing != nullptr ? context.routing->ListTopics(token)
                                 : context.broker->ListTopics(token);
  if (!result.ok()) return std::move(done)(result.status());
  Output topics = Output::WrappedList("member");
  for (const std::string& arn : result->topic_arns) {
    Output member = Output::Object();
    member.Add("TopicArn", Output::String(arn));
    topics.Append(std::move(member));
  }
  Output out = Output::Object();
  out.Add("Topics", std::move(topics));
  if (!result->next_token.empty()) {
    out.Add("NextToken", Output::String(result->next_token));
  }
  std::move(done)(std::move(out));
}

}  // namespace cortado::gateway::sns
