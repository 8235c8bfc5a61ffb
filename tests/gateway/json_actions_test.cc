// Every SQS action through the JSON 1.0 protocol, over real TCP against an
// in-process server.
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/gateway/gateway_server_fixture.h"

namespace cortado::gateway::testing {
namespace {

using JsonActionsTest = GatewayServerTest;

std::string Text(const JsonValue& value, const std::string& key) {
  const JsonValue* member = value.Find(key);
  return member == nullptr ? "" : member->text;
}

TEST_F(JsonActionsTest, CreateGetListDeleteQueue) {
  const std::string url = CreateQueue("cafeteria-queue");
  EXPECT_EQ(url, QueueUrl("cafeteria-queue"));

  RawResponse got = Json("GetQueueUrl", R"({"QueueName":"cafeteria-queue"})");
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(Text(Body(got), "QueueUrl"), url);
  EXPECT_EQ(got.Header("content-type"), "application/x-amz-json-1.0");
  EXPECT_FALSE(got.Header("x-amzn-requestid").empty());
  EXPECT_TRUE(absl::EndsWith(got.Header("date"), "GMT")) << got.Header("date");

  RawResponse listed = Json("ListQueues", "{}");
  EXPECT_EQ(listed.status, 200);
  const JsonValue* urls = Body(listed).Find("QueueUrls");
  ASSERT_NE(urls, nullptr) << listed.body;
  ASSERT_EQ(urls->elements.size(), 1u);
  EXPECT_EQ(urls->elements[0].text, url);

  RawResponse deleted =
      Json("DeleteQueue", absl::StrCat(R"({"QueueUrl":")", url, R"("})"));
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.body, "{}");

  RawResponse missing =
      Json("GetQueueUrl", R"({"QueueName":"cafeteria-queue"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(Text(Body(missing), "__type"),
            "com.amazonaws.sqs#QueueDoesNotExist");
  EXPECT_EQ(missing.Header("x-amzn-query-error"),
            "AWS.SimpleQueueService.NonExistentQueue;Sender");
}

TEST_F(JsonActionsTest, ListQueuesPagesWithoutRepeatingTokens) {
  for (int i = 0; i < 5; ++i) CreateQueue(absl::StrCat("page-", i));
  CreateQueue("other");
  std::vector<std::string> seen;
  std::string token;
  std::set<std::string> tokens;
  for (int page = 0; page < 10; ++page) {
    std::string body = R"({"QueueNamePrefix":"page-","MaxResults":2)";
    if (!token.empty())
      absl::StrAppend(&body, R"(,"NextToken":")", token, "\"");
    body += "}";
    RawResponse listed = Json("ListQueues", body);
    ASSERT_EQ(listed.status, 200) << listed.body;
    const JsonValue& parsed = Body(listed);
    for (const JsonValue& url : parsed.Find("QueueUrls")->elements) {
      seen.push_back(url.text);
    }
    token = Text(parsed, "NextToken");
    if (token.empty()) break;
    EXPECT_TRUE(tokens.insert(token).second) << "repeated token " << token;
  }
  EXPECT_EQ(seen.size(), 5u);
}

