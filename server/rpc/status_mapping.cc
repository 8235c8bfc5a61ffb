#include "server/rpc/status_mapping.h"

#include <string>

namespace cortado::rpc {

grpc::StatusCode GrpcCodeForKind(ErrorKind kind) {
  // No default: -Wswitch flags a new ErrorKind that is missing here.
  switch (kind) {
    case ErrorKind::kQueueDoesNotExist:
    case ErrorKind::kResourceNotFound:
    case ErrorKind::kNotFound:
      return grpc::StatusCode::NOT_FOUND;
    case ErrorKind::kQueueNameExists:
      return grpc::StatusCode::ALREADY_EXISTS;
    case ErrorKind::kQueueDeletedRecently:
    case ErrorKind::kPurgeQueueInProgress:
    case ErrorKind::kMessageNotInflight:
    case ErrorKind::kUnsupportedOperation:
      return grpc::StatusCode::FAILED_PRECONDITION;
    case ErrorKind::kReceiptHandleIsInvalid:
    case ErrorKind::kInvalidIdFormat:
    case ErrorKind::kTooManyEntriesInBatchRequest:
    case ErrorKind::kEmptyBatchRequest:
    case ErrorKind::kBatchEntryIdsNotDistinct:
    case ErrorKind::kInvalidBatchEntryId:
    case ErrorKind::kBatchRequestTooLong:
    case ErrorKind::kInvalidAttributeName:
    case ErrorKind::kInvalidAttributeValue:
    case ErrorKind::kInvalidMessageContents:
    case ErrorKind::kInvalidParameterValue:
    case ErrorKind::kMissingParameter:
    case ErrorKind::kInvalidParameter:
      return grpc::StatusCode::INVALID_ARGUMENT;
    case ErrorKind::kAuthorizationError:
      return grpc::StatusCode::PERMISSION_DENIED;
    case ErrorKind::kOverLimit:
      return grpc::StatusCode::RESOURCE_EXHAUSTED;
    case ErrorKind::kStoreFailed:
    case ErrorKind::kShuttingDown:
      return grpc::StatusCode::UNAVAILABLE;
    case ErrorKind::kInternal:
      return grpc::StatusCode::INTERNAL;
    case ErrorKind::kNone:
      return grpc::StatusCode::UNKNOWN;
  }
  return grpc::StatusCode::UNKNOWN;
}

grpc::Status ToGrpcStatus(const absl::Status& status,
                          grpc::ServerContextBase* context) {
  if (status.ok()) return grpc::Status::OK;
  const ErrorKind kind = GetErrorKind(status);
  std::string message(status.message());
  if (kind == ErrorKind::kNone) {
    // Not a core error: absl's codes share gRPC's numbering.
    return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                        std::move(message));
  }
  if (context != nullptr) {
    context->AddTrailingMetadata(std::string(kErrorTrailer),
                                 std::string(ErrorKindName(kind)));
  }
  return grpc::Status(GrpcCodeForKind(kind), std::move(message));
}

void ToProto(const absl::Status& status, v1::QueuePublishError* proto) {
  const ErrorKind kind = GetErrorKind(status);
  proto->set_code(kind == ErrorKind::kNone ? static_cast<int>(status.code())
                                           : GrpcCodeForKind(kind));
  if (kind != ErrorKind::kNone) {
    proto->set_error_name(std::string(ErrorKindName(kind)));
  }
  proto->set_message(std::string(status.message()));
}

}  // namespace cortado::rpc
