// Builds the State of one queue, topic or subscription from what a server
// reports (GetQueueAttributes "All", GetTopicAttributes, ...): only the
// settable attributes, a RedrivePolicy as its DeadLetter. Both Targets read
// through these, so the server and the CLI see the same state.
// Thread-safety: pure functions.
#ifndef CORTADO_COMMON_CONFIG_STATE_H_
#define CORTADO_COMMON_CONFIG_STATE_H_

#include <string>

#include "absl/status/status.h"
#include "common/config/model.h"

namespace cortado::config {

QueueState MakeQueueState(const StringMap& reported_attributes,
                          const StringMap& tags);

TopicState MakeTopicState(const StringMap& reported_attributes,
                          const StringMap& tags);

// `endpoint` is the subscribed queue's ARN.
SubscriptionState MakeSubscriptionState(const std::string& arn,
                                        const std::string& endpoint,
                                        const StringMap& reported_attributes);

// Adds a topic's subscriptions to queues to `topic`, page by page, through
// either API: `list(token)` answers a StatusOr of a page with
// `subscriptions` (each with `subscription_arn`, `protocol`, `endpoint`) and
// `next_token`; `attributes(arn)` a StatusOr of the subscription's map.
template <typename List, typename Attributes>
absl::Status ReadSubscriptions(List list, Attributes attributes,
                               TopicState& topic) {
  std::string token;
  do {
    auto page = list(token);
    if (!page.ok()) return page.status();
    for (const auto& info : page->subscriptions) {
      if (info.protocol != "sqs") continue;  // a file declares queues only
      auto reported = attributes(info.subscription_arn);
      if (!reported.ok()) return reported.status();
      topic.subscriptions.push_back(
          MakeSubscriptionState(info.subscription_arn, info.endpoint,
                                StringMap(reported->begin(), reported->end())));
    }
    token = page->next_token;
  } while (!token.empty());
  return absl::OkStatus();
}

}  // namespace cortado::config

#endif  // CORTADO_COMMON_CONFIG_STATE_H_
