// Receipt handles: opaque, URL-safe strings naming one receive of one
// message. They carry the queue's id (never reused, so a handle of another
// or a deleted queue is recognised as foreign), the message's sequence and
// the receive count at that receive (so every receive mints a new handle and
// stale handles can be told apart), plus a check value that rejects garbage.
// Thread-safety: pure functions.
#ifndef CORTADO_SERVER_CORE_RECEIPT_HANDLE_H_
#define CORTADO_SERVER_CORE_RECEIPT_HANDLE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace cortado {

struct ReceiptHandle {
  uint64_t queue_id = 0;
  uint64_t sequence = 0;
  int32_t receive_count = 0;
};

std::string EncodeReceiptHandle(const ReceiptHandle& handle);

// nullopt for anything EncodeReceiptHandle did not produce.
std::optional<ReceiptHandle> DecodeReceiptHandle(absl::string_view text);

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_RECEIPT_HANDLE_H_
