// `cortado watch QUEUE`: follows a queue like `tail -f`. It long-polls
// forever, prints each message and deletes it once printed (unless
// --no-delete), rides out a restarting server, and stops cleanly on SIGINT
// or SIGTERM: the poll in progress is cancelled, a batch already received
// is still printed and deleted, and the exit code is 0.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/cli/commands.h"
#include "client/cli/output.h"
#include "cortado/cancellation.h"

namespace cortado::cli {
namespace {

const Usage kWatch{"watch",
                   "QUEUE [--no-delete] [--max N] [--visibility N]",
                   {"no-delete", "max", "visibility"},
                   2,
                   2};

// Sent by the main thread to end the signal thread's sigwait() when the
// watch ends for another reason.
constexpr int kWakeSignal = SIGUSR1;

// Errors that a restarting or briefly unreachable server produces.
bool IsTransient(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status);
}

absl::Status DeleteAll(client::Client& client, const std::string& queue,
                       const std::vector<client::Message>& messages,
                       std::ostream& err) {
  std::vector<client::DeleteBatchEntry> entries;
  for (size_t i = 0; i < messages.size(); ++i) {
    entries.push_back({absl::StrCat(i), messages[i].receipt_handle});
  }
  absl::StatusOr<client::BatchResult> deleted =
      client.DeleteMessageBatch(queue, entries);
  if (!deleted.ok()) return deleted.status();
  // A message that failed to delete comes back later; say so and go on.
  for (const client::BatchError& error : deleted->failed) {
    size_t index = 0;
    if (absl::SimpleAtoi(error.id, &index) && index < messages.size()) {
      err << "cortado: " << error.code << ": message "
          << messages[index].message_id << " was not deleted: " << error.message
          << "\n";
    }
  }
  return absl::OkStatus();
}

absl::Status Follow(CommandContext& context, client::Client& client,
                    const std::string& queue, client::ReceiveOptions options,
                    bool delete_messages, client::Cancellation& stop) {
  constexpr absl::Duration kFirstBackoff = absl::Milliseconds(200);
  constexpr absl::Duration kMaxBackoff = absl::Seconds(2);
  absl::Duration backoff = kFirstBackoff;
  while (!stop.IsCancelled()) {
    absl::StatusOr<std::vector<client::Message>> messages =
        client.ReceiveMessage(queue, options);
    if (!messages.ok()) {
      if (stop.IsCancelled()) return absl::OkStatus();
      if (!IsTransient(messages.status())) return messages.status();
      if (backoff == kFirstBackoff) {
        context.err() << "cortado: " << messages.status().message()
                      << "; retrying\n";
      }
      if (stop.WaitForCancel(backoff)) return absl::OkStatus();
      backoff = std::min(backoff * 2, kMaxBackoff);
      continue;
    }
    backoff = kFirstBackoff;
    for (const client::Message& message : *messages) {
      context.out() << (context.json() ? MessageJson(message) + "\n"
                                       : MessageText(message));
    }
    if (absl::Status printed = context.FlushOut(); !printed.ok()) {
      return printed;
    }
    if (delete_messages && !messages->empty()) {
      absl::Status deleted = DeleteAll(client, queue, *messages, context.err());
      if (!deleted.ok()) return deleted;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunWatchCommand(CommandContext& context, const Args& args) {
  if (absl::Status status = CheckUsage(args, kWatch); !status.ok()) {
    return status;
  }
  client::ReceiveOptions options;
  options.wait = absl::Seconds(20);
  absl::StatusOr<std::optional<int>> max = args.GetInt("max", 1, 10);
  if (!max.ok()) return max.status();
  options.max_messages = max->value_or(10);
  absl::StatusOr<std::optional<int>> visibility =
      args.GetInt("visibility", 0, 43200);
  if (!visibility.ok()) return visibility.status();
  if (*visibility) options.visibility_timeout = absl::Seconds(**visibility);

  // Block the signals before the first gRPC thread exists, so that every
  // thread inherits the mask and only the sigwait() below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, kWakeSignal);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &signals, &previous);

  absl::StatusOr<client::Client*> client = context.client();
  if (!client.ok()) return client.status();
  client::Cancellation stop;
  options.cancellation = &stop;
  std::thread signal_thread([&signals, &stop] {
    int signal = 0;
    sigwait(&signals, &signal);
    stop.Cancel();
  });
  if (!context.json() && isatty(STDERR_FILENO)) {
    context.err() << "Watching " << args.positional()[1]
                  << " (Ctrl-C to stop)\n";
  }
  absl::Status status = Follow(context, **client, args.positional()[1], options,
                               !args.Has("no-delete"), stop);
  if (!stop.IsCancelled())
    pthread_kill(signal_thread.native_handle(), kWakeSignal);
  signal_thread.join();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return status;
}

}  // namespace cortado::cli
