// Core error kinds. Every error the broker returns is an absl::Status that
// carries one ErrorKind; each transport translates kinds in exactly one table
// (gateway: SQS codes and HTTP statuses; rpc: gRPC codes).
// Thread-safety: pure functions.
#ifndef CORTADO_SERVER_CORE_ERRORS_H_
#define CORTADO_SERVER_CORE_ERRORS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cortado {

// The SQS error shape names (JSON protocol names) plus a few of our own.
enum class ErrorKind {
  kNone,  // not a core error (e.g. OK, or a status built elsewhere)
  kQueueDoesNotExist,
  kQueueNameExists,
  kQueueDeletedRecently,
  kPurgeQueueInProgress,
  kReceiptHandleIsInvalid,
  kMessageNotInflight,
  kInvalidIdFormat,
  kTooManyEntriesInBatchRequest,
  kEmptyBatchRequest,
  kBatchEntryIdsNotDistinct,
  kInvalidBatchEntryId,
  kBatchRequestTooLong,
  kUnsupportedOperation,
  kInvalidAttributeName,
  kInvalidAttributeValue,
  kInvalidMessageContents,
  kOverLimit,
  kInvalidParameterValue,
  kMissingParameter,
  kResourceNotFound,
  // SNS (topics): "NotFound" (404), "InvalidParameter" (400),
  // "AuthorizationError" (403).
  kNotFound,
  kInvalidParameter,
  kAuthorizationError,
  kStoreFailed,   // the store could not persist; nothing was acknowledged
  kShuttingDown,  // the broker is stopping
  kInternal,
};

// The kind's SQS JSON shape name, e.g. "QueueDoesNotExist". Stable: it is
// what gRPC clients see in the "cortado-error" trailer.
absl::string_view ErrorKindName(ErrorKind kind);

// Parses a name produced by ErrorKindName; kNone if unknown.
ErrorKind ErrorKindFromName(absl::string_view name);

// Builds a status of the given kind. The absl code follows the kind (e.g.
// NOT_FOUND for kQueueDoesNotExist) so generic code still does the right
// thing.
absl::Status MakeError(ErrorKind kind, absl::string_view message);

// The kind carried by `status`, or kNone.
ErrorKind GetErrorKind(const absl::Status& status);

// Convenience constructors for the most common errors, with SQS's wording.
absl::Status QueueDoesNotExistError();
absl::Status InvalidParameterValueError(absl::string_view message);
absl::Status MissingParameterError(absl::string_view parameter);
absl::Status ReceiptHandleIsInvalidError(absl::string_view handle);

}  // namespace cortado

#endif  // CORTADO_SERVER_CORE_ERRORS_H_
