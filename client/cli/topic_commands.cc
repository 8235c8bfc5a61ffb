// `cortado topic ...` (create, list, delete, subscribe, publish) and
// `cortado listen TOPIC`. Topics may be named by ARN or by plain name (looked
// up in ListTopics); queues to subscribe by name or ARN.
#include <pthread.h>
#include <signal.h>

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "client/cli/commands.h"
#include "client/cli/json.h"
#include "client/cli/key_value.h"
#include "client/cli/output.h"
#include "cortado/topics.h"

namespace cortado::cli {
namespace {

absl::StatusOr<std::unique_ptr<client::TopicClient>> Connect(
    CommandContext& context) {
  absl::StatusOr<std::unique_ptr<client::TopicClient>> topics =
      client::TopicClient::Connect(context.server());
  if (!topics.ok()) return UsageError(topics.status().message());
  return topics;
}

// An ARN as given, or the ARN of the topic with that name.
absl::StatusOr<std::string> ResolveTopic(client::TopicClient& topics,
                                         const std::string& topic) {
  if (absl::StartsWith(topic, "arn:")) return topic;
  std::string token;
  do {
    absl::StatusOr<client::TopicList> page = topics.ListTopics(token);
    if (!page.ok()) return page.status();
    for (const std::string& arn : page->topic_arns) {
      if (absl::EndsWith(arn, absl::StrCat(":", topic))) return arn;
    }
    token = page->next_token;
  } while (!token.empty());
  return absl::NotFoundError(absl::StrCat("no topic named '", topic, "'"));
}

absl::Status Create(CommandContext& context, client::TopicClient& topics,
                    const Args& args) {
  absl::StatusOr<client::StringMap> attributes =
      ParseKeyValues(args.GetAll("attr"), "topic attribute");
  if (!attributes.ok()) return attributes.status();
  absl::StatusOr<client::StringMap> tags =
      ParseKeyValues(args.GetAll("tag"), "tag");
  if (!tags.ok()) return tags.status();
  absl::StatusOr<std::string> arn =
      topics.CreateTopic(args.positional()[2], *attributes, *tags);
  if (!arn.ok()) return arn.status();
  if (context.json()) {
    context.out() << JsonObject().Add("TopicArn", *arn).Build() << "\n";
  } else {
    context.out() << *arn << "\n";
  }
  return absl::OkStatus();
}

absl::Status List(CommandContext& context, client::TopicClient& topics) {
  std::vector<std::string> arns;
  std::string token;
  do {
    absl::StatusOr<client::TopicList> page = topics.ListTopics(token);
    if (!page.ok()) return page.status();
    arns.insert(arns.end(), page->topic_arns.begin(), page->topic_arns.end());
    token = page->next_token;
  } while (!token.empty());
  if (context.json()) {
    context.out()
        << JsonObject().AddRaw("TopicArns", JsonStringArray(arns)).Build()
        << "\n";
  } else {
    for (const std::string& arn : arns) context.out() << arn << "\n";
  }
  return absl::OkStatus();
}

absl::Status Subscribe(CommandContext& context, client::TopicClient& topics,
                       const std::string& topic_arn, const Args& args) {
  std::string endpoint = args.positional()[3];
  if (!absl::StartsWith(endpoint, "arn:")) {
    absl::StatusOr<client::Client*> queues = context.client();
    if (!queues.ok()) return queues.status();
    absl::StatusOr<client::StringMap> attributes =
        (*queues)->GetQueueAttributes(endpoint, {"QueueArn"});
    if (!attributes.ok()) return attributes.status();
    endpoint = (*attributes)["QueueArn"];
  }
  absl::StatusOr<client::StringMap> attributes =
      ParseKeyValues(args.GetAll("attr"), "subscription attribute");
  if (!attributes.ok()) return attributes.status();
  if (args.Has("raw")) (*attributes)["RawMessageDelivery"] = "true";
  if (std::optional<std::string> filter = args.Get("filter")) {
    (*attributes)["FilterPolicy"] = *filter;
  }
  absl::StatusOr<std::string> arn =
      topics.Subscribe(topic_arn, "sqs", endpoint, *attributes);
  if (!arn.ok()) return arn.status();
  if (context.json()) {
    context.out() << JsonObject().Add("SubscriptionArn", *arn).Build() << "\n";
  } else {
    context.out() << *arn << "\n";
  }
  return absl::OkStatus();
}

absl::Status Publish(CommandContext& context, client::TopicClient& topics,
                     const std::string& topic_arn, const Args& args) {
  client::PublishOptions options;
  options.subject = args.Get("subject").value_or("");
  options.message_group_id = args.Get("group").value_or("");
  options.message_deduplication_id = args.Get("dedup").value_or("");
  for (const std::string& word : args.GetAll("attr")) {
    auto attribute = ParseMessageAttribute(word);
    if (!attribute.ok()) return attribute.status();
    options.attributes[attribute->first] = attribute->second;
  }
  absl::StatusOr<client::PublishResult> published =
      topics.Publish(topic_arn, args.positional()[3], options);
  if (!published.ok()) return published.status();
  if (context.json()) {
    JsonObject json;
    json.Add("MessageId", published->message_id);
    if (!published->sequence_number.empty()) {
      json.Add("SequenceNumber", published->sequence_number);
    }
    context.out() << json.Build() << "\n";
  } else {
    context.out() << published->message_id << "\n";
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunTopicCommand(CommandContext& context, const Args& args) {
  static const Usage kCreate{"topic create",
                             "NAME [--attr K=V]... [--tag K=V]...",
                             {"attr", "tag"},
                             3,
                             3};
  static const Usage kList{"topic list", "", {}, 2, 2};
  static const Usage kDelete{"topic delete", "TOPIC", {}, 3, 3};
  static const Usage kSubscribe{
      "topic subscribe",
      "TOPIC QUEUE [--raw] [--filter JSON] [--attr K=V]...",
      {"raw", "filter", "attr"},
      4,
      4};
  static const Usage kPublish{
      "topic publish",
      "TOPIC MESSAGE [--subject S] [--attr NAME=VALUE]... [--group G] "
      "[--dedup D]",
      {"subject", "attr", "group", "dedup"},
      4,
      4};
  if (args.positional().size() < 2) {
    return UsageError(
        "usage: cortado topic create|list|delete|subscribe|publish ...");
  }
  const std::string& sub = args.positional()[1];
  const Usage* usage = sub == "create"      ? &kCreate
                       : sub == "list"      ? &kList
                       : sub == "delete"    ? &kDelete
                       : sub == "subscribe" ? &kSubscribe
                       : sub == "publish"   ? &kPublish
                                            : nullptr;
  if (usage == nullptr) {
    return UsageError(
        absl::StrCat("unknown topic command '", sub, "'; see 'cortado help'"));
  }
  if (absl::Status status = CheckUsage(args, *usage); !status.ok()) {
    return status;
  }
  absl::StatusOr<std::unique_ptr<client::TopicClient>> topics =
      Connect(context);
  if (!topics.ok()) return topics.status();
  if (sub == "create") return Create(context, **topics, args);
  if (sub == "list") return List(context, **topics);
  absl::StatusOr<std::string> arn =
      ResolveTopic(**topics, args.positional()[2]);
  if (!arn.ok()) return arn.status();
  if (sub == "delete") return (*topics)->DeleteTopic(*arn);
  if (sub == "subscribe") return Subscribe(context, **topics, *arn, args);
  return Publish(context, **topics, *arn, args);
}

// `cortado listen TOPIC`: a push subscription. Each message is printed the
// moment the server pushes it, then acknowledged. SIGINT/SIGTERM close the
// stream; unacknowledged messages go back to the listener's durable queue.
absl::Status RunListenCommand(CommandContext& context, const Args& args) {
  static const Usage kListen{
      "listen",
      "TOPIC [--listener NAME] [--window N] [--visibility N] [--filter JSON]",
      {"listener", "window", "visibility", "filter"},
      2,
      2};
  if (absl::Status status = CheckUsage(args, kListen); !status.ok()) {
    return status;
  }
  client::ListenOptions options;
  options.listener = args.Get("listener").value_or("cli");
  absl::StatusOr<std::optional<int>> window = args.GetInt("window", 1, 1000);
  if (!window.ok()) return window.status();
  options.window = window->value_or(10);
  absl::StatusOr<std::optional<int>> visibility =
      args.GetInt("visibility", 1, 43200);
  if (!visibility.ok()) return visibility.status();
  if (*visibility) options.visibility_timeout = absl::Seconds(**visibility);
  options.filter_policy = args.Get("filter").value_or("");

  // As in `watch`: block the signals before gRPC starts threads.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &signals, &previous);

  absl::Mutex mu;
  client::Listener* open = nullptr;  // guarded by mu
  bool stopped = false;              // guarded by mu
  std::thread signal_thread([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    absl::MutexLock lock(&mu);
    stopped = signal != SIGUSR1;
    if (open != nullptr) open->Close();
  });
  absl::Status status = [&]() -> absl::Status {
    absl::StatusOr<std::unique_ptr<client::TopicClient>> topics =
        Connect(context);
    if (!topics.ok()) return topics.status();
    absl::StatusOr<std::string> arn =
        ResolveTopic(**topics, args.positional()[1]);
    if (!arn.ok()) return arn.status();
    absl::StatusOr<std::unique_ptr<client::Listener>> listener =
        (*topics)->Listen(*arn, options);
    if (!listener.ok()) return listener.status();
    {
      absl::MutexLock lock(&mu);
      if (stopped) return absl::OkStatus();
      open = listener->get();
    }
    for (;;) {
      absl::StatusOr<std::optional<client::Message>> next =
          (*listener)->Next(absl::InfiniteDuration());
      if (!next.ok()) {
        absl::MutexLock lock(&mu);
        open = nullptr;
        return stopped ? absl::OkStatus() : next.status();
      }
      if (!next->has_value()) continue;
      const client::Message& message = **next;
      context.out() << (context.json() ? MessageJson(message) + "\n"
                                       : MessageText(message));
      if (absl::Status printed = context.FlushOut(); !printed.ok()) {
        absl::MutexLock lock(&mu);
        open = nullptr;
        return printed;
      }
      (void)(*listener)->Ack(message.receipt_handle);
    }
  }();
  {
    absl::MutexLock lock(&mu);
    if (!stopped) pthread_kill(signal_thread.native_handle(), SIGUSR1);
  }
  signal_thread.join();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return status;
}

}  // namespace cortado::cli
