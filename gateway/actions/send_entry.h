// Parsing and encoding shared by SendMessage and SendMessageBatch.
// Thread-safety: pure functions.
#ifndef CORTADO_GATEWAY_ACTIONS_SEND_ENTRY_H_
#define CORTADO_GATEWAY_ACTIONS_SEND_ENTRY_H_

#include "gateway/actions/action.h"

namespace cortado::gateway {

// One message to send (the fields of SendMessage, or of one batch entry).
absl::StatusOr<SendMessageEntry> ParseSendEntry(const ActionContext& context,
                                                const Params& params);

// Adds MessageId, MD5OfMessageBody and the optional digests/SequenceNumber.
void EncodeSendResult(const SendMessageResult& result, Output& out);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_ACTIONS_SEND_ENTRY_H_
