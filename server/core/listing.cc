#include "server/core/listing.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "server/core/errors.h"

namespace cortado {
namespace {

constexpr int kMaxListResults = 1000;

}  // namespace

absl::StatusOr<QueueNamePage> ParseQueueNamePage(
    int32_t max_results, const std::string& next_token) {
  if (max_results != 0 && (max_results < 1 || max_results > kMaxListResults)) {
    return InvalidParameterValueError(absl::StrCat(
        "Value ", max_results,
        " for parameter MaxResults is invalid. Reason: MaxResults must be an "
        "integer between 1 and 1000."));
  }
  QueueNamePage page;
  if (!next_token.empty() &&
      !absl::WebSafeBase64Unescape(next_token, &page.after)) {
    return InvalidParameterValueError("Invalid NextToken value.");
  }
  page.limit = max_results == 0 ? kMaxListResults : max_results;
  page.tokens = max_results != 0;
  return page;
}

ListQueuesResult PageQueueNames(std::vector<std::string> names,
                                const QueueNamePage& page) {
  names.erase(std::remove_if(
                  names.begin(), names.end(),
                  [&](const std::string& name) { return name <= page.after; }),
              names.end());
  std::sort(names.begin(), names.end());
  ListQueuesResult result;
  if (names.size() > page.limit) {
    names.resize(page.limit);
    // Tokens only when the caller asked for pages (SQS's rule).
    if (page.tokens)
      result.next_token = absl::WebSafeBase64Escape(names.back());
  }
  result.queue_names = std::move(names);
  return result;
}

std::vector<std::string> PageTopicNames(std::vector<std::string> names,
                                        std::string& next_token) {
  if (!next_token.empty()) {
    names.erase(std::remove_if(names.begin(), names.end(),
                               [&](const std::string& name) {
                                 return name <= next_token;
                               }),
                names.end());
  }
  std::sort(names.begin(), names.end());
  next_token.clear();
  if (names.size() > kSnsListPageSize) {
    names.resize(kSnsListPageSize);
    next_token = names.back();
  }
  return names;
}

ListSubscriptionsResult PageSubscriptions(std::vector<SubscriptionInfo> all,
                                          const std::string& next_token) {
  if (!next_token.empty()) {
    all.erase(std::remove_if(all.begin(), all.end(),
                             [&](const SubscriptionInfo& s) {
                               return s.subscription_arn <= next_token;
                             }),
              all.end());
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.subscription_arn < b.subscription_arn;
  });
  ListSubscriptionsResult result;
  if (all.size() > kSnsListPageSize) {
    all.resize(kSnsListPageSize);
    result.next_token = all.back().subscription_arn;
  }
  result.subscriptions = std::move(all);
  return result;
}

}  // namespace cortado
