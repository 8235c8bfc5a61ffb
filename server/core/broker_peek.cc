// PeekMessages: the web console's look at a queue's messages (over gRPC
// and HTTP too, docs/CONSOLE.md). A read under mu_ shared that changes
// nothing, so unlike a receive followed by a visibility reset it never
// counts a receive, never hides a message from consumers and never moves
// one to a dead-letter queue.
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/core/broker.h"
#include "server/core/errors.h"
#include "server/core/message_attributes.h"
#include "server/core/status_macros.h"
#include "server/core/system_attributes.h"

namespace cortado {
namespace {

constexpr int32_t kDefaultPeekMessages = 10;
constexpr int32_t kMaxPeekMessages = 100;

const char* StateName(MessageState state) {
  switch (state) {
    case MessageState::kDelayed:
      return "DELAYED";
    case MessageState::kVisible:
      return "VISIBLE";
    case MessageState::kInFlight:
      return "IN_FLIGHT";
  }
  return "VISIBLE";
}

// The first sequence of the page a token names: "<queue id>-<sequence>", so
// a token of another queue (or of a deleted and recreated one) is refused
// rather than silently read from the wrong place.
absl::StatusOr<uint64_t> PageStart(const Queue& queue,
                                   const std::string& token) {
  if (token.empty()) return 0;
  const std::string prefix = absl::StrCat(queue.id(), "-");
  uint64_t sequence = 0;
  if (token.size() > prefix.size() && token.starts_with(prefix)) {
    const char* begin = token.data() + prefix.size();
    const char* end = token.data() + token.size();
    auto [ptr, error] = std::from_chars(begin, end, sequence);
    if (error == std::errc() && ptr == end) return sequence;
  }
  return InvalidParameterValueError(
      absl::StrCat("Invalid NextToken: ", token, "."));
}

}  // namespace

absl::StatusOr<PeekMessagesResult> Broker::PeekMessages(
    const PeekMessagesRequest& request) const {
  const int32_t max =
      request.max_messages == 0 ? kDefaultPeekMessages : request.max_messages;
  if (max < 1 || max > kMaxPeekMessages) {
    return InvalidParameterValueError(absl::StrCat(
        "Value ", request.max_messages,
        " for parameter MaxNumberOfMessages is invalid. Reason: Must be "
        "between 1 and ",
        kMaxPeekMessages, "."));
  }
  absl::ReaderMutexLock lock(&mu_);
  CORTADO_RETURN_IF_ERROR(CheckReadable());
  CORTADO_ASSIGN_OR_RETURN(const Queue* queue, FindQueue(request.queue_name));
  CORTADO_ASSIGN_OR_RETURN(uint64_t start,
                           PageStart(*queue, request.next_token));
  static const std::vector<std::string> kAll = {"All"};
  PeekMessagesResult result;
  result.oldest_message = queue->OldestSentTime();
  auto it = queue->messages().lower_bound(start);
  for (; it != queue->messages().end() &&
         result.messages.size() < static_cast<size_t>(max);
       ++it) {
    const Message& message = *it->second;
    PeekedMessage& out = result.messages.emplace_back();
    out.message_id = message.message_id();
    out.body = std::string(message.body());
    out.md5_of_body = Md5Hex(message.body());
    out.attributes = SelectSystemAttributes(message, sender_ids_, kAll);
    // Never received: there is no first receive to tell (a receive always
    // has one, so SelectSystemAttributes does not ask).
    if (message.receive_count() == 0) {
      out.attributes.erase("ApproximateFirstReceiveTimestamp");
    }
    out.message_attributes = message.attributes();
    out.receive_count = message.receive_count();
    out.sent = message.sent();
    out.state = StateName(message.state());
    out.visible_at = message.visible_at();
  }
  if (it != queue->messages().end()) {
    result.next_token = absl::StrCat(queue->id(), "-", it->first);
  }
  return result;
}

}  // namespace cortado
