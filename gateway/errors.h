// The gateway's one error table: every core ErrorKind and every gateway-only
// error (bad requests, unknown actions, SigV4 failures) mapped to what SQS
// clients see on the wire: HTTP status, JSON `__type`, the query-protocol
// code (XML <Code> and the `x-amzn-query-error` header) and Sender/Receiver.
// See shared/design/sqs-protocol.md §1.6, §1.7 and §5.6.
// Thread-safety: pure functions.
#ifndef CORTADO_GATEWAY_ERRORS_H_
#define CORTADO_GATEWAY_ERRORS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/core/errors.h"

namespace cortado::gateway {

// Errors only the gateway raises (the core never sees the request).
enum class GatewayError {
  kInvalidAction,           // unknown query Action / wrong endpoint
  kMissingAction,           // no Action parameter
  kMalformedQueryString,    // bad %XX escapes
  kSerializationException,  // JSON body that is not a JSON object
  kUnknownOperation,        // unknown X-Amz-Target
  // A query GET of a queue URL without an Action (a browser's): answered
  // 404 with a bare <UnknownOperationException/> body.
  kUnknownOperationOnGet,
  kInvalidRequest,         // malformed HTTP
  kRequestEntityTooLarge,  // body over the limit
  kAccessDenied,
  kSignatureDoesNotMatch,
  kInvalidClientTokenId,
  kIncompleteSignature,
  kMissingAuthenticationToken,
  kRequestExpired,
};

// A status carrying a GatewayError.
absl::Status MakeGatewayError(GatewayError error, absl::string_view message);
// Whether `status` carries `error`.
bool IsGatewayError(const absl::Status& status, GatewayError error);

// What an error looks like on the wire.
struct WireError {
  int http_status = 500;
  std::string json_type;   // "com.amazonaws.sqs#QueueDoesNotExist"
  std::string query_code;  // "AWS.SimpleQueueService.NonExistentQueue"
  bool sender_fault = false;
  std::string message;
  // "Sender" or "Receiver".
  absl::string_view Type() const {
    return sender_fault ? "Sender" : "Receiver";
  }
  // The `x-amzn-query-error` header value, "<code>;<Sender|Receiver>".
  std::string QueryErrorHeader() const;
};

// Translates any status (core ErrorKind, GatewayError, or neither: then an
// InternalFailure). `json` picks the message wording where the two protocols
// differ (QueueDoesNotExist).
WireError ToWireError(const absl::Status& status, bool json);

// The query code of a core kind, as used in batch `Failed` entries.
std::string QueryCodeOf(ErrorKind kind);

}  // namespace cortado::gateway

#endif  // CORTADO_GATEWAY_ERRORS_H_
