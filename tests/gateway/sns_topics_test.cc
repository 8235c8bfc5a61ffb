// SNS topic, subscription and tag actions over real HTTP (query protocol,
// Version=2010-03-31): SNS's non-flattened response shapes and its errors.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/gateway/sns_fixture.h"

namespace cortado::gateway::testing {
namespace {

using SnsTopicsTest = SnsGatewayTest;

TEST_F(SnsTopicsTest, CreateListGetDeleteTopic) {
  RawResponse created =
      Sns("CreateTopic",
          "&Name=orders&Attributes.entry.1.key=DisplayName"
          "&Attributes.entry.1.value=Orders&Tags.member.1.Key=team"
          "&Tags.member.1.Value=payments");
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.Header("content-type"), "text/xml");
  EXPECT_TRUE(absl::StrContains(
      created.body,
      "<CreateTopicResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/"
      "\"><CreateTopicResult><TopicArn>arn:aws:sns:us-east-1:000000000000:"
      "orders</TopicArn></CreateTopicResult><ResponseMetadata><RequestId>"))
      << created.body;
  const std::string arn = *XmlText(created.body, "TopicArn");

  // Idempotent with the same attributes and tags.
  RawResponse again =
      Sns("CreateTopic",
          "&Name=orders&Attributes.entry.1.key=DisplayName"
          "&Attributes.entry.1.value=Orders&Tags.member.1.Key=team"
          "&Tags.member.1.Value=payments");
  EXPECT_EQ(XmlText(again.body, "TopicArn"), arn);

  RawResponse listed = Sns("ListTopics");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_TRUE(absl::StrContains(
      listed.body, absl::StrCat("<ListTopicsResult><Topics><member><TopicArn>",
                                arn, "</TopicArn></member></Topics>")))
      << listed.body;

  RawResponse attributes =
      Sns("GetTopicAttributes", "&TopicArn=" + FormEncode(arn));
  ASSERT_EQ(attributes.status, 200) << attributes.body;
  EXPECT_TRUE(absl::StrContains(
      attributes.body, absl::StrCat("<entry><key>TopicArn</key><value>", arn,
                                    "</value></entry>")))
      << attributes.body;
  EXPECT_TRUE(absl::StrContains(
      attributes.body,
      "<entry><key>DisplayName</key><value>Orders</value></entry>"));

  RawResponse set = Sns("SetTopicAttributes",
                        "&TopicArn=" + FormEncode(arn) +
                            "&AttributeName=DisplayName&AttributeValue=New");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_TRUE(absl::StrContains(
      set.body,
      "<SetTopicAttributesResponse xmlns=\"http://sns.amazonaws.com/"
      "doc/2010-03-31/\"><ResponseMetadata>"));
  EXPECT_TRUE(absl::StrContains(
      Sns("GetTopicAttributes", "&TopicArn=" + FormEncode(arn)).body,
      "<key>DisplayName</key><value>New</value>"));

  RawResponse deleted = Sns("DeleteTopic", "&TopicArn=" + FormEncode(arn));
  EXPECT_EQ(deleted.status, 200) << deleted.body;
  // Deleting again is not an error.
  EXPECT_EQ(Sns("DeleteTopic", "&TopicArn=" + FormEncode(arn)).status, 200);

