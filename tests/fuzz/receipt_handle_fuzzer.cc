// Receipt handles: whatever a client sends as a ReceiptHandle is decoded;
// one that decodes must be exactly what EncodeReceiptHandle makes of the
// decoded fields (a handle has one spelling, so a forged variant of a real
// handle is never taken for it).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "server/core/receipt_handle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<cortado::ReceiptHandle> handle =
      cortado::DecodeReceiptHandle(text);
  if (!handle) return 0;
  if (cortado::EncodeReceiptHandle(*handle) != text) abort();
  return 0;
}