TEST_F(JsonActionsTest, SendReceiveDeleteWithAttributesAndMd5s) {
  const std::string url = CreateQueue("q1");
  // The captured botocore request (sqs-protocol.md appendix A).
  RawResponse sent =
      Json("SendMessage",
           absl::StrCat(
               R"({"QueueUrl": ")", url,
               R"(", "MessageBody": "hello \"world\" & <x>", "DelaySeconds": 0,
      "MessageAttributes": {"s": {"DataType": "String", "StringValue": "v1"}, "n": {"DataType": "Number", "StringValue": "42"},
                            "b": {"DataType": "Binary", "BinaryValue": "AAEC"}},
      "MessageSystemAttributes": {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}}})"));
  ASSERT_EQ(sent.status, 200) << sent.body;
  const JsonValue& result = Body(sent);
  EXPECT_EQ(Text(result, "MD5OfMessageBody"),
            "e6ca7313bb7dcbf8fe6b0edbd2f029bf");
  EXPECT_EQ(Text(result, "MD5OfMessageAttributes"),
            "94c1f82a132b049cf75fad3ec912d79c");
  EXPECT_EQ(Text(result, "MD5OfMessageSystemAttributes"),
            "5f48eef650c1d0207456969c85af2fdd");
  EXPECT_FALSE(Text(result, "MessageId").empty());

  RawResponse received = Json(
      "ReceiveMessage",
      absl::StrCat(
          R"({"QueueUrl":")", url,
          R"(","AttributeNames":["All"],"MessageAttributeNames":["All"],"MaxNumberOfMessages":10})"));
  ASSERT_EQ(received.status, 200) << received.body;
  const JsonValue& messages = Body(received);
  ASSERT_NE(messages.Find("Messages"), nullptr) << received.body;
  ASSERT_EQ(messages.Find("Messages")->elements.size(), 1u);
  const JsonValue& message = messages.Find("Messages")->elements[0];
  EXPECT_EQ(Text(message, "Body"), "hello \"world\" & <x>");
  EXPECT_EQ(Text(message, "MD5OfBody"), "e6ca7313bb7dcbf8fe6b0edbd2f029bf");
  EXPECT_EQ(Text(message, "MD5OfMessageAttributes"),
            "94c1f82a132b049cf75fad3ec912d79c");
  const JsonValue* attributes = message.Find("Attributes");
  ASSERT_NE(attributes, nullptr);
  EXPECT_EQ(Text(*attributes, "ApproximateReceiveCount"), "1");
  EXPECT_EQ(Text(*attributes, "SenderId"), "000000000000");
  const JsonValue* binary = message.Find("MessageAttributes")->Find("b");
  ASSERT_NE(binary, nullptr);
  EXPECT_EQ(Text(*binary, "BinaryValue"), "AAEC");
  EXPECT_EQ(Text(*binary, "DataType"), "Binary");

  RawResponse deleted =
      Json("DeleteMessage",
           absl::StrCat(R"({"QueueUrl":")", url, R"(","ReceiptHandle":")",
                        Text(message, "ReceiptHandle"), "\"}"));
  EXPECT_EQ(deleted.status, 200) << deleted.body;

  RawResponse empty =
      Json("ReceiveMessage", absl::StrCat(R"({"QueueUrl":")", url, "\"}"));
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(empty.body, "{}");
}

TEST_F(JsonActionsTest, SurrogatePairsSurviveTheRoundTrip) {
  const std::string url = CreateQueue("unicode");
  RawResponse sent =
      Json("SendMessage",
           absl::StrCat(R"({"QueueUrl":")", url,
                        R"(","MessageBody":"h\u00e9 \ud83d\ude00 \r\n"})"));
  ASSERT_EQ(sent.status, 200) << sent.body;
  RawResponse received =
      Json("ReceiveMessage", absl::StrCat(R"({"QueueUrl":")", url, "\"}"));
  const JsonValue& message = Body(received).Find("Messages")->elements[0];
  EXPECT_EQ(Text(message, "Body"), "h\xC3\xA9 \xF0\x9F\x98\x80 \r\n");
  EXPECT_EQ(Text(Body(sent), "MD5OfMessageBody"), Text(message, "MD5OfBody"));
}

