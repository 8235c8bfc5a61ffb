#include "gateway/errors.h"

#include <array>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace cortado::gateway {
namespace {

constexpr absl::string_view kPayloadUrl = "cortado.dev/gateway-error";
constexpr absl::string_view kSqs = "com.amazonaws.sqs#";
constexpr absl::string_view kCoral = "com.amazon.coral.service#";

struct Row {
  absl::string_view json_namespace;
  absl::string_view json_shape;
  absl::string_view query_code;
  int http_status;
};

// The core kinds, §1.7.
Row RowOf(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kQueueDoesNotExist:
      return {kSqs, "QueueDoesNotExist",
              "AWS.SimpleQueueService.NonExistentQueue", 400};
    case ErrorKind::kQueueNameExists:
      return {kSqs, "QueueNameExists", "QueueAlreadyExists", 400};
    case ErrorKind::kQueueDeletedRecently:
      return {kSqs, "QueueDeletedRecently",
              "AWS.SimpleQueueService.QueueDeletedRecently", 400};
    case ErrorKind::kPurgeQueueInProgress:
      return {kSqs, "PurgeQueueInProgress",
              "AWS.SimpleQueueService.PurgeQueueInProgress", 403};
    case ErrorKind::kReceiptHandleIsInvalid:
      return {kSqs, "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", 404};
    case ErrorKind::kMessageNotInflight:
      return {kSqs, "MessageNotInflight",
              "AWS.SimpleQueueService.MessageNotInflight", 400};
    case ErrorKind::kInvalidIdFormat:
      return {kSqs, "InvalidIdFormat", "InvalidIdFormat", 400};
    case ErrorKind::kTooManyEntriesInBatchRequest:
      return {kSqs, "TooManyEntriesInBatchRequest",
              "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400};
    case ErrorKind::kEmptyBatchRequest:
      return {kSqs, "EmptyBatchRequest",
              "AWS.SimpleQueueService.EmptyBatchRequest", 400};
    case ErrorKind::kBatchEntryIdsNotDistinct:
      return {kSqs, "BatchEntryIdsNotDistinct",
              "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400};
    case ErrorKind::kInvalidBatchEntryId:
      return {kSqs, "InvalidBatchEntryId",
              "AWS.SimpleQueueService.InvalidBatchEntryId", 400};
    case ErrorKind::kBatchRequestTooLong:
      return {kSqs, "BatchRequestTooLong",
              "AWS.SimpleQueueService.BatchRequestTooLong", 400};
    case ErrorKind::kUnsupportedOperation:
      return {kSqs, "UnsupportedOperation",
              "AWS.SimpleQueueService.UnsupportedOperation", 400};
    case ErrorKind::kInvalidAttributeName:
      return {kSqs, "InvalidAttributeName", "InvalidAttributeName", 400};
    case ErrorKind::kInvalidAttributeValue:
      return {kSqs, "InvalidAttributeValue", "InvalidAttributeValue", 400};
    case ErrorKind::kInvalidMessageContents:
      return {kSqs, "InvalidMessageContents", "InvalidMessageContents", 400};
    case ErrorKind::kOverLimit:
      return {kSqs, "OverLimit", "OverLimit", 403};
    case ErrorKind::kInvalidParameterValue:
      return {kCoral, "InvalidParameterValueException", "InvalidParameterValue",
              400};
    case ErrorKind::kMissingParameter:
      return {kCoral, "MissingRequiredParameterException", "MissingParameter",
              400};
    case ErrorKind::kResourceNotFound:
      return {kSqs, "ResourceNotFoundException", "ResourceNotFoundException",
              404};
    case ErrorKind::kStoreFailed:
    case ErrorKind::kShuttingDown:
      return {kCoral, "ServiceUnavailableException", "ServiceUnavailable", 503};
    // SNS kinds: answered by gateway/sns/sns_errors.cc; an SQS action never
    // produces them, so reaching here is a server bug.
    case ErrorKind::kNotFound:
    case ErrorKind::kInvalidParameter:
    case ErrorKind::kAuthorizationError:
    case ErrorKind::kNone:
    case ErrorKind::kInternal:
      break;
  }
  return {kCoral, "InternalFailure", "InternalFailure", 500};
}

// The gateway-only errors.
Row RowOf(GatewayError error) {
  switch (error) {
    case GatewayError::kInvalidAction:
      return {kCoral, "InvalidAction", "InvalidAction", 400};
    case GatewayError::kMissingAction:
      return {kCoral, "MissingAction", "MissingAction", 400};
    case GatewayError::kMalformedQueryString:
      return {kCoral, "MalformedQueryString", "MalformedQueryString", 400};
    case GatewayError::kSerializationException:
      return {kCoral, "SerializationException", "SerializationException", 400};
    case GatewayError::kUnknownOperation:
      return {kCoral, "UnknownOperationException", "UnknownOperationException",
              400};
    case GatewayError::kUnknownOperationOnGet:
      return {kCoral, "UnknownOperationException", "UnknownOperationException",
              404};
    case GatewayError::kInvalidRequest:
      return {kCoral, "InvalidRequest", "InvalidRequest", 400};
    case GatewayError::kRequestEntityTooLarge:
      return {kCoral, "RequestEntityTooLarge", "RequestEntityTooLarge", 413};
    case GatewayError::kAccessDenied:
      return {kCoral, "AccessDeniedException", "AccessDenied", 403};
    case GatewayError::kSignatureDoesNotMatch:
      return {kCoral, "SignatureDoesNotMatch", "SignatureDoesNotMatch", 403};
    case GatewayError::kInvalidClientTokenId:
      return {kCoral, "InvalidClientTokenId", "InvalidClientTokenId", 403};
    case GatewayError::kIncompleteSignature:
      return {kCoral, "IncompleteSignature", "IncompleteSignature", 400};
    case GatewayError::kMissingAuthenticationToken:
      return {kCoral, "MissingAuthenticationToken",
              "MissingAuthenticationToken", 403};
    case GatewayError::kRequestExpired:
      return {kCoral, "RequestExpired", "RequestExpired", 400};
  }
  return {kCoral, "InternalFailure", "InternalFailure", 500};
}

WireError FromRow(const Row& row, absl::string_view message) {
  WireError error;
  error.http_status = row.http_status;
  error.json_type = absl::StrCat(row.json_namespace, row.json_shape);
  error.query_code = std::string(row.query_code);
  error.sender_fault = row.http_status < 500;
  error.message = std::string(message);
  return error;
}

}  // namespace

absl::Status MakeGatewayError(GatewayError error, absl::string_view message) {
  absl::Status status(RowOf(error).http_status >= 500
                          ? absl::StatusCode::kInternal
                          : absl::StatusCode::kInvalidArgument,
                      message);
  status.SetPayload(kPayloadUrl,
                    absl::Cord(absl::StrCat(static_cast<int>(error))));
  return status;
}

namespace {

// The GatewayError a status carries, or -1.
int GatewayErrorOf(const absl::Status& status) {
  auto payload = status.GetPayload(kPayloadUrl);
  if (!payload.has_value()) return -1;
  int value = 0;
  for (char c : std::string(*payload)) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

bool IsGatewayError(const absl::Status& status, GatewayError error) {
  return GatewayErrorOf(status) == static_cast<int>(error);
}

std::string WireError::QueryErrorHeader() const {
  return absl::StrCat(query_code, ";", Type());
}

WireError ToWireError(const absl::Status& status, bool json) {
  if (const int error = GatewayErrorOf(status); error >= 0) {
    return FromRow(RowOf(static_cast<GatewayError>(error)), status.message());
  }
  const ErrorKind kind = GetErrorKind(status);
  if (kind == ErrorKind::kQueueDoesNotExist) {
    return FromRow(RowOf(kind),
                   json ? "The specified queue does not exist."
                        : "The specified queue does not exist for this wsdl "
                          "version.");
  }
  if (kind == ErrorKind::kNone) {
    return FromRow(RowOf(ErrorKind::kInternal),
                   absl::StrCat("Internal failure: ", status.message()));
  }
  return FromRow(RowOf(kind), status.message());
}

std::string QueryCodeOf(ErrorKind kind) {
  return std::string(RowOf(kind).query_code);
}

}  // namespace cortado::gateway
