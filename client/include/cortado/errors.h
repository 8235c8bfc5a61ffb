// How libcortado reports errors. Every call returns an absl::Status whose
// code is the gRPC code the server answered with (abseil numbers its codes
// like gRPC) and whose message is the server's explanation. Errors that the
// broker raised also carry SQS's error name ("QueueDoesNotExist",
// "ReceiptHandleIsInvalid", ...) as a status payload, so programs can branch
// on the exact condition instead of parsing messages:
//
//   absl::StatusOr<std::string> url = client.GetQueueUrl("orders");
//   if (ErrorName(url.status()) == kQueueDoesNotExist) { ... }
//
// Transport failures (server unreachable, deadline exceeded) have no name.
// Thread-safety: free functions on values; safe from any thread.
#ifndef CORTADO_CLIENT_INCLUDE_CORTADO_ERRORS_H_
#define CORTADO_CLIENT_INCLUDE_CORTADO_ERRORS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cortado::client {

// The status payload type URL under which the SQS error name is stored.
inline constexpr absl::string_view kErrorNamePayloadUrl =
    "type.cortado.dev/cortado.v1.ErrorName";

// Error names the client code itself matches on; the full list is SQS's.
inline constexpr absl::string_view kQueueDoesNotExist = "QueueDoesNotExist";
inline constexpr absl::string_view kReceiptHandleIsInvalid =
    "ReceiptHandleIsInvalid";
inline constexpr absl::string_view kInvalidParameterValue =
    "InvalidParameterValue";

// The SQS error name carried by `status`, or "" when it has none (OK, or a
// failure that did not come from the broker).
std::string ErrorName(const absl::Status& status);

// Returns `status` with `name` attached as its SQS error name.
absl::Status WithErrorName(absl::Status status, absl::string_view name);

}  // namespace cortado::client

#endif  // CORTADO_CLIENT_INCLUDE_CORTADO_ERRORS_H_
