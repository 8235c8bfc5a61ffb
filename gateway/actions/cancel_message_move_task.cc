// CancelMessageMoveTask: TaskHandle -> ApproximateNumberOfMessagesMoved.
#include "gateway/actions/action.h"

namespace cortado::gateway {

void CancelMessageMoveTask(const ActionContext& context, const Params& params,
                           ActionDone done) {
  absl::StatusOr<std::string> handle = params.RequiredString("TaskHandle");
  if (!handle.ok()) return std::move(done)(handle.status());
  context.broker->CancelMessageMoveTask(
      *handle,
      OnConnection<int64_t>(
          context,
          [done = std::move(done)](absl::StatusOr<int64_t> moved) mutable {
            if (!moved.ok()) return std::move(done)(moved.status());
            Output out = Output::Object();
            out.Add("ApproximateNumberOfMessagesMoved", Output::Number(*moved));
            std::move(done)(std::move(out));
          }));
}

}  // namespace cortado::gateway
