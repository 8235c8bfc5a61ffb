#include "gateway/request_id.h"

#include <cstdint>
#include <random>

namespace cortado::gateway {

std::string NewRequestId() {
  thread_local std::mt19937_64 random(std::random_device{}());
  // 128 random bits with the version (4) and variant (10xx) fields set.
  const uint64_t high = (random() & ~uint64_t{0xf000}) | 0x4000;
  const uint64_t low = (random() >> 2) | (uint64_t{1} << 63);
  // Formatted by hand: StrFormat was a visible cost of every request.
  static constexpr char kHex[] = "0123456789abcdef";
  char text[36];
  size_t at = 0;
  auto put = [&](uint64_t bits, size_t digits) {
    for (size_t i = digits; i > 0; --i, bits >>= 4) {
      text[at + i - 1] = kHex[bits & 15];
    }
    at += digits;
  };
  put(high >> 32, 8);
  text[at++] = '-';
  put(high >> 16, 4);
  text[at++] = '-';
  put(high, 4);
  text[at++] = '-';
  put(low >> 48, 4);
  text[at++] = '-';
  put(low, 12);
  return std::string(text, sizeof(text));
}

}  // namespace cortado::gateway
