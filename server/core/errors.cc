#include "server/core/errors.h"

#include <array>
#include <optional>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace cortado {
namespace {

constexpr absl::string_view kPayloadUrl = "cortado.dev/error-kind";

struct KindInfo {
  ErrorKind kind;
  absl::string_view name;
  absl::StatusCode code;
};

constexpr std::array<KindInfo, 27> kKinds = {{
    {ErrorKind::kQueueDoesNotExist, "QueueDoesNotExist",
     absl::StatusCode::kNotFound},
    {ErrorKind::kQueueNameExists, "QueueNameExists",
     absl::StatusCode::kAlreadyExists},
    {ErrorKind::kQueueDeletedRecently, "QueueDeletedRecently",
     absl::StatusCode::kFailedPrecondition},
    {ErrorKind::kPurgeQueueInProgress, "PurgeQueueInProgress",
     absl::StatusCode::kFailedPrecondition},
    {ErrorKind::kReceiptHandleIsInvalid, "ReceiptHandleIsInvalid",
     absl::StatusCode::kInvalidArgument},
    {ErrorKind::kMessageNotInflight, "MessageNotInflight",
     absl::StatusCode::kFailedPrecondition},
    {ErrorKind::kInvalidIdFormat, "InvalidIdFormat",
     absl::StatusCode::kInvalidArgument},
    {ErrorKind::kTooManyEntriesInBatchRequest, "TooManyEntriesInBatchRequest",
     absl::StatusCode::kInvalidArgument},
    {ErrorKind::kEmptyBatchRequest, "EmptyBatchRequest",
     absl::StatusCode::kInvalidArgument},
    {ErrorKind::kBatchEntryIdsNotDistinct, "BatchEntryIdsNotDistinct",
     absl::StatusCode::kInvalidArgument},
    {ErrorKind::kInvalidBatchEntryId, "InvalidBatchEntryId",
     absl::StatusCode::kInvalidArgument},
    {ErrorKind::kBatchRequestTooLong, "BatchRequestTooLong",
     absl::StatusCode::kInvalidArgument},
    {ErrorKind::kUnsupportedOperation, "UnsupportedOperation",
     absl::StatusCode::kFailedPrecondition},
    {ErrorKind::kInvalidAttributeName, "InvalidAttributeName",
     absl::StatusCode::kInvalidArgument},
    {ErrorKind::kInvalidAttributeValue, "InvalidAttributeValue",
     absl::StatusCode::kInvalidArgument},
    {ErrorKind::kInvalidMessageContents, "InvalidMessageContents",
     absl::StatusCode::kInvalidArgument},
    {ErrorKind::kOverLimit, "OverLimit", absl::StatusCode::kResourceExhausted},
    {ErrorKind::kInvalidParameterValue, "InvalidParameterValue",
     absl::StatusCode::kInvalidArgument},
    {ErrorKind::kMissingParameter, "MissingParameter",
     absl::StatusCode::kInvalidArgument},
    {ErrorKind::kResourceNotFound, "ResourceNotFoundException",
     absl::StatusCode::kNotFound},
    {ErrorKind::kNotFound, "NotFound", absl::StatusCode::kNotFound},
    {ErrorKind::kInvalidParameter, "InvalidParameter",
     absl::StatusCode::kInvalidArgument},
    {ErrorKind::kAuthorizationError, "AuthorizationError",
     absl::StatusCode::kPermissionDenied},
    {ErrorKind::kStoreFailed, "StoreFailed", absl::StatusCode::kUnavailable},
    {ErrorKind::kShuttingDown, "ShuttingDown", absl::StatusCode::kUnavailable},
    {ErrorKind::kInternal, "InternalFailure", absl::StatusCode::kInternal},
    {ErrorKind::kNone, "", absl::StatusCode::kUnknown},
}};

const KindInfo* Find(ErrorKind kind) {
  for (const KindInfo& info : kKinds) {
    if (info.kind == kind) return &info;
  }
  return nullptr;
}

}  // namespace

absl::string_view ErrorKindName(ErrorKind kind) {
  const KindInfo* info = Find(kind);
  return info == nullptr ? absl::string_view() : info->name;
}

ErrorKind ErrorKindFromName(absl::string_view name) {
  if (name.empty()) return ErrorKind::kNone;
  for (const KindInfo& info : kKinds) {
    if (info.name == name) return info.kind;
  }
  return ErrorKind::kNone;
}

absl::Status MakeError(ErrorKind kind, absl::string_view message) {
  const KindInfo* info = Find(kind);
  absl::Status status(info == nullptr ? absl::StatusCode::kUnknown : info->code,
                      message);
  status.SetPayload(kPayloadUrl, absl::Cord(ErrorKindName(kind)));
  return status;
}

ErrorKind GetErrorKind(const absl::Status& status) {
  if (status.ok()) return ErrorKind::kNone;
  auto payload = status.GetPayload(kPayloadUrl);
  if (!payload.has_value()) return ErrorKind::kNone;
  return ErrorKindFromName(std::string(*payload));
}

absl::Status QueueDoesNotExistError() {
  return MakeError(ErrorKind::kQueueDoesNotExist,
                   "The specified queue does not exist.");
}

absl::Status InvalidParameterValueError(absl::string_view message) {
  return MakeError(ErrorKind::kInvalidParameterValue, message);
}

absl::Status MissingParameterError(absl::string_view parameter) {
  return MakeError(
      ErrorKind::kMissingParameter,
      absl::StrCat("The request must contain the parameter ", parameter, "."));
}

absl::Status ReceiptHandleIsInvalidError(absl::string_view handle) {
  return MakeError(ErrorKind::kReceiptHandleIsInvalid,
                   absl::StrCat("The input receipt handle \"", handle,
                                "\" is not a valid receipt handle."));
}

}  // namespace cortado
