// FIFO queues and message move tasks through the HTTP gateway, in both
// protocols: SequenceNumber in send results, FIFO errors on the wire, the
// expired-handle rule, ReceiveRequestAttemptId, and the three move-task
// actions with their shapes.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/gateway/gateway_server_fixture.h"
#include "tests/testing/poll.h"

namespace cortado::gateway::testing {
namespace {

using FifoActionsTest = GatewayServerTest;

std::string Text(const JsonValue& value, const std::string& key) {
  const JsonValue* member = value.Find(key);
  return member == nullptr ? "" : member->text;
}

TEST_F(FifoActionsTest, JsonSendReturnsSequenceNumbersAndDeduplicates) {
  RawResponse created = Json(
      "CreateQueue",
      R"({"QueueName":"f1.fifo","Attributes":{"FifoQueue":"true","ContentBasedDeduplication":"true"}})");
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string url = Text(Body(created), "QueueUrl");
  // The captured exchange of sqs-protocol.md appendix A.
  const std::string send = absl::StrCat(
      R"({"QueueUrl":")", url,
      R"(","MessageBody":"fifo1","MessageDeduplicationId":"d1","MessageGroupId":"g1"})");
  RawResponse first = Json("SendMessage", send);
  ASSERT_EQ(first.status, 200) << first.body;
  const JsonValue& sent = Body(first);
  EXPECT_EQ(Text(sent, "MD5OfMessageBody"), "12001e07b480015710f4eefc8c6a16f8");
  EXPECT_EQ(Text(sent, "SequenceNumber").size(), 20u) << first.body;
  RawResponse again = Json("SendMessage", send);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Text(Body(again), "MessageId"), Text(sent, "MessageId"));

  RawResponse missing =
      Json("SendMessage",
           absl::StrCat(R"({"QueueUrl":")", url, R"(","MessageBody":"x"})"));
  EXPECT_EQ(missing.status, 400);
  EXPECT_TRUE(
      absl::StrContains(missing.body, "MissingRequiredParameterException"))
      << missing.body;

  const std::string receive = absl::StrCat(
      R"({"QueueUrl":")", url,
      R"(","AttributeNames":["All"],"ReceiveRequestAttemptId":"a-1","VisibilityTimeout":0})");
  RawResponse got = Json("ReceiveMessage", receive);
  ASSERT_EQ(got.status, 200) << got.body;
  const JsonValue* messages = Body(got).Find("Messages");
  ASSERT_NE(messages, nullptr) << got.body;
  const JsonValue& message = messages->elements[0];
  const JsonValue* attributes = message.Find("Attributes");
  ASSERT_NE(attributes, nullptr);
  EXPECT_EQ(Text(*attributes, "MessageGroupId"), "g1");
  EXPECT_EQ(Text(*attributes, "MessageDeduplicationId"), "d1");
  EXPECT_EQ(Text(*attributes, "SequenceNumber"), Text(sent, "SequenceNumber"));

  // Visibility 0 means the handle expired at once: FIFO refuses it.
  RawResponse deleted =
      Json("DeleteMessage",
           absl::StrCat(R"({"QueueUrl":")", url, R"(","ReceiptHandle":")",
                        Text(message, "ReceiptHandle"), "\"}"));
  EXPECT_EQ(deleted.status, 400);
  EXPECT_TRUE(absl::StrContains(deleted.body, "The receipt handle has expired"))
      << deleted.body;
}

TEST_F(FifoActionsTest, QueryBatchOnFifoNeedsGroupIds) {
  RawResponse created =
      Query(Form("CreateQueue",
                 "&QueueName=f2.fifo&Attribute.1.Name=FifoQueue&Attribute.1."
                 "Value=true"));
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string q = absl::StrCat(
      "&QueueUrl=", FormEncode(*XmlText(created.body, "QueueUrl")));
  RawResponse bad = Query(
      Form("SendMessageBatch",
           absl::StrCat(
               q,
               "&SendMessageBatchRequestEntry.1.Id=a"
               "&SendMessageBatchRequestEntry.1.MessageBody=x"
               "&SendMessageBatchRequestEntry.1.MessageDeduplicationId=d")));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(XmlText(bad.body, "Code"), "InvalidParameterValue") << bad.body;
  RawResponse good = Query(
      Form("SendMessageBatch",
           absl::StrCat(
               q,
               "&SendMessageBatchRequestEntry.1.Id=a"
               "&SendMessageBatchRequestEntry.1.MessageBody=x"
               "&SendMessageBatchRequestEntry.1.MessageGroupId=g"
               "&SendMessageBatchRequestEntry.1.MessageDeduplicationId=d")));
  ASSERT_EQ(good.status, 200) << good.body;
  EXPECT_EQ(XmlText(good.body, "SequenceNumber")->size(), 20u) << good.body;
}

