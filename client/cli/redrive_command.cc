// `cortado redrive ...`: message move tasks, which put dead-lettered
// messages back into the queues they came from (or into another queue).
// Queues are given by name; the CLI looks their ARNs up.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "client/cli/commands.h"
#include "client/cli/json.h"
#include "client/cli/output.h"

namespace cortado::cli {
namespace {

absl::StatusOr<std::string> ArnOf(client::Client& client,
                                  const std::string& queue) {
  absl::StatusOr<client::StringMap> attributes =
      client.GetQueueAttributes(queue, {"QueueArn"});
  if (!attributes.ok()) return attributes.status();
  return (*attributes)["QueueArn"];
}

absl::Status Start(CommandContext& context, client::Client& client,
                   const Args& args) {
  absl::StatusOr<std::string> source = ArnOf(client, args.positional()[2]);
  if (!source.ok()) return source.status();
  std::string destination;
  if (std::optional<std::string> to = args.Get("to"); to.has_value()) {
    absl::StatusOr<std::string> arn = ArnOf(client, *to);
    if (!arn.ok()) return arn.status();
    destination = *arn;
  }
  absl::StatusOr<std::optional<int>> rate = args.GetInt("rate", 1, 500);
  if (!rate.ok()) return rate.status();
  absl::StatusOr<std::string> handle =
      client.StartMessageMoveTask(*source, destination, rate->value_or(0));
  if (!handle.ok()) return handle.status();
  if (context.json()) {
    context.out() << JsonObject().Add("TaskHandle", *handle).Build() << "\n";
  } else {
    context.out() << "Started moving messages out of " << args.positional()[2]
                  << "; task " << *handle << "\n";
  }
  return absl::OkStatus();
}

absl::Status List(CommandContext& context, client::Client& client,
                  const Args& args) {
  absl::StatusOr<std::string> source = ArnOf(client, args.positional()[2]);
  if (!source.ok()) return source.status();
  absl::StatusOr<std::optional<int>> max = args.GetInt("max", 1, 10);
  if (!max.ok()) return max.status();
  absl::StatusOr<std::vector<client::MessageMoveTask>> tasks =
      client.ListMessageMoveTasks(*source, max->value_or(10));
  if (!tasks.ok()) return tasks.status();
  for (const client::MessageMoveTask& task : *tasks) {
    const std::string started = absl::FormatTime(
        "%Y-%m-%dT%H:%M:%SZ", task.started, absl::UTCTimeZone());
    if (context.json()) {
      JsonObject object;
      if (!task.task_handle.empty()) object.Add("TaskHandle", task.task_handle);
      object.Add("Status", task.status)
          .Add("SourceArn", task.source_arn)
          .Add("DestinationArn", task.destination_arn)
          .Add("ApproximateNumberOfMessagesMoved", absl::StrCat(task.moved))
          .Add("ApproximateNumberOfMessagesToMove", absl::StrCat(task.to_move))
          .Add("FailureReason", task.failure_reason)
          .Add("StartedTimestamp", started);
      context.out() << object.Build() << "\n";
      continue;
    }
    context.out() << started << "  " << task.status << "  moved " << task.moved
                  << " of " << task.to_move;
    if (!task.failure_reason.empty()) {
      context.out() << "  (" << task.failure_reason << ")";
    }
    if (!task.task_handle.empty()) {
      context.out() << "  task " << task.task_handle;
    }
    context.out() << "\n";
  }
  return absl::OkStatus();
}

absl::Status Cancel(CommandContext& context, client::Client& client,
                    const Args& args) {
  absl::StatusOr<int64_t> moved =
      client.CancelMessageMoveTask(args.positional()[2]);
  if (!moved.ok()) return moved.status();
  if (context.json()) {
    context.out() << JsonObject()
                         .Add("ApproximateNumberOfMessagesMoved",
                              absl::StrCat(*moved))
                         .Build()
                  << "\n";
  } else {
    context.out() << "Cancelled after moving " << *moved << " messages\n";
  }
  return absl::OkStatus();
}

const Usage kStart{
    "redrive start", "DLQ [--to QUEUE] [--rate N]", {"to", "rate"}, 3, 3};
const Usage kList{"redrive list", "DLQ [--max N]", {"max"}, 3, 3};
const Usage kCancel{"redrive cancel", "TASK_HANDLE", {}, 3, 3};

}  // namespace

absl::Status RunRedriveCommand(CommandContext& context, const Args& args) {
  const std::vector<std::string>& words = args.positional();
  const std::string subcommand = words.size() > 1 ? words[1] : "";
  const Usage* usage = nullptr;
  for (const Usage* candidate : {&kStart, &kList, &kCancel}) {
    if (candidate->command == absl::StrCat("redrive ", subcommand)) {
      usage = candidate;
    }
  }
  if (usage == nullptr) {
    return UsageError("'redrive' needs a subcommand: start, list or cancel");
  }
  if (absl::Status status = CheckUsage(args, *usage); !status.ok()) {
    return status;
  }
  absl::StatusOr<client::Client*> client = context.client();
  if (!client.ok()) return client.status();
  if (usage == &kStart) return Start(context, **client, args);
  if (usage == &kList) return List(context, **client, args);
  return Cancel(context, **client, args);
}

}  // namespace cortado::cli