TEST_F(JsonActionsTest, BatchesReportSuccessfulAndFailed) {
  const std::string url = CreateQueue("batch");
  RawResponse sent = Json(
      "SendMessageBatch",
      absl::StrCat(
          R"({"QueueUrl":")", url,
          R"(","Entries":[{"Id":"a","MessageBody":"m1","MessageAttributes":{"k":{"DataType":"String","StringValue":"x"}}},{"Id":"b","MessageBody":"m2"}]})"));
  ASSERT_EQ(sent.status, 200) << sent.body;
  const JsonValue& result = Body(sent);
  ASSERT_NE(result.Find("Failed"), nullptr) << sent.body;
  EXPECT_TRUE(result.Find("Failed")->elements.empty());
  ASSERT_EQ(result.Find("Successful")->elements.size(), 2u);
  EXPECT_EQ(
      Text(result.Find("Successful")->elements[0], "MD5OfMessageAttributes"),
      "a45daa70926828a2f0a1db3418e6feb4");
  EXPECT_EQ(Text(result.Find("Successful")->elements[1], "MD5OfMessageBody"),
            "aaf2f89992379705dac844c0a2a1d45f");

  RawResponse received = Json(
      "ReceiveMessage",
      absl::StrCat(R"({"QueueUrl":")", url, R"(","MaxNumberOfMessages":10})"));
  std::vector<std::string> handles;
  for (const JsonValue& m : Body(received).Find("Messages")->elements) {
    handles.push_back(Text(m, "ReceiptHandle"));
  }
  ASSERT_EQ(handles.size(), 2u);

  RawResponse changed = Json(
      "ChangeMessageVisibilityBatch",
      absl::StrCat(
          R"({"QueueUrl":")", url,
          R"(","Entries":[{"Id":"c1","ReceiptHandle":")", handles[0],
          R"(","VisibilityTimeout":3},{"Id":"c2","ReceiptHandle":"bogus","VisibilityTimeout":3}]})"));
  ASSERT_EQ(changed.status, 200) << changed.body;
  const JsonValue& change_result = Body(changed);
  ASSERT_EQ(change_result.Find("Successful")->elements.size(), 1u);
  ASSERT_EQ(change_result.Find("Failed")->elements.size(), 1u);
  const JsonValue& failed = change_result.Find("Failed")->elements[0];
  EXPECT_EQ(Text(failed, "Id"), "c2");
  EXPECT_EQ(Text(failed, "Code"), "ReceiptHandleIsInvalid");
  EXPECT_TRUE(failed.Find("SenderFault")->boolean);

  RawResponse deleted =
      Json("DeleteMessageBatch",
           absl::StrCat(R"({"QueueUrl":")", url,
                        R"(","Entries":[{"Id":"d1","ReceiptHandle":")",
                        handles[0], R"("},{"Id":"d2","ReceiptHandle":")",
                        handles[1], R"("}]})"));
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(Body(deleted).Find("Successful")->elements.size(), 2u);
  EXPECT_TRUE(Body(deleted).Find("Failed")->elements.empty());
}

TEST_F(JsonActionsTest, AttributesTagsPurgeAndVisibility) {
  RawResponse created = Json(
      "CreateQueue",
      R"({"QueueName": "q1", "Attributes": {"VisibilityTimeout": "40", "DelaySeconds": "0"}, "tags": {"env": "dev"}})");
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string url = Text(Body(created), "QueueUrl");
  const std::string q = absl::StrCat(R"({"QueueUrl":")", url, "\"");

  RawResponse attributes = Json(
      "GetQueueAttributes", absl::StrCat(q, R"(,"AttributeNames":["All"]})"));
  ASSERT_EQ(attributes.status, 200) << attributes.body;
  const JsonValue* map = Body(attributes).Find("Attributes");
  ASSERT_NE(map, nullptr);
  EXPECT_EQ(Text(*map, "VisibilityTimeout"), "40");
  EXPECT_EQ(Text(*map, "QueueArn"), "arn:aws:sqs:us-east-1:000000000000:q1");

  EXPECT_EQ(Json("SetQueueAttributes",
                 absl::StrCat(q, R"(,"Attributes":{"DelaySeconds":"5"}})"))
                .status,
            200);
  attributes = Json("GetQueueAttributes",
                    absl::StrCat(q, R"(,"AttributeNames":["DelaySeconds"]})"));
  EXPECT_EQ(Text(*Body(attributes).Find("Attributes"), "DelaySeconds"), "5");
  EXPECT_EQ(Json("GetQueueAttributes", absl::StrCat(q, "}")).body, "{}");

  RawResponse tags = Json("ListQueueTags", absl::StrCat(q, "}"));
  EXPECT_EQ(Text(*Body(tags).Find("Tags"), "env"), "dev");
  EXPECT_EQ(
      Json("TagQueue", absl::StrCat(q, R"(,"Tags":{"team":"a"}})")).status,
      200);
  EXPECT_EQ(
      Json("UntagQueue", absl::StrCat(q, R"(,"TagKeys":["env"]})")).status,
      200);
  tags = Json("ListQueueTags", absl::StrCat(q, "}"));
  EXPECT_EQ(Text(*Body(tags).Find("Tags"), "team"), "a");
  EXPECT_EQ(Body(tags).Find("Tags")->Find("env"), nullptr);

  EXPECT_EQ(Json("SetQueueAttributes",
                 absl::StrCat(q, R"(,"Attributes":{"DelaySeconds":"0"}})"))
                .status,
            200);
  Json("SendMessage", absl::StrCat(q, R"(,"MessageBody":"m"})"));
  RawResponse received = Json("ReceiveMessage", absl::StrCat(q, "}"));
  const std::string handle =
      Text(Body(received).Find("Messages")->elements[0], "ReceiptHandle");
  EXPECT_EQ(Json("ChangeMessageVisibility",
                 absl::StrCat(q, R"(,"ReceiptHandle":")", handle,
                              R"(","VisibilityTimeout":0})"))
                .status,
            200);
  EXPECT_EQ(Json("PurgeQueue", absl::StrCat(q, "}")).status, 200);
  EXPECT_EQ(Json("ReceiveMessage", absl::StrCat(q, "}")).body, "{}");
}

