// SNS Publish / PublishBatch over real HTTP into real SQS queues: fan-out,
// the JSON envelope (with a signature that verifies against the certificate
// the gateway serves at SigningCertURL), raw delivery, filter policies.
#include <openssl/evp.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/gateway/sns_fixture.h"
#include "tests/testing/sns_signature.h"

namespace cortado::gateway::testing {
namespace {

using SnsPublishTest = SnsGatewayTest;

bool VerifySha1(const std::string& pem, const std::string& data,
                const std::string& signature_base64) {
  return cortado::testing::VerifySnsSignature(pem, data, signature_base64,
                                              EVP_sha1());
}

TEST_F(SnsPublishTest, FanOutEnvelopeWithVerifiableSignature) {
  const std::string topic = CreateTopic("created-consumer");
  SubscribeQueue(topic, "api-orders-created-consumer");
  SubscribeQueue(topic, "api-payment-created-payment");

  RawResponse published =
      Publish(topic, "{\"order\":42}",
              "&Subject=New+order&MessageAttributes.entry.1.Name=event"
              "&MessageAttributes.entry.1.Value.DataType=String"
              "&MessageAttributes.entry.1.Value.StringValue=order_placed");
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_TRUE(absl::StrContains(published.body, "<PublishResult><MessageId>"));
  const std::string message_id = *XmlText(published.body, "MessageId");

  for (const std::string queue :
       {"api-orders-created-consumer", "api-payment-created-payment"}) {
    std::vector<const JsonValue*> messages = Receive(queue);
    ASSERT_EQ(messages.size(), 1u) << queue;
    std::optional<JsonValue> envelope =
        ParseJson(messages[0]->Find("Body")->text);
    ASSERT_TRUE(envelope.has_value()) << messages[0]->Find("Body")->text;
    EXPECT_EQ(envelope->Find("Type")->text, "Notification");
    EXPECT_EQ(envelope->Find("MessageId")->text, message_id);
    EXPECT_EQ(envelope->Find("TopicArn")->text, topic);
    EXPECT_EQ(envelope->Find("Subject")->text, "New order");
    EXPECT_EQ(envelope->Find("Message")->text, "{\"order\":42}");
    EXPECT_EQ(envelope->Find("SignatureVersion")->text, "1");
    const JsonValue* attribute =
        envelope->Find("MessageAttributes")->Find("event");
    EXPECT_EQ(attribute->Find("Type")->text, "String");
    EXPECT_EQ(attribute->Find("Value")->text, "order_placed");
    // The SQS-side attributes of an envelope delivery are empty.
    EXPECT_EQ(messages[0]->Find("MessageAttributes"), nullptr);

    // Fetch the certificate from SigningCertURL, as a subscriber would.
    const std::string cert_url = envelope->Find("SigningCertURL")->text;
    const std::string prefix = absl::StrCat("http://", Host());
    ASSERT_TRUE(absl::StartsWith(cert_url, prefix)) << cert_url;
    absl::StatusOr<RawResponse> cert =
        NewClient()->Request("GET", cert_url.substr(prefix.size()), {}, "");
    ASSERT_TRUE(cert.ok()) << cert.status();
    ASSERT_EQ(cert->status, 200);
    std::string canonical;
    for (const char* key :
         {"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"}) {
      absl::StrAppend(&canonical, key, "\n", envelope->Find(key)->text, "\n");
    }
    EXPECT_TRUE(
        VerifySha1(cert->body, canonical, envelope->Find("Signature")->text));
    EXPECT_TRUE(absl::StrContains(envelope->Find("UnsubscribeURL")->text,
                                  "Action=Unsubscribe&SubscriptionArn="));
  }
}

TEST_F(SnsPublishTest, RawDeliveryPutsBodyAndAttributesIntoTheQueue) {
  const std::string topic = CreateTopic("raw");
  SubscribeQueue(topic, "raw-q", {{"RawMessageDelivery", "true"}});
  SubscribeQueue(topic, "envelope-q");
  ASSERT_EQ(Publish(topic, "plain body",
                    "&MessageAttributes.entry.1.Name=n"
                    "&MessageAttributes.entry.1.Value.DataType=Number"
                    "&MessageAttributes.entry.1.Value.StringValue=5")
                .status,
            200);
  std::vector<const JsonValue*> raw = Receive("raw-q");
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_EQ(raw[0]->Find("Body")->text, "plain body");
  const JsonValue* attributes = raw[0]->Find("MessageAttributes");
  ASSERT_NE(attributes, nullptr);
  EXPECT_EQ(attributes->Find("n")->Find("DataType")->text, "Number");
  EXPECT_EQ(attributes->Find("n")->Find("StringValue")->text, "5");
  EXPECT_NE(raw[0]->Find("MD5OfMessageAttributes"), nullptr);

  std::vector<const JsonValue*> wrapped = Receive("envelope-q");
  ASSERT_EQ(wrapped.size(), 1u);
  EXPECT_TRUE(absl::StartsWith(wrapped[0]->Find("Body")->text,
                               "{\n  \"Type\" : \"Notification\""));
}

TEST_F(SnsPublishTest, FilterPolicyRoutesOrderPlacedToOneQueue) {
  const std::string topic = CreateTopic("events");
  SubscribeQueue(topic, "orders",
                 {{"FilterPolicy", R"({"event":["order_placed"]})"},
                  {"RawMessageDelivery", "true"}});
  SubscribeQueue(
      topic, "others",
      {{"FilterPolicy", R"({"event":[{"anything-but":"order_placed"}]})"},
       {"RawMessageDelivery", "true"}});
  auto publish = [&](const std::string& body, const std::string& event) {
    RawResponse r = Publish(topic, body,
                            "&MessageAttributes.entry.1.Name=event"
                            "&MessageAttributes.entry.1.Value.DataType=String"
                            "&MessageAttributes.entry.1.Value.StringValue=" +
                                event);
    ASSERT_EQ(r.status, 200) << r.body;
  };
  publish("o1", "order_placed");
  publish("p1", "payment_made");
  publish("o2", "order_placed");
  publish("s1", "shipped");

  auto bodies = [&](const std::string& queue) {
    std::vector<std::string> out;
    for (const JsonValue* m : Receive(queue)) {
      out.push_back(m->Find("Body")->text);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(bodies("orders"), (std::vector<std::string>{"o1", "o2"}));
  EXPECT_EQ(bodies("others"), (std::vector<std::string>{"p1", "s1"}));
}

TEST_F(SnsPublishTest, MessageBodyScopeFilter) {
  const std::string topic = CreateTopic("body-scope");
  SubscribeQueue(topic, "paid",
                 {{"FilterPolicy", R"({"order":{"status":["paid"]}})"},
                  {"FilterPolicyScope", "MessageBody"},
                  {"RawMessageDelivery", "true"}});
  ASSERT_EQ(Publish(topic, R"({"order":{"status":"open"}})").status, 200);
  ASSERT_EQ(Publish(topic, R"({"order":{"status":"paid"}})").status, 200);
  std::vector<const JsonValue*> messages = Receive("paid");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0]->Find("Body")->text, R"({"order":{"status":"paid"}})");
}

TEST_F(SnsPublishTest, PublishBatchShapes) {
  const std::string topic = CreateTopic("batch");
  SubscribeQueue(topic, "batch-q", {{"RawMessageDelivery", "true"}});
  const std::string arn = "&TopicArn=" + FormEncode(topic);
  RawResponse ok = Sns("PublishBatch",
                       arn +
                           "&PublishBatchRequestEntries.member.1.Id=a"
                           "&PublishBatchRequestEntries.member.1.Message=m1"
                           "&PublishBatchRequestEntries.member.2.Id=b"
                           "&PublishBatchRequestEntries.member.2.Message=m2");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(absl::StrContains(
      ok.body, "<PublishBatchResult><Successful><member><Id>a</Id><MessageId>"))
      << ok.body;
  EXPECT_TRUE(absl::StrContains(ok.body, "</Successful><Failed/>")) << ok.body;
  EXPECT_EQ(Receive("batch-q").size(), 2u);

  RawResponse duplicate = Sns(
      "PublishBatch", arn +
                          "&PublishBatchRequestEntries.member.1.Id=a"
                          "&PublishBatchRequestEntries.member.1.Message=m1"
                          "&PublishBatchRequestEntries.member.2.Id=a"
                          "&PublishBatchRequestEntries.member.2.Message=m2");
  EXPECT_EQ(duplicate.status, 400);
  EXPECT_EQ(XmlText(duplicate.body, "Code"), "BatchEntryIdsNotDistinct");

  RawResponse empty = Sns("PublishBatch", arn);
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(XmlText(empty.body, "Code"), "EmptyBatchRequest");
}

TEST_F(SnsPublishTest, PublishErrors) {
  const std::string topic = CreateTopic("publish-errors");
  RawResponse empty = Publish(topic, "");
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(XmlText(empty.body, "Code"), "InvalidParameter");
  EXPECT_EQ(XmlText(empty.body, "Message"), "Invalid parameter: Empty message");

  RawResponse no_message = Sns("Publish", "&TopicArn=" + FormEncode(topic));
  EXPECT_EQ(no_message.status, 400);
  EXPECT_EQ(XmlText(no_message.body, "Code"), "ValidationError");

  RawResponse bad_attribute =
      Publish(topic, "x",
              "&MessageAttributes.entry.1.Name=a"
              "&MessageAttributes.entry.1.Value.DataType=Banana"
              "&MessageAttributes.entry.1.Value.StringValue=1");
  EXPECT_EQ(bad_attribute.status, 400);
  EXPECT_EQ(XmlText(bad_attribute.body, "Code"), "ParameterValueInvalid");
}

}  // namespace
}  // namespace cortado::gateway::testing
