// `cortado queue ...`: create, list, delete, inspect and tag queues.
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client/cli/commands.h"
#include "client/cli/json.h"
#include "client/cli/key_value.h"
#include "client/cli/output.h"

namespace cortado::cli {
namespace {

constexpr size_t kAnyNumber = std::numeric_limits<size_t>::max();

// The words after "queue SUBCOMMAND NAME".
std::vector<std::string> Rest(const Args& args) {
  return {args.positional().begin() + 3, args.positional().end()};
}

absl::Status Create(CommandContext& context, client::Client& client,
                    const Args& args) {
  absl::StatusOr<client::StringMap> attributes =
      ParseKeyValues(args.GetAll("attr"), "queue attribute");
  if (!attributes.ok()) return attributes.status();
  absl::StatusOr<client::StringMap> tags =
      ParseKeyValues(args.GetAll("tag"), "tag");
  if (!tags.ok()) return tags.status();
  absl::StatusOr<client::QueueInfo> queue =
      client.CreateQueue(args.positional()[2], *attributes, *tags);
  if (!queue.ok()) return queue.status();
  if (context.json()) {
    context.out() << JsonObject()
                         .Add("QueueName", queue->name)
                         .Add("QueueUrl", queue->url)
                         .Add("QueueArn", queue->arn)
                         .Build()
                  << "\n";
  } else {
    context.out() << "Queue " << queue->name << " is ready";
    if (!queue->url.empty()) context.out() << " at " << queue->url;
    context.out() << "\n";
  }
  return absl::OkStatus();
}

absl::Status List(CommandContext& context, client::Client& client,
                  const Args& args) {
  client::ListQueuesOptions options;
  options.prefix = args.Get("prefix").value_or("");
  absl::StatusOr<client::QueueList> queues = client.ListQueues(options);
  if (!queues.ok()) return queues.status();
  if (context.json()) {
    context.out() << JsonObject()
                         .AddRaw("QueueNames", JsonStringArray(queues->names))
                         .AddRaw("QueueUrls", JsonStringArray(queues->urls))
                         .Build()
                  << "\n";
  } else {
    for (const std::string& name : queues->names) context.out() << name << "\n";
  }
  return absl::OkStatus();
}

absl::Status Attributes(CommandContext& context, client::Client& client,
                        const Args& args) {
  std::vector<std::string> names = Rest(args);
  if (names.empty()) names.push_back("All");
  absl::StatusOr<client::StringMap> attributes =
      client.GetQueueAttributes(args.positional()[2], names);
  if (!attributes.ok()) return attributes.status();
  if (context.json()) {
    context.out()
        << JsonObject().AddRaw("Attributes", JsonStringMap(*attributes)).Build()
        << "\n";
  } else {
    context.out() << AlignedPairs(*attributes);
  }
  return absl::OkStatus();
}

absl::Status Tags(CommandContext& context, client::Client& client,
                  const Args& args) {
  absl::StatusOr<client::StringMap> tags =
      client.ListQueueTags(args.positional()[2]);
  if (!tags.ok()) return tags.status();
  if (context.json()) {
    context.out() << JsonObject().AddRaw("Tags", JsonStringMap(*tags)).Build()
                  << "\n";
  } else {
    context.out() << AlignedPairs(*tags);
  }
  return absl::OkStatus();
}

// Commands whose only output is a confirmation: the human form prints
// `done`; the JSON form prints nothing, the exit code says it all.
absl::Status Confirm(CommandContext& context, absl::Status status,
                     absl::string_view done) {
  if (status.ok() && !context.json()) context.out() << done << "\n";
  return status;
}

const Usage kCreate{"queue create",
                    "NAME [--attr K=V]... [--tag K=V]...",
                    {"attr", "tag"},
                    3,
                    3};
const Usage kList{"queue list", "[--prefix P]", {"prefix"}, 2, 2};
const Usage kDelete{"queue delete", "NAME", {}, 3, 3};
const Usage kAttrs{"queue attrs", "NAME [ATTRIBUTE]...", {}, 3, kAnyNumber};
const Usage kSet{"queue set", "NAME K=V...", {}, 4, kAnyNumber};
const Usage kPurge{"queue purge", "NAME", {}, 3, 3};
const Usage kTag{"queue tag", "NAME K=V...", {}, 4, kAnyNumber};
const Usage kUntag{"queue untag", "NAME KEY...", {}, 4, kAnyNumber};
const Usage kTags{"queue tags", "NAME", {}, 3, 3};

}  // namespace

absl::Status RunQueueCommand(CommandContext& context, const Args& args) {
  const std::vector<std::string>& words = args.positional();
  const std::string subcommand = words.size() > 1 ? words[1] : "";
  const Usage* usage = nullptr;
  for (const Usage* candidate : {&kCreate, &kList, &kDelete, &kAttrs, &kSet,
                                 &kPurge, &kTag, &kUntag, &kTags}) {
    if (absl::StripPrefix(candidate->command, "queue ") == subcommand) {
      usage = candidate;
    }
  }
  if (usage == nullptr) {
    return UsageError(
        subcommand.empty()
            ? "'queue' needs a subcommand: create, list, delete, attrs, set, "
              "purge, tag, untag or tags"
            : absl::StrCat("unknown subcommand 'queue ", subcommand,
                           "'; see 'cortado help'"));
  }
  if (absl::Status status = CheckUsage(args, *usage); !status.ok()) {
    return status;
  }
  absl::StatusOr<client::Client*> client = context.client();
  if (!client.ok()) return client.status();
  client::Client& broker = **client;

  if (usage == &kCreate) return Create(context, broker, args);
  if (usage == &kList) return List(context, broker, args);
  if (usage == &kAttrs) return Attributes(context, broker, args);
  if (usage == &kTags) return Tags(context, broker, args);
  const std::string& queue = words[2];
  if (usage == &kDelete) {
    return Confirm(context, broker.DeleteQueue(queue),
                   absl::StrCat("Deleted queue ", queue));
  }
  if (usage == &kPurge) {
    return Confirm(context, broker.PurgeQueue(queue),
                   absl::StrCat("Purged queue ", queue));
  }
  if (usage == &kUntag) {
    return Confirm(context, broker.UntagQueue(queue, Rest(args)),
                   absl::StrCat("Untagged queue ", queue));
  }
  // set and tag: K=V words.
  bool is_set = usage == &kSet;
  absl::StatusOr<client::StringMap> pairs =
      ParseKeyValues(Rest(args), is_set ? "queue attribute" : "tag");
  if (!pairs.ok()) return pairs.status();
  if (is_set) {
    return Confirm(context, broker.SetQueueAttributes(queue, *pairs),
                   absl::StrCat("Updated queue ", queue));
  }
  return Confirm(context, broker.TagQueue(queue, *pairs),
                 absl::StrCat("Tagged queue ", queue));
}

}  // namespace cortado::cli
