// The SNS error table: core ErrorKinds as SNS's query-protocol codes and
// HTTP statuses (sqs-protocol.md §6.2). Unlike SQS, SNS codes carry no
// "AWS.SimpleQueueService." prefix and there is no JSON variant.
// Thread-safety: pure functions.
#ifndef CORTADO_GATEWAY_SNS_SNS_ERRORS_H_
#define CORTADO_GATEWAY_SNS_SNS_ERRORS_H_

#include <string>

#include "absl/status/status.h"
#include "gateway/errors.h"
#include "server/core/errors.h"

namespace cortado::gateway::sns {

// The SNS code of a core kind, e.g. "NotFound", "InvalidParameter",
// "ParameterValueInvalid", "BatchEntryIdsNotDistinct", "InternalError".
std::string SnsErrorCode(ErrorKind kind);

// What a status looks like to an SNS client. Gateway-level errors (SigV4,
// malformed requests) keep the query codes of the gateway's table
// (gateway/errors.h); SNS has no JSON protocol, so json_type stays empty.
WireError ToSnsWireError(const absl::Status& status);

}  // namespace cortado::gateway::sns

#endif  // CORTADO_GATEWAY_SNS_SNS_ERRORS_H_
