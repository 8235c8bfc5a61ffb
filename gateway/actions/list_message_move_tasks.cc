// ListMessageMoveTasks: SourceArn, MaxResults (1-10, default 1) -> Results
// (JSON list; XML flattened <ListMessageMoveTasksResultEntry>), most recent
// first. TaskHandle only for a RUNNING task; optional fields only when set.
#include "gateway/actions/action.h"

namespace cortado::gateway {

void ListMessageMoveTasks(const ActionContext& context, const Params& params,
                          ActionDone done) {
  absl::StatusOr<std::string> source = params.RequiredString("SourceArn");
  if (!source.ok()) return std::move(done)(source.status());
  absl::StatusOr<std::optional<int32_t>> max_results = params.Int("MaxResults");
  if (!max_results.ok()) return std::move(done)(max_results.status());
  absl::StatusOr<std::vector<MoveTaskRecord>> tasks =
      context.broker->ListMessageMoveTasks(*source, max_results->value_or(0));
  if (!tasks.ok()) return std::move(done)(tasks.status());
  Output results = Output::List();
  for (const MoveTaskRecord& task : *tasks) {
    Output entry = Output::Object();
    if (task.status == "RUNNING") {
      entry.Add("TaskHandle", Output::String(task.task_handle));
    }
    entry.Add("Status", Output::String(task.status));
    entry.Add("SourceArn", Output::String(task.source_arn));
    if (!task.destination_arn.empty()) {
      entry.Add("DestinationArn", Output::String(task.destination_arn));
    }
    if (task.max_per_second > 0) {
      entry.Add("MaxNumberOfMessagesPerSecond",
                Output::Number(task.max_per_second));
    }
    entry.Add("ApproximateNumberOfMessagesMoved", Output::Number(task.moved));
    entry.Add("ApproximateNumberOfMessagesToMove",
              Output::Number(task.to_move));
    if (!task.failure_reason.empty()) {
      entry.Add("FailureReason", Output::String(task.failure_reason));
    }
    entry.Add("StartedTimestamp",
              Output::Number(absl::ToUnixMillis(task.started)));
    results.Append(std::move(entry));
  }
  Output out = Output::Object();
  out.Add("Results", "ListMessageMoveTasksResultEntry", std::move(results));
  std::move(done)(std::move(out));
}

}  // namespace cortado::gateway
