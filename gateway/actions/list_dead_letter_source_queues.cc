// ListDeadLetterSourceQueues: QueueUrl (the DLQ), MaxResults, NextToken ->
// queueUrls (JSON, lower-case and always present; XML flattened <QueueUrl>),
// NextToken only when more pages exist.
#include "gateway/actions/action.h"

namespace cortado::gateway {

void ListDeadLetterSourceQueues(const ActionContext& context,
                                const Params& params, ActionDone done) {
  absl::StatusOr<std::string> queue = context.QueueName(params);
  if (!queue.ok()) return std::move(done)(queue.status());
  absl::StatusOr<std::optional<int32_t>> max_results = params.Int("MaxResults");
  if (!max_results.ok()) return std::move(done)(max_results.status());
  absl::StatusOr<ListQueuesResult> result =
      context.broker->ListDeadLetterSourceQueues(
          *queue, max_results->value_or(0),
          params.String("NextToken").value_or(""));
  if (!result.ok()) return std::move(done)(result.status());
  Output urls = Output::List();
  for (const std::string& name : result->queue_names) {
    urls.Append(Output::String(context.QueueUrl(name)));
  }
  Output out = Output::Object();
  out.Add("queueUrls", "QueueUrl", std::move(urls));
  if (!result->next_token.empty()) {
    out.Add("NextToken", Output::String(result->next_token));
  }
  std::move(done)(std::move(out));
}

}  // namespace cortado::gateway
