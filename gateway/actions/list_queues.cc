// ListQueues: QueueNamePrefix, MaxResults, NextToken -> QueueUrls (XML:
// flattened <QueueUrl>), NextToken only when more pages exist.
#include "gateway/actions/action.h"

namespace cortado::gateway {

void ListQueues(const ActionContext& context, const Params& params,
                ActionDone done) {
  ListQueuesRequest request;
  request.prefix = params.String("QueueNamePrefix").value_or("");
  absl::StatusOr<std::optional<int32_t>> max_results = params.Int("MaxResults");
  if (!max_results.ok()) return std::move(done)(max_results.status());
  request.max_results = max_results->value_or(0);
  request.next_token = params.String("NextToken").value_or("");
  absl::StatusOr<ListQueuesResult> result =
      context.routing != nullptr ? context.routing->ListQueues(request)
                                 : context.broker->ListQueues(request);
  if (!result.ok()) return std::move(done)(result.status());
  Output out = Output::Object();
  if (!result->queue_names.empty()) {
    Output urls = Output::List();
    for (const std::string& name : result->queue_names) {
      urls.Append(Output::String(context.QueueUrl(name)));
    }
    out.Add("QueueUrls", "QueueUrl", std::move(urls));
  }
  if (!result->next_token.empty()) {
    out.Add("NextToken", Output::String(result->next_token));
  }
  std::move(done)(std::move(out));
}

}  // namespace cortado::gateway
