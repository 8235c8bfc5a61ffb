// Builds the State of one queue, topic or subscription from what a server
// reports (GetQueueAttributes "All", GetTopicAttributes, ...): only the
// settable attributes, a RedrivePolicy as its DeadLetter. Both Targets read
// through these, so the server and the CLI see the same state.
// Thread-safety: pure functions.
#ifndef CORTADO_COMMON_CONFIG_STATE_H_
#define CORTADO_COMMON_CONFIG_STATE_H_

#include <string>

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

}  // namespace cortado::config

#endif  // CORTADO_COMMON_CONFIG_STATE_H_
