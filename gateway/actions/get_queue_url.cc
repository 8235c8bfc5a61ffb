// GetQueueUrl: QueueName (QueueOwnerAWSAccountId ignored: one account) ->
// QueueUrl.
#include "gateway/actions/action.h"

namespace cortado::gateway {

void GetQueueUrl(const ActionContext& context, const Params& params,
                 ActionDone done) {
  absl::StatusOr<std::string> name = params.RequiredString("QueueName");
  if (!name.ok()) return std::move(done)(name.status());
  if (absl::Status status = context.broker->GetQueue(*name); !status.ok()) {
    return std::move(done)(status);
  }
  Output out = Output::Object();
  out.Add("QueueUrl", Output::String(context.QueueUrl(*name)));
  std::move(done)(std::move(out));
}

}  // namespace cortado::gateway
