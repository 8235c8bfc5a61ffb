// PeekMessages through the gateway (docs/CONSOLE.md): X-Amz-Target
// Cortado.PeekMessages and Action=PeekMessages, its paging and errors, and
// the same SigV4 gate as every SQS action when the server has credentials.
// Also the console's files on GET /console.
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/gateway/gateway_server_fixture.h"

namespace cortado::gateway::testing {
namespace {

using PeekMessagesTest = GatewayServerTest;

class PeekMessagesClient : public GatewayServerTest {
 protected:
  RawResponse Peek(const std::string& body) {
    absl::StatusOr<RawResponse> response =
        client_->Request("POST", "/",
                         {{"Content-Type", "application/x-amz-json-1.0"},
                          {"X-Amz-Target", "Cortado.PeekMessages"}},
                         body);
    EXPECT_OK(response.status());
    return response.ok() ? *response : RawResponse{};
  }
  void SendBody(const std::string& url, const std::string& body) {
    RawResponse sent = Json(
        "SendMessage", absl::StrCat(R"({"QueueUrl":")", url,
                                    R"(","MessageBody":")", body, R"("})"));
    ASSERT_EQ(sent.status, 200) << sent.body;
  }
};

using PeekJsonTest = PeekMessagesClient;

TEST_F(PeekJsonTest, PeeksAMessageWithoutReceivingIt) {
  const std::string url = CreateQueue("peeked");
  SendBody(url, "latte");
  for (int i = 0; i < 2; ++i) {
    RawResponse peeked = Peek(R"({"QueueUrl":"peeked"})");
    ASSERT_EQ(peeked.status, 200) << peeked.body;
    const JsonValue& body = Body(peeked);
    const JsonValue* messages = body.Find("Messages");
    ASSERT_NE(messages, nullptr) << peeked.body;
    ASSERT_EQ(messages->elements.size(), 1u);
    const JsonValue& message = messages->elements[0];
    EXPECT_EQ(message.Find("Body")->text, "latte");
    EXPECT_EQ(message.Find("ReceiveCount")->text, "0");
    EXPECT_EQ(message.Find("State")->text, "VISIBLE");
    EXPECT_EQ(message.Find("ReceiptHandle"), nullptr);
    EXPECT_NE(message.Find("Attributes")->Find("SentTimestamp"), nullptr);
    EXPECT_NE(body.Find("OldestMessageTimestamp"), nullptr);
  }
  RawResponse received = Json(
      "ReceiveMessage",
      absl::StrCat(R"({"QueueUrl":")", url, R"(","AttributeNames":["All"]})"));
  ASSERT_EQ(received.status, 200) << received.body;
  EXPECT_TRUE(
      absl::StrContains(received.body, R"("ApproximateReceiveCount":"1")"))
      << received.body;
}

TEST_F(PeekJsonTest, PagesWithNextToken) {
  const std::string url = CreateQueue("paged");
  for (const char* body : {"a", "b", "c"}) SendBody(url, body);
  RawResponse first = Peek(R"({"QueueUrl":"paged","MaxNumberOfMessages":2})");
  ASSERT_EQ(first.status, 200) << first.body;
  const JsonValue* token = Body(first).Find("NextToken");
  ASSERT_NE(token, nullptr) << first.body;
  RawResponse rest = Peek(absl::StrCat(R"({"QueueUrl":"paged","NextToken":")",
                                       token->text, R"("})"));
  ASSERT_EQ(rest.status, 200) << rest.body;
  const JsonValue& body = Body(rest);
  ASSERT_EQ(body.Find("Messages")->elements.size(), 1u);
  EXPECT_EQ(body.Find("Messages")->elements[0].Find("Body")->text, "c");
  EXPECT_EQ(body.Find("NextToken"), nullptr);
}

