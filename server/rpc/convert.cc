#include "server/rpc/convert.h"

#include "absl/strings/str_cat.h"
#include "server/core/errors.h"

namespace cortado::rpc {

MessageAttributeValue ToCore(const v1::MessageAttributeValue& proto) {
  MessageAttributeValue value;
  value.data_type = proto.data_type();
  if (proto.value_case() == v1::MessageAttributeValue::kBinaryValue) {
    value.binary = true;
    value.binary_value = proto.binary_value();
  } else {
    value.string_value = proto.string_value();
  }
  return value;
}

void ToProto(const MessageAttributeValue& value,
             v1::MessageAttributeValue* proto) {
  proto->set_data_type(value.data_type);
  if (value.binary) {
    proto->set_binary_value(value.binary_value);
  } else {
    proto->set_string_value(value.string_value);
  }
}

MessageAttributes ToCore(const ProtoAttributeMap& proto) {
  MessageAttributes attributes;
  for (const auto& [name, value] : proto) attributes[name] = ToCore(value);
  return attributes;
}

void ToProto(const MessageAttributes& attributes, ProtoAttributeMap* proto) {
  for (const auto& [name, value] : attributes) ToProto(value, &(*proto)[name]);
}

std::map<std::string, std::string> ToCore(const ProtoStringMap& proto) {
  return std::map<std::string, std::string>(proto.begin(), proto.end());
}

void ToProto(const std::map<std::string, std::string>& map,
             ProtoStringMap* proto) {
  for (const auto& [key, value] : map) (*proto)[key] = value;
}

CreateQueueRequest ToCore(const v1::CreateQueueRequest& proto) {
  CreateQueueRequest request;
  request.queue_name = proto.queue_name();
  request.attributes = ToCore(proto.attributes());
  request.tags = ToCore(proto.tags());
  return request;
}

ListQueuesRequest ToCore(const v1::ListQueuesRequest& proto) {
  ListQueuesRequest request;
  request.prefix = proto.queue_name_prefix();
  request.max_results = proto.max_results();
  request.next_token = proto.next_token();
  return request;
}

SendMessageEntry ToCore(const v1::SendMessageEntry& proto,
                        absl::string_view sender_id) {
  SendMessageEntry entry;
  entry.id = proto.id();
  entry.body = proto.body();
  if (proto.has_delay_seconds()) entry.delay_seconds = proto.delay_seconds();
  entry.attributes = ToCore(proto.attributes());
  entry.system_attributes = ToCore(proto.system_attributes());
  entry.message_group_id = proto.message_group_id();
  entry.message_deduplication_id = proto.message_deduplication_id();
  entry.sender_id = std::string(sender_id);
  return entry;
}

SendMessageEntry ToCore(v1::SendMessageEntry&& proto,
                        absl::string_view sender_id) {
  std::string body = std::move(*proto.mutable_body());
  proto.clear_body();
  SendMessageEntry entry = ToCore(proto, sender_id);
  entry.body = std::move(body);
  return entry;
}

void ToProto(const SendMessageResult& result, v1::SendMessageResult* proto) {
  proto->set_id(result.id);
  proto->set_message_id(result.message_id);
  proto->set_md5_of_message_body(result.md5_of_message_body);
  proto->set_md5_of_message_attributes(result.md5_of_message_attributes);
  proto->set_md5_of_message_system_attributes(
      result.md5_of_message_system_attributes);
  proto->set_sequence_number(result.sequence_number);
}

ReceiveMessageRequest ToCore(const v1::ReceiveMessageRequest& proto) {
  ReceiveMessageRequest request;
  request.queue_name = proto.queue_name();
  request.max_number_of_messages =
      proto.max_number_of_messages() == 0 ? 1 : proto.max_number_of_messages();
  if (proto.has_visibility_timeout()) {
    request.visibility_timeout = proto.visibility_timeout();
  }
  if (proto.has_wait_time_seconds()) {
    request.wait_time_seconds = proto.wait_time_seconds();
  }
  request.system_attribute_names.assign(proto.attribute_names().begin(),
                                        proto.attribute_names().end());
  request.message_attribute_names.assign(
      proto.message_attribute_names().begin(),
      proto.message_attribute_names().end());
  request.receive_request_attempt_id = proto.receive_request_attempt_id();
  return request;
}

void ToProto(const ReceivedMessage& message, v1::Message* proto) {
  proto->set_message_id(message.message_id);
  proto->set_receipt_handle(message.receipt_handle);
  proto->set_body(message.body);
  proto->set_md5_of_body(message.md5_of_body);
  ToProto(message.attributes, proto->mutable_attributes());
  ToProto(message.message_attributes, proto->mutable_message_attributes());
  proto->set_md5_of_message_attributes(message.md5_of_message_attributes);
}

void ToProto(const PeekedMessage& message, v1::PeekedMessage* proto) {
  proto->set_message_id(message.message_id);
  proto->set_body(message.body);
  proto->set_md5_of_body(message.md5_of_body);
  ToProto(message.attributes, proto->mutable_attributes());
  ToProto(message.message_attributes, proto->mutable_message_attributes());
  proto->set_receive_count(message.receive_count);
  proto->set_sent_timestamp(absl::ToUnixMillis(message.sent));
  proto->set_state(message.state);
  proto->set_visible_at(absl::ToUnixMillis(message.visible_at));
}

PublishEntry ToCore(const v1::PublishEntry& proto) {
  PublishEntry entry;
  entry.id = proto.id();
  entry.message = proto.message();
  entry.subject = proto.subject();
  entry.message_structure = proto.message_structure();
  entry.attributes = ToCore(proto.attributes());
  entry.message_group_id = proto.message_group_id();
  entry.message_deduplication_id = proto.message_deduplication_id();
  return entry;
}

BatchHandleEntry ToCore(const v1::DeleteMessageBatchEntry& proto) {
  BatchHandleEntry entry;
  entry.id = proto.id();
  entry.receipt_handle = proto.receipt_handle();
  return entry;
}

BatchHandleEntry ToCore(const v1::ChangeMessageVisibilityBatchEntry& proto) {
  BatchHandleEntry entry;
  entry.id = proto.id();
  entry.receipt_handle = proto.receipt_handle();
  entry.visibility_timeout = proto.visibility_timeout();
  return entry;
}

void ToProto(const BatchEntryError& error, v1::BatchResultError* proto) {
  proto->set_id(error.id);
  proto->set_code(std::string(ErrorKindName(error.kind)));
  proto->set_message(error.message);
  proto->set_sender_fault(error.sender_fault);
}

std::string QueueUrl(absl::string_view http_addr, absl::string_view account_id,
                     absl::string_view queue_name) {
  return absl::StrCat("http://", http_addr, "/", account_id, "/", queue_name);
}

}  // namespace cortado::rpc
