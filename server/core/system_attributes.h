// The system attributes of a message as SQS names and formats them
// (SentTimestamp, ApproximateReceiveCount, the FIFO ones...), shared by
// ReceiveMessage and the non-destructive PeekMessages.
// Thread-safety: pure functions; the caller guards the Message.
#ifndef CORTADO_SERVER_CORE_SYSTEM_ATTRIBUTES_H_
#define CORTADO_SERVER_CORE_SYSTEM_ATTRIBUTES_H_

#include <map>
#include <string>
#include <vector>

#include "server/core/message.h"
#include "server/core/sender_ids.h"

namespace cortado {

// The system attributes among `names` ("All" or names) that the message
// has, as SQS's strings (times in Unix milliseconds).
std::map<std::string, std::string> SelectSystemAttributes(
    const Message& message, const SenderIds& senders,
    const std::vector<std::string>& names);

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_SYSTEM_ATTRIBUTES_H_
