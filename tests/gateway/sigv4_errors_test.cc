// SigV4 failures: each error kind VerifySigV4 reports, on requests built
// from AWS's published test suite (tests/gateway/sigv4_vectors.h), and
// garbage that must never crash it.
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gateway/sigv4.h"
#include "gtest/gtest.h"
#include "tests/gateway/sigv4_vectors.h"

namespace cortado::gateway {
namespace {

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

}  // namespace
}  // namespace cortado::gateway
