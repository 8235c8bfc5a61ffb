// `cortado config plan FILE | apply FILE | export`: queues and topics as
// code against a running server (docs/CONFIG.md), with the same parser,
// planner and applier as `cortado-server --config` (common/config/).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/cli/client_target.h"
#include "client/cli/commands.h"
#include "client/cli/json.h"
#include "common/config/applier.h"
#include "common/config/exporter.h"
#include "common/config/parser.h"
#include "common/config/planner.h"
#include "cortado/topics.h"

namespace cortado::cli {
namespace {

// The connections a ClientTarget works over.
struct Connection {
  std::unique_ptr<client::TopicClient> topics;
  std::unique_ptr<ClientTarget> target;
};

absl::StatusOr<Connection> Connect(CommandContext& context) {
  absl::StatusOr<client::Client*> queues = context.client();
  if (!queues.ok()) return queues.status();
  absl::StatusOr<std::unique_ptr<client::TopicClient>> topics =
      client::TopicClient::Connect(context.server());
  if (!topics.ok()) return UsageError(topics.status().message());
  Connection connection;
  connection.topics = *std::move(topics);
  connection.target =
      std::make_unique<ClientTarget>(*queues, connection.topics.get());
  return connection;
}

void PrintChange(CommandContext& context, const config::Change& change) {
  if (context.json()) {
    context.out() << JsonObject().Add("change", change.Describe()).Build()
                  << "\n";
  } else {
    context.out() << change.Describe() << "\n";
  }
}

absl::Status PlanOrApply(CommandContext& context, const std::string& file,
                         bool apply) {
  absl::StatusOr<config::Config> parsed = config::ParseConfigFile(file);
  if (!parsed.ok()) return parsed.status();
  absl::StatusOr<Connection> connection = Connect(context);
  if (!connection.ok()) return connection.status();
  config::Target& target = *connection->target;
  absl::StatusOr<config::State> state = target.Read();
  if (!state.ok()) return state.status();
  absl::StatusOr<config::Plan> plan = config::MakePlan(*parsed, *state, target);
  if (!plan.ok()) return plan.status();
  if (!apply) {
    for (const config::Change& change : plan->changes) {
      PrintChange(context, change);
    }
  } else {
    absl::Status applied = config::ApplyPlan(
        *plan, target,
        [&](const config::Change& change) { PrintChange(context, change); });
    if (!applied.ok()) return applied;
  }
  if (!context.json()) {
    context.out() << (plan->changes.empty()
                          ? "no changes"
                          : absl::StrCat(plan->changes.size(),
                                         apply ? " change(s) applied"
                                               : " change(s) to apply"))
                  << "\n";
  }
  return absl::OkStatus();
}

absl::Status Export(CommandContext& context) {
  absl::StatusOr<Connection> connection = Connect(context);
  if (!connection.ok()) return connection.status();
  absl::StatusOr<config::State> state = connection->target->Read();
  if (!state.ok()) return state.status();
  context.out() << config::ExportYaml(*state);
  return absl::OkStatus();
}

}  // namespace

absl::Status RunConfigCommand(CommandContext& context, const Args& args) {
  const std::vector<std::string>& words = args.positional();
  const std::string sub = words.size() > 1 ? words[1] : "";
  if (sub == "plan" || sub == "apply") {
    const std::string command = absl::StrCat("config ", sub);
    if (absl::Status usage = CheckUsage(args, Usage{command, "FILE", {}, 3, 3});
        !usage.ok()) {
      return usage;
    }
    return PlanOrApply(context, words[2], sub == "apply");
  }
  if (sub == "export") {
    if (absl::Status usage =
            CheckUsage(args, Usage{"config export", "", {}, 2, 2});
        !usage.ok()) {
      return usage;
    }
    return Export(context);
  }
  return UsageError(
      "usage: cortado config plan FILE | config apply FILE | config export");
}

}  // namespace cortado::cli
