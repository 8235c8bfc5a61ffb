// The proto-to-core conversion of the gRPC requests (server/rpc/convert.h):
// the first byte picks a request message, the rest is its wire encoding as
// a client would send it. What parses is converted to the core's request
// and put through the checks the core makes first on a transport's thread
// (PrepareSend's body check and MD5s, the attribute checks, receipt-handle
// decoding, queue attributes), and converted back where a response carries
// it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cortado/v1/queue.pb.h"
#include "cortado/v1/topic.pb.h"
#include "server/core/message_attributes.h"
#include "server/core/prepared_send.h"
#include "server/core/publish_attributes.h"
#include "server/core/queue_attributes.h"
#include "server/core/receipt_handle.h"
#include "server/rpc/convert.h"

namespace {

namespace v1 = cortado::v1;
using cortado::rpc::ToCore;

template <typename Proto>
bool Parse(const uint8_t* data, size_t size, Proto& proto) {
  return proto.ParseFromArray(data, static_cast<int>(size));
}

void CheckSend(cortado::SendMessageEntry entry) {
  cortado::PreparedSend prepared = cortado::PrepareSend(entry);
  (void)cortado::ValidateMessageAttributes(entry.attributes);
  (void)cortado::ValidateSystemAttributes(entry.system_attributes);
  cortado::SendMessageResult result;
  result.id = entry.id;
  result.message_id = prepared.message_id;
  result.md5_of_message_body = prepared.md5_of_message_body;
  v1::SendMessageResult proto;
  cortado::rpc::ToProto(result, &proto);
}

void CheckAttributesRoundTrip(const v1::SendMessageEntry& proto) {
  cortado::MessageAttributes attributes = ToCore(proto.attributes());
  v1::SendMessageEntry back;
  cortado::rpc::ToProto(attributes, back.mutable_attributes());
}

// The batch entries' receipt handles, as the broker decodes them first.
template <typename BatchRequest>
void DecodeHandles(const uint8_t* data, size_t size) {
  BatchRequest proto;
  if (!Parse(data, size, proto)) return;
  for (const auto& entry : proto.entries()) {
    (void)cortado::DecodeReceiptHandle(ToCore(entry).receipt_handle);
  }
}

void ConvertQueueRequest(uint8_t kind, const uint8_t* data, size_t size) {
  switch (kind) {
    case 0: {
      v1::CreateQueueRequest proto;
      if (!Parse(data, size, proto)) return;
      cortado::CreateQueueRequest core = ToCore(proto);
      (void)cortado::IsValidQueueName(core.queue_name);
      (void)cortado::AttributesForNewQueue(core.queue_name, core.attributes);
      return;
    }
    case 1: {
      v1::ListQueuesRequest proto;
      if (Parse(data, size, proto)) (void)ToCore(proto);
      return;
    }
    case 2: {
      v1::SendMessageRequest proto;
      if (!Parse(data, size, proto)) return;
      CheckAttributesRoundTrip(proto.message());
      CheckSend(ToCore(proto.message(), "000000000000"));
      return;
    }
    case 3: {
      v1::SendMessageBatchRequest proto;
      if (!Parse(data, size, proto)) return;
      for (const v1::SendMessageEntry& entry : proto.entries()) {
        CheckSend(ToCore(entry, "000000000000"));
      }
      return;
    }
    case 4: {
      // The Publish stream's requests take the moving overload.
      v1::QueuePublishRequest proto;
      if (!Parse(data, size, proto)) return;
      if (proto.has_message()) {
        CheckSend(ToCore(std::move(*proto.mutable_message()->mutable_message()),
                         "000000000000"));
      }
      for (v1::SendMessageEntry& entry :
           *proto.mutable_batch()->mutable_entries()) {
        CheckSend(ToCore(std::move(entry), "000000000000"));
      }
      return;
    }
  }
}

void ConvertOtherRequest(uint8_t kind, const uint8_t* data, size_t size) {
  switch (kind) {
    case 5: {
      v1::ReceiveMessageRequest proto;
      if (Parse(data, size, proto)) (void)ToCore(proto);
      return;
    }
    case 6:
      return DecodeHandles<v1::DeleteMessageBatchRequest>(data, size);
    case 7:
      return DecodeHandles<v1::ChangeMessageVisibilityBatchRequest>(data, size);
    case 8: {
      v1::SetQueueAttributesRequest proto;
      if (!Parse(data, size, proto)) return;
      (void)cortado::ApplyAttributeChanges(cortado::QueueAttributes(),
                                           ToCore(proto.attributes()));
      return;
    }
    case 9: {
      v1::PublishBatchRequest proto;
      if (!Parse(data, size, proto)) return;
      for (const auto& entry : proto.entries()) {
        (void)cortado::ValidatePublishAttributes(ToCore(entry).attributes);
      }
      return;
    }
    default: {
      v1::TagQueueRequest proto;
      if (Parse(data, size, proto)) (void)ToCore(proto.tags());
      return;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t kind = data[0] % 11;
  if (kind < 5) {
    ConvertQueueRequest(kind, data + 1, size - 1);
  } else {
    ConvertOtherRequest(kind, data + 1, size - 1);
  }
  return 0;
}
