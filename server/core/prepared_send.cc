#include "server/core/prepared_send.h"

#include "common/uuid.h"
#include "server/core/errors.h"
#include "server/core/message_attributes.h"

namespace cortado {

absl::Status CheckMessageBody(absl::string_view body) {
  if (body.empty()) return MissingParameterError("MessageBody");
  if (!IsValidMessageText(body)) {
    return MakeError(ErrorKind::kInvalidMessageContents,
                     "Invalid characters found. Valid unicode characters are "
                     "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | "
                     "#x10000 to #x10FFFF");
  }
  return absl::OkStatus();
}

PreparedSend PrepareSend(const SendMessageEntry& entry) {
  PreparedSend prepared;
  prepared.body_check = CheckMessageBody(entry.body);
  if (!prepared.body_check.ok()) return prepared;
  prepared.message_id = RandomUuid();
  prepared.md5_of_message_body = Md5Hex(entry.body);
  // Digests of attributes that fail validation are never used: PlanSend
  // refuses the send first.
  prepared.md5_of_message_attributes = Md5OfAttributes(entry.attributes);
  prepared.md5_of_message_system_attributes =
      Md5OfAttributes(entry.system_attributes);
  return prepared;
}

}  // namespace cortado
