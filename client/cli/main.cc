// `cortado`: the command-line client of a Cortado broker. This file only
// parses the global flags, picks the command and turns its status into
// output and an exit code: 0 on success, 1 when the broker (or the network)
// failed, 2 when the command line was wrong.
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/cli/args.h"
#include "client/cli/commands.h"
#include "cortado/errors.h"

namespace cortado::cli {
namespace {

constexpr char kDefaultServer[] = "127.0.0.1:50051";

std::string DefaultServer() {
  const char* env = std::getenv("CORTADO_SERVER");
  return env != nullptr && *env != '\0' ? env : kDefaultServer;
}

absl::Status Dispatch(CommandContext& context, const Args& args) {
  const std::string& command = args.positional()[0];
  if (command == "queue") return RunQueueCommand(context, args);
  if (command == "send") return RunSendCommand(context, args);
  if (command == "receive") return RunReceiveCommand(context, args);
  if (command == "delete") return RunDeleteCommand(context, args);
  if (command == "watch") return RunWatchCommand(context, args);
  if (command == "redrive") return RunRedriveCommand(context, args);
  if (command == "topic") return RunTopicCommand(context, args);
  if (command == "listen") return RunListenCommand(context, args);
  if (command == "config") return RunConfigCommand(context, args);
  if (command == "cluster") return RunClusterCommand(context, args);
  return UsageError(
      absl::StrCat("unknown command '", command, "'; see 'cortado help'"));
}

int Main(const std::vector<std::string>& words) {
  // A closed pipe (`cortado watch q | head -1`) must surface as a write
  // error, checked before anything is deleted, not kill the process.
  signal(SIGPIPE, SIG_IGN);

  absl::StatusOr<Args> args = Args::Parse(words, CliFlags());
  absl::Status status = args.status();
  if (status.ok()) {
    if (args->Has("help") ||
        (!args->positional().empty() && args->positional()[0] == "help")) {
      std::cout << HelpText();
      return 0;
    }
    if (args->positional().empty()) {
      status = UsageError("no command given; see 'cortado help'");
    } else {
      CommandContext context(args->Get("server").value_or(DefaultServer()),
                             args->Has("json"), std::cout, std::cerr);
      status = Dispatch(context, *args);
      std::cout.flush();
    }
  }
  if (status.ok()) return 0;
  if (IsUsageError(status)) {
    std::cerr << "cortado: " << status.message() << "\n";
    return 2;
  }
  // The SQS name when the broker gave one, else the gRPC code's name
  // (UNAVAILABLE, DEADLINE_EXCEEDED, ...).
  std::string name = client::ErrorName(status);
  if (name.empty()) name = absl::StatusCodeToString(status.code());
  std::cerr << "cortado: " << name << ": " << status.message() << "\n";
  return 1;
}

}  // namespace
}  // namespace cortado::cli

int main(int argc, char** argv) {
  return cortado::cli::Main(std::vector<std::string>(argv + 1, argv + argc));
}
