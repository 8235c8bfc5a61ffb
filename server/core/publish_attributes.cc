// SNS's texts are LocalStack's, which it validated against AWS
// (localstack/services/sns/utils.py, validate_message_attributes).
#include "server/core/publish_attributes.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/core/errors.h"
#include "server/core/status_macros.h"

namespace cortado {
namespace {

constexpr size_t kMaxNameBytes = 256;

bool IsNameCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

absl::Status ValidateName(const std::string& name) {
  if (name.size() > kMaxNameBytes) {
    return InvalidParameterValueError(
        "Length of message attribute name must be less than 256 bytes.");
  }
  if (name.empty()) {
    return InvalidParameterValueError(
        "The message attribute name must not be empty.");
  }
  if (name.front() == '.') {
    return InvalidParameterValueError(
        "Invalid message attribute name starting with character '.' was "
        "found.");
  }
  if (name.back() == '.') {
    return InvalidParameterValueError(
        "Invalid message attribute name ending with character '.' was found.");
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!IsNameCharacter(c)) {
      // SNS names the offending byte as an XML character reference.
      return InvalidParameterValueError(absl::StrFormat(
          "Invalid non-alphanumeric character '#x%X' was found in the message "
          "attribute name. Can only include alphanumeric characters, hyphens, "
          "underscores, or dots.",
          static_cast<unsigned char>(c)));
    }
    if (c == '.' && i > 0 && name[i - 1] == '.') {
      return InvalidParameterValueError(
          "Message attribute name can not have successive '.' character.");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateAttribute(const std::string& name,
                               const MessageAttributeValue& value) {
  CORTADO_RETURN_IF_ERROR(ValidateName(name));
  const absl::string_view base = AttributeBaseType(value.data_type);
  if (base.empty()) {
    return InvalidParameterValueError(absl::StrCat(
        "The message attribute '", name,
        "' has an invalid message attribute type, the set of supported type "
        "prefixes is Binary, Number, and String."));
  }
  const bool binary_type = base == "Binary";
  if (value.binary != binary_type) {
    return InvalidParameterValueError(absl::StrCat(
        "The message attribute '", name, "' with type '", value.data_type,
        "' must use field '", binary_type ? "Binary" : "String", "'."));
  }
  const std::string& data =
      binary_type ? value.binary_value : value.string_value;
  if (data.empty()) {
    return InvalidParameterValueError(absl::StrCat(
        "The message attribute '", name,
        "' must contain non-empty message attribute value for message "
        "attribute type '",
        value.data_type, "'."));
  }
  if (base == "Number" && !IsNumberText(value.string_value)) {
    return InvalidParameterValueError(absl::StrCat(
        "Could not cast message attribute '", name, "' value to number."));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidatePublishAttributes(const MessageAttributes& attributes) {
  for (const auto& [name, value] : attributes) {
    CORTADO_RETURN_IF_ERROR(ValidateAttribute(name, value));
  }
  return absl::OkStatus();
}

}  // namespace cortado
