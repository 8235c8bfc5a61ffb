#include "server/core/system_attributes.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/core/fifo.h"

namespace cortado {
namespace {

std::string MillisString(absl::Time t) {
  return absl::StrCat(absl::ToUnixMillis(t));
}

bool Wants(const std::vector<std::string>& names, absl::string_view name) {
  for (const std::string& n : names) {
    if (n == "All" || n == name) return true;
  }
  return false;
}

}  // namespace

// The system attributes a receive asked for that the message has.
std::map<std::string, std::string> SelectSystemAttributes(
    const Message& message, const SenderIds& senders,
    const std::vector<std::string>& names) {
  std::map<std::string, std::string> out;
  if (names.empty()) return out;
  if (Wants(names, "SenderId")) {
    out["SenderId"] = message.sender_id(senders);
  }
  if (Wants(names, "SentTimestamp")) {
    out["SentTimestamp"] = MillisString(message.sent());
  }
  if (Wants(names, "ApproximateReceiveCount")) {
    out["ApproximateReceiveCount"] = absl::StrCat(message.receive_count());
  }
  if (Wants(names, "ApproximateFirstReceiveTimestamp")) {
    out["ApproximateFirstReceiveTimestamp"] =
        MillisString(message.first_receive());
  }
  const MessageAttributes& system = message.system_attributes();
  auto trace = system.find("AWSTraceHeader");
  if (trace != system.end() && Wants(names, "AWSTraceHeader")) {
    out["AWSTraceHeader"] = trace->second.string_value;
  }
  if (!message.message_group_id().empty() && Wants(names, "MessageGroupId")) {
    out["MessageGroupId"] = message.message_group_id();
  }
  // Only FIFO messages carry a deduplication id (explicit or content-based).
  if (!message.message_deduplication_id().empty()) {
    if (Wants(names, "MessageDeduplicationId")) {
      out["MessageDeduplicationId"] = message.message_deduplication_id();
    }
    if (Wants(names, "SequenceNumber")) {
      out["SequenceNumber"] = FifoSequenceNumber(message.sequence());
    }
  }
  if (!message.dead_letter_source_arn().empty() &&
      Wants(names, "DeadLetterQueueSourceArn")) {
    out["DeadLetterQueueSourceArn"] = message.dead_letter_source_arn();
  }
  return out;
}

}  // namespace cortado
