#include "client/cli/output.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "client/cli/json.h"

namespace cortado::cli {
namespace {

std::string AttributeJson(const client::MessageAttributeValue& value) {
  JsonObject object;
  object.Add("DataType", value.data_type);
  if (value.is_binary()) {
    object.Add("BinaryValue", absl::Base64Escape(value.value));
  } else {
    object.Add("StringValue", value.value);
  }
  return object.Build();
}

}  // namespace

std::string MessageJson(const client::Message& message) {
  JsonObject attributes;
  for (const auto& [name, value] : message.message_attributes) {
    attributes.AddRaw(name, AttributeJson(value));
  }
  JsonObject object;
  object.Add("MessageId", message.message_id)
      .Add("ReceiptHandle", message.receipt_handle)
      .Add("MD5OfBody", message.md5_of_body)
      .Add("Body", message.body)
      .AddRaw("Attributes", JsonStringMap(message.attributes))
      .AddRaw("MessageAttributes", attributes.Build());
  if (!message.md5_of_message_attributes.empty()) {
    object.Add("MD5OfMessageAttributes", message.md5_of_message_attributes);
  }
  return object.Build();
}

std::string MessageText(const client::Message& message) {
  std::string out = absl::StrCat("--- message ", message.message_id);
  if (int64_t count = message.receive_count(); count > 0) {
    absl::StrAppend(&out, " (receive #", count, ")");
  }
  absl::StrAppend(&out, "\nReceiptHandle: ", message.receipt_handle, "\n");
  for (const auto& [name, value] : message.message_attributes) {
    absl::StrAppend(
        &out, "Attribute ", name, " (", value.data_type, "): ",
        value.is_binary() ? absl::Base64Escape(value.value) : value.value,
        "\n");
  }
  absl::StrAppend(&out, message.body, "\n");
  return out;
}

std::string SendResultJson(const client::SendResult& result) {
  JsonObject object;
  object.Add("MessageId", result.message_id)
      .Add("MD5OfMessageBody", result.md5_of_message_body);
  if (!result.md5_of_message_attributes.empty()) {
    object.Add("MD5OfMessageAttributes", result.md5_of_message_attributes);
  }
  if (!result.md5_of_message_system_attributes.empty()) {
    object.Add("MD5OfMessageSystemAttributes",
               result.md5_of_message_system_attributes);
  }
  if (!result.sequence_number.empty()) {
    object.Add("SequenceNumber", result.sequence_number);
  }
  return object.Build();
}

std::string AlignedPairs(const client::StringMap& values) {
  size_t width = 0;
  for (const auto& [key, value] : values) width = std::max(width, key.size());
  std::string out;
  for (const auto& [key, value] : values) {
    absl::StrAppend(&out, key, std::string(width - key.size() + 2, ' '), value,
                    "\n");
  }
  return out;
}

}  // namespace cortado::cli
