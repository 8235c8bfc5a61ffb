#include "gateway/sns/sns_errors.h"

namespace cortado::gateway::sns {
namespace {

struct SnsErrorInfo {
  ErrorKind kind;
  const char* code;
  int http_status;
  bool sender_fault;
};

// One row per kind an SNS action can meet. Queue kinds can surface from the
// broker while resolving an SQS endpoint; SNS reports those as its own.
constexpr SnsErrorInfo kTable[] = {
    {ErrorKind::kNotFound, "NotFound", 404, true},
    {ErrorKind::kQueueDoesNotExist, "NotFound", 404, true},
    {ErrorKind::kResourceNotFound, "ResourceNotFound", 404, true},
    {ErrorKind::kInvalidParameter, "InvalidParameter", 400, true},
    {ErrorKind::kInvalidAttributeName, "InvalidParameter", 400, true},
    {ErrorKind::kInvalidAttributeValue, "InvalidParameter", 400, true},
    {ErrorKind::kInvalidParameterValue, "ParameterValueInvalid", 400, true},
    {ErrorKind::kInvalidMessageContents, "ParameterValueInvalid", 400, true},
    {ErrorKind::kMissingParameter, "ValidationError", 400, true},
    {ErrorKind::kAuthorizationError, "AuthorizationError", 403, true},
    {ErrorKind::kEmptyBatchRequest, "EmptyBatchRequest", 400, true},
    {ErrorKind::kTooManyEntriesInBatchRequest, "TooManyEntriesInBatchRequest",
     400, true},
    {ErrorKind::kBatchEntryIdsNotDistinct, "BatchEntryIdsNotDistinct", 400,
     true},
    {ErrorKind::kInvalidBatchEntryId, "InvalidBatchEntryId", 400, true},
    {ErrorKind::kBatchRequestTooLong, "BatchRequestTooLong", 400, true},
    {ErrorKind::kOverLimit, "TopicLimitExceeded", 403, true},
    {ErrorKind::kShuttingDown, "ServiceUnavailable", 503, false},
    {ErrorKind::kStoreFailed, "InternalError", 500, false},
    {ErrorKind::kInternal, "InternalError", 500, false},
};

const SnsErrorInfo* Find(ErrorKind kind) {
  for (const SnsErrorInfo& info : kTable) {
    if (info.kind == kind) return &info;
  }
  return nullptr;
}

}  // namespace

std::string SnsErrorCode(ErrorKind kind) {
  const SnsErrorInfo* info = Find(kind);
  return info == nullptr ? "InternalError" : info->code;
}

WireError ToSnsWireError(const absl::Status& status) {
  const ErrorKind kind = GetErrorKind(status);
  if (kind == ErrorKind::kNone) {
    WireError error = ToWireError(status, /*json=*/false);
    error.json_type.clear();  // SNS has no JSON protocol
    return error;
  }
  WireError error;
  const SnsErrorInfo* info = Find(kind);
  // A kind with no SNS meaning is a server bug, not the client's fault.
  error.query_code = info == nullptr ? "InternalError" : info->code;
  error.http_status = info == nullptr ? 500 : info->http_status;
  error.sender_fault = info != nullptr && info->sender_fault;
  error.message = std::string(status.message());
  return error;
}

}  // namespace cortado::gateway::sns
