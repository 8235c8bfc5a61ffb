// PreparedSend is what a send computes from its own request alone: whether
// the body is acceptable, the MD5 digests SQS answers with, and a fresh
// message id. Broker::SendMessage and SendMessageBatch compute it on the
// caller's thread (a transport's I/O thread) before the send is queued, so
// the broker's single writer thread, which plans and commits every call,
// does not (docs/PERFORMANCE.md, "The durable SQS path").
// Thread-safety: pure functions.
#ifndef CORTADO_SERVER_CORE_PREPARED_SEND_H_
#define CORTADO_SERVER_CORE_PREPARED_SEND_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/core/api.h"

namespace cortado {

struct PreparedSend {
  // OK, or the error SQS gives for this body (checked in SQS's order, after
  // the queue is found, by PlanSend).
  absl::Status body_check;
  std::string message_id;  // used only if the send enqueues a message
  std::string md5_of_message_body;
  std::string md5_of_message_attributes;         // empty if none
  std::string md5_of_message_system_attributes;  // empty if none
};

PreparedSend PrepareSend(const SendMessageEntry& entry);

// MissingParameter for an empty body, InvalidMessageContents for characters
// SQS does not allow, OK otherwise.
absl::Status CheckMessageBody(absl::string_view body);

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_PREPARED_SEND_H_
