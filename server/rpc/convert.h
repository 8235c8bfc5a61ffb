// Conversions between the cortado.v1 protobuf messages and the core's typed
// requests and results (server/core/api.h). No validation happens here: the
// core validates everything, so both transports reject the same inputs with
// the same errors. Unset proto3 `optional` fields stay unset (std::nullopt).
// Thread-safety: pure functions.
#ifndef CORTADO_SERVER_RPC_CONVERT_H_
#define CORTADO_SERVER_RPC_CONVERT_H_

#include <map>
#include <string>

#include "absl/strings/string_view.h"
#include "cortado/v1/queue.pb.h"
#include "cortado/v1/topic.pb.h"
#include "server/core/api.h"
#include "server/core/message_attributes.h"
#include "server/core/topic_api.h"

namespace cortado::rpc {

using ProtoStringMap = google::protobuf::Map<std::string, std::string>;
using ProtoAttributeMap =
    google::protobuf::Map<std::string, v1::MessageAttributeValue>;

// A value is binary iff the proto's `binary_value` is the set oneof member;
// whether that agrees with the DataType is the core's check.
MessageAttributeValue ToCore(const v1::MessageAttributeValue& proto);
void ToProto(const MessageAttributeValue& value,
             v1::MessageAttributeValue* proto);

MessageAttributes ToCore(const ProtoAttributeMap& proto);
void ToProto(const MessageAttributes& attributes, ProtoAttributeMap* proto);

std::map<std::string, std::string> ToCore(const ProtoStringMap& proto);
void ToProto(const std::map<std::string, std::string>& map,
             ProtoStringMap* proto);

CreateQueueRequest ToCore(const v1::CreateQueueRequest& proto);
ListQueuesRequest ToCore(const v1::ListQueuesRequest& proto);

// `sender_id` becomes the message's SenderId system attribute.
SendMessageEntry ToCore(const v1::SendMessageEntry& proto,
                        absl::string_view sender_id);
// The same, moving the body out of `proto` (the streaming path's buffer).
SendMessageEntry ToCore(v1::SendMessageEntry&& proto,
                        absl::string_view sender_id);
void ToProto(const SendMessageResult& result, v1::SendMessageResult* proto);

// max_number_of_messages 0 means SQS's default, 1.
ReceiveMessageRequest ToCore(const v1::ReceiveMessageRequest& proto);
void ToProto(const ReceivedMessage& message, v1::Message* proto);

void ToProto(const PeekedMessage& message, v1::PeekedMessage* proto);
// An SNS Publish / PublishBatch entry (topic_service.cc).
PublishEntry ToCore(const v1::PublishEntry& proto);

BatchHandleEntry ToCore(const v1::DeleteMessageBatchEntry& proto);
BatchHandleEntry ToCore(const v1::ChangeMessageVisibilityBatchEntry& proto);
// BatchResultError.code is the SQS error name, ErrorKindName(error.kind).
void ToProto(const BatchEntryError& error, v1::BatchResultError* proto);

// "http://<http_addr>/<account_id>/<queue_name>": the queue's URL as seen
// through the HTTP gateway.
std::string QueueUrl(absl::string_view http_addr, absl::string_view account_id,
                     absl::string_view queue_name);

}  // namespace cortado::rpc

#endif  // CORTADO_SERVER_RPC_CONVERT_H_
