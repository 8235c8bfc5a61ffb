// SNS push to HTTP endpoints, end to end: a real CortadoServer on
// 127.0.0.1:0, a real HTTP endpoint in the test (HttpEndpoint), the SNS
// query API over TCP, and every message's signature checked with OpenSSL
// against the certificate the envelope's SigningCertURL serves.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gateway/sns_fixture.h"
#include "tests/testing/http_endpoint.h"
#include "tests/testing/sns_signature.h"

namespace cortado::gateway::testing {
namespace {

using ::cortado::testing::HttpEndpoint;
using ::cortado::testing::ReceivedRequest;
using ::testing::HasSubstr;

std::string Field(const JsonValue& json, const std::string& key) {
  const JsonValue* value = json.Find(key);
  return value == nullptr ? "" : value->text;
}

// What SNS signs, by the documented rules: "Key\nValue\n" for the keys of
// the message's type, in this order, skipping a notification's absent
// Subject.
std::string CanonicalString(const JsonValue& message) {
  const std::string type = Field(message, "Type");
  std::vector<std::string> keys =
      type == "Notification"
          ? std::vector<std::string>{"Message",   "MessageId", "Subject",
                                     "Timestamp", "TopicArn",  "Type"}
          : std::vector<std::string>{"Message",   "MessageId", "SubscribeURL",
                                     "Timestamp", "Token",     "TopicArn",
                                     "Type"};
  std::string out;
  for (const std::string& key : keys) {
    if (message.Find(key) == nullptr) continue;
    absl::StrAppend(&out, key, "\n", Field(message, key), "\n");
  }
  return out;
}

class SnsHttpPushTest : public SnsGatewayTest {
 protected:
  // The path of one of the gateway's URLs ("http://127.0.0.1:N/x?y" -> "/x?y").
  std::string PathOf(const std::string& url) {
    const std::string prefix = absl::StrCat("http://", Host());
    EXPECT_TRUE(absl::StartsWith(url, prefix)) << url;
    return url.substr(prefix.size());
  }

  // Parses a request's JSON body and checks its signature with the
  // certificate at its SigningCertURL.
  JsonValue VerifiedBody(const ReceivedRequest& request) {
    std::optional<JsonValue> json = ParseJson(request.body);
    EXPECT_TRUE(json.has_value()) << request.body;
    if (!json.has_value()) return JsonValue{};
    absl::StatusOr<RawResponse> cert = NewClient()->Request(
        "GET", PathOf(Field(*json, "SigningCertURL")), {}, "");
    EXPECT_TRUE(cert.ok() && cert->status == 200);
    const EVP_MD* digest =
        Field(*json, "SignatureVersion") == "2" ? EVP_sha256() : EVP_sha1();
    EXPECT_TRUE(cortado::testing::VerifySnsSignature(
        cert.ok() ? cert->body : "", CanonicalString(*json),
        Field(*json, "Signature"), digest))
        << request.body;
    return *json;
  }

  RawResponse SubscribeHttp(const std::string& topic, const std::string& url,
                            const std::string& rest = "") {
    return Sns("Subscribe",
               absl::StrCat("&TopicArn=", FormEncode(topic),
                            "&Protocol=http&Endpoint=", FormEncode(url), rest));
  }

  // Subscribes `endpoint` (nothing confirms it) and returns the Token of
  // the verified SubscriptionConfirmation it was sent.
  std::string PendingToken(const std::string& topic, HttpEndpoint& endpoint) {
    EXPECT_EQ(SubscribeHttp(topic, endpoint.Url("/hook")).status, 200);
    std::vector<ReceivedRequest> got = endpoint.WaitForRequests(1);
    if (got.empty()) return "";
    return Field(VerifiedBody(got[0]), "Token");
  }

