// SigV4 verification, checked against fixed signatures from outside this
// code: AWS's published SigV4 test suite, AWS's S3 presigned-URL example, and
// requests signed once by botocore 1.43.11 (script below). No signer lives in
// this file.
#include "gateway/sigv4.h"

#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace cortado::gateway {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

// "yyyymmddTHHMMSSZ" -> time (absl::ParseTime's %Y is greedy, so insert
// separators first).
absl::Time AmzTime(absl::string_view text) {
  const std::string spaced =
      absl::StrCat(text.substr(0, 4), "-", text.substr(4, 2), "-",
                   text.substr(6, 2), text.substr(8));
  absl::Time time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime("%Y-%m-%dT%H%M%SZ", spaced, absl::UTCTimeZone(),
                              &time, &error))
      << text << ": " << error;
  return time;
}

HttpRequest MakeRequest(std::string method, std::string target,
                        const Headers& headers, std::string body = "") {
  HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  for (const auto& [name, value] : headers) request.AddHeader(name, value);
  request.body = std::move(body);
  return request;
}

// ---------------------------------------------------------------------------
// AWS SigV4 test suite (docs.aws.amazon.com/general/latest/gr/
// signature-v4-test-suite.html): each case is the suite's .req plus the
// signature from its .authz. All use this key, scope and time.
constexpr absl::string_view kSuiteKey = "AKIDEXAMPLE";
constexpr absl::string_view kSuiteSecret =
    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr absl::string_view kSuiteDate = "20150830T123600Z";
constexpr absl::string_view kSuiteHost = "example.amazonaws.com";

SigV4Credentials SuiteCredentials() {
  return {{{std::string(kSuiteKey), std::string(kSuiteSecret)}}};
}

std::string SuiteAuthorization(absl::string_view signed_headers,
                               absl::string_view signature) {
  return absl::StrCat(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
      "aws4_request, SignedHeaders=",
      signed_headers, ", Signature=", signature);
}

struct SuiteCase {
  std::string name;
  std::string method;
  std::string target;
  Headers extra_headers;  // besides Host and X-Amz-Date
  std::string body;
  std::string signed_headers;
  std::string signature;
};

HttpRequest SuiteRequest(const SuiteCase& c) {
  Headers headers = {{"Host", std::string(kSuiteHost)},
                     {"X-Amz-Date", std::string(kSuiteDate)}};
  headers.insert(headers.end(), c.extra_headers.begin(), c.extra_headers.end());
  headers.emplace_back("Authorization",
                       SuiteAuthorization(c.signed_headers, c.signature));
  return MakeRequest(c.method, c.target, headers, c.body);
}

const std::string kSecurityToken =
    "AQoDYXdzEPT//////////"
    "wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIe"
    "oIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/"
    "kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9H"
    "FvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+"
    "scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

