#include "server/core/message_attributes.h"

#include <openssl/evp.h>

#include <cstddef>
#include <memory>
#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/core/errors.h"
#include "server/core/utf8.h"

namespace cortado {
namespace {

constexpr size_t kMaxMessageAttributes = 10;
constexpr size_t kMaxAttributeNameLength = 256;
constexpr size_t kMaxAttributeTypeLength = 256;
constexpr int kMaxNumberSignificantDigits = 38;
constexpr absl::string_view kTraceHeaderName = "AWSTraceHeader";
constexpr absl::string_view kAllowedCharacters =
    "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to "
    "#x10FFFF";

// `name` ("MD5", "SHA256") fetched from OpenSSL's default provider.
// EVP_md5() and friends make every EVP_Digest call look the algorithm up
// again (OpenSSL 3's implicit fetch) and allocate a fresh context: that
// was most of the cost of an MD5 of a small body, paid on the broker's
// writer thread for every send and every received message
// (docs/PERFORMANCE.md). Fetched once; kept for the life of the process.
const EVP_MD* Fetched(const char* name) {
  return EVP_MD_fetch(nullptr, name, nullptr);
}

std::string DigestHex(const EVP_MD* algorithm, absl::string_view data) {
  // One context per thread, reused for every digest on that thread.
  thread_local const std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(
      EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (algorithm == nullptr || context == nullptr ||
      EVP_DigestInit_ex(context.get(), algorithm, nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest, &length) != 1) {
    return "";  // only on allocation failure inside OpenSSL
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), length));
}

void AppendLengthPrefixed(absl::string_view bytes, std::string& out) {
  const uint32_t length = static_cast<uint32_t>(bytes.size());
  out.push_back(static_cast<char>((length >> 24) & 0xFF));
  out.push_back(static_cast<char>((length >> 16) & 0xFF));
  out.push_back(static_cast<char>((length >> 8) & 0xFF));
  out.push_back(static_cast<char>(length & 0xFF));
  out.append(bytes.data(), bytes.size());
}

bool IsAllowedCodePoint(uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

// SQS's name characters: ASCII letters and digits, '_', '-', '.', and the
// letters U+00C0-U+017F (Latin-1 Supplement and Latin Extended-A). AWS's
// documentation names only the ASCII set, but SQS accepts names such as
// "attr.1øßä"; the range is LocalStack's, validated against AWS
// (ATTR_NAME_CHAR_REGEX "^[\u00C0-\u017Fa-zA-Z0-9_.-]*$"). Other scripts
// (Greek, CJK, emoji) stay refused.
bool IsNameCharacter(uint32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
         (c >= 0xC0 && c <= 0x17F);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A decimal number as Java's BigDecimal reads it: optional sign, digits with
// an optional fraction (at least one digit in all), optional exponent.
// Significant digits are counted from the first to the last non-zero digit.
enum class NumberCheck { kValid, kNotANumber, kTooManyDigits };

NumberCheck CheckNumber(absl::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  int digits = 0;
  int first_nonzero = -1;
  int last_nonzero = -1;
  bool seen_point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (seen_point) return NumberCheck::kNotANumber;
      seen_point = true;
      continue;
    }
    if (!IsDigit(c)) break;
    if (c != '0') {
      if (first_nonzero < 0) first_nonzero = digits;
      last_nonzero = digits;
    }
    ++digits;
  }
  if (digits == 0) return NumberCheck::kNotANumber;
  if (i < text.size()) {
    if (text[i] != 'e' && text[i] != 'E') return NumberCheck::kNotANumber;
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (i == text.size()) return NumberCheck::kNotANumber;
    for (; i < text.size(); ++i) {
      if (!IsDigit(text[i])) return NumberCheck::kNotANumber;
    }
  }
  if (first_nonzero >= 0 &&
      last_nonzero - first_nonzero + 1 > kMaxNumberSignificantDigits) {
    return NumberCheck::kTooManyDigits;
  }
  return NumberCheck::kValid;
}

absl::Status ValidateAttributeName(const std::string& name) {
  if (name.empty()) {
    return InvalidParameterValueError(
        "Message (user) attribute names must not be empty.");
  }
  for (size_t i = 0; i < name.size();) {
    std::optional<uint32_t> c = NextCodePoint(name, i);
    if (!c.has_value() || !IsNameCharacter(*c)) {
      // SQS's wording, odd spelling and trailing space included.
      return InvalidParameterValueError(
          "Message (user) attributes name can only contain upper and lower "
          "score characters, digits, periods, hyphens and underscores. ");
    }
  }
  if (CountCodePoints(name).value_or(0) > kMaxAttributeNameLength) {
    return InvalidParameterValueError(
        absl::StrCat("Message (user) attribute names must be at most ",
                     kMaxAttributeNameLength, " characters long."));
  }
  if (absl::StartsWithIgnoreCase(name, "AWS.") ||
      absl::StartsWithIgnoreCase(name, "Amazon.") || name.front() == '.' ||
      name.back() == '.') {
    return InvalidParameterValueError(
        "You can't use message attribute names beginning with 'AWS.' or "
        "'Amazon.'. These strings are reserved for internal use. "
        "Additionally, they cannot start or end with '.'.");
  }
  if (absl::StrContains(name, "..")) {
    return InvalidParameterValueError(
        absl::StrCat("Message (user) attribute name '", name,
                     "' is invalid: it must not contain two consecutive "
                     "periods."));
  }
  return absl::OkStatus();
}

absl::Status ValidateAttribute(const std::string& name,
                               const MessageAttributeValue& value) {
  if (absl::Status status = ValidateAttributeName(name); !status.ok()) {
    return status;
  }
  if (value.data_type.empty()) {
    return InvalidParameterValueError(
        absl::StrCat("Message (user) attribute '", name,
                     "' must contain a non-empty message attribute type."));
  }
  const absl::string_view base = AttributeBaseType(value.data_type);
  if (base.empty() || !IsValidMessageText(value.data_type)) {
    return InvalidParameterValueError(absl::StrCat(
        "The message attribute '", name,
        "' has an invalid message attribute type, the set of supported type "
        "prefixes is Binary, Number, and String."));
  }
  if (value.data_type.size() > kMaxAttributeTypeLength) {
    return InvalidParameterValueError(absl::StrCat(
        "Message (user) attribute '", name, "' has a type longer than ",
        kMaxAttributeTypeLength, " characters."));
  }
  const bool binary_type = base == "Binary";
  if (value.binary != binary_type) {
    const absl::string_view field = binary_type ? "Binary" : "String";
    return InvalidParameterValueError(
        absl::StrCat("The message attribute '", name, "' with type '", base,
                     "' must use field '", field, "'."));
  }
  if (binary_type) {
    if (value.binary_value.empty()) {
      return InvalidParameterValueError(
          absl::StrCat("Message (user) attribute '", name,
                       "' must contain a non-empty value of type 'Binary'."));
    }
    return absl::OkStatus();
  }
  if (value.string_value.empty()) {
    return InvalidParameterValueError(
        absl::StrCat("Message (user) attribute '", name,
                     "' must contain a non-empty value of type 'String'."));
  }
  if (base == "Number") {
    switch (CheckNumber(value.string_value)) {
      case NumberCheck::kValid:
        return absl::OkStatus();
      case NumberCheck::kNotANumber:
        return InvalidParameterValueError(
            absl::StrCat("Can't cast the value of message (user) attribute '",
                         name, "' to a number."));
      case NumberCheck::kTooManyDigits:
        return InvalidParameterValueError(absl::StrCat(
            "Message (user) attribute '", name, "' of type 'Number' has more ",
            "than ", kMaxNumberSignificantDigits, " significant digits."));
    }
  }
  if (!IsValidMessageText(value.string_value)) {
    return InvalidParameterValueError(absl::StrCat(
        "Invalid character was found in the value of message (user) "
        "attribute '",
        name, "', the set of allowed characters is ", kAllowedCharacters, "."));
  }
  return absl::OkStatus();
}

}  // namespace

