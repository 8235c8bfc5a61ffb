// StartMessageMoveTask: SourceArn (a dead-letter queue), DestinationArn,
// MaxNumberOfMessagesPerSecond -> TaskHandle.
#include "gateway/actions/action.h"

namespace cortado::gateway {

void StartMessageMoveTask(const ActionContext& context, const Params& params,
                          ActionDone done) {
  absl::StatusOr<std::string> source = params.RequiredString("SourceArn");
  if (!source.ok()) return std::move(done)(source.status());
  absl::StatusOr<std::optional<int32_t>> rate =
      params.Int("MaxNumberOfMessagesPerSecond");
  if (!rate.ok()) return std::move(done)(rate.status());
  StartMessageMoveTaskRequest request;
  request.source_arn = *source;
  request.destination_arn = params.String("DestinationArn").value_or("");
  request.max_number_of_messages_per_second = *rate;
  context.broker->StartMessageMoveTask(
      std::move(request),
      OnConnection<std::string>(
          context,
          [done = std::move(done)](absl::StatusOr<std::string> handle) mutable {
            if (!handle.ok()) return std::move(done)(handle.status());
            Output out = Output::Object();
            out.Add("TaskHandle", Output::String(*std::move(handle)));
            std::move(done)(std::move(out));
          }));
}

}  // namespace cortado::gateway