  RawResponse gone = Sns("GetTopicAttributes", "&TopicArn=" + FormEncode(arn));
  EXPECT_EQ(gone.status, 404) << gone.body;
  EXPECT_EQ(XmlText(gone.body, "Code"), "NotFound");
  EXPECT_EQ(XmlText(gone.body, "Type"), "Sender");
  EXPECT_EQ(XmlText(gone.body, "Message"), "Topic does not exist");
  EXPECT_TRUE(absl::StrContains(
      gone.body,
      "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"));
  EXPECT_EQ(XmlCount(Sns("ListTopics").body, "member"), 0);
}

TEST_F(SnsTopicsTest, SubscriptionsListGetSetUnsubscribe) {
  const std::string topic = CreateTopic("created-consumer");
  const std::string sub = SubscribeQueue(topic, "api-orders-created-consumer");
  ASSERT_TRUE(absl::StartsWith(sub, topic + ":")) << sub;

  // Re-subscribing the same endpoint returns the same subscription.
  EXPECT_EQ(SubscribeQueue(topic, "api-orders-created-consumer"), sub);

  for (const std::string& listed :
       {Sns("ListSubscriptionsByTopic", "&TopicArn=" + FormEncode(topic)).body,
        Sns("ListSubscriptions").body}) {
    EXPECT_TRUE(absl::StrContains(
        listed,
        absl::StrCat("<Subscriptions><member><SubscriptionArn>", sub,
                     "</SubscriptionArn><Owner>000000000000</Owner><Protocol>"
                     "sqs</Protocol><Endpoint>",
                     QueueArn("api-orders-created-consumer"),
                     "</Endpoint><TopicArn>", topic,
                     "</TopicArn></member></Subscriptions>")))
        << listed;
  }

  RawResponse attributes =
      Sns("GetSubscriptionAttributes", "&SubscriptionArn=" + FormEncode(sub));
  ASSERT_EQ(attributes.status, 200) << attributes.body;
  EXPECT_TRUE(absl::StrContains(
      attributes.body,
      "<entry><key>PendingConfirmation</key><value>false</value></entry>"));
  EXPECT_TRUE(absl::StrContains(
      attributes.body,
      "<entry><key>RawMessageDelivery</key><value>false</value></entry>"));

  RawResponse set =
      Sns("SetSubscriptionAttributes", "&SubscriptionArn=" + FormEncode(sub) +
                                           "&AttributeName=RawMessageDelivery"
                                           "&AttributeValue=true");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_TRUE(absl::StrContains(
      Sns("GetSubscriptionAttributes", "&SubscriptionArn=" + FormEncode(sub))
          .body,
      "<key>RawMessageDelivery</key><value>true</value>"));

  RawResponse bad_raw =
      Sns("SetSubscriptionAttributes", "&SubscriptionArn=" + FormEncode(sub) +
                                           "&AttributeName=RawMessageDelivery"
                                           "&AttributeValue=maybe");
  EXPECT_EQ(bad_raw.status, 400);
  EXPECT_EQ(XmlText(bad_raw.body, "Code"), "InvalidParameter");

  RawResponse bad_policy =
      Sns("SetSubscriptionAttributes",
          "&SubscriptionArn=" + FormEncode(sub) +
              "&AttributeName=FilterPolicy&AttributeValue=" +
              FormEncode(R"({"a":[]})"));
  EXPECT_EQ(bad_policy.status, 400);
  EXPECT_EQ(XmlText(bad_policy.body, "Code"), "InvalidParameter");
  EXPECT_TRUE(
      absl::StrContains(XmlText(bad_policy.body, "Message").value_or(""),
                        "Empty arrays are not allowed"))
      << bad_policy.body;

  RawResponse removed =
      Sns("Unsubscribe", "&SubscriptionArn=" + FormEncode(sub));
  EXPECT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(
      XmlCount(Sns("ListSubscriptionsByTopic", "&TopicArn=" + FormEncode(topic))
                   .body,
               "member"),
      0);
  RawResponse missing =
      Sns("GetSubscriptionAttributes", "&SubscriptionArn=" + FormEncode(sub));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(XmlText(missing.body, "Code"), "NotFound");
}

TEST_F(SnsTopicsTest, TagResourceListUntag) {
  const std::string topic = CreateTopic("tagged");
  const std::string arn = "&ResourceArn=" + FormEncode(topic);
  RawResponse tagged =
      Sns("TagResource", arn +
                             "&Tags.member.1.Key=a&Tags.member.1.Value=1"
                             "&Tags.member.2.Key=b&Tags.member.2.Value=2");
  ASSERT_EQ(tagged.status, 200) << tagged.body;
  EXPECT_TRUE(absl::StrContains(tagged.body, "<TagResourceResult/>"));
  RawResponse listed = Sns("ListTagsForResource", arn);
  EXPECT_TRUE(absl::StrContains(
      listed.body,
      "<ListTagsForResourceResult><Tags><member><Key>a</Key><Value>1</Value>"
      "</member><member><Key>b</Key><Value>2</Value></member></Tags>"))
      << listed.body;
  ASSERT_EQ(Sns("UntagResource", arn + "&TagKeys.member.1=a").status, 200);
  listed = Sns("ListTagsForResource", arn);
  EXPECT_EQ(XmlCount(listed.body, "member"), 1) << listed.body;
  EXPECT_EQ(XmlText(listed.body, "Key"), "b");
}

TEST_F(SnsTopicsTest, Errors) {
  RawResponse missing = Sns("GetTopicAttributes");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(XmlText(missing.body, "Code"), "ValidationError");
  EXPECT_EQ(XmlText(missing.body, "Message"),
            "1 validation error detected: Value null at 'topicArn' failed to "
            "satisfy constraint: Member must not be null");

  RawResponse bad_name = Sns("CreateTopic", "&Name=bad%20name");
  EXPECT_EQ(bad_name.status, 400);
  EXPECT_EQ(XmlText(bad_name.body, "Code"), "InvalidParameter");

  const std::string topic = CreateTopic("errors");
  CreateQueue("q");
  RawResponse url_endpoint = Sns(
      "Subscribe", "&TopicArn=" + FormEncode(topic) +
                       "&Protocol=sqs&Endpoint=" + FormEncode(QueueUrl("q")));
  EXPECT_EQ(url_endpoint.status, 400);
  EXPECT_EQ(XmlText(url_endpoint.body, "Code"), "InvalidParameter");

  RawResponse bad_policy =
      Sns("Subscribe",
          "&TopicArn=" + FormEncode(topic) +
              "&Protocol=sqs&Endpoint=" + FormEncode(QueueArn("q")) +
              "&Attributes.entry.1.key=FilterPolicy&Attributes.entry.1.value=" +
              FormEncode(R"({"p":[{"numeric":["<","100"]}]})"));
  EXPECT_EQ(bad_policy.status, 400);
  EXPECT_EQ(XmlText(bad_policy.body, "Code"), "InvalidParameter");
  EXPECT_TRUE(
      absl::StrContains(XmlText(bad_policy.body, "Message").value_or(""),
                        "Value of < must be numeric"))
      << bad_policy.body;

  RawResponse unknown = Sns("Frobnicate");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(XmlText(unknown.body, "Code"), "InvalidAction");

  RawResponse publish_missing =
      Publish("arn:aws:sns:us-east-1:000000000000:nothere", "hello");
  EXPECT_EQ(publish_missing.status, 404);
  EXPECT_EQ(XmlText(publish_missing.body, "Code"), "NotFound");
}

// Routing: a request signed for service "sns" goes to SNS even without
// Version; the same action name signed for "sqs" stays SQS.
TEST_F(SnsTopicsTest, RoutedByCredentialScope) {
  const std::string topic = CreateTopic("routed");
  absl::StatusOr<RawResponse> sns = client_->Request(
      "POST", "/",
      {{"Content-Type", "application/x-www-form-urlencoded"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/sns/aws4_request, "
        "SignedHeaders=host, Signature=00"}},
      "Action=ListTopics");
  ASSERT_TRUE(sns.ok()) << sns.status();
  EXPECT_EQ(sns->status, 200) << sns->body;
  EXPECT_TRUE(absl::StrContains(sns->body, topic)) << sns->body;

  // An unsigned GET with the parameters in the query string, routed by
  // Version.
  absl::StatusOr<RawResponse> get = NewClient()->Request(
      "GET", "/?Action=ListTopics&Version=2010-03-31", {}, "");
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_EQ(get->status, 200) << get->body;
  EXPECT_TRUE(absl::StrContains(get->body,
                                "<ListTopicsResponse xmlns=\"http"
                                "://sns.amazonaws.com/doc/"
                                "2010-03-31/\">"))
      << get->body;

  // The same action name signed for "sqs" stays an SQS request.
  absl::StatusOr<RawResponse> sqs = NewClient()->Request(
      "POST", "/",
      {{"Content-Type", "application/x-www-form-urlencoded"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/sqs/aws4_request, "
        "SignedHeaders=host, Signature=00"}},
      "Action=ListTopics");
  ASSERT_TRUE(sqs.ok()) << sqs.status();
  EXPECT_EQ(sqs->status, 400) << sqs->body;
  EXPECT_EQ(XmlText(sqs->body, "Code"), "InvalidAction");
}

TEST_F(SnsTopicsTest, SigningCertificateIsServed) {
  absl::StatusOr<RawResponse> cert = NewClient()->Request(
      "GET", "/SimpleNotificationService-cortado.pem", {}, "");
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ(cert->status, 200);
  EXPECT_TRUE(absl::StartsWith(cert->body, "-----BEGIN CERTIFICATE-----"))
      << cert->body;
}

}  // namespace
}  // namespace cortado::gateway::testing

