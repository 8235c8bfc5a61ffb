// The SNS error table row by row: core kinds as SNS query codes, HTTP
// statuses and Sender/Receiver, and the <ErrorResponse> document.
#include "gateway/sns/sns_errors.h"

#include "absl/strings/match.h"
#include "gateway/encode.h"
#include "gateway/query_codec.h"
#include "gtest/gtest.h"

namespace cortado::gateway::sns {
namespace {

struct Row {
  ErrorKind kind;
  const char* code;
  int http_status;
  bool sender;
};

TEST(SnsErrorTableTest, EveryRow) {
  const Row rows[] = {
      {ErrorKind::kNotFound, "NotFound", 404, true},
      {ErrorKind::kQueueDoesNotExist, "NotFound", 404, true},
      {ErrorKind::kInvalidParameter, "InvalidParameter", 400, true},
      {ErrorKind::kInvalidParameterValue, "ParameterValueInvalid", 400, true},
      {ErrorKind::kMissingParameter, "ValidationError", 400, true},
      {ErrorKind::kAuthorizationError, "AuthorizationError", 403, true},
      {ErrorKind::kEmptyBatchRequest, "EmptyBatchRequest", 400, true},
      {ErrorKind::kTooManyEntriesInBatchRequest, "TooManyEntriesInBatchRequest",
       400, true},
      {ErrorKind::kBatchEntryIdsNotDistinct, "BatchEntryIdsNotDistinct", 400,
       true},
      {ErrorKind::kInvalidBatchEntryId, "InvalidBatchEntryId", 400, true},
      {ErrorKind::kBatchRequestTooLong, "BatchRequestTooLong", 400, true},
      {ErrorKind::kStoreFailed, "InternalError", 500, false},
      {ErrorKind::kInternal, "InternalError", 500, false},
      {ErrorKind::kShuttingDown, "ServiceUnavailable", 503, false},
      // An SQS-only kind has no SNS meaning: a server-side error.
      {ErrorKind::kReceiptHandleIsInvalid, "InternalError", 500, false},
  };
  for (const Row& row : rows) {
    const WireError error = ToSnsWireError(MakeError(row.kind, "why"));
    EXPECT_EQ(error.query_code, row.code) << ErrorKindName(row.kind);
    EXPECT_EQ(error.http_status, row.http_status) << ErrorKindName(row.kind);
    EXPECT_EQ(error.sender_fault, row.sender) << ErrorKindName(row.kind);
    EXPECT_EQ(error.message, "why");
    EXPECT_EQ(SnsErrorCode(row.kind), row.code);
  }
}

TEST(SnsErrorTableTest, GatewayErrorsKeepTheirCodes) {
  const WireError error = ToSnsWireError(
      MakeGatewayError(GatewayError::kSignatureDoesNotMatch, "bad signature"));
  EXPECT_EQ(error.query_code, "SignatureDoesNotMatch");
  EXPECT_EQ(error.http_status, 403);
}

TEST(SnsErrorTableTest, GatewayErrorsAreCountedByTheirQueryCode) {
  const EncodedError error =
      EncodeError(Protocol::kSnsQuery,
                  MakeGatewayError(GatewayError::kAccessDenied, "no"), "req-1");
  EXPECT_EQ(error.name, "AccessDenied");
}

TEST(SnsErrorTableTest, ErrorDocumentInSnsNamespace) {
  const EncodedError error = EncodeError(
      Protocol::kSnsQuery,
      MakeError(ErrorKind::kNotFound, "Topic does not exist"), "req-1");
  EXPECT_EQ(error.response.status, 404);
  EXPECT_EQ(error.name, "NotFound");
  EXPECT_EQ(error.response.body,
            "<?xml version=\"1.0\"?><ErrorResponse "
            "xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>"
            "Sender</Type><Code>NotFound</Code><Message>Topic does not "
            "exist</Message></Error><RequestId>req-1</RequestId>"
            "</ErrorResponse>");
}

TEST(SnsResponseTest, EmptyResultElementAndNoResultForNoOutput) {
  EXPECT_TRUE(absl::StrContains(
      RenderXmlResponse(kSnsXml, "TagResource", Output::Object(), true, "r"),
      "<TagResourceResult/>"));
  EXPECT_FALSE(absl::StrContains(
      RenderXmlResponse(kSnsXml, "DeleteTopic", Output::Object(), false, "r"),
      "DeleteTopicResult"));
}

}  // namespace
}  // namespace cortado::gateway::sns
