// Message attributes (user and system) and the digests SQS clients verify.
// Thread-safety: value types and pure functions.
#ifndef CORTADO_SERVER_CORE_MESSAGE_ATTRIBUTES_H_
#define CORTADO_SERVER_CORE_MESSAGE_ATTRIBUTES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cortado {

// One attribute value. Which of the two values is meaningful is decided by
// `binary`, which validation ties to the DataType ("Binary*" vs "String*" /
// "Number*"), so the MD5 transport byte is always consistent.
struct MessageAttributeValue {
  std::string data_type;  // full type, including any ".label"
  std::string string_value;
  std::string binary_value;  // raw bytes
  bool binary = false;

  friend bool operator==(const MessageAttributeValue&,
                         const MessageAttributeValue&) = default;
};

// Sorted by name: the MD5 algorithm hashes attributes in byte order.
using MessageAttributes = absl::btree_map<std::string, MessageAttributeValue>;

// Lower-case hex MD5 of `data`.
std::string Md5Hex(absl::string_view data);

// Lower-case hex SHA-256 of `data` (FIFO content-based deduplication).
std::string Sha256Hex(absl::string_view data);

// SQS's MD5OfMessageAttributes over `attributes` (empty string if none).
std::string Md5OfAttributes(const MessageAttributes& attributes);

// Checks user attributes against SQS's rules (count, names, types, values).
absl::Status ValidateMessageAttributes(const MessageAttributes& attributes);

// Checks system attributes on send: only AWSTraceHeader of type String.
absl::Status ValidateSystemAttributes(const MessageAttributes& attributes);

// True if every character of the UTF-8 string is allowed in an SQS message
// (XML 1.0 Char: #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF) and
// the string is valid UTF-8.
bool IsValidMessageText(absl::string_view utf8);

// The base type of a DataType ("String", "Number" or "Binary"), or empty if
// `data_type` is not one of them optionally followed by ".label".
absl::string_view AttributeBaseType(absl::string_view data_type);

// True if `text` is a number as SQS and SNS read Number attributes (Java's
// BigDecimal syntax: sign, digits, fraction, exponent), whatever its digits.
bool IsNumberText(absl::string_view text);

// The bytes an attribute set counts toward MaximumMessageSize: for each
// attribute its name, DataType and value.
int64_t AttributesSize(const MessageAttributes& attributes);

// Selects the attributes named by ReceiveMessage's MessageAttributeNames:
// "All", "*", ".*", exact names, and "Prefix.*" patterns.
MessageAttributes SelectAttributes(const MessageAttributes& attributes,
                                   const std::vector<std::string>& names);

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_MESSAGE_ATTRIBUTES_H_
