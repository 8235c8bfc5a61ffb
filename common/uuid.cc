#include "common/uuid.h"

#include "absl/random/random.h"

namespace cortado {
namespace {

// Where each of the 16 bytes starts in the 8-4-4-4-12 form.
constexpr int kBytePositions[16] = {0,  2,  4,  6,  9,  11, 14, 16,
                                    19, 21, 24, 26, 28, 30, 32, 34};

constexpr char kDigits[] = "0123456789abcdef";

// Hex digit values; -1 for everything else. Lower case only: an upper-case
// id would not format back the same.
struct HexTable {
  int8_t value[256];
  constexpr HexTable() : value() {
    for (int c = 0; c < 256; ++c) value[c] = -1;
    for (int c = '0'; c <= '9'; ++c) value[c] = static_cast<int8_t>(c - '0');
    for (int c = 'a'; c <= 'f'; ++c) {
      value[c] = static_cast<int8_t>(c - 'a' + 10);
    }
  }
};
constexpr HexTable kHex;

// Appends `digits` lower-case hex digits of `value`, most significant first.
char* PutHex(uint64_t value, int digits, char* out) {
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = kDigits[value & 0xf];
    value >>= 4;
  }
  return out + digits;
}

}  // namespace

std::string RandomUuid() {
  thread_local absl::BitGen random;
  const uint64_t high = absl::Uniform<uint64_t>(random);
  const uint64_t low = absl::Uniform<uint64_t>(random);
  // RFC 4122 version 4, variant 1.
  const uint64_t h = (high & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  const uint64_t l = (low & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  // By hand: snprintf's format parsing cost ≈ 2,800 instructions an id.
  std::string id(36, '-');
  char* out = id.data();
  out = PutHex(h >> 32, 8, out) + 1;
  out = PutHex((h >> 16) & 0xffff, 4, out) + 1;
  out = PutHex(h & 0xffff, 4, out) + 1;
  out = PutHex(l >> 48, 4, out) + 1;
  PutHex(l & 0xffffffffffffULL, 12, out);
  return id;
}

// Called for every message at load: a table lookup per digit, no branches
// per position (this was 600 instructions a message as a character loop).
bool ParseUuid(absl::string_view text, uint8_t out[16]) {
  if (text.size() != 36 || text[8] != '-' || text[13] != '-' ||
      text[18] != '-' || text[23] != '-') {
    return false;
  }
  const unsigned char* p = reinterpret_cast<const unsigned char*>(text.data());
  int bad = 0;
  for (int i = 0; i < 16; ++i) {
    const int high = kHex.value[p[kBytePositions[i]]];
    const int low = kHex.value[p[kBytePositions[i] + 1]];
    bad |= high | low;  // negative if either is not a digit
    out[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return bad >= 0;
}

std::string FormatUuid(const uint8_t bytes[16]) {
  std::string out(36, '-');
  for (int i = 0; i < 16; ++i) {
    out[kBytePositions[i]] = kDigits[bytes[i] >> 4];
    out[kBytePositions[i] + 1] = kDigits[bytes[i] & 0xf];
  }
  return out;
}

}  // namespace cortado
