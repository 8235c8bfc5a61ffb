#include <utility>

#include "absl/strings/str_cat.h"
#include "client/cli/commands.h"

namespace cortado::cli {

CommandContext::CommandContext(std::string server, bool json, std::ostream& out,
                               std::ostream& err)
    : server_(std::move(server)), json_(json), out_(out), err_(err) {}

absl::StatusOr<client::Client*> CommandContext::client() {
  if (client_ == nullptr) {
    absl::StatusOr<std::unique_ptr<client::Client>> connected =
        client::Client::Connect(server_);
    if (!connected.ok()) return UsageError(connected.status().message());
    client_ = *std::move(connected);
  }
  return client_.get();
}

absl::Status CommandContext::FlushOut() {
  out_.flush();
  if (!out_) {
    return absl::DataLossError(
        "could not write to standard output; nothing more was deleted");
  }
  return absl::OkStatus();
}

absl::Status CheckUsage(const Args& args, const Usage& usage) {
  std::vector<absl::string_view> flags = usage.flags;
  flags.insert(flags.end(), std::begin(kGlobalFlags), std::end(kGlobalFlags));
  std::string synopsis =
      absl::StrCat("usage: cortado ", usage.command, " ", usage.synopsis);
  if (absl::Status status = args.AllowOnly(usage.command, flags);
      !status.ok()) {
    return UsageError(absl::StrCat(status.message(), "; ", synopsis));
  }
  size_t words = args.positional().size();
  if (words < usage.min_words) {
    return UsageError(
        absl::StrCat("'", usage.command, "' needs more arguments; ", synopsis));
  }
  if (words > usage.max_words) {
    return UsageError(absl::StrCat("'", usage.command, "' got an unexpected \"",
                                   args.positional()[usage.max_words], "\"; ",
                                   synopsis));
  }
  return absl::OkStatus();
}

}  // namespace cortado::cli
