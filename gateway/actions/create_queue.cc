// CreateQueue: QueueName, Attributes, tags (JSON lower-case "tags") ->
// QueueUrl.
#include "gateway/actions/action.h"

namespace cortado::gateway {

void CreateQueue(const ActionContext& context, const Params& params,
                 ActionDone done) {
  absl::StatusOr<std::string> name = params.RequiredString("QueueName");
  if (!name.ok()) return std::move(done)(name.status());
  CreateQueueRequest request;
  request.queue_name = *name;
  request.attributes = params.Map("Attributes", "Attribute", "Name", "Value");
  request.tags = params.Map("tags", "Tag", "Key", "Value");
  context.broker->CreateQueue(
      std::move(request),
      OnConnection<QueueRecord>(
          context, [url_of = context, done = std::move(done)](
                       absl::StatusOr<QueueRecord> queue) mutable {
            if (!queue.ok()) return std::move(done)(queue.status());
            Output out = Output::Object();
            out.Add("QueueUrl", Output::String(url_of.QueueUrl(queue->name)));
            std::move(done)(std::move(out));
          }));
}

}  // namespace cortado::gateway