std::string Md5Hex(absl::string_view data) {
  static const EVP_MD* const kMd5 = Fetched("MD5");
  return DigestHex(kMd5, data);
}

std::string Sha256Hex(absl::string_view data) {
  static const EVP_MD* const kSha256 = Fetched("SHA256");
  return DigestHex(kSha256, data);
}

std::string Md5OfAttributes(const MessageAttributes& attributes) {
  if (attributes.empty()) return "";
  std::string encoded;
  for (const auto& [name, value] : attributes) {  // btree: byte order
    AppendLengthPrefixed(name, encoded);
    AppendLengthPrefixed(value.data_type, encoded);
    if (value.binary) {
      encoded.push_back('\x02');
      AppendLengthPrefixed(value.binary_value, encoded);
    } else {
      encoded.push_back('\x01');
      AppendLengthPrefixed(value.string_value, encoded);
    }
  }
  return Md5Hex(encoded);
}

absl::Status ValidateMessageAttributes(const MessageAttributes& attributes) {
  if (attributes.size() > kMaxMessageAttributes) {
    return InvalidParameterValueError(absl::StrCat(
        "Number of message attributes [", attributes.size(),
        "] exceeds the allowed maximum [", kMaxMessageAttributes, "]."));
  }
  for (const auto& [name, value] : attributes) {
    if (absl::Status status = ValidateAttribute(name, value); !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateSystemAttributes(const MessageAttributes& attributes) {
  for (const auto& [name, value] : attributes) {
    if (name != kTraceHeaderName) {
      return InvalidParameterValueError(absl::StrCat(
          "Message system attribute name '", name, "' is invalid."));
    }
    if (value.data_type != "String" || value.binary) {
      return InvalidParameterValueError(absl::StrCat(
          "Message system attribute '", name, "' must be of type 'String'."));
    }
    if (value.string_value.empty()) {
      return InvalidParameterValueError(
          absl::StrCat("Message system attribute '", name,
                       "' must contain a non-empty value of type 'String'."));
    }
    if (!IsValidMessageText(value.string_value)) {
      return InvalidParameterValueError(absl::StrCat(
          "Invalid character was found in the value of message system "
          "attribute '",
          name, "', the set of allowed characters is ", kAllowedCharacters,
          "."));
    }
  }
  return absl::OkStatus();
}

bool IsValidMessageText(absl::string_view utf8) {
  for (size_t i = 0; i < utf8.size();) {
    std::optional<uint32_t> code_point = NextCodePoint(utf8, i);
    if (!code_point.has_value() || !IsAllowedCodePoint(*code_point)) {
      return false;
    }
  }
  return true;
}

absl::string_view AttributeBaseType(absl::string_view data_type) {
  for (absl::string_view base : {"String", "Number", "Binary"}) {
    if (data_type == base) return base;
    if (absl::StartsWith(data_type, base) &&
        data_type.size() > base.size() + 1 && data_type[base.size()] == '.') {
      return base;
    }
  }
  return absl::string_view();
}

bool IsNumberText(absl::string_view text) {
  return CheckNumber(text) != NumberCheck::kNotANumber;
}

int64_t AttributesSize(const MessageAttributes& attributes) {
  int64_t size = 0;
  for (const auto& [name, value] : attributes) {
    size += static_cast<int64_t>(name.size() + value.data_type.size());
    size += static_cast<int64_t>(value.binary ? value.binary_value.size()
                                              : value.string_value.size());
  }
  return size;
}

MessageAttributes SelectAttributes(const MessageAttributes& attributes,
                                   const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    if (name == "All" || name == "*" || name == ".*") return attributes;
  }
  MessageAttributes selected;
  for (const std::string& name : names) {
    if (absl::EndsWith(name, ".*")) {
      // As in a regular expression, "Hel.*" matches every name starting
      // with "Hel" (AWS returns both "Hello" and "Help.Me" for it).
      const absl::string_view prefix =
          absl::string_view(name).substr(0, name.size() - 2);
      for (auto it = attributes.lower_bound(prefix);
           it != attributes.end() && absl::StartsWith(it->first, prefix);
           ++it) {
        selected.insert(*it);
      }
    } else if (auto it = attributes.find(name); it != attributes.end()) {
      selected.insert(*it);
    }
  }
  return selected;
}

}  // namespace cortado
