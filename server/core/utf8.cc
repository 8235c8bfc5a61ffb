#include "server/core/utf8.h"

namespace cortado {

std::optional<uint32_t> NextCodePoint(absl::string_view utf8, size_t& i) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(utf8.data());
  const size_t size = utf8.size();
  if (i >= size) return std::nullopt;
  const unsigned char lead = bytes[i];
  uint32_t code_point;
  size_t continuation;
  uint32_t minimum;  // smallest code point this length may encode
  if (lead < 0x80) {
    code_point = lead;
    continuation = 0;
    minimum = 0;
  } else if ((lead & 0xE0) == 0xC0) {
    code_point = lead & 0x1F;
    continuation = 1;
    minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    code_point = lead & 0x0F;
    continuation = 2;
    minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    code_point = lead & 0x07;
    continuation = 3;
    minimum = 0x10000;
  } else {
    return std::nullopt;  // stray continuation byte or 0xF8-0xFF
  }
  if (continuation > size - i - 1) return std::nullopt;  // truncated
  for (size_t k = 1; k <= continuation; ++k) {
    const unsigned char next = bytes[i + k];
    if ((next & 0xC0) != 0x80) return std::nullopt;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  if (code_point < minimum) return std::nullopt;  // overlong
  if ((code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF) {
    return std::nullopt;
  }
  i += continuation + 1;
  return code_point;
}

std::optional<size_t> CountCodePoints(absl::string_view utf8) {
  size_t count = 0;
  for (size_t i = 0; i < utf8.size(); ++count) {
    if (!NextCodePoint(utf8, i).has_value()) return std::nullopt;
  }
  return count;
}

}  // namespace cortado
