// The error table (sqs-protocol.md §1.7, §5.6): every row's HTTP status,
// JSON __type, x-amzn-query-error and XML Code; plus errors end to end in
// both protocols.
#include "gateway/errors.h"

#include "absl/strings/match.h"
#include "gateway/json_codec.h"
#include "gateway/query_codec.h"
#include "gtest/gtest.h"
#include "tests/gateway/gateway_server_fixture.h"

namespace cortado::gateway {
namespace {

struct Row {
  ErrorKind kind;
  int status;
  const char* json_type;
  const char* query_code;
};

TEST(ErrorTableTest, EveryCoreKindMapsLikeSqs) {
  const Row rows[] = {
      {ErrorKind::kQueueDoesNotExist, 400,
       "com.amazonaws.sqs#QueueDoesNotExist",
       "AWS.SimpleQueueService.NonExistentQueue"},
      {ErrorKind::kQueueNameExists, 400, "com.amazonaws.sqs#QueueNameExists",
       "QueueAlreadyExists"},
      {ErrorKind::kQueueDeletedRecently, 400,
       "com.amazonaws.sqs#QueueDeletedRecently",
       "AWS.SimpleQueueService.QueueDeletedRecently"},
      {ErrorKind::kPurgeQueueInProgress, 403,
       "com.amazonaws.sqs#PurgeQueueInProgress",
       "AWS.SimpleQueueService.PurgeQueueInProgress"},
      {ErrorKind::kReceiptHandleIsInvalid, 404,
       "com.amazonaws.sqs#ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid"},
      {ErrorKind::kMessageNotInflight, 400,
       "com.amazonaws.sqs#MessageNotInflight",
       "AWS.SimpleQueueService.MessageNotInflight"},
      {ErrorKind::kInvalidIdFormat, 400, "com.amazonaws.sqs#InvalidIdFormat",
       "InvalidIdFormat"},
      {ErrorKind::kTooManyEntriesInBatchRequest, 400,
       "com.amazonaws.sqs#TooManyEntriesInBatchRequest",
       "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"},
      {ErrorKind::kEmptyBatchRequest, 400,
       "com.amazonaws.sqs#EmptyBatchRequest",
       "AWS.SimpleQueueService.EmptyBatchRequest"},
      {ErrorKind::kBatchEntryIdsNotDistinct, 400,
       "com.amazonaws.sqs#BatchEntryIdsNotDistinct",
       "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"},
      {ErrorKind::kInvalidBatchEntryId, 400,
       "com.amazonaws.sqs#InvalidBatchEntryId",
       "AWS.SimpleQueueService.InvalidBatchEntryId"},
      {ErrorKind::kBatchRequestTooLong, 400,
       "com.amazonaws.sqs#BatchRequestTooLong",
       "AWS.SimpleQueueService.BatchRequestTooLong"},
      {ErrorKind::kUnsupportedOperation, 400,
       "com.amazonaws.sqs#UnsupportedOperation",
       "AWS.SimpleQueueService.UnsupportedOperation"},
      {ErrorKind::kInvalidAttributeName, 400,
       "com.amazonaws.sqs#InvalidAttributeName", "InvalidAttributeName"},
      {ErrorKind::kInvalidAttributeValue, 400,
       "com.amazonaws.sqs#InvalidAttributeValue", "InvalidAttributeValue"},
      {ErrorKind::kInvalidMessageContents, 400,
       "com.amazonaws.sqs#InvalidMessageContents", "InvalidMessageContents"},
      {ErrorKind::kOverLimit, 403, "com.amazonaws.sqs#OverLimit", "OverLimit"},
      {ErrorKind::kInvalidParameterValue, 400,
       "com.amazon.coral.service#InvalidParameterValueException",
       "InvalidParameterValue"},
      {ErrorKind::kMissingParameter, 400,
       "com.amazon.coral.service#MissingRequiredParameterException",
       "MissingParameter"},
      {ErrorKind::kResourceNotFound, 404,
       "com.amazonaws.sqs#ResourceNotFoundException",
       "ResourceNotFoundException"},
      {ErrorKind::kStoreFailed, 503,
       "com.amazon.coral.service#ServiceUnavailableException",
       "ServiceUnavailable"},
      {ErrorKind::kInternal, 500, "com.amazon.coral.service#InternalFailure",
       "InternalFailure"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.query_code);
    WireError error = ToWireError(MakeError(row.kind, "m"), /*json=*/true);
    EXPECT_EQ(error.http_status, row.status);
    EXPECT_EQ(error.json_type, row.json_type);
    EXPECT_EQ(error.query_code, row.query_code);
    EXPECT_EQ(error.QueryErrorHeader(),
              absl::StrCat(row.query_code,
                           row.status < 500 ? ";Sender" : ";Receiver"));
    const std::string xml = RenderXmlError(
        kSqsXml, ToWireError(MakeError(row.kind, "m"), false), "rid");
    EXPECT_TRUE(absl::StrContains(
        xml, absl::StrCat("<Code>", row.query_code, "</Code>")));
  }
}

TEST(ErrorTableTest, GatewayErrorsMapLikeSqs) {
  struct GatewayRow {
    GatewayError error;
    int status;
    const char* code;
  };
  const GatewayRow rows[] = {
      {GatewayError::kInvalidAction, 400, "InvalidAction"},
      {GatewayError::kMissingAction, 400, "MissingAction"},
      {GatewayError::kMalformedQueryString, 400, "MalformedQueryString"},
      {GatewayError::kSerializationException, 400, "SerializationException"},
      {GatewayError::kUnknownOperation, 400, "UnknownOperationException"},
      {GatewayError::kUnknownOperationOnGet, 404, "UnknownOperationException"},
      {GatewayError::kInvalidRequest, 400, "InvalidRequest"},
      {GatewayError::kRequestEntityTooLarge, 413, "RequestEntityTooLarge"},
      {GatewayError::kAccessDenied, 403, "AccessDenied"},
      {GatewayError::kSignatureDoesNotMatch, 403, "SignatureDoesNotMatch"},
      {GatewayError::kInvalidClientTokenId, 403, "InvalidClientTokenId"},
      {GatewayError::kIncompleteSignature, 400, "IncompleteSignature"},
      {GatewayError::kMissingAuthenticationToken, 403,
       "MissingAuthenticationToken"},
      {GatewayError::kRequestExpired, 400, "RequestExpired"},
  };
  for (const GatewayRow& row : rows) {
    SCOPED_TRACE(row.code);
    WireError error = ToWireError(MakeGatewayError(row.error, "m"), true);
    EXPECT_EQ(error.http_status, row.status);
    EXPECT_EQ(error.query_code, row.code);
    EXPECT_TRUE(absl::StartsWith(error.json_type, "com.amazon.coral.service#"));
    EXPECT_EQ(error.message, "m");
  }
}

TEST(ErrorTableTest, QueueDoesNotExistWordingFollowsTheProtocol) {
  EXPECT_EQ(ToWireError(QueueDoesNotExistError(), true).message,
            "The specified queue does not exist.");
  EXPECT_EQ(ToWireError(QueueDoesNotExistError(), false).message,
            "The specified queue does not exist for this wsdl version.");
}

TEST(ErrorTableTest, StatusWithoutKindIsAnInternalFailure) {
  WireError error = ToWireError(absl::InternalError("boom"), true);
  EXPECT_EQ(error.http_status, 500);
  EXPECT_EQ(error.Type(), "Receiver");
}

using testing::GatewayServerTest;
using testing::RawResponse;
using testing::XmlText;

class WireErrorsTest : public GatewayServerTest {};

TEST_F(WireErrorsTest, JsonErrorsCarryTypeAndQueryHeader) {
  RawResponse missing =
      Json("SendMessage", R"({"QueueUrl":"nope","MessageBody":"x"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(
      missing.body,
      R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."})");
  EXPECT_EQ(missing.Header("x-amzn-query-error"),
            "AWS.SimpleQueueService.NonExistentQueue;Sender");

  CreateQueue("e1");
  RawResponse bad_handle =
      Json("DeleteMessage", R"({"QueueUrl":"e1","ReceiptHandle":"garbage"})");
  EXPECT_EQ(bad_handle.status, 404);
  EXPECT_EQ(bad_handle.Header("x-amzn-query-error"),
            "ReceiptHandleIsInvalid;Sender");

  RawResponse no_body = Json("SendMessage", R"({"QueueUrl":"e1"})");
  EXPECT_EQ(no_body.status, 400);
  EXPECT_EQ(no_body.Header("x-amzn-query-error"), "MissingParameter;Sender");

  RawResponse bad_attribute = Json(
      "GetQueueAttributes", R"({"QueueUrl":"e1","AttributeNames":["Foobar"]})");
  EXPECT_EQ(bad_attribute.Header("x-amzn-query-error"),
            "InvalidAttributeName;Sender");

  RawResponse too_many =
      Json("ReceiveMessage", R"({"QueueUrl":"e1","MaxNumberOfMessages":11})");
  EXPECT_EQ(too_many.status, 400);
  EXPECT_EQ(too_many.Header("x-amzn-query-error"),
            "InvalidParameterValue;Sender");

  RawResponse unknown = Json("Frobnicate", "{}");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_TRUE(absl::StrContains(unknown.body, "UnknownOperationException"));

  RawResponse not_json = Json("ListQueues", "{not json");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_TRUE(absl::StrContains(not_json.body, "SerializationException"));

  RawResponse empty_batch =
      Json("DeleteMessageBatch", R"({"QueueUrl":"e1","Entries":[]})");
  EXPECT_EQ(empty_batch.Header("x-amzn-query-error"),
            "AWS.SimpleQueueService.EmptyBatchRequest;Sender");
}

TEST_F(WireErrorsTest, QueryErrorsAreXml) {
  RawResponse no_action = Query("Version=2012-11-05");
  EXPECT_EQ(no_action.status, 400);
  EXPECT_EQ(XmlText(no_action.body, "Code"), "MissingAction");
  EXPECT_EQ(no_action.Header("content-type"), "text/xml");

  RawResponse unknown = Query("Action=Frobnicate&Version=2012-11-05");
  EXPECT_EQ(XmlText(unknown.body, "Code"), "InvalidAction");
  EXPECT_EQ(XmlText(unknown.body, "Message"),
            "The action Frobnicate is not valid for this endpoint.");

  RawResponse malformed = Query("Action=ListQueues&QueueNamePrefix=%zz");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(XmlText(malformed.body, "Code"), "MalformedQueryString");

  // SNS requests go to the SNS dispatcher, which knows no SQS action.
  RawResponse sns = Query("Action=CreateQueue&Version=2010-03-31");
  EXPECT_EQ(sns.status, 400);
  EXPECT_EQ(XmlText(sns.body, "Code"), "InvalidAction");

  RawResponse missing =
      Query("Action=GetQueueUrl&Version=2012-11-05&QueueName=nothere");
  EXPECT_EQ(XmlText(missing.body, "Code"),
            "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(XmlText(missing.body, "Message"),
            "The specified queue does not exist for this wsdl version.");
  EXPECT_EQ(missing.Header("x-amzn-query-error"),
            "AWS.SimpleQueueService.NonExistentQueue;Sender");
  EXPECT_TRUE(XmlText(missing.body, "RequestId").has_value());
}

class EnforcedSigV4Test : public GatewayServerTest {
  void Configure(ServerOptions& options) override {
    options.credentials.emplace();
    options.credentials->secrets["AKIDEXAMPLE"] = "secret";
  }
};

TEST_F(EnforcedSigV4Test, UnsignedRequestsAreRejectedInTheirProtocol) {
  RawResponse json = Json("ListQueues", "{}");
  EXPECT_EQ(json.status, 403);
  EXPECT_TRUE(absl::StrContains(json.body, "MissingAuthenticationToken"))
      << json.body;
  EXPECT_EQ(json.Header("x-amzn-query-error"),
            "MissingAuthenticationToken;Sender");
  RawResponse query = Query("Action=ListQueues&Version=2012-11-05");
  EXPECT_EQ(query.status, 403);
  EXPECT_EQ(XmlText(query.body, "Code"), "MissingAuthenticationToken");
  EXPECT_FALSE(query.Header("date").empty());
}

TEST_F(EnforcedSigV4Test, BadSignatureIsSignatureDoesNotMatchOrIncomplete) {
  absl::StatusOr<RawResponse> response = client_->Request(
      "POST", "/",
      {{"Content-Type", "application/x-www-form-urlencoded"},
       {"X-Amz-Date", "20261122T045224Z"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/sqs/"
        "aws4_request, SignedHeaders=content-type;host;x-amz-date, "
        "Signature="
        "0000000000000000000000000000000000000000000000000000000000000000"}},
      "Action=ListQueues&Version=2012-11-05");
  ASSERT_OK(response.status());
  EXPECT_EQ(response->status, 403) << response->body;
  const std::string code = XmlText(response->body, "Code").value_or("");
  EXPECT_TRUE(code == "SignatureDoesNotMatch") << response->body;
}

}  // namespace
}  // namespace cortado::gateway
