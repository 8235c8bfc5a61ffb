// The SNS envelope: AWS's field order and layout, and a signature that
// verifies against the signer's certificate with plain OpenSSL, the way an
// SNS subscriber checks it.
#include "server/sns/sns_envelope.h"

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <vector>

#include "common/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/sns/sns_signer.h"
#include "tests/testing/sns_signature.h"

namespace cortado {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

bool Verify(const std::string& pem, const std::string& data,
            const std::string& signature_base64, const EVP_MD* digest) {
  return cortado::testing::VerifySnsSignature(pem, data, signature_base64,
                                              digest);
}

class SnsEnvelopeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto signer = SnsSigner::Generate();
    ASSERT_TRUE(signer.ok()) << signer.status();
    signer_ = signer->release();
  }
  static void TearDownTestSuite() { delete signer_; }

  static SnsNotification Sample() {
    SnsNotification n;
    n.message_id = "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324";
    n.topic_arn = "arn:aws:sns:us-east-1:123456789012:MyTopic";
    n.subject = "My First Message";
    n.message = "Hello \"world\"\nline2";
    n.timestamp =
        absl::FromUnixMillis(1335920046655);  // 2012-05-02T00:54:06.655Z
    n.signing_cert_url =
        "http://127.0.0.1:9324/SimpleNotificationService-cortado.pem";
    n.unsubscribe_url =
        "http://127.0.0.1:9324/?Action=Unsubscribe&SubscriptionArn=arn:aws:"
        "sns:us-east-1:123456789012:MyTopic:c9135db0";
    return n;
  }

  static std::vector<std::string> Keys(const JsonValue& object) {
    std::vector<std::string> keys;
    for (const JsonValue& member : object.members) keys.push_back(member.key);
    return keys;
  }

  static SnsSigner* signer_;
};

SnsSigner* SnsEnvelopeTest::signer_ = nullptr;

TEST_F(SnsEnvelopeTest, FieldsInAwsOrderAndLayout) {
  SnsNotification n = Sample();
  n.attributes["color"] = {"String", "red", "", false};
  n.attributes["n"] = {"Number", "5", "", false};
  n.attributes["b"] = {"Binary", "", std::string("\x00\x01\x02", 3), true};
  const std::string envelope = BuildSnsEnvelope(n, *signer_);
  EXPECT_THAT(envelope, HasSubstr("{\n  \"Type\" : \"Notification\",\n  "
                                  "\"MessageId\" : \"22b80b92-"));
  EXPECT_THAT(envelope,
              HasSubstr("\"Timestamp\" : \"2012-05-02T00:54:06.655Z\""));
  EXPECT_THAT(envelope, HasSubstr("\"b\" : {\"Type\":\"Binary\",\"Value\":"
                                  "\"AAEC\"}"));
  std::optional<JsonValue> parsed = ParseJson(envelope);
  ASSERT_TRUE(parsed.has_value()) << envelope;
  EXPECT_THAT(
      Keys(*parsed),
      ElementsAre("Type", "MessageId", "TopicArn", "Subject", "Message",
                  "Timestamp", "SignatureVersion", "Signature",
                  "SigningCertURL", "UnsubscribeURL", "MessageAttributes"));
  EXPECT_EQ(parsed->Find("Message")->text, n.message);
  EXPECT_EQ(parsed->Find("SignatureVersion")->text, "1");
  const JsonValue* attributes = parsed->Find("MessageAttributes");
  EXPECT_THAT(Keys(*attributes), ElementsAre("b", "color", "n"));
  EXPECT_EQ(attributes->Find("n")->Find("Type")->text, "Number");
  EXPECT_EQ(attributes->Find("n")->Find("Value")->text, "5");
}

TEST_F(SnsEnvelopeTest, NoSubjectNoAttributesMeansNoSuchFields) {
  SnsNotification n = Sample();
  n.subject.clear();
  const std::string envelope = BuildSnsEnvelope(n, *signer_);
  std::optional<JsonValue> parsed = ParseJson(envelope);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_THAT(Keys(*parsed),
              ElementsAre("Type", "MessageId", "TopicArn", "Message",
                          "Timestamp", "SignatureVersion", "Signature",
                          "SigningCertURL", "UnsubscribeURL"));
  EXPECT_THAT(SnsCanonicalString(n), Not(HasSubstr("Subject")));
}

TEST_F(SnsEnvelopeTest, SignatureV1VerifiesWithTheCertificate) {
  const SnsNotification n = Sample();
  std::optional<JsonValue> parsed = ParseJson(BuildSnsEnvelope(n, *signer_));
  ASSERT_TRUE(parsed.has_value());
  // Rebuild the canonical string from the parsed envelope, as a subscriber
  // does, so the test also pins the signed field list.
  std::string canonical;
  for (const char* key :
       {"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"}) {
    canonical += std::string(key) + "\n" + parsed->Find(key)->text + "\n";
  }
  EXPECT_EQ(canonical, SnsCanonicalString(n));
  const std::string signature = parsed->Find("Signature")->text;
  EXPECT_TRUE(
      Verify(signer_->certificate_pem(), canonical, signature, EVP_sha1()));
  EXPECT_FALSE(Verify(signer_->certificate_pem(), canonical + "x", signature,
                      EVP_sha1()));
}

TEST_F(SnsEnvelopeTest, SignatureV2IsSha256) {
  SnsNotification n = Sample();
  n.signature_version = 2;
  std::optional<JsonValue> parsed = ParseJson(BuildSnsEnvelope(n, *signer_));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->Find("SignatureVersion")->text, "2");
  EXPECT_TRUE(Verify(signer_->certificate_pem(), SnsCanonicalString(n),
                     parsed->Find("Signature")->text, EVP_sha256()));
}

TEST_F(SnsEnvelopeTest, FifoHasSequenceNumberAndNoSignature) {
  SnsNotification n = Sample();
  n.fifo = true;
  n.sequence_number = "10000000000000001000";
  std::optional<JsonValue> parsed = ParseJson(BuildSnsEnvelope(n, *signer_));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_THAT(Keys(*parsed),
              ElementsAre("Type", "MessageId", "SequenceNumber", "TopicArn",
                          "Subject", "Message", "Timestamp", "UnsubscribeURL"));
}

TEST_F(SnsEnvelopeTest, CertificateIsPem) {
  EXPECT_THAT(signer_->certificate_pem(),
              HasSubstr("-----BEGIN CERTIFICATE-----"));
}

TEST(SnsTimestampTest, MillisecondsAndZ) {
  EXPECT_EQ(SnsTimestamp(absl::FromUnixMillis(5)), "1970-01-01T00:00:00.005Z");
}

}  // namespace
}  // namespace cortado
