// SigV4 verification, checked against fixed signatures from outside this
// code: AWS's published SigV4 test suite, AWS's S3 presigned-URL example, and
// requests signed once by botocore 1.43.11 (script below). No signer lives in
// this file.
#include "gateway/sigv4.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/gateway/sigv4_vectors.h"

namespace cortado::gateway {
namespace {

class AwsTestSuiteTest : public ::testing::TestWithParam<SuiteCase> {};

TEST_P(AwsTestSuiteTest, PublishedSignatureVerifies) {
  const SigV4Result result = VerifySigV4(
      SuiteRequest(GetParam()), SuiteCredentials(), AmzTime(kSuiteDate));
  EXPECT_EQ(result.error, SigV4Error::kNone) << result.message;
  EXPECT_EQ(result.access_key, "AKIDEXAMPLE");
  EXPECT_EQ(result.region, "us-east-1");
  EXPECT_EQ(result.service, "service");
}

TEST_P(AwsTestSuiteTest, FlippedSignatureDigitIsRejected) {
  SuiteCase c = GetParam();
  c.signature[10] = c.signature[10] == '0' ? '1' : '0';
  const SigV4Result result =
      VerifySigV4(SuiteRequest(c), SuiteCredentials(), AmzTime(kSuiteDate));
  EXPECT_EQ(result.error, SigV4Error::kSignatureDoesNotMatch);
}

INSTANTIATE_TEST_SUITE_P(Published, AwsTestSuiteTest,
                         ::testing::ValuesIn(SuiteCases()),
                         [](const ::testing::TestParamInfo<SuiteCase>& info) {
                           return info.param.name;
                         });

TEST(SigV4Test, GetVanillaReproducesPublishedSignature) {
  const SigV4Result result = VerifySigV4(
      SuiteRequest(Vanilla()), SuiteCredentials(), AmzTime(kSuiteDate));
  EXPECT_EQ(result.error, SigV4Error::kNone) << result.message;
  EXPECT_EQ(result.message, "");
}

TEST(SigV4Test, AnyChangeToTheSignedPartsBreaksTheSignature) {
  const SigV4Credentials credentials = SuiteCredentials();
  const absl::Time now = AmzTime(kSuiteDate);
  std::vector<std::pair<std::string, HttpRequest>> tampered;
  HttpRequest r = SuiteRequest(Vanilla());
  r.method = "POST";
  tampered.emplace_back("method", r);
  r = SuiteRequest(Vanilla());
  r.target = "/other";
  tampered.emplace_back("path", r);
  r = SuiteRequest(Vanilla());
  r.target = "/?a=b";
  tampered.emplace_back("query", r);
  r = SuiteRequest(Vanilla());
  r.body = "x";
  tampered.emplace_back("body", r);
  r = SuiteRequest(Vanilla());
  r.headers["host"] = {"example.amazonaws.com:443"};
  tampered.emplace_back("host port", r);
  r = SuiteRequest(Vanilla());
  r.headers["host"].push_back("evil.example.com");
  tampered.emplace_back("second host", r);
  for (const auto& [what, request] : tampered) {
    EXPECT_EQ(VerifySigV4(request, credentials, now).error,
              SigV4Error::kSignatureDoesNotMatch)
        << what;
  }
  // Unsigned headers may change freely.
  r = SuiteRequest(Vanilla());
  r.AddHeader("User-Agent", "curl/8.0");
  r.AddHeader("Connection", "keep-alive");
  EXPECT_EQ(VerifySigV4(r, credentials, now).error, SigV4Error::kNone);
}

TEST(SigV4Test, RepeatedHeaderValuesMustKeepTheirOrder) {
  SuiteCase c = SuiteCases()[11];  // get_header_value_order
  ASSERT_EQ(c.name, "get_header_value_order");
  std::swap(c.extra_headers[0], c.extra_headers[1]);
  EXPECT_EQ(
      VerifySigV4(SuiteRequest(c), SuiteCredentials(), AmzTime(kSuiteDate))
          .error,
      SigV4Error::kSignatureDoesNotMatch);
}

TEST(SigV4Test, AuthorizationWithoutSpacesAfterCommasIsAccepted) {
  HttpRequest request = SuiteRequest(Vanilla());
  request.headers["authorization"] = {
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
      "aws4_request,SignedHeaders=host;x-amz-date,Signature="
      "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"};
  EXPECT_EQ(VerifySigV4(request, SuiteCredentials(), AmzTime(kSuiteDate)).error,
            SigV4Error::kNone);
}

// ---------------------------------------------------------------------------
// Requests signed by botocore 1.43.11 at a fixed time, shaped like the
// captured clients in design/sqs-protocol.md §1.2/§1.3. Script (python3):
//
//   import hashlib, datetime; from unittest import mock
//   from botocore.auth import SigV4Auth, SigV4QueryAuth
//   from botocore.awsrequest import AWSRequest
//   from botocore.credentials import Credentials
//   NOW = datetime.datetime(2026, 11, 22, 4, 52, 24)
//   creds = Credentials("AKIDEXAMPLE",
//                       "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
//   def sign(req, auth):
//     with mock.patch("botocore.auth.get_current_datetime",
//                     return_value=NOW):
//       auth.add_auth(req)
//   # kBotocoreQuery
//   r = AWSRequest(method="POST", url="http://127.0.0.1:4566/",
//       data=QUERY_BODY.encode(), headers={"Content-Type":
//       "application/x-www-form-urlencoded; charset=utf-8",
//       "User-Agent": "aws-cli/2.9.19"})
//   sign(r, SigV4Auth(creds, "sqs", "us-east-1"))
//   # kJsJson / kJsUnsignedPayload: h = the lower-case JS headers below,
//   # x-amz-content-sha256 = hashlib.sha256(JSON_BODY).hexdigest() or
//   # "UNSIGNED-PAYLOAD"
//   r = AWSRequest(method="POST", url="http://127.0.0.1:4566/",
//                  data=JSON_BODY.encode(), headers=h)
//   sign(r, SigV4Auth(creds, "sqs", "eu-west-2"))
//   # kQueuePath / kSpacePath: url "http://localhost:9324/123456789012/
//   # queue-name" resp. ".../my%20queue", data b"Action=ReceiveMessage&
//   # Version=2012-11-05", the form Content-Type, SigV4Auth(creds, "sqs",
//   # "us-east-1")
//   # kSnsWithToken: url "http://127.0.0.1:4566/", data b"Action=ListTopics&
//   # Version=2010-03-31", the form Content-Type,
//   # SigV4Auth(Credentials("ASIAEXAMPLE", "secret/with+chars",
//   #           "FQoGZXIvYXdzEXAMPLETOKEN=="), "sns", "ap-southeast-2")
//   # kPresignedTarget: method GET, url "http://127.0.0.1:4566/123456789012/
//   # q1?Action=GetQueueAttributes&AttributeName.1=All",
//   # SigV4QueryAuth(creds, "sqs", "us-east-1", expires=300); print(r.url)
constexpr absl::string_view kBotocoreDate = "20261122T045224Z";
constexpr absl::string_view kBotocoreSecret =
    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

SigV4Credentials BotocoreCredentials() {
  return {{{"AKIDEXAMPLE", std::string(kBotocoreSecret)},
           {"ASIAEXAMPLE", "secret/with+chars"}}};
}

constexpr absl::string_view kQueryBody =
    "Action=SendMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2F127.0.0.1%"
    "3A4566%2F123456789012%2Fq1&MessageBody=hello+%22world%22+%26+%3Cx%3E&"
    "DelaySeconds=0";
constexpr absl::string_view kBotocoreQuery =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/sqs/"
    "aws4_request, SignedHeaders=content-type;host;x-amz-date, "
    "Signature="
    "286229337085270d6a75a750c704b59a30e8845b97815970f5d1d1cc4ac5b163";

// As AWS CLI v2.9 sends it (§1.2), headers in its capitalisation.
HttpRequest CliQueryRequest() {
  return MakeRequest(
      "POST", "/",
      {{"Host", "127.0.0.1:4566"},
       {"Accept-Encoding", "identity"},
       {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
       {"User-Agent",
        "aws-cli/2.9.19 Python/3.11.2 Linux/6.1 "
        "command/sqs.send-message"},
       {"X-Amz-Date", std::string(kBotocoreDate)},
       {"Authorization", std::string(kBotocoreQuery)},
       {"Content-Length", std::to_string(kQueryBody.size())}},
      std::string(kQueryBody));
}

TEST(SigV4BotocoreTest, CliQueryProtocolPostVerifies) {
  const SigV4Result result = VerifySigV4(
      CliQueryRequest(), BotocoreCredentials(), AmzTime(kBotocoreDate));
  EXPECT_EQ(result.error, SigV4Error::kNone) << result.message;
  EXPECT_EQ(result.access_key, "AKIDEXAMPLE");
  EXPECT_EQ(result.region, "us-east-1");
  EXPECT_EQ(result.service, "sqs");
}

TEST(SigV4BotocoreTest, HostMustBeAsReceivedIncludingPort) {
  HttpRequest request = CliQueryRequest();
  request.headers["host"] = {"127.0.0.1"};
  EXPECT_EQ(
      VerifySigV4(request, BotocoreCredentials(), AmzTime(kBotocoreDate)).error,
      SigV4Error::kSignatureDoesNotMatch);
}

TEST(SigV4BotocoreTest, BodyIsCoveredBySignature) {
  HttpRequest request = CliQueryRequest();
  request.body =
      absl::StrReplaceAll(request.body, {{"DelaySeconds=0", "DelaySeconds=9"}});
  EXPECT_EQ(
      VerifySigV4(request, BotocoreCredentials(), AmzTime(kBotocoreDate)).error,
      SigV4Error::kSignatureDoesNotMatch);
}

constexpr absl::string_view kJsonBody =
    R"({"QueueUrl":"http://127.0.0.1:4566/123456789012/q1","MessageBody":"hi"})";
constexpr absl::string_view kJsonBodySha256 =
    "d11989a237aec28436b7a504e885970a64ccea566a37c0b44b7ea1a1c7ee2709";
constexpr absl::string_view kJsSignedHeaders =
    "amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;"
    "x-amz-content-sha256;x-amz-date;x-amz-target;x-amz-user-agent;"
    "x-amzn-query-mode";
constexpr absl::string_view kJsJsonSignature =
    "96522dd3aadea4181921ab933b16241ecbdaa3a934f4c15e314d773342fde033";
constexpr absl::string_view kJsUnsignedPayloadSignature =
    "f77897cdeb57b6468f28bd6431ae27e97e30e24a3dfc3c776fc9e324d6cc17fb";

// As JS SDK v3 sends it (§1.3): lower-case names, many signed headers.
HttpRequest JsJsonRequest(absl::string_view content_sha256,
                          absl::string_view signature) {
  return MakeRequest(
      "POST", "/",
      {{"host", "127.0.0.1:4566"},
       {"content-type", "application/x-amz-json-1.0"},
       {"x-amz-target", "AmazonSQS.SendMessage"},
       {"x-amzn-query-mode", "true"},
       {"x-amz-user-agent", "aws-sdk-js/3.1169.0"},
       {"user-agent", "aws-sdk-js/3.1169.0 ua/2.1 os/linux lang/js"},
       {"amz-sdk-invocation-id", "0b5d7a3e-1d5f-4f55-9a3f-6c8b2e1f0a11"},
       {"amz-sdk-request", "attempt=1; max=3"},
       {"x-amz-content-sha256", std::string(content_sha256)},
       {"x-amz-date", std::string(kBotocoreDate)},
       {"authorization",
        absl::StrCat("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/"
                     "eu-west-2/sqs/aws4_request, SignedHeaders=",
                     kJsSignedHeaders, ", Signature=", signature)},
       {"content-length", std::to_string(kJsonBody.size())},
       {"connection", "keep-alive"}},
      std::string(kJsonBody));
}

TEST(SigV4BotocoreTest, JsStyleJsonPostWithContentSha256Verifies) {
  const SigV4Result result =
      VerifySigV4(JsJsonRequest(kJsonBodySha256, kJsJsonSignature),
                  BotocoreCredentials(), AmzTime(kBotocoreDate));
  EXPECT_EQ(result.error, SigV4Error::kNone) << result.message;
  EXPECT_EQ(result.region, "eu-west-2");
  EXPECT_EQ(result.service, "sqs");
}

TEST(SigV4BotocoreTest, SignedContentLengthIsChecked) {
  HttpRequest request = JsJsonRequest(kJsonBodySha256, kJsJsonSignature);
  request.headers["content-length"] = {"1"};
  EXPECT_EQ(
      VerifySigV4(request, BotocoreCredentials(), AmzTime(kBotocoreDate)).error,
      SigV4Error::kSignatureDoesNotMatch);
}

TEST(SigV4BotocoreTest, UnsignedPayloadLeavesTheBodyUncovered) {
  HttpRequest request =
      JsJsonRequest("UNSIGNED-PAYLOAD", kJsUnsignedPayloadSignature);
  EXPECT_EQ(
      VerifySigV4(request, BotocoreCredentials(), AmzTime(kBotocoreDate)).error,
      SigV4Error::kNone);
  request.body = "{}";
  EXPECT_EQ(
      VerifySigV4(request, BotocoreCredentials(), AmzTime(kBotocoreDate)).error,
      SigV4Error::kNone);
}

HttpRequest QueuePathRequest(std::string target, absl::string_view signature) {
  return MakeRequest(
      "POST", std::move(target),
      {{"Host", "localhost:9324"},
       {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
       {"X-Amz-Date", std::string(kBotocoreDate)},
       {"Authorization",
        absl::StrCat("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/"
                     "us-east-1/sqs/aws4_request, "
                     "SignedHeaders=content-type;host;x-amz-date, Signature=",
                     signature)}},
      "Action=ReceiveMessage&Version=2012-11-05");
}

TEST(SigV4BotocoreTest, QueueUrlPathVerifies) {
  EXPECT_EQ(VerifySigV4(QueuePathRequest("/123456789012/queue-name",
                                         "e46b293e90bc06c41aa740ba7a0fe1d05d69a"
                                         "65b776a2a4d461a6566afc23cb4"),
                        BotocoreCredentials(), AmzTime(kBotocoreDate))
                .error,
            SigV4Error::kNone);
}

TEST(SigV4BotocoreTest, PercentEncodedPathIsEncodedAgain) {
  // botocore signs "/123456789012/my%2520queue" for the request line
  // "/123456789012/my%20queue".
  EXPECT_EQ(VerifySigV4(QueuePathRequest("/123456789012/my%20queue",
                                         "0fccd7a2b99a32b8a700dec1796a34c429f86"
                                         "f3c1dadc40f4045b882b8617b45"),
                        BotocoreCredentials(), AmzTime(kBotocoreDate))
                .error,
            SigV4Error::kNone);
}

TEST(SigV4BotocoreTest, SnsRequestWithSecurityTokenVerifies) {
  const HttpRequest request = MakeRequest(
      "POST", "/",
      {{"Host", "127.0.0.1:4566"},
       {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
       {"X-Amz-Date", std::string(kBotocoreDate)},
       {"X-Amz-Security-Token", "FQoGZXIvYXdzEXAMPLETOKEN=="},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261122/ap-southeast-2/sns/"
        "aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, "
        "Signature="
        "10d3e9bb1715ee9b8563ee3462fea1a42276516e194976a3c6ac830bce705e86"}},
      "Action=ListTopics&Version=2010-03-31");
  const SigV4Result result =
      VerifySigV4(request, BotocoreCredentials(), AmzTime(kBotocoreDate));
  EXPECT_EQ(result.error, SigV4Error::kNone) << result.message;
  EXPECT_EQ(result.access_key, "ASIAEXAMPLE");
  EXPECT_EQ(result.region, "ap-southeast-2");
  EXPECT_EQ(result.service, "sns");
}

// ---------------------------------------------------------------------------
// Presigned (query-string) auth.
constexpr absl::string_view kPresignedTarget =
    "/123456789012/q1?Action=GetQueueAttributes&AttributeName.1=All"
    "&X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=AKIDEXAMPLE%2F20261122%2Fus-east-1%2Fsqs%2Faws4_request"
    "&X-Amz-Date=20261122T045224Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host"
    "&X-Amz-Signature="
    "cf67365afe07889f78a47837d72a529589aff7f0328e91d11a55f0e7531a69d8";

HttpRequest PresignedRequest(
    std::string target = std::string(kPresignedTarget)) {
  return MakeRequest("GET", std::move(target), {{"Host", "127.0.0.1:4566"}});
}

TEST(SigV4PresignedTest, BotocorePresignedGetVerifiesWithinExpiry) {
  const absl::Time signed_at = AmzTime(kBotocoreDate);
  for (absl::Time now : {signed_at, signed_at + absl::Seconds(300),
                         signed_at - absl::Minutes(15)}) {
    const SigV4Result result =
        VerifySigV4(PresignedRequest(), BotocoreCredentials(), now);
    EXPECT_EQ(result.error, SigV4Error::kNone) << result.message;
    EXPECT_EQ(result.access_key, "AKIDEXAMPLE");
    EXPECT_EQ(result.service, "sqs");
  }
}

TEST(SigV4PresignedTest, AfterExpiresIsRequestExpired) {
  const SigV4Result result =
      VerifySigV4(PresignedRequest(), BotocoreCredentials(),
                  AmzTime(kBotocoreDate) + absl::Seconds(301));
  EXPECT_EQ(result.error, SigV4Error::kRequestExpired);
  EXPECT_NE(result.message.find("Request has expired"), std::string::npos);
}

TEST(SigV4PresignedTest, TooFarInTheFutureIsNotYetCurrent) {
  const SigV4Result result =
      VerifySigV4(PresignedRequest(), BotocoreCredentials(),
                  AmzTime(kBotocoreDate) - absl::Minutes(16));
  EXPECT_EQ(result.error, SigV4Error::kSignatureDoesNotMatch);
  EXPECT_NE(result.message.find("Signature not yet current"),
            std::string::npos);
}

TEST(SigV4PresignedTest, ChangedQueryParameterBreaksSignature) {
  const SigV4Result result =
      VerifySigV4(PresignedRequest(absl::StrReplaceAll(
                      kPresignedTarget,
                      {{"Action=GetQueueAttributes", "Action=PurgeQueue"}})),
                  BotocoreCredentials(), AmzTime(kBotocoreDate));
  EXPECT_EQ(result.error, SigV4Error::kSignatureDoesNotMatch);
}

TEST(SigV4PresignedTest, LongerExpiresBreaksSignature) {
  const SigV4Result result = VerifySigV4(
      PresignedRequest(absl::StrReplaceAll(
          kPresignedTarget, {{"X-Amz-Expires=300", "X-Amz-Expires=3000"}})),
      BotocoreCredentials(), AmzTime(kBotocoreDate));
  EXPECT_EQ(result.error, SigV4Error::kSignatureDoesNotMatch);
}

// AWS's published S3 example ("Authenticating Requests: Using Query
// Parameters"): UNSIGNED-PAYLOAD, a different secret.
TEST(SigV4PresignedTest, AwsPublishedPresignedUrlExampleVerifies) {
  const HttpRequest request = MakeRequest(
      "GET",
      "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
      "AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-"
      "Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-"
      "Amz-Signature="
      "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
      {{"Host", "examplebucket.s3.amazonaws.com"}});
  const SigV4Credentials credentials = {
      {{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}};
  const SigV4Result result =
      VerifySigV4(request, credentials, AmzTime("20130524T010000Z"));
  EXPECT_EQ(result.error, SigV4Error::kNone) << result.message;
  EXPECT_EQ(result.service, "s3");
}

TEST(SigV4PresignedTest, MissingParametersAreIncomplete) {
  const SigV4Result result = VerifySigV4(
      PresignedRequest("/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00"),
      BotocoreCredentials(), AmzTime(kBotocoreDate));
  EXPECT_EQ(result.error, SigV4Error::kIncompleteSignature);
  EXPECT_EQ(result.message,
            "AWS query-string parameters must include 'X-Amz-Algorithm', "
            "'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', "
            "'X-Amz-SignedHeaders'. Re-examine the query-string parameters.");
}

TEST(SigV4PresignedTest, BadExpiresIsIncomplete) {
  for (absl::string_view expires : {"abc", "-1", "604801", ""}) {
    const SigV4Result result = VerifySigV4(
        PresignedRequest(absl::StrReplaceAll(
            kPresignedTarget,
            {{"X-Amz-Expires=300", absl::StrCat("X-Amz-Expires=", expires)}})),
        BotocoreCredentials(), AmzTime(kBotocoreDate));
    EXPECT_EQ(result.error, SigV4Error::kIncompleteSignature) << expires;
  }
}

TEST(SigV4PresignedTest, RepeatedAuthParameterIsIncomplete) {
  const SigV4Result result = VerifySigV4(
      PresignedRequest(absl::StrCat(kPresignedTarget, "&X-Amz-Signature=00")),
      BotocoreCredentials(), AmzTime(kBotocoreDate));
  EXPECT_EQ(result.error, SigV4Error::kIncompleteSignature);
}

TEST(SigV4PresignedTest, HeaderAndQueryAuthTogetherAreIncomplete) {
  HttpRequest request = PresignedRequest();
  request.AddHeader("Authorization", std::string(kBotocoreQuery));
  EXPECT_EQ(
      VerifySigV4(request, BotocoreCredentials(), AmzTime(kBotocoreDate)).error,
      SigV4Error::kIncompleteSignature);
}

// ---------------------------------------------------------------------------
// ParseAuthorization.
TEST(ParseAuthorizationTest, ExtractsScopeWithoutVerifying) {
  HttpRequest request = CliQueryRequest();
  request.body = "tampered";
  const SigV4Result result = ParseAuthorization(request);
  EXPECT_EQ(result.error, SigV4Error::kNone);
  EXPECT_EQ(result.access_key, "AKIDEXAMPLE");
  EXPECT_EQ(result.region, "us-east-1");
  EXPECT_EQ(result.service, "sqs");
}

TEST(ParseAuthorizationTest, ExtractsScopeFromPresignedQuery) {
  const SigV4Result result = ParseAuthorization(PresignedRequest());
  EXPECT_EQ(result.error, SigV4Error::kNone);
  EXPECT_EQ(result.access_key, "AKIDEXAMPLE");
  EXPECT_EQ(result.region, "us-east-1");
  EXPECT_EQ(result.service, "sqs");
}

}  // namespace
}  // namespace cortado::gateway