  // Subscribes `endpoint`, answers its confirmation by ConfirmSubscription
  // and returns the subscription ARN.
  std::string SubscribeConfirmed(const std::string& topic,
                                 HttpEndpoint& endpoint,
                                 const std::string& rest = "") {
    const size_t before = endpoint.Requests().size();
    EXPECT_EQ(SubscribeHttp(topic, endpoint.Url("/hook"), rest).status, 200);
    std::vector<ReceivedRequest> got = endpoint.WaitForRequests(before + 1);
    if (got.size() <= before) return "";
    JsonValue confirmation = VerifiedBody(got[before]);
    RawResponse confirmed =
        Sns("ConfirmSubscription",
            absl::StrCat("&TopicArn=", FormEncode(topic),
                         "&Token=", FormEncode(Field(confirmation, "Token"))));
    EXPECT_EQ(confirmed.status, 200) << confirmed.body;
    return XmlText(confirmed.body, "SubscriptionArn").value_or("");
  }
};

TEST_F(SnsHttpPushTest, SubscribePostsASignedSubscriptionConfirmation) {
  HttpEndpoint endpoint;
  const std::string topic = CreateTopic("orders");
  RawResponse subscribed = SubscribeHttp(topic, endpoint.Url("/hook"));
  ASSERT_EQ(subscribed.status, 200) << subscribed.body;
  EXPECT_EQ(XmlText(subscribed.body, "SubscriptionArn"),
            "pending confirmation");

  std::vector<ReceivedRequest> got = endpoint.WaitForRequests(1);
  ASSERT_EQ(got.size(), 1u);
  const ReceivedRequest& request = got[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/hook");
  EXPECT_EQ(request.Header("x-amz-sns-message-type"),
            "SubscriptionConfirmation");
  EXPECT_EQ(request.Header("x-amz-sns-topic-arn"), topic);
  EXPECT_EQ(request.Header("content-type"), "text/plain; charset=UTF-8");
  JsonValue body = VerifiedBody(request);
  EXPECT_EQ(Field(body, "Type"), "SubscriptionConfirmation");
  EXPECT_EQ(Field(body, "MessageId"), request.Header("x-amz-sns-message-id"));
  EXPECT_EQ(Field(body, "TopicArn"), topic);
  EXPECT_GE(Field(body, "Token").size(), 64u);
  EXPECT_THAT(Field(body, "Message"), HasSubstr(topic));
  EXPECT_THAT(Field(body, "SubscribeURL"),
              HasSubstr("Action=ConfirmSubscription"));
  EXPECT_EQ(Field(body, "SignatureVersion"), "1");

  // Until confirmed it is listed as PendingConfirmation.
  RawResponse listed =
      Sns("ListSubscriptionsByTopic", "&TopicArn=" + FormEncode(topic));
  EXPECT_EQ(XmlText(listed.body, "SubscriptionArn"), "PendingConfirmation");
  EXPECT_EQ(XmlText(listed.body, "Protocol"), "http");
  EXPECT_EQ(XmlText(listed.body, "Endpoint"), endpoint.Url("/hook"));
}

TEST_F(SnsHttpPushTest, ConfirmSubscriptionWithTheTokenConfirms) {
  HttpEndpoint endpoint;
  const std::string topic = CreateTopic("orders");
  const std::string arn = SubscribeConfirmed(topic, endpoint);
  ASSERT_TRUE(absl::StartsWith(arn, topic + ":")) << arn;

  RawResponse attributes =
      Sns("GetSubscriptionAttributes", "&SubscriptionArn=" + FormEncode(arn));
  ASSERT_EQ(attributes.status, 200) << attributes.body;
  EXPECT_THAT(attributes.body,
              HasSubstr("<key>PendingConfirmation</key><value>false</value>"));
  // The raw client signs nothing.
  EXPECT_THAT(attributes.body,
              HasSubstr("<key>ConfirmationWasAuthenticated</key>"
                        "<value>false</value>"));
  EXPECT_THAT(attributes.body, HasSubstr("<key>EffectiveDeliveryPolicy</key>"));
  RawResponse listed =
      Sns("ListSubscriptionsByTopic", "&TopicArn=" + FormEncode(topic));
  EXPECT_EQ(XmlText(listed.body, "SubscriptionArn"), arn);
}

TEST_F(SnsHttpPushTest, AGetOfTheSubscribeUrlConfirms) {
  HttpEndpoint endpoint;
  const std::string topic = CreateTopic("orders");
  ASSERT_EQ(SubscribeHttp(topic, endpoint.Url("/hook")).status, 200);
  std::vector<ReceivedRequest> got = endpoint.WaitForRequests(1);
  ASSERT_EQ(got.size(), 1u);
  JsonValue body = VerifiedBody(got[0]);

  absl::StatusOr<RawResponse> visited =
      NewClient()->Request("GET", PathOf(Field(body, "SubscribeURL")), {}, "");
  ASSERT_TRUE(visited.ok());
  ASSERT_EQ(visited->status, 200) << visited->body;
  const std::string arn =
      XmlText(visited->body, "SubscriptionArn").value_or("");
  EXPECT_TRUE(absl::StartsWith(arn, topic + ":")) << visited->body;
  RawResponse listed =
      Sns("ListSubscriptionsByTopic", "&TopicArn=" + FormEncode(topic));
  EXPECT_EQ(XmlText(listed.body, "SubscriptionArn"), arn);
}

TEST_F(SnsHttpPushTest, AWrongTokenIsRefused) {
  const std::string topic = CreateTopic("orders");
  RawResponse refused =
      Sns("ConfirmSubscription",
          absl::StrCat("&TopicArn=", FormEncode(topic), "&Token=nope"));
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(XmlText(refused.body, "Code"), "InvalidParameter");
  EXPECT_EQ(XmlText(refused.body, "Message"), "Invalid parameter: Token");
}

TEST_F(SnsHttpPushTest, ReturnSubscriptionArnAnswersTheArnWhilePending) {
  HttpEndpoint endpoint;
  const std::string topic = CreateTopic("orders");
  RawResponse subscribed = SubscribeHttp(topic, endpoint.Url("/hook"),
                                         "&ReturnSubscriptionArn=true");
  ASSERT_EQ(subscribed.status, 200) << subscribed.body;
  const std::string arn =
      XmlText(subscribed.body, "SubscriptionArn").value_or("");
  ASSERT_TRUE(absl::StartsWith(arn, topic + ":")) << arn;
  RawResponse attributes =
      Sns("GetSubscriptionAttributes", "&SubscriptionArn=" + FormEncode(arn));
  EXPECT_THAT(attributes.body,
              HasSubstr("<key>PendingConfirmation</key><value>true</value>"));
}

TEST_F(SnsHttpPushTest, AnEndpointOfTheWrongSchemeIsRefused) {
  const std::string topic = CreateTopic("orders");
  RawResponse refused =
      Sns("Subscribe", absl::StrCat("&TopicArn=", FormEncode(topic),
                                    "&Protocol=https&Endpoint=",
                                    FormEncode("http://127.0.0.1:1/hook")));
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(XmlText(refused.body, "Code"), "InvalidParameter");
}

// The URL's parts go into the POST's request line and Host header: CR/LF
// (request splitting), spaces and other non-printable bytes are refused.
TEST_F(SnsHttpPushTest, AnEndpointThatCouldSplitThePostIsRefused) {
  const std::string topic = CreateTopic("orders");
  for (const std::string endpoint :
       {"http://127.0.0.1:1/hook\r\nX-Injected: 1", "http://127.0.0.1:1/a b",
        "http://127.0.0.1\n:1/hook", "http://127.0.0.1:+80/hook"}) {
    RawResponse refused =
        Sns("Subscribe",
            absl::StrCat("&TopicArn=", FormEncode(topic),
                         "&Protocol=http&Endpoint=", FormEncode(endpoint)));
    EXPECT_EQ(refused.status, 400) << endpoint;
    EXPECT_EQ(XmlText(refused.body, "Code"), "InvalidParameter") << endpoint;
  }
}

TEST_F(SnsHttpPushTest, ConfirmedEndpointGetsSignedNotifications) {
  HttpEndpoint endpoint;
  const std::string topic = CreateTopic("orders");
  const std::string arn = SubscribeConfirmed(topic, endpoint);
  ASSERT_FALSE(arn.empty());
  RawResponse published =
      Publish(topic, "hello",
              "&Subject=greeting&MessageAttributes.entry.1.Name=kind"
              "&MessageAttributes.entry.1.Value.DataType=String"
              "&MessageAttributes.entry.1.Value.StringValue=order");
  ASSERT_EQ(published.status, 200) << published.body;
  std::vector<ReceivedRequest> got = endpoint.WaitForRequests(2);
  ASSERT_EQ(got.size(), 2u);
  const ReceivedRequest& request = got[1];
  EXPECT_EQ(request.Header("x-amz-sns-message-type"), "Notification");
  EXPECT_EQ(request.Header("x-amz-sns-message-id"),
            XmlText(published.body, "MessageId"));
  EXPECT_EQ(request.Header("x-amz-sns-topic-arn"), topic);
  EXPECT_EQ(request.Header("x-amz-sns-subscription-arn"), arn);
  EXPECT_EQ(request.Header("x-amz-sns-rawdelivery"), "");
  JsonValue body = VerifiedBody(request);
  EXPECT_EQ(Field(body, "Type"), "Notification");
  EXPECT_EQ(Field(body, "Message"), "hello");
  EXPECT_EQ(Field(body, "Subject"), "greeting");
  EXPECT_THAT(Field(body, "UnsubscribeURL"), HasSubstr(arn));
  EXPECT_THAT(request.body, HasSubstr("\"kind\""));
}

TEST_F(SnsHttpPushTest, SignatureVersion2SignsWithSha256) {
  HttpEndpoint endpoint;
  const std::string topic = CreateTopic("orders");
  ASSERT_EQ(
      Sns("SetTopicAttributes", absl::StrCat("&TopicArn=", FormEncode(topic),
                                             "&AttributeName=SignatureVersion"
                                             "&AttributeValue=2"))
          .status,
      200);
  ASSERT_FALSE(SubscribeConfirmed(topic, endpoint).empty());
  ASSERT_EQ(Publish(topic, "v2").status, 200);
  std::vector<ReceivedRequest> got = endpoint.WaitForRequests(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(Field(VerifiedBody(got[0]), "SignatureVersion"), "2");
  EXPECT_EQ(Field(VerifiedBody(got[1]), "SignatureVersion"), "2");
}

TEST_F(SnsHttpPushTest, RawDeliveryPostsTheMessageItself) {
  HttpEndpoint endpoint;
  const std::string topic = CreateTopic("orders");
  ASSERT_FALSE(SubscribeConfirmed(topic, endpoint,
                                  "&Attributes.entry.1.key=RawMessageDelivery"
                                  "&Attributes.entry.1.value=true")
                   .empty());
  ASSERT_EQ(Publish(topic, "just this").status, 200);
  std::vector<ReceivedRequest> got = endpoint.WaitForRequests(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].body, "just this");
  EXPECT_EQ(got[1].Header("x-amz-sns-rawdelivery"), "true");
  EXPECT_EQ(got[1].Header("x-amz-sns-message-type"), "Notification");
}

TEST_F(SnsHttpPushTest, FilterPoliciesApplyAsForQueues) {
  HttpEndpoint endpoint;
  const std::string topic = CreateTopic("orders");
  ASSERT_FALSE(SubscribeConfirmed(topic, endpoint,
                                  "&Attributes.entry.1.key=FilterPolicy"
                                  "&Attributes.entry.1.value=" +
                                      FormEncode(R"({"kind":["wanted"]})"))
                   .empty());
  auto publish_kind = [&](const std::string& message, const std::string& kind) {
    return Publish(topic, message,
                   "&MessageAttributes.entry.1.Name=kind"
                   "&MessageAttributes.entry.1.Value.DataType=String"
                   "&MessageAttributes.entry.1.Value.StringValue=" +
                       kind);
  };
  ASSERT_EQ(publish_kind("skip me", "other").status, 200);
  ASSERT_EQ(publish_kind("take me", "wanted").status, 200);
  std::vector<ReceivedRequest> got = endpoint.WaitForRequests(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(Field(VerifiedBody(got[1]), "Message"), "take me");
  // The filtered-out publish came first, so nothing else can be on its way.
  EXPECT_EQ(endpoint.Requests().size(), 2u);
}

TEST_F(SnsHttpPushTest, UnconfirmedEndpointsGetNoNotifications) {
  HttpEndpoint pending, confirmed;
  const std::string topic = CreateTopic("orders");
  ASSERT_EQ(SubscribeHttp(topic, pending.Url("/hook")).status, 200);
  ASSERT_EQ(pending.WaitForRequests(1).size(), 1u);
  ASSERT_FALSE(SubscribeConfirmed(topic, confirmed).empty());
  ASSERT_EQ(Publish(topic, "only for the confirmed").status, 200);
  ASSERT_EQ(confirmed.WaitForRequests(2).size(), 2u);
  EXPECT_EQ(pending.Requests().size(), 1u);
}

TEST_F(SnsHttpPushTest, UnsubscribePostsAnUnsubscribeConfirmation) {
  HttpEndpoint endpoint;
  const std::string topic = CreateTopic("orders");
  const std::string arn = SubscribeConfirmed(topic, endpoint);
  ASSERT_FALSE(arn.empty());
  ASSERT_EQ(Sns("Unsubscribe", "&SubscriptionArn=" + FormEncode(arn)).status,
            200);
  std::vector<ReceivedRequest> got = endpoint.WaitForRequests(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].Header("x-amz-sns-message-type"), "UnsubscribeConfirmation");
  EXPECT_EQ(got[1].Header("x-amz-sns-subscription-arn"), arn);
  JsonValue body = VerifiedBody(got[1]);
  EXPECT_EQ(Field(body, "Type"), "UnsubscribeConfirmation");
  EXPECT_THAT(Field(body, "Message"), HasSubstr(arn));
  RawResponse listed =
      Sns("ListSubscriptionsByTopic", "&TopicArn=" + FormEncode(topic));
  EXPECT_EQ(XmlCount(listed.body, "member"), 0);
}

TEST_F(SnsHttpPushTest, AuthenticateOnUnsubscribeNeedsASignedUnsubscribe) {
  HttpEndpoint endpoint;
  const std::string topic = CreateTopic("orders");
  const std::string token = PendingToken(topic, endpoint);
  ASSERT_FALSE(token.empty());
  // Signed (an Authorization header; the gateway here checks none).
  absl::StatusOr<RawResponse> confirmed = client_->Request(
      "POST", "/",
      {{"Content-Type", "application/x-www-form-urlencoded"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/sns/"
        "aws4_request, SignedHeaders=host, Signature=00"}},
      absl::StrCat("Action=ConfirmSubscription&Version=2010-03-31&TopicArn=",
                   FormEncode(topic), "&Token=", FormEncode(token),
                   "&AuthenticateOnUnsubscribe=true"));
  ASSERT_TRUE(confirmed.ok());
  ASSERT_EQ(confirmed->status, 200) << confirmed->body;
  const std::string arn =
      XmlText(confirmed->body, "SubscriptionArn").value_or("");
  RawResponse attributes =
      Sns("GetSubscriptionAttributes", "&SubscriptionArn=" + FormEncode(arn));
  EXPECT_THAT(attributes.body,
              HasSubstr("<key>ConfirmationWasAuthenticated</key>"
                        "<value>true</value>"));
  // An unsigned Unsubscribe (e.g. the UnsubscribeURL) is refused.
  RawResponse refused =
      Sns("Unsubscribe", "&SubscriptionArn=" + FormEncode(arn));
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(XmlText(refused.body, "Code"), "AuthorizationError");
}

// A subscription awaiting confirmation is durable: after a restart it is
// still pending, and the token it was sent still confirms it.
TEST_F(SnsHttpPushTest, APendingSubscriptionSurvivesARestart) {
  HttpEndpoint endpoint;
  const std::string topic = CreateTopic("orders");
  const std::string token = PendingToken(topic, endpoint);
  ASSERT_FALSE(token.empty());

  Restart();

  RawResponse listed =
      Sns("ListSubscriptionsByTopic", "&TopicArn=" + FormEncode(topic));
  EXPECT_EQ(XmlText(listed.body, "SubscriptionArn"), "PendingConfirmation");
  RawResponse confirmed =
      Sns("ConfirmSubscription", absl::StrCat("&TopicArn=", FormEncode(topic),
                                              "&Token=", FormEncode(token)));
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  const std::string arn =
      XmlText(confirmed.body, "SubscriptionArn").value_or("");
  ASSERT_TRUE(absl::StartsWith(arn, topic + ":")) << arn;
  ASSERT_EQ(Publish(topic, "after the restart").status, 200);
  std::vector<ReceivedRequest> got = endpoint.WaitForRequests(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(Field(VerifiedBody(got[1]), "Message"), "after the restart");
}

// With credentials required, a SubscribeURL still works unsigned (it is a
// GET a person or the endpoint makes), but nothing else does.
class SnsConfirmWithCredentialsTest : public SnsHttpPushTest {
 protected:
  void Configure(ServerOptions& options) override {
    options.credentials.emplace();
    options.credentials->secrets["AKIDTEST"] = "secret";
  }
};

TEST_F(SnsConfirmWithCredentialsTest, AnUnsignedGetOfConfirmSubscriptionRuns) {
  absl::StatusOr<RawResponse> visited = client_->Request(
      "GET",
      "/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:"
      "000000000000:missing&Token=abc",
      {}, "");
  ASSERT_TRUE(visited.ok());
  // Past authentication: the action itself answers (no such topic).
  EXPECT_EQ(visited->status, 404) << visited->body;
  EXPECT_EQ(XmlText(visited->body, "Code"), "NotFound");

  RawResponse posted =
      Sns("ConfirmSubscription",
          "&TopicArn=arn:aws:sns:us-east-1:000000000000:missing&Token=abc");
  EXPECT_EQ(posted.status, 403) << posted.body;
}

// --sns-http-allow: an address literal outside the list is refused at
// Subscribe; a name is checked address by address when a push connects.
class SnsHttpAllowListTest : public SnsHttpPushTest {
 protected:
  void Configure(ServerOptions& options) override {
    options.sns_http_allow = "10.0.0.0/8, fd00::/8";
    options.on_http_push = [this](const HttpPush& push,
                                  const absl::Status& outcome) {
      absl::MutexLock lock(&mu_);
      outcomes_.push_back(outcome);
    };
  }
  std::vector<absl::Status> Outcomes() {
    absl::MutexLock lock(&mu_);
    return outcomes_;
  }

  absl::Mutex mu_;
  std::vector<absl::Status> outcomes_ ABSL_GUARDED_BY(mu_);
};

TEST_F(SnsHttpAllowListTest, AnAddressOutsideTheAllowListIsRefused) {
  HttpEndpoint endpoint;
  const std::string topic = CreateTopic("orders");
  RawResponse refused = SubscribeHttp(topic, endpoint.Url("/hook"));
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(XmlText(refused.body, "Code"), "InvalidParameter");
  EXPECT_THAT(XmlText(refused.body, "Message").value_or(""),
              HasSubstr("--sns-http-allow"));
  EXPECT_TRUE(Outcomes().empty());
}

TEST_F(SnsHttpAllowListTest, ANameResolvingOutsideTheListIsNeverConnected) {
  HttpEndpoint endpoint;
  const std::string topic = CreateTopic("orders");
  RawResponse subscribed = SubscribeHttp(
      topic, absl::StrCat("http://localhost:", endpoint.port(), "/hook"));
  ASSERT_EQ(subscribed.status, 200) << subscribed.body;
  ASSERT_TRUE(PollUntil([&] { return !Outcomes().empty(); }));
  EXPECT_EQ(Outcomes()[0].code(), absl::StatusCode::kPermissionDenied)
      << Outcomes()[0];
  EXPECT_TRUE(endpoint.Requests().empty());
}

}  // namespace
}  // namespace cortado::gateway::testing