TEST_F(FifoActionsTest, MoveTaskActionsInBothProtocols) {
  const std::string dlq = CreateQueue("cafeteria-dlq");
  const std::string dlq_arn =
      "arn:aws:sqs:us-east-1:000000000000:cafeteria-dlq";
  RawResponse source = Json(
      "CreateQueue",
      absl::StrCat(
          R"({"QueueName":"cafeteria-queue","Attributes":{"VisibilityTimeout":"0","RedrivePolicy":"{\"deadLetterTargetArn\":\")",
          dlq_arn, R"(\",\"maxReceiveCount\":\"1\"}"}})"));
  ASSERT_EQ(source.status, 200) << source.body;
  const std::string url = Text(Body(source), "QueueUrl");
  ASSERT_EQ(Json("SendMessage", absl::StrCat(R"({"QueueUrl":")", url,
                                             R"(","MessageBody":"poison"})"))
                .status,
            200);
  const std::string receive = absl::StrCat(R"({"QueueUrl":")", url, "\"}");
  ASSERT_EQ(Json("ReceiveMessage", receive).status, 200);
  ASSERT_EQ(Json("ReceiveMessage", receive).body, "{}");  // moved to the DLQ

  RawResponse not_dlq = Json(
      "StartMessageMoveTask",
      R"({"SourceArn":"arn:aws:sqs:us-east-1:000000000000:cafeteria-queue"})");
  EXPECT_EQ(not_dlq.status, 400) << not_dlq.body;
  RawResponse unknown =
      Json("StartMessageMoveTask",
           R"({"SourceArn":"arn:aws:sqs:us-east-1:000000000000:nope"})");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_TRUE(absl::StrContains(unknown.body, "ResourceNotFoundException"));

  RawResponse started =
      Json("StartMessageMoveTask",
           absl::StrCat(R"({"SourceArn":")", dlq_arn,
                        R"(","MaxNumberOfMessagesPerSecond":1})"));
  ASSERT_EQ(started.status, 200) << started.body;
  EXPECT_FALSE(Text(Body(started), "TaskHandle").empty());
  // The task runs on the broker's own timer; poll until it is done.
  std::string listed;
  ASSERT_TRUE(cortado::testing::PollUntil(
      [&] {
        listed = Json("ListMessageMoveTasks",
                      absl::StrCat(R"({"SourceArn":")", dlq_arn, "\"}"))
                     .body;
        return absl::StrContains(listed, "COMPLETED");
      },
      absl::Seconds(10)))
      << listed;
  EXPECT_TRUE(
      absl::StrContains(listed, "\"ApproximateNumberOfMessagesMoved\":1"))
      << listed;
  EXPECT_FALSE(absl::StrContains(listed, "TaskHandle")) << listed;
  RawResponse back = Json("ReceiveMessage", receive);
  EXPECT_TRUE(absl::StrContains(back.body, "poison")) << back.body;

  RawResponse query_list = Query(
      Form("ListMessageMoveTasks",
           absl::StrCat("&SourceArn=", FormEncode(dlq_arn), "&MaxResults=10")));
  ASSERT_EQ(query_list.status, 200) << query_list.body;
  EXPECT_EQ(XmlCount(query_list.body, "ListMessageMoveTasksResultEntry"), 1)
      << query_list.body;
  EXPECT_EQ(XmlText(query_list.body, "Status"), "COMPLETED");
  RawResponse cancel =
      Query(Form("CancelMessageMoveTask", "&TaskHandle=not-a-task"));
  EXPECT_EQ(cancel.status, 404) << cancel.body;
}

}  // namespace
}  // namespace cortado::gateway::testing
