// `cortado send`, `cortado receive` and `cortado delete`.
#include <unistd.h>

#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/cli/commands.h"
#include "client/cli/key_value.h"
#include "client/cli/output.h"

namespace cortado::cli {
namespace {

const Usage kSend{"send",
                  "QUEUE [BODY] [--attr NAME[:TYPE]=VALUE]... [--delay N] "
                  "[--group G] [--dedup D]",
                  {"attr", "delay", "group", "dedup"},
                  2,
                  3};
const Usage kReceive{"receive",
                     "QUEUE [--wait N] [--max N] [--visibility N] [--delete] "
                     "[--attempt-id ID]",
                     {"wait", "max", "visibility", "delete", "attempt-id"},
                     2,
                     2};
const Usage kDelete{"delete", "QUEUE RECEIPT_HANDLE", {}, 3, 3};

// All of stdin minus one trailing newline, the one `echo` adds.
std::string ReadBodyFromStdin(std::ostream& err) {
  if (isatty(STDIN_FILENO)) {
    err << "cortado: reading the message body from standard input "
           "(end it with Ctrl-D)\n";
  }
  std::string body{std::istreambuf_iterator<char>(std::cin),
                   std::istreambuf_iterator<char>()};
  if (!body.empty() && body.back() == '\n') {
    body.pop_back();
    if (!body.empty() && body.back() == '\r') body.pop_back();
  }
  return body;
}

}  // namespace

absl::Status RunSendCommand(CommandContext& context, const Args& args) {
  if (absl::Status status = CheckUsage(args, kSend); !status.ok()) {
    return status;
  }
  client::SendOptions options;
  for (const std::string& word : args.GetAll("attr")) {
    auto attribute = ParseMessageAttribute(word);
    if (!attribute.ok()) return attribute.status();
    options.attributes[attribute->first] = attribute->second;
  }
  absl::StatusOr<std::optional<int>> delay = args.GetInt("delay", 0, 900);
  if (!delay.ok()) return delay.status();
  if (*delay) options.delay = absl::Seconds(**delay);
  options.group_id = args.Get("group").value_or("");
  options.dedup_id = args.Get("dedup").value_or("");

  // Parse everything before blocking on stdin or touching the network.
  absl::StatusOr<client::Client*> client = context.client();
  if (!client.ok()) return client.status();
  const std::vector<std::string>& words = args.positional();
  std::string body =
      words.size() > 2 ? words[2] : ReadBodyFromStdin(context.err());
  absl::StatusOr<client::SendResult> sent =
      (*client)->SendMessage(words[1], body, options);
  if (!sent.ok()) return sent.status();
  if (context.json()) {
    context.out() << SendResultJson(*sent) << "\n";
  } else {
    context.out() << "Sent message " << sent->message_id;
    if (!sent->sequence_number.empty()) {
      context.out() << " (sequence number " << sent->sequence_number << ")";
    }
    context.out() << "\n";
  }
  return absl::OkStatus();
}

absl::Status RunReceiveCommand(CommandContext& context, const Args& args) {
  if (absl::Status status = CheckUsage(args, kReceive); !status.ok()) {
    return status;
  }
  client::ReceiveOptions options;
  absl::StatusOr<std::optional<int>> wait = args.GetInt("wait", 0, 20);
  if (!wait.ok()) return wait.status();
  if (*wait) options.wait = absl::Seconds(**wait);
  absl::StatusOr<std::optional<int>> max = args.GetInt("max", 1, 10);
  if (!max.ok()) return max.status();
  options.max_messages = max->value_or(1);
  absl::StatusOr<std::optional<int>> visibility =
      args.GetInt("visibility", 0, 43200);
  if (!visibility.ok()) return visibility.status();
  if (*visibility) options.visibility_timeout = absl::Seconds(**visibility);
  options.receive_request_attempt_id = args.Get("attempt-id").value_or("");

  absl::StatusOr<client::Client*> client = context.client();
  if (!client.ok()) return client.status();
  const std::string& queue = args.positional()[1];
  absl::StatusOr<std::vector<client::Message>> messages =
      (*client)->ReceiveMessage(queue, options);
  if (!messages.ok()) return messages.status();
  if (messages->empty() && !context.json()) {
    context.err() << "No messages.\n";
  }
  for (const client::Message& message : *messages) {
    context.out() << (context.json() ? MessageJson(message) + "\n"
                                     : MessageText(message));
  }
  if (!args.Has("delete") || messages->empty()) return absl::OkStatus();

  if (absl::Status printed = context.FlushOut(); !printed.ok()) return printed;
  std::vector<client::DeleteBatchEntry> entries;
  for (size_t i = 0; i < messages->size(); ++i) {
    entries.push_back({absl::StrCat(i), (*messages)[i].receipt_handle});
  }
  absl::StatusOr<client::BatchResult> deleted =
      (*client)->DeleteMessageBatch(queue, entries);
  if (!deleted.ok()) return deleted.status();
  if (!deleted->failed.empty()) {
    const client::BatchError& error = deleted->failed.front();
    return absl::FailedPreconditionError(
        absl::StrCat(deleted->failed.size(), " of ", entries.size(),
                     " messages were not deleted; the first failed with ",
                     error.code, ": ", error.message));
  }
  return absl::OkStatus();
}

absl::Status RunDeleteCommand(CommandContext& context, const Args& args) {
  if (absl::Status status = CheckUsage(args, kDelete); !status.ok()) {
    return status;
  }
  absl::StatusOr<client::Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::Status status =
      (*client)->DeleteMessage(args.positional()[1], args.positional()[2]);
  if (status.ok() && !context.json()) context.out() << "Deleted message\n";
  return status;
}

}  // namespace cortado::cli