TEST_F(PeekJsonTest, BadInputGetsSqsErrors) {
  CreateQueue("strict");
  RawResponse too_many =
      Peek(R"({"QueueUrl":"strict","MaxNumberOfMessages":101})");
  EXPECT_EQ(too_many.status, 400);
  EXPECT_TRUE(absl::StrContains(too_many.body, "InvalidParameterValue"))
      << too_many.body;
  RawResponse token = Peek(R"({"QueueUrl":"strict","NextToken":"nope"})");
  EXPECT_EQ(token.status, 400);
  EXPECT_TRUE(absl::StrContains(token.body, "InvalidParameterValue"))
      << token.body;
  RawResponse missing = Peek(R"({"QueueUrl":"absent"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_TRUE(absl::StrContains(missing.body, "QueueDoesNotExist"))
      << missing.body;
  RawResponse garbage = Peek("{not json");
  EXPECT_EQ(garbage.status, 400) << garbage.body;
}

TEST_F(PeekMessagesTest, QueryProtocolPeeksToo) {
  const std::string url = CreateQueue("queried");
  RawResponse sent =
      Query(Form("SendMessage", absl::StrCat("&QueueUrl=", FormEncode(url),
                                             "&MessageBody=mocha")));
  ASSERT_EQ(sent.status, 200) << sent.body;
  RawResponse peeked =
      Query(Form("PeekMessages", absl::StrCat("&QueueUrl=", FormEncode(url))));
  ASSERT_EQ(peeked.status, 200) << peeked.body;
  EXPECT_EQ(XmlCount(peeked.body, "Message"), 1) << peeked.body;
  EXPECT_EQ(XmlText(peeked.body, "Body"), "mocha");
  EXPECT_EQ(XmlText(peeked.body, "ReceiveCount"), "0");
}

TEST_F(PeekMessagesTest, ConsoleFilesAreServedWithTheirTypes) {
  absl::StatusOr<RawResponse> page =
      client_->Request("GET", "/console", {}, "");
  ASSERT_OK(page.status());
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->Header("content-type"), "text/html; charset=utf-8");
  EXPECT_TRUE(absl::StrContains(page->body, "/console/app.js"));
  EXPECT_TRUE(absl::StrContains(page->Header("content-security-policy"),
                                "default-src 'self'"));
  absl::StatusOr<RawResponse> script =
      client_->Request("GET", "/console/sigv4.js", {}, "");
  ASSERT_OK(script.status());
  EXPECT_EQ(script->status, 200);
  EXPECT_EQ(script->Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_TRUE(absl::StrContains(script->body, "AWS4-HMAC-SHA256"));
}

class PeekWithCredentialsTest : public PeekMessagesClient {
  void Configure(ServerOptions& options) override {
    options.credentials.emplace();
    options.credentials->secrets["AKIDEXAMPLE"] = "secret";
  }
};

TEST_F(PeekWithCredentialsTest, UnsignedPeekIsRefused) {
  RawResponse peeked = Peek(R"({"QueueUrl":"anything"})");
  EXPECT_EQ(peeked.status, 403);
  EXPECT_TRUE(absl::StrContains(peeked.body, "MissingAuthenticationToken"))
      << peeked.body;
  RawResponse queried = Query(Form("PeekMessages", "&QueueUrl=anything"));
  EXPECT_EQ(queried.status, 403);
  EXPECT_EQ(XmlText(queried.body, "Code"), "MissingAuthenticationToken");
}

TEST_F(PeekWithCredentialsTest, WronglySignedPeekIsRefused) {
  const std::string now =
      absl::FormatTime("%Y%m%dT%H%M%SZ", absl::Now(), absl::UTCTimeZone());
  absl::StatusOr<RawResponse> response = client_->Request(
      "POST", "/",
      {{"Content-Type", "application/x-amz-json-1.0"},
       {"X-Amz-Target", "Cortado.PeekMessages"},
       {"X-Amz-Date", now},
       {"Authorization",
        absl::StrCat("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/",
                     now.substr(0, 8),
                     "/us-east-1/sqs/aws4_request, "
                     "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                     "Signature=",
                     std::string(64, '0'))}},
      R"({"QueueUrl":"anything"})");
  ASSERT_OK(response.status());
  EXPECT_EQ(response->status, 403) << response->body;
  EXPECT_TRUE(absl::StrContains(response->body, "SignatureDoesNotMatch"))
      << response->body;
}

TEST_F(PeekWithCredentialsTest, TheConsolePageItselfIsPublic) {
  absl::StatusOr<RawResponse> page =
      client_->Request("GET", "/console/", {}, "");
  ASSERT_OK(page.status());
  EXPECT_EQ(page->status, 200);
}

}  // namespace
}  // namespace cortado::gateway::testing
