#include "server/core/receipt_handle.h"

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"

namespace cortado {
namespace {

constexpr size_t kPayloadSize = 8 + 8 + 4;
constexpr size_t kCheckSize = 4;
constexpr size_t kEncodedSize = (kPayloadSize + kCheckSize) / 3 * 4;

void PutUint(uint64_t value, int bytes, char* out) {
  for (int i = bytes - 1; i >= 0; --i) {
    out[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
}

uint64_t GetUint(const char* in, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    value = (value << 8) | static_cast<unsigned char>(in[i]);
  }
  return value;
}

// FNV-1a, salted: detects typos and garbage, not forgery (anyone who may
// receive may also delete).
uint32_t Check(const char* data, size_t size) {
  uint32_t hash = 0x811c9dc5u ^ 0x43525444u;  // "CRTD"
  for (size_t i = 0; i < size; ++i) {
    hash ^= static_cast<unsigned char>(data[i]);
    hash *= 0x01000193u;
  }
  return hash;
}

}  // namespace

std::string EncodeReceiptHandle(const ReceiptHandle& handle) {
  char raw[kPayloadSize + kCheckSize];
  PutUint(handle.queue_id, 8, raw);
  PutUint(handle.sequence, 8, raw + 8);
  PutUint(static_cast<uint32_t>(handle.receive_count), 4, raw + 16);
  PutUint(Check(raw, kPayloadSize), 4, raw + kPayloadSize);
  std::string out;
  absl::WebSafeBase64Escape(absl::string_view(raw, sizeof(raw)), &out);
  return out;
}

std::optional<ReceiptHandle> DecodeReceiptHandle(absl::string_view text) {
  // Exactly the spelling EncodeReceiptHandle writes: 24 bytes are 32
  // characters of the web-safe alphabet, no padding. absl's decoder also
  // skips whitespace and accepts padding, so without this a handle with a
  // space inside it passed for the real one (found by
  // tests/fuzz/receipt_handle_fuzzer).
  if (text.size() != kEncodedSize) return std::nullopt;
  for (const char c : text) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_') {
      return std::nullopt;
    }
  }
  std::string raw;
  if (!absl::WebSafeBase64Unescape(text, &raw)) return std::nullopt;
  if (raw.size() != kPayloadSize + kCheckSize) return std::nullopt;
  if (GetUint(raw.data() + kPayloadSize, 4) !=
      Check(raw.data(), kPayloadSize)) {
    return std::nullopt;
  }
  ReceiptHandle handle;
  handle.queue_id = GetUint(raw.data(), 8);
  handle.sequence = GetUint(raw.data() + 8, 8);
  handle.receive_count = static_cast<int32_t>(GetUint(raw.data() + 16, 4));
  if (handle.receive_count < 1) return std::nullopt;
  return handle;
}

}  // namespace cortado
