#include "server/core/fifo.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/core/errors.h"
#include "server/core/message_attributes.h"

namespace cortado {

std::string FifoSequenceNumber(uint64_t sequence) {
  // 10^19 + sequence: always 20 digits (sequence < 2^64 < 9 * 10^19), so
  // string order matches numeric order as well.
  unsigned __int128 value =
      static_cast<unsigned __int128>(10000000000000000000ULL) + sequence;
  char digits[40];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(value % 10));
    value /= 10;
  } while (value != 0);
  std::string out(digits, n);
  std::reverse(out.begin(), out.end());
  return out;
}

std::string DedupScopeKey(absl::string_view scope,
                          absl::string_view message_group_id,
                          absl::string_view deduplication_id) {
  if (scope == "messageGroup") {
    return absl::StrCat(message_group_id, " ", deduplication_id);
  }
  return std::string(deduplication_id);
}

bool IsValidFifoId(absl::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return c > ' ' && c < 0x7f; });
}

namespace {

absl::Status InvalidFifoIdError(absl::string_view parameter,
                                absl::string_view value) {
  return InvalidParameterValueError(absl::StrCat(
      "Value ", value, " for parameter ", parameter,
      " is invalid. Reason: ", parameter,
      " can only include alphanumeric and punctuation characters. 1 to 128 "
      "in length."));
}

}  // namespace

absl::Status CheckGroupAndDeduplication(const QueueAttributes& attributes,
                                        const SendMessageEntry& entry,
                                        std::string* deduplication_id) {
  deduplication_id->clear();
  // On standard queues a group id is accepted (fair queues); a dedup id is
  // not.
  if (!entry.message_group_id.empty() &&
      !IsValidFifoId(entry.message_group_id)) {
    return InvalidFifoIdError("MessageGroupId", entry.message_group_id);
  }
  if (!attributes.fifo_queue) {
    if (!entry.message_deduplication_id.empty()) {
      return InvalidParameterValueError(absl::StrCat(
          "Value ", entry.message_deduplication_id,
          " for parameter MessageDeduplicationId is invalid. Reason: The "
          "request include parameter that is not valid for this queue "
          "type."));
    }
    return absl::OkStatus();
  }
  if (entry.message_group_id.empty()) {
    return MakeError(ErrorKind::kMissingParameter,
                     "The request must contain the parameter MessageGroupId.");
  }
  if (entry.delay_seconds.has_value() && *entry.delay_seconds != 0) {
    return InvalidParameterValueError(absl::StrCat(
        "Value ", *entry.delay_seconds,
        " for parameter DelaySeconds is invalid. Reason: The request include "
        "parameter that is not valid for this queue type."));
  }
  if (!entry.message_deduplication_id.empty()) {
    if (!IsValidFifoId(entry.message_deduplication_id)) {
      return InvalidFifoIdError("MessageDeduplicationId",
                                entry.message_deduplication_id);
    }
    *deduplication_id = entry.message_deduplication_id;
    return absl::OkStatus();
  }
  if (!attributes.content_based_deduplication) {
    return InvalidParameterValueError(
        "The queue should either have ContentBasedDeduplication enabled or "
        "MessageDeduplicationId provided explicitly");
  }
  *deduplication_id = Sha256Hex(entry.body);
  return absl::OkStatus();
}

absl::Status ExpiredReceiptHandleError(absl::string_view handle) {
  return InvalidParameterValueError(
      absl::StrCat("Value ", handle,
                   " for parameter ReceiptHandle is invalid. Reason: The "
                   "receipt handle has expired."));
}

}  // namespace cortado
