// Converts between libcortado's plain structs (cortado/types.h) and the
// generated cortado.v1 protobuf messages. Kept in one place so the public
// headers never see protobuf and each rpc method in client.cc stays short.
// Thread-safety: pure functions.
#ifndef CORTADO_CLIENT_LIB_CONVERT_H_
#define CORTADO_CLIENT_LIB_CONVERT_H_

#include <cstdint>

#include "absl/time/time.h"
#include "cortado/types.h"
#include "cortado/v1/queue.pb.h"

namespace cortado::client::internal {

// Whole seconds for the wire: fractions round up (a caller asking for 1.5 s
// of invisibility must not get 1 s), clamped to int32 so that absurd values
// reach the broker's own range check instead of wrapping.
int32_t ToWireSeconds(absl::Duration duration);

void ToProto(const MessageAttributeValue& value,
             v1::MessageAttributeValue* proto);
MessageAttributeValue FromProto(const v1::MessageAttributeValue& proto);

void ToProto(absl::string_view body, const SendOptions& options,
             v1::SendMessageEntry* entry);
SendResult FromProto(const v1::SendMessageResult& proto);
BatchError FromProto(const v1::BatchResultError& proto);
Message FromProto(const v1::Message& proto);

}  // namespace cortado::client::internal

#endif  // CORTADO_CLIENT_LIB_CONVERT_H_
