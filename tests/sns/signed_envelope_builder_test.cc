// SignedEnvelopeBuilder: the envelope the broker gets through the core's
// EnvelopeBuilder interface is exactly BuildSnsEnvelope's for the same
// notification, with SigningCertURL and UnsubscribeURL on the base URL (the
// bytes subscribers saw when the core built envelopes itself).
#include "server/sns/signed_envelope_builder.h"

#include <string>

#include "gtest/gtest.h"
#include "server/sns/sns_envelope.h"
#include "tests/testing/test_envelope_builder.h"

namespace cortado {
namespace {

Notification Sample() {
  Notification n;
  n.message_id = "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324";
  n.topic_arn = "arn:aws:sns:us-east-1:000000000000:orders";
  n.subject = "hello";
  n.message = "body";
  n.timestamp = absl::FromUnixMillis(1335920046655);
  n.signature_version = 2;
  return n;
}

TEST(SignedEnvelopeBuilderTest, BuildsTheSnsEnvelopeOnItsBaseUrl) {
  const SnsSigner& signer = testing::TestSnsSigner();
  SignedEnvelopeBuilder builder(&signer, "http://127.0.0.1:9324");
  const std::string subscription = "arn:aws:sns:us-east-1:000000000000:o:id1";

  SnsNotification expected;
  static_cast<Notification&>(expected) = Sample();
  expected.unsubscribe_url =
      "http://127.0.0.1:9324/?Action=Unsubscribe&SubscriptionArn=" +
      subscription;
  expected.signing_cert_url =
      "http://127.0.0.1:9324/SimpleNotificationService-cortado.pem";
  // PKCS#1 v1.5 signatures are deterministic, so the bytes compare equal.
  EXPECT_EQ(builder.Build(Sample(), subscription),
            BuildSnsEnvelope(expected, signer));
}

TEST(SignedEnvelopeBuilderTest, SetBaseUrlMovesBothUrls) {
  SignedEnvelopeBuilder builder(&testing::TestSnsSigner());
  EXPECT_NE(
      builder.Build(Sample(), "s")
          .find("\"http://localhost/SimpleNotificationService-cortado.pem\""),
      std::string::npos);
  builder.SetBaseUrl("http://10.0.0.1:80");
  const std::string envelope = builder.Build(Sample(), "s");
  EXPECT_NE(
      envelope.find("\"http://10.0.0.1:80/SimpleNotificationService-cortado"),
      std::string::npos);
  EXPECT_NE(envelope.find("\"http://10.0.0.1:80/?Action=Unsubscribe&"
                          "SubscriptionArn=s\""),
            std::string::npos);
}

TEST(SnsSignerTest, RefusesAPemThatIsNoRsaPrivateKey) {
  EXPECT_FALSE(SnsSigner::FromPrivateKeyPem("not a key").ok());
}

}  // namespace
}  // namespace cortado