std::vector<SuiteCase> SuiteCases() {
  const std::string hd = "host;x-amz-date";
  const std::string hmd = "host;my-header1;x-amz-date";
  return {
      {"get_vanilla",
       "GET",
       "/",
       {},
       "",
       hd,
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"post_vanilla",
       "POST",
       "/",
       {},
       "",
       hd,
       "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
      {"get_vanilla_query_order_key",
       "GET",
       "/?Param1=value2&Param1=Value1",
       {},
       "",
       hd,
       "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"},
      {"get_vanilla_query_order_key_case",
       "GET",
       "/?Param2=value2&Param1=value1",
       {},
       "",
       hd,
       "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
      {"get_vanilla_query_unreserved",
       "GET",
       "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz="
       "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
       {},
       "",
       hd,
       "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"},
      {"get_vanilla_utf8_query",
       "GET",
       "/?\xE1\x88\xB4=bar",
       {},
       "",
       hd,
       "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
      {"get_vanilla_empty_query_key",
       "GET",
       "/?Param1=value1",
       {},
       "",
       hd,
       "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"},
      {"post_vanilla_empty_query_value",
       "POST",
       "/?Param1=value1",
       {},
       "",
       hd,
       "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
      {"get_unreserved",
       "GET",
       "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
       {},
       "",
       hd,
       "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
      {"get_utf8",
       "GET",
       "/\xE1\x88\xB4",
       {},
       "",
       hd,
       "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
      {"get_header_key_duplicate",
       "GET",
       "/",
       {{"My-Header1", "value2"},
        {"My-Header1", "value2"},
        {"My-Header1", "value1"}},
       "",
       hmd,
       "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"},
      {"get_header_value_order",
       "GET",
       "/",
       {{"My-Header1", "value4"},
        {"My-Header1", "value1"},
        {"My-Header1", "value3"},
        {"My-Header1", "value2"}},
       "",
       hmd,
       "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"},
      {"get_header_value_trim",
       "GET",
       "/",
       {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}},
       "",
       "host;my-header1;my-header2;x-amz-date",
       "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
      {"post_header_key_sort",
       "POST",
       "/",
       {{"My-Header1", "value1"}},
       "",
       hmd,
       "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"},
      {"post_header_value_case",
       "POST",
       "/",
       {{"My-Header1", "VALUE1"}},
       "",
       hmd,
       "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"},
      {"post_x_www_form_urlencoded",
       "POST",
       "/",
       {{"Content-Type", "application/x-www-form-urlencoded"}},
       "Param1=value1",
       "content-type;host;x-amz-date",
       "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
      {"post_x_www_form_urlencoded_parameters",
       "POST",
       "/",
       {{"Content-Type", "application/x-www-form-urlencoded; charset=utf8"}},
       "Param1=value1",
       "content-type;host;x-amz-date",
       "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe"},
      {"post_sts_header_before",
       "POST",
       "/",
       {{"X-Amz-Security-Token", kSecurityToken}},
       "",
       "host;x-amz-date;x-amz-security-token",
       "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"},
      // normalize-path/
      {"get_space",
       "GET",
       "/example space/",
       {},
       "",
       hd,
       "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"},
      {"get_relative_relative",
       "GET",
       "/example1/example2/../..",
       {},
       "",
       hd,
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"get_slash_dot_slash",
       "GET",
       "/./",
       {},
       "",
       hd,
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"get_slash_pointless_dot",
       "GET",
       "/./example",
       {},
       "",
       hd,
       "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5"},
      {"get_slashes",
       "GET",
       "//example//",
       {},
       "",
       hd,
       "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"},
  };
}

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

SuiteCase Vanilla() { return SuiteCases().front(); }

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
// Errors.
TEST(SigV4ErrorTest, WrongSecretIsSignatureDoesNotMatch) {
  const SigV4Result result =
      VerifySigV4(SuiteRequest(Vanilla()),
                  {{{"AKIDEXAMPLE", "not-the-secret"}}}, AmzTime(kSuiteDate));
  EXPECT_EQ(result.error, SigV4Error::kSignatureDoesNotMatch);
  EXPECT_EQ(result.message,
            "The request signature we calculated does not match the signature "
            "you provided. Check your AWS Secret Access Key and signing "
            "method. Consult the service documentation for details.");
  EXPECT_EQ(result.access_key, "AKIDEXAMPLE");
}

TEST(SigV4ErrorTest, UnknownAccessKeyIsInvalidClientTokenId) {
  const SigV4Result result = VerifySigV4(
      SuiteRequest(Vanilla()), {{{"OTHERKEY", std::string(kSuiteSecret)}}},
      AmzTime(kSuiteDate));
  EXPECT_EQ(result.error, SigV4Error::kInvalidClientTokenId);
  EXPECT_EQ(result.message,
            "The security token included in the request is invalid.");
  EXPECT_EQ(result.access_key, "AKIDEXAMPLE");
  EXPECT_EQ(result.region, "us-east-1");
}

TEST(SigV4ErrorTest, SixteenMinutesLateIsSignatureExpired) {
  const SigV4Result result =
      VerifySigV4(SuiteRequest(Vanilla()), SuiteCredentials(),
                  AmzTime(kSuiteDate) + absl::Minutes(16));
  EXPECT_EQ(result.error, SigV4Error::kSignatureDoesNotMatch);
  EXPECT_EQ(result.message,
            "Signature expired: 20150830T123600Z is now earlier than "
            "20150830T123700Z (20150830T125200Z - 15 min.)");
}

TEST(SigV4ErrorTest, SixteenMinutesEarlyIsSignatureNotYetCurrent) {
  const SigV4Result result =
      VerifySigV4(SuiteRequest(Vanilla()), SuiteCredentials(),
                  AmzTime(kSuiteDate) - absl::Minutes(16));
  EXPECT_EQ(result.error, SigV4Error::kSignatureDoesNotMatch);
  EXPECT_EQ(result.message,
            "Signature not yet current: 20150830T123600Z is still later than "
            "20150830T123500Z (20150830T122000Z + 15 min.)");
}

TEST(SigV4ErrorTest, ExactlyFifteenMinutesSkewIsAccepted) {
  const absl::Time signed_at = AmzTime(kSuiteDate);
  for (absl::Duration skew : {absl::Minutes(15), -absl::Minutes(15)}) {
    EXPECT_EQ(VerifySigV4(SuiteRequest(Vanilla()), SuiteCredentials(),
                          signed_at + skew)
                  .error,
              SigV4Error::kNone);
  }
  for (absl::Duration skew : {absl::Minutes(15) + absl::Seconds(1),
                              -absl::Minutes(15) - absl::Seconds(1)}) {
    EXPECT_EQ(VerifySigV4(SuiteRequest(Vanilla()), SuiteCredentials(),
                          signed_at + skew)
                  .error,
              SigV4Error::kSignatureDoesNotMatch);
  }
}

TEST(SigV4ErrorTest, HostNotSignedIsIncompleteSignature) {
  SuiteCase c = Vanilla();
  c.signed_headers = "x-amz-date";
  const SigV4Result result =
      VerifySigV4(SuiteRequest(c), SuiteCredentials(), AmzTime(kSuiteDate));
  EXPECT_EQ(result.error, SigV4Error::kIncompleteSignature);
  EXPECT_NE(result.message.find("'Host'"), std::string::npos) << result.message;
}

TEST(SigV4ErrorTest, XAmzDateNotSignedIsIncompleteSignature) {
  SuiteCase c = Vanilla();
  c.signed_headers = "host";
  const SigV4Result result =
      VerifySigV4(SuiteRequest(c), SuiteCredentials(), AmzTime(kSuiteDate));
  EXPECT_EQ(result.error, SigV4Error::kIncompleteSignature);
  EXPECT_NE(result.message.find("'X-Amz-Date'"), std::string::npos)
      << result.message;
}

TEST(SigV4ErrorTest, CredentialDateOtherThanXAmzDateIsIncompleteSignature) {
  HttpRequest request = SuiteRequest(Vanilla());
  request.headers["x-amz-date"] = {"20150831T000100Z"};
  const SigV4Result result =
      VerifySigV4(request, SuiteCredentials(), AmzTime("20150831T000100Z"));
  EXPECT_EQ(result.error, SigV4Error::kIncompleteSignature);
  EXPECT_EQ(result.message,
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
            "version of date from HTTP: '20150830' != '20150831', from "
            "'20150831T000100Z'.");
}

TEST(SigV4ErrorTest, MissingOrMalformedXAmzDateIsIncompleteSignature) {
  HttpRequest request = SuiteRequest(Vanilla());
  request.headers.erase("x-amz-date");
  EXPECT_EQ(VerifySigV4(request, SuiteCredentials(), AmzTime(kSuiteDate)).error,
            SigV4Error::kIncompleteSignature);
  for (const char* bad :
       {"2015-08-30T12:36:00Z", "20150830T123600", "20150830t123600z",
        "2015083OT123600Z", "", "20151330T123600Z"}) {
    request.headers["x-amz-date"] = {bad};
    EXPECT_EQ(
        VerifySigV4(request, SuiteCredentials(), AmzTime(kSuiteDate)).error,
        SigV4Error::kIncompleteSignature)
        << bad;
  }
}

TEST(SigV4ErrorTest, UnsignedRequestIsMissingAuthenticationToken) {
  const HttpRequest request =
      MakeRequest("POST", "/", {{"Host", "127.0.0.1:4566"}},
                  "Action=ListQueues&Version=2012-11-05");
  const SigV4Result result =
      VerifySigV4(request, SuiteCredentials(), AmzTime(kSuiteDate));
  EXPECT_EQ(result.error, SigV4Error::kMissingAuthenticationToken);
  EXPECT_EQ(result.message,
            "The request must contain either a valid (registered) AWS access "
            "key ID or X.509 certificate.");
  EXPECT_EQ(ParseAuthorization(request).error, SigV4Error::kNone);
  EXPECT_EQ(ParseAuthorization(request).access_key, "");
}

std::vector<std::string> GarbageAuthorizations() {
  using std::string_literals::operator""s;
  return {
      "",
      "   ",
      "AWS4-HMAC-SHA256",
      "AWS4-HMAC-SHA256 ",
      "AWS4-HMAC-SHA256Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
      "aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
      "Basic dXNlcjpwYXNzd29yZA==",
      "AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=",
      "AWS4-HMAC-SHA256 ,,,,",
      "AWS4-HMAC-SHA256 =,=,=",
      "AWS4-HMAC-SHA256 Credential=",
      "AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=",
      "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=0",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service, "
      "SignedHeaders=host;x-amz-date, Signature=00",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
      "aws5_request, SignedHeaders=host;x-amz-date, Signature=00",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE//us-east-1/service/"
      "aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
      "aws4_request/extra, SignedHeaders=host;x-amz-date, Signature=00",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
      "aws4_request, SignedHeaders=host;;x-amz-date, Signature=00",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
      "aws4_request, SignedHeaders=host;x-amz-date",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
      "aws4_request, Signature=00",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
      "aws4_request, SignedHeaders=host;x-amz-date, Signature=",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
      "aws4_request, SignedHeaders=host;x-amz-date, Signature=00, "
      "Signature=00",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
      "aws4_request, SignedHeaders=host;x-amz-date, Signature=00, Foo=bar",
      "AWS4-HMAC-SHA256 Credential AKIDEXAMPLE/20150830/us-east-1/service/"
      "aws4_request",
      "AWS4-HMAC-SHA256 Credential=\0/\0/\0/\0/aws4_request"s,
      "AWS4-HMAC-SHA256 " + std::string(100000, ','),
      "AWS4-HMAC-SHA256 Credential=" + std::string(100000, '/'),
  };
}

TEST(SigV4ErrorTest, GarbageAuthorizationIsIncompleteSignature) {
  for (const std::string& garbage : GarbageAuthorizations()) {
    HttpRequest request = SuiteRequest(Vanilla());
    request.headers["authorization"] = {garbage};
    const SigV4Result verified =
        VerifySigV4(request, SuiteCredentials(), AmzTime(kSuiteDate));
    EXPECT_EQ(verified.error, SigV4Error::kIncompleteSignature)
        << garbage.substr(0, 200);
    EXPECT_FALSE(verified.message.empty());
    EXPECT_EQ(ParseAuthorization(request).error,
              SigV4Error::kIncompleteSignature)
        << garbage.substr(0, 200);
  }
}

TEST(SigV4ErrorTest, TwoAuthorizationHeadersAreIncompleteSignature) {
  HttpRequest request = SuiteRequest(Vanilla());
  request.AddHeader("Authorization", request.Header("Authorization"));
  EXPECT_EQ(VerifySigV4(request, SuiteCredentials(), AmzTime(kSuiteDate)).error,
            SigV4Error::kIncompleteSignature);
}

// Random mutations of a valid header never crash, and whatever
// ParseAuthorization calls malformed VerifySigV4 does too.
TEST(SigV4ErrorTest, MutatedAuthorizationNeverCrashes) {
  const std::string valid = SuiteRequest(Vanilla()).Header("Authorization");
  std::mt19937 random(20150830);
  for (int i = 0; i < 2000; ++i) {
    std::string mutated = valid;
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits && !mutated.empty(); ++e) {
      const size_t at = random() % mutated.size();
      switch (random() % 3) {
        case 0:
          mutated[at] = static_cast<char>(random() % 256);
          break;
        case 1:
          mutated.erase(at, 1 + random() % 8);
          break;
        case 2:
          mutated.insert(at, 1, ",;/= "[random() % 5]);
          break;
      }
    }
    HttpRequest request = SuiteRequest(Vanilla());
    request.headers["authorization"] = {mutated};
    const SigV4Result verified =
        VerifySigV4(request, SuiteCredentials(), AmzTime(kSuiteDate));
    if (ParseAuthorization(request).error != SigV4Error::kNone) {
      EXPECT_EQ(verified.error, SigV4Error::kIncompleteSignature) << mutated;
    }
  }
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

// ---------------------------------------------------------------------------
// LoadCredentialsFile.
class LoadCredentialsFileTest : public ::testing::Test {
 protected:
  std::string Write(absl::string_view contents) {
    const std::string path = dir_.path() + "/credentials";
    std::ofstream(path, std::ios::binary | std::ios::trunc) << contents;
    return path;
  }

  cortado::testing::TempDir dir_;
};

TEST_F(LoadCredentialsFileTest, ReadsBothFormatsCommentsAndBlankLines) {
  absl::StatusOr<SigV4Credentials> credentials = LoadCredentialsFile(
      Write("# Cortado credentials\n"
            "\n"
            "AKIDEXAMPLE wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n"
            "  test:test  \n"
            "   # indented comment\n"
            "TABKEY\t\tsecret:with:colons\r\n"
            "COLONKEY:secret:with:colons\n"
            "\t\n"));
  ASSERT_OK(credentials);
  EXPECT_EQ(credentials->secrets,
            (std::map<std::string, std::string>{
                {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
                {"test", "test"},
                {"TABKEY", "secret:with:colons"},
                {"COLONKEY", "secret:with:colons"}}));
}

TEST_F(LoadCredentialsFileTest, EmptyFileHasNoCredentials) {
  absl::StatusOr<SigV4Credentials> credentials = LoadCredentialsFile(Write(""));
  ASSERT_OK(credentials);
  EXPECT_TRUE(credentials->secrets.empty());
}

TEST_F(LoadCredentialsFileTest, ErrorsNameTheLine) {
  struct Case {
    std::string contents;
    std::string expected;  // substring of the message
  };
  for (const Case& c : std::vector<Case>{
           {"# c\nONLYKEY\n", ":2: no secret"},
           {"A b\nB:\n", ":2: empty secret"},
           {"A b\n\n:secret\n", ":3: empty access key"},
           {"A secret with spaces\n", ":1: whitespace inside the secret"},
           {"A x\nB y\nA z\n", ":3: access key A already defined on line 1"},
       }) {
    absl::StatusOr<SigV4Credentials> credentials =
        LoadCredentialsFile(Write(c.contents));
    ASSERT_FALSE(credentials.ok()) << c.contents;
    EXPECT_EQ(credentials.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(credentials.status().message().find(c.expected),
              std::string::npos)
        << credentials.status();
  }
}

TEST_F(LoadCredentialsFileTest, MissingFileIsNotFound) {
  absl::StatusOr<SigV4Credentials> credentials =
      LoadCredentialsFile(dir_.path() + "/does-not-exist");
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace cortado::gateway
