#include "client/coffee/order.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace cortado::coffee {
namespace {

// Counts the code points of `text`, or returns -1 if it is not valid UTF-8
// or holds a control character (PostgreSQL rejects invalid UTF-8 and NUL;
// other control characters are never part of a coffee's name).
int CountCharacters(absl::string_view text) {
  int count = 0;
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    int length = 0;
    uint32_t code_point = 0;
    if (lead < 0x80) {
      length = 1;
      code_point = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return -1;
    }
    if (i + length > text.size()) return -1;
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return -1;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not
    // UTF-8.
    static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kMinForLength[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return -1;
    }
    if (code_point < 0x20 || (code_point >= 0x7F && code_point < 0xA0)) {
      return -1;
    }
    i += length;
    ++count;
  }
  return count;
}

// Strict "YYYY-MM-DD HH:MM:SS": fixed width, digits where digits belong,
// and a date that exists (no February 30th, no hour 24, no leap second).
bool IsValidTimestamp(absl::string_view text) {
  static constexpr absl::string_view kShape = "dddd-dd-dd dd:dd:dd";
  if (text.size() != kShape.size()) return false;
  for (size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] == 'd' ? !absl::ascii_isdigit(text[i])
                         : text[i] != kShape[i]) {
      return false;
    }
  }
  auto number = [&](size_t pos, size_t len) {
    int value = 0;
    for (size_t i = pos; i < pos + len; ++i) value = value * 10 + text[i] - '0';
    return value;
  };
  const int year = number(0, 4), month = number(5, 2), day = number(8, 2);
  const int hour = number(11, 2), minute = number(14, 2),
            second = number(17, 2);
  if (year < 1) return false;  // PostgreSQL has no year 0000 in this format
  // CivilSecond normalizes out-of-range fields (Feb 30 -> Mar 2); a real
  // date and time is one that survives unchanged.
  const absl::CivilSecond civil(year, month, day, hour, minute, second);
  return civil.year() == year && civil.month() == month && civil.day() == day &&
         civil.hour() == hour && civil.minute() == minute &&
         civil.second() == second;
}

}  // namespace

absl::StatusOr<Order> ParseOrder(absl::string_view message_id,
                                 absl::string_view body) {
  body = absl::StripAsciiWhitespace(body);
  const size_t bar = body.find('|');
  if (bar == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "expected \"CoffeeType|YYYY-MM-DD HH:MM:SS\": no '|'");
  }
  if (body.find('|', bar + 1) != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "expected \"CoffeeType|YYYY-MM-DD HH:MM:SS\": more than one '|'");
  }
  const absl::string_view coffee_type =
      absl::StripAsciiWhitespace(body.substr(0, bar));
  const absl::string_view timestamp =
      absl::StripAsciiWhitespace(body.substr(bar + 1));

  const int characters = CountCharacters(coffee_type);
  if (characters < 0) {
    return absl::InvalidArgumentError(
        "coffee type is not valid UTF-8 or contains control characters");
  }
  if (characters == 0) {
    return absl::InvalidArgumentError("coffee type is empty");
  }
  if (characters > kMaxCoffeeTypeChars) {
    return absl::InvalidArgumentError(
        absl::StrCat("coffee type has ", characters, " characters; at most ",
                     kMaxCoffeeTypeChars, " fit coffee_orders.coffee_type"));
  }
  if (!IsValidTimestamp(timestamp)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "timestamp \"", absl::Utf8SafeCHexEscape(timestamp.substr(0, 40)),
        "\" is not a real date and time as YYYY-MM-DD HH:MM:SS"));
  }
  return Order{std::string(message_id), std::string(coffee_type),
               std::string(timestamp)};
}

}  // namespace cortado::coffee
