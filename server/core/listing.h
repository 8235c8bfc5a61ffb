// The paging of SQS's and SNS's listings, shared by the broker (its own
// queues and topics) and cluster mode (every partition's, read from
// PostgreSQL), so both page exactly alike.
// Thread-safety: pure functions.
#ifndef CORTADO_SERVER_CORE_LISTING_H_
#define CORTADO_SERVER_CORE_LISTING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/core/api.h"
#include "server/core/topic_api.h"

namespace cortado {

// SQS's ListQueues and ListDeadLetterSourceQueues: MaxResults 1-1000 (0:
// up to 1000, no token) and an opaque NextToken (the last name, base64).
struct QueueNamePage {
  std::string after;  // names after this one
  size_t limit = 0;
  bool tokens = false;  // the caller asked for pages
};
absl::StatusOr<QueueNamePage> ParseQueueNamePage(int32_t max_results,
                                                 const std::string& next_token);
// The page of `names` (any order; those not after page.after are dropped).
ListQueuesResult PageQueueNames(std::vector<std::string> names,
                                const QueueNamePage& page);

// SNS's ListTopics and ListSubscriptions: 100 per page, the token the last
// name (or subscription ARN) of the page.
inline constexpr size_t kSnsListPageSize = 100;
// `names` (any order) after `next_token`, sorted, one page; `next_token`
// is set to the page's last name when more follow, else cleared.
std::vector<std::string> PageTopicNames(std::vector<std::string> names,
                                        std::string& next_token);
ListSubscriptionsResult PageSubscriptions(std::vector<SubscriptionInfo> all,
                                          const std::string& next_token);

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_LISTING_H_