TEST_F(JsonActionsTest, AddAndRemovePermissionEditThePolicy) {
  const std::string url = CreateQueue("perm");
  const std::string q = absl::StrCat(R"({"QueueUrl":")", url, "\"");
  RawResponse added = Json(
      "AddPermission",
      absl::StrCat(
          q,
          R"(,"Label":"l1","AWSAccountIds":["111122223333"],"Actions":["SendMessage"]})"));
  ASSERT_EQ(added.status, 200) << added.body;
  RawResponse policy =
      Json("GetQueueAttributes",
           absl::StrCat(q, R"(,"AttributeNames":["Policy"]})"));
  const std::string text = Text(*Body(policy).Find("Attributes"), "Policy");
  EXPECT_TRUE(absl::StrContains(text, "\"Sid\":\"l1\"")) << text;
  EXPECT_TRUE(absl::StrContains(text, "arn:aws:iam::111122223333:root"))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "SQS:SendMessage")) << text;

  RawResponse duplicate =
      Json("AddPermission",
           absl::StrCat(
               q, R"(,"Label":"l1","AWSAccountIds":["1"],"Actions":["*"]})"));
  EXPECT_EQ(duplicate.status, 400);
  EXPECT_TRUE(absl::StrContains(duplicate.body, "Already exists"))
      << duplicate.body;

  EXPECT_EQ(
      Json("RemovePermission", absl::StrCat(q, R"(,"Label":"l1"})")).status,
      200);
  policy = Json("GetQueueAttributes",
                absl::StrCat(q, R"(,"AttributeNames":["Policy"]})"));
  EXPECT_EQ(policy.body, "{}");
  RawResponse unknown =
      Json("RemovePermission", absl::StrCat(q, R"(,"Label":"l1"})"));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_TRUE(absl::StrContains(unknown.body, "can't find label"))
      << unknown.body;
}

// Only the actions an owner can grant; an empty account list is AWS's
// "Unable to verify" (issue 14, item 3).
TEST_F(JsonActionsTest, AddPermissionRefusesOwnerOnlyActionsAndNoAccounts) {
  const std::string url = CreateQueue("perm-checks");
  const std::string q = absl::StrCat(R"({"QueueUrl":")", url, "\"");
  RawResponse owner_only = Json(
      "AddPermission",
      absl::StrCat(
          q,
          R"(,"Label":"l","AWSAccountIds":["111122223333"],"Actions":["SendMessage","CreateQueue"]})"));
  EXPECT_EQ(owner_only.status, 400);
  EXPECT_EQ(Text(Body(owner_only), "message"),
            "Value SQS:CreateQueue for parameter ActionName is invalid. "
            "Reason: Only the queue owner is allowed to invoke this action.");
  RawResponse no_accounts = Json(
      "AddPermission",
      absl::StrCat(q, R"(,"Label":"l","AWSAccountIds":[],"Actions":["*"]})"));
  EXPECT_EQ(no_accounts.status, 400);
  EXPECT_EQ(Text(Body(no_accounts), "message"),
            "Value [] for parameter PrincipalId is invalid. Reason: Unable to "
            "verify.");
  for (const char* action :
       {"*", "SendMessage", "ReceiveMessage", "DeleteMessage",
        "ChangeMessageVisibility", "GetQueueAttributes", "GetQueueUrl",
        "ListDeadLetterSourceQueues", "PurgeQueue"}) {
    RawResponse granted =
        Json("AddPermission",
             absl::StrCat(q, R"(,"Label":"l-)",
                          action == std::string("*") ? "all" : action,
                          R"(","AWSAccountIds":["111122223333"],"Actions":[")",
                          action, "\"]}"));
    EXPECT_EQ(granted.status, 200) << action << ": " << granted.body;
  }
}

}  // namespace
}  // namespace cortado::gateway::testing
