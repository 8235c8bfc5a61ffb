#include "client/lib/convert.h"

#include <cstdint>
#include <limits>
#include <string>

namespace cortado::client::internal {

int32_t ToWireSeconds(absl::Duration duration) {
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int32_t>::min();
  int64_t seconds =
      absl::ToInt64Seconds(absl::Ceil(duration, absl::Seconds(1)));
  if (seconds > kMax) return static_cast<int32_t>(kMax);
  if (seconds < kMin) return static_cast<int32_t>(kMin);
  return static_cast<int32_t>(seconds);
}

void ToProto(const MessageAttributeValue& value,
             v1::MessageAttributeValue* proto) {
  proto->set_data_type(value.data_type);
  if (value.is_binary()) {
    proto->set_binary_value(value.value);
  } else {
    proto->set_string_value(value.value);
  }
}

MessageAttributeValue FromProto(const v1::MessageAttributeValue& proto) {
  MessageAttributeValue value;
  value.data_type = proto.data_type();
  value.value =
      proto.has_binary_value() ? proto.binary_value() : proto.string_value();
  return value;
}

void ToProto(absl::string_view body, const SendOptions& options,
             v1::SendMessageEntry* entry) {
  entry->set_body(std::string(body));
  if (options.delay) entry->set_delay_seconds(ToWireSeconds(*options.delay));
  for (const auto& [name, value] : options.attributes) {
    ToProto(value, &(*entry->mutable_attributes())[name]);
  }
  if (!options.trace_header.empty()) {
    ToProto(MessageAttributeValue::String(options.trace_header),
            &(*entry->mutable_system_attributes())["AWSTraceHeader"]);
  }
  entry->set_message_group_id(options.group_id);
  entry->set_message_deduplication_id(options.dedup_id);
}

SendResult FromProto(const v1::SendMessageResult& proto) {
  SendResult result;
  result.id = proto.id();
  result.message_id = proto.message_id();
  result.md5_of_message_body = proto.md5_of_message_body();
  result.md5_of_message_attributes = proto.md5_of_message_attributes();
  result.md5_of_message_system_attributes =
      proto.md5_of_message_system_attributes();
  result.sequence_number = proto.sequence_number();
  return result;
}

BatchError FromProto(const v1::BatchResultError& proto) {
  return BatchError{proto.id(), proto.code(), proto.message(),
                    proto.sender_fault()};
}

Message FromProto(const v1::Message& proto) {
  Message message;
  message.message_id = proto.message_id();
  message.receipt_handle = proto.receipt_handle();
  message.body = proto.body();
  message.md5_of_body = proto.md5_of_body();
  message.attributes.insert(proto.attributes().begin(),
                            proto.attributes().end());
  for (const auto& [name, value] : proto.message_attributes()) {
    message.message_attributes.emplace(name, FromProto(value));
  }
  message.md5_of_message_attributes = proto.md5_of_message_attributes();
  return message;
}

}  // namespace cortado::client::internal
