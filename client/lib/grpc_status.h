// Turns the outcome of a gRPC call into the absl::Status libcortado returns:
// same code, the broker's message, and the SQS error name from the
// "cortado-error" trailer as a payload (see cortado/errors.h).
// Thread-safety: pure functions.
#ifndef CORTADO_CLIENT_LIB_GRPC_STATUS_H_
#define CORTADO_CLIENT_LIB_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace cortado::client::internal {

// The trailing-metadata key in which the broker sends the SQS error name.
inline constexpr absl::string_view kErrorNameTrailer = "cortado-error";

// `rpc` and `target` name the call in messages about transport failures
// (which come from gRPC itself and would otherwise not say what failed).
// `cancelled_by_caller` tells the caller's own Cancellation apart from a
// server that cancelled the call (as one does when it shuts down): only the
// first stays kCancelled; the second becomes kUnavailable, so that retry
// loops treat it like any other lost connection.
absl::Status FromGrpcStatus(const grpc::Status& status,
                            const grpc::ClientContext& context,
                            absl::string_view rpc, absl::string_view target,
                            bool cancelled_by_caller);

}  // namespace cortado::client::internal

#endif  // CORTADO_CLIENT_LIB_GRPC_STATUS_H_
