// RouteKeyOf tells what a decoded request is about, for cluster mode's
// routing: the queue or topic whose partition serves it (from QueueUrl or
// QueueName, TopicArn, SubscriptionArn, ResourceArn, a move task's
// SourceArn or TaskHandle), or that it lists every partition.
// Thread-safety: a pure function.
#ifndef CORTADO_GATEWAY_ROUTE_KEY_H_
#define CORTADO_GATEWAY_ROUTE_KEY_H_

#include <string>

#include "absl/strings/string_view.h"
#include "gateway/actions/action.h"
#include "gateway/params.h"

namespace cortado::gateway {

struct RouteKey {
  enum class Kind {
    kName,       // `name` is the queue or topic that decides the partition
    kListing,    // ListQueues, ListTopics, ListSubscriptions: every partition
    kNoneFound,  // a parameter is missing or malformed: the action's own
                 // validation answers it, on any broker
  };
  Kind kind = Kind::kNoneFound;
  std::string name;
};

RouteKey RouteKeyOf(Api api, absl::string_view action, const Params& params,
                    const ActionContext& context);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_ROUTE_KEY_H_