namespace cortado::gateway::testing {
namespace {

class SnsEnforcedSigV4Test : public SnsGatewayTest {
  void Configure(ServerOptions& options) override {
    options.credentials.emplace();
    options.credentials->secrets["AKIDEXAMPLE"] = "secret";
  }
};

TEST_F(SnsEnforcedSigV4Test, BadSignatureAnsweredInSnsNamespace) {
  const std::string now =
      absl::FormatTime("%Y%m%dT%H%M%SZ", absl::Now(), absl::UTCTimeZone());
  absl::StatusOr<RawResponse> response = client_->Request(
      "POST", "/",
      {{"Content-Type", "application/x-www-form-urlencoded"},
       {"X-Amz-Date", now},
       {"Authorization",
        absl::StrCat("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/",
                     now.substr(0, 8),
                     "/us-east-1/sns/aws4_request, "
                     "SignedHeaders=content-type;host;x-amz-date, Signature=",
                     std::string(64, '0'))}},
      "Action=ListTopics&Version=2010-03-31");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 403) << response->body;
  EXPECT_EQ(XmlText(response->body, "Code"), "SignatureDoesNotMatch")
      << response->body;
  EXPECT_TRUE(absl::StrContains(
      response->body,
      "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"))
      << response->body;
}

// AddPermission / RemovePermission edit the topic's Policy (issue 14, item
// 10); the policy is not enforced.
TEST_F(SnsTopicsTest, AddAndRemovePermissionEditThePolicy) {
  const std::string topic = CreateTopic("permissions");
  const std::string arn = "&TopicArn=" + FormEncode(topic);
  const std::string grant =
      arn +
      "&Label=cafe&AWSAccountId.member.1=111122223333"
      "&ActionName.member.1=Publish&ActionName.member.2=Subscribe";
  RawResponse added = Sns("AddPermission", grant);
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_TRUE(absl::StrContains(added.body, "<AddPermissionResponse"))
      << added.body;
  RawResponse attributes = Sns("GetTopicAttributes", arn);
  EXPECT_TRUE(absl::StrContains(attributes.body, "&quot;Sid&quot;:&quot;cafe"))
      << attributes.body;
  EXPECT_TRUE(
      absl::StrContains(attributes.body, "arn:aws:iam::111122223333:root"))
      << attributes.body;
  EXPECT_TRUE(absl::StrContains(attributes.body, "SNS:Publish"))
      << attributes.body;
  // The default statement stays.
  EXPECT_TRUE(absl::StrContains(attributes.body, "__default_statement_ID"))
      << attributes.body;

  RawResponse duplicate = Sns("AddPermission", grant);
  EXPECT_EQ(duplicate.status, 400);
  EXPECT_EQ(XmlText(duplicate.body, "Code"), "InvalidParameter");
  EXPECT_EQ(XmlText(duplicate.body, "Message"),
            "Invalid parameter: Statement already exists");
  RawResponse foreign =
      Sns("AddPermission", arn +
                               "&Label=other&AWSAccountId.member.1=1"
                               "&ActionName.member.1=SendMessage");
  EXPECT_EQ(foreign.status, 400);
  EXPECT_EQ(XmlText(foreign.body, "Message"),
            "Invalid parameter: Policy statement action out of service scope!");
  RawResponse missing_topic =
      Sns("AddPermission",
          "&TopicArn=" + FormEncode(topic + "-gone") +
              "&Label=l&AWSAccountId.member.1=1&ActionName.member.1=Publish");
  EXPECT_EQ(missing_topic.status, 404);
  EXPECT_EQ(XmlText(missing_topic.body, "Code"), "NotFound");

  RawResponse removed = Sns("RemovePermission", arn + "&Label=cafe");
  ASSERT_EQ(removed.status, 200) << removed.body;
  attributes = Sns("GetTopicAttributes", arn);
  EXPECT_FALSE(absl::StrContains(attributes.body, "&quot;Sid&quot;:&quot;cafe"))
      << attributes.body;
  EXPECT_TRUE(absl::StrContains(attributes.body, "__default_statement_ID"))
      << attributes.body;
  EXPECT_EQ(Sns("RemovePermission", arn + "&Label=cafe").status, 200);
}

}  // namespace
}  // namespace cortado::gateway::testing
