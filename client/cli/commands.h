// The `cortado` CLI's commands. main() parses the command line into Args,
// builds a CommandContext, and calls the Run* function of the command word;
// each returns OK, a usage error (exit 2) or the broker's error (exit 1).
// Thread-safety: the CLI is single-threaded except for `watch`'s signal
// thread, which only touches a client::Cancellation.
#ifndef CORTADO_CLIENT_CLI_COMMANDS_H_
#define CORTADO_CLIENT_CLI_COMMANDS_H_

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/cli/args.h"
#include "cortado/client.h"

namespace cortado::cli {

// What every command needs: the server connection and where to print.
class CommandContext {
 public:
  CommandContext(std::string server, bool json, std::ostream& out,
                 std::ostream& err);

  // Connects on first use, not before: `watch` must block its signals before
  // gRPC starts threads (which inherit the signal mask).
  absl::StatusOr<client::Client*> client();

  // The server's "host:port" (topic commands open their own channel).
  const std::string& server() const { return server_; }
  bool json() const { return json_; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }

  // Flushes stdout and reports whether everything printed so far was
  // written. Commands that delete messages call it first, so that a message
  // is never deleted after its output went into a closed pipe.
  absl::Status FlushOut();

 private:
  const std::string server_;
  const bool json_;
  std::ostream& out_;
  std::ostream& err_;
  std::unique_ptr<client::Client> client_;
};

// Flags every command accepts.
inline constexpr absl::string_view kGlobalFlags[] = {"server", "json", "help"};

// How a command is called, for CheckUsage and its error messages.
struct Usage {
  absl::string_view command;   // "queue create"
  absl::string_view synopsis;  // "NAME [--attr K=V]... [--tag K=V]..."
  std::vector<absl::string_view> flags;  // besides kGlobalFlags
  // Positional words including the command word(s).
  size_t min_words = 0;
  size_t max_words = 0;
};

// A usage error, quoting the synopsis, for a flag the command does not take
// or a positional count outside [min_words, max_words].
absl::Status CheckUsage(const Args& args, const Usage& usage);

// `positional()` starts with the command word(s) in all of these.
absl::Status RunQueueCommand(CommandContext& context, const Args& args);
absl::Status RunSendCommand(CommandContext& context, const Args& args);
absl::Status RunReceiveCommand(CommandContext& context, const Args& args);
absl::Status RunDeleteCommand(CommandContext& context, const Args& args);
absl::Status RunWatchCommand(CommandContext& context, const Args& args);
absl::Status RunRedriveCommand(CommandContext& context, const Args& args);
absl::Status RunTopicCommand(CommandContext& context, const Args& args);
absl::Status RunListenCommand(CommandContext& context, const Args& args);
absl::Status RunConfigCommand(CommandContext& context, const Args& args);
absl::Status RunClusterCommand(CommandContext& context, const Args& args);

// The text `cortado help` prints; it names every flag of CliFlags() and no
// other (tests/client/help_test.cc checks both ways).
std::string HelpText();

// Every flag the command line accepts (Args::Parse's table).
const std::vector<FlagSpec>& CliFlags();

}  // namespace cortado::cli

#endif  // CORTADO_CLIENT_CLI_COMMANDS_H_
