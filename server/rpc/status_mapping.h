// The one table that turns core errors into gRPC statuses. Every rpc of the
// service answers through ToGrpcStatus(), so a client sees the same gRPC code
// for the same ErrorKind everywhere, plus the SQS error name in the trailing
// metadata key "cortado-error" (for example "QueueDoesNotExist").
// Thread-safety: pure functions; ToGrpcStatus writes the context's trailing
// metadata, so call it only from the code that is about to Finish the call.
#ifndef CORTADO_SERVER_RPC_STATUS_MAPPING_H_
#define CORTADO_SERVER_RPC_STATUS_MAPPING_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "cortado/v1/queue.pb.h"
#include "server/core/errors.h"

namespace cortado::rpc {

// The trailing metadata key that carries ErrorKindName(kind).
inline constexpr absl::string_view kErrorTrailer = "cortado-error";

// The gRPC code of a core error kind. kNone has no code of its own: callers
// fall back to the absl code (absl and gRPC number their codes alike).
grpc::StatusCode GrpcCodeForKind(ErrorKind kind);

// Translates a core status. OK stays OK. An error keeps its message, gets the
// code from GrpcCodeForKind(GetErrorKind(status)) and, when it carries a
// kind, the "cortado-error" trailer on `context` (which may be null).
grpc::Status ToGrpcStatus(const absl::Status& status,
                          grpc::ServerContextBase* context);

// The same translation for one failed request of a stream that goes on
// (Queues/Publish): code, SQS error name (empty for kNone) and message.
void ToProto(const absl::Status& status, v1::QueuePublishError* proto);

}  // namespace cortado::rpc

#endif  // CORTADO_SERVER_RPC_STATUS_MAPPING_H_
