// The SQS actions through the query protocol (form POST, XML responses),
// plus GET and queue-URL paths, over real TCP against an in-process server.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/gateway/gateway_server_fixture.h"

namespace cortado::gateway::testing {
namespace {

using QueryActionsTest = GatewayServerTest;

TEST_F(QueryActionsTest, CafeteriaFlow) {
  RawResponse created =
      Query(Form("CreateQueue", "&QueueName=cafeteria-queue"));
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.Header("content-type"), "text/xml");
  EXPECT_TRUE(absl::StrContains(created.body, "<CreateQueueResult><QueueUrl>"));
  const std::string url = *XmlText(created.body, "QueueUrl");
  EXPECT_EQ(url, QueueUrl("cafeteria-queue"));
  EXPECT_EQ(XmlText(created.body, "RequestId"),
            created.Header("x-amzn-requestid"));

  RawResponse got = Query(Form("GetQueueUrl", "&QueueName=cafeteria-queue"));
  EXPECT_EQ(XmlText(got.body, "QueueUrl"), url);

  const std::string q = absl::StrCat("&QueueUrl=", FormEncode(url));
  RawResponse sent = Query(
      Form("SendMessage",
           absl::StrCat(q, "&MessageBody=Latte%7C2025-02-26+10%3A30%3A00")));
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(XmlCount(sent.body, "MD5OfMessageBody"), 1) << sent.body;

  RawResponse received = Query(Form("ReceiveMessage", q));
  ASSERT_EQ(received.status, 200) << received.body;
  EXPECT_EQ(XmlText(received.body, "Body"), "Latte|2025-02-26 10:30:00");
  const std::string handle = *XmlText(received.body, "ReceiptHandle");
  RawResponse deleted = Query(Form(
      "DeleteMessage", absl::StrCat(q, "&ReceiptHandle=", FormEncode(handle))));
  EXPECT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_TRUE(absl::StartsWith(
      deleted.body, "<?xml version=\"1.0\"?><DeleteMessageResponse"));
  EXPECT_FALSE(absl::StrContains(deleted.body, "DeleteMessageResult"));

  RawResponse empty = Query(Form("ReceiveMessage", q));
  EXPECT_TRUE(absl::StrContains(empty.body, "<ReceiveMessageResult/>"))
      << empty.body;

  EXPECT_EQ(Query(Form("DeleteQueue", q)).status, 200);
  RawResponse gone = Query(Form("DeleteQueue", q));
  EXPECT_EQ(gone.status, 400);
  EXPECT_EQ(XmlText(gone.body, "Code"),
            "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(XmlText(gone.body, "Type"), "Sender");
}

TEST_F(QueryActionsTest, CapturedSendMessageKeepsPlusAndCarriageReturn) {
  const std::string url = CreateQueue("q1");
  const std::string q = absl::StrCat("&QueueUrl=", FormEncode(url));
  RawResponse sent = Query(Form(
      "SendMessage",
      absl::StrCat(q,
                   "&MessageBody=hello+%22world%22+%26+%3Cx%3E&DelaySeconds=0"
                   "&MessageAttribute.1.Name=s&MessageAttribute.1.Value."
                   "DataType=String&MessageAttribute.1.Value.StringValue=v1"
                   "&MessageAttribute.2.Name=n&MessageAttribute.2.Value."
                   "DataType=Number&MessageAttribute.2.Value.StringValue=42"
                   "&MessageAttribute.3.Name=b&MessageAttribute.3.Value."
                   "DataType=Binary&MessageAttribute.3.Value.BinaryValue=AAEC"
                   "&MessageSystemAttribute.1.Name=AWSTraceHeader&"
                   "MessageSystemAttribute.1.Value.DataType=String"
                   "&MessageSystemAttribute.1.Value.StringValue=Root%3D1-"
                   "5759e988-bd862e3fe1be46a994272793%3BSampled%3D1")));
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(XmlText(sent.body, "MD5OfMessageBody"),
            "e6ca7313bb7dcbf8fe6b0edbd2f029bf");
  EXPECT_EQ(XmlText(sent.body, "MD5OfMessageAttributes"),
            "94c1f82a132b049cf75fad3ec912d79c");
  EXPECT_EQ(XmlText(sent.body, "MD5OfMessageSystemAttributes"),
            "5f48eef650c1d0207456969c85af2fdd");

  Query(Form("SendMessage", absl::StrCat(q, "&MessageBody=a%0D%0Ab")));
  RawResponse received = Query(Form(
      "ReceiveMessage", absl::StrCat(q,
                                     "&MaxNumberOfMessages=10&AttributeName.1="
                                     "All&MessageAttributeName.1=All")));
  ASSERT_EQ(received.status, 200) << received.body;
  EXPECT_EQ(XmlCount(received.body, "Message"), 2) << received.body;
  EXPECT_TRUE(absl::StrContains(received.body, "<Body>a&#xD;\nb</Body>"))
      << received.body;
  EXPECT_TRUE(
      absl::StrContains(received.body, "&quot;world&quot; &amp; &lt;x&gt;"));
  EXPECT_TRUE(absl::StrContains(
      received.body,
      "<MessageAttribute><Name>b</Name><Value><BinaryValue>AAEC</BinaryValue>"
      "<DataType>Binary</DataType></Value></MessageAttribute>"))
      << received.body;
  EXPECT_TRUE(absl::StrContains(received.body,
                                "<Attribute><Name>ApproximateReceiveCount</"
                                "Name><Value>1</Value></Attribute>"));
}

TEST_F(QueryActionsTest, BatchesAttributesTagsAndLists) {
  const std::string url = CreateQueue("b1");
  const std::string q = absl::StrCat("&QueueUrl=", FormEncode(url));
  RawResponse sent = Query(
      Form("SendMessageBatch",
           absl::StrCat(q,
                        "&SendMessageBatchRequestEntry.1.Id=a&"
                        "SendMessageBatchRequestEntry.1.MessageBody=m1"
                        "&SendMessageBatchRequestEntry.2.Id=b&"
                        "SendMessageBatchRequestEntry.2.MessageBody=m2")));
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(XmlCount(sent.body, "SendMessageBatchResultEntry"), 2) << sent.body;

  RawResponse received =
      Query(Form("ReceiveMessage", absl::StrCat(q, "&MaxNumberOfMessages=10")));
  ASSERT_EQ(XmlCount(received.body, "Message"), 2);
  const std::string handle = *XmlText(received.body, "ReceiptHandle");
  RawResponse changed = Query(Form(
      "ChangeMessageVisibilityBatch",
      absl::StrCat(
          q,
          "&ChangeMessageVisibilityBatchRequestEntry.1.Id=c1"
          "&ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle=",
          FormEncode(handle),
          "&ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=5"
          "&ChangeMessageVisibilityBatchRequestEntry.2.Id=c2"
          "&ChangeMessageVisibilityBatchRequestEntry.2.ReceiptHandle=bogus")));
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(XmlCount(changed.body, "ChangeMessageVisibilityBatchResultEntry"),
            1);
  EXPECT_EQ(XmlCount(changed.body, "BatchResultErrorEntry"), 1);
  EXPECT_EQ(XmlText(changed.body, "Code"), "ReceiptHandleIsInvalid");
  RawResponse deleted = Query(
      Form("DeleteMessageBatch",
           absl::StrCat(q,
                        "&DeleteMessageBatchRequestEntry.1.Id=d1"
                        "&DeleteMessageBatchRequestEntry.1.ReceiptHandle=",
                        FormEncode(handle))));
  EXPECT_EQ(XmlCount(deleted.body, "DeleteMessageBatchResultEntry"), 1)
      << deleted.body;

  EXPECT_EQ(
      Query(
          Form("SetQueueAttributes",
               absl::StrCat(
                   q,
                   "&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=45")))
          .status,
      200);
  RawResponse attributes =
      Query(Form("GetQueueAttributes",
                 absl::StrCat(q, "&AttributeName.1=VisibilityTimeout")));
  EXPECT_TRUE(absl::StrContains(
      attributes.body,
      "<GetQueueAttributesResult><Attribute><Name>VisibilityTimeout</Name>"
      "<Value>45</Value></Attribute></GetQueueAttributesResult>"))
      << attributes.body;

  EXPECT_EQ(
      Query(Form("TagQueue", absl::StrCat(q, "&Tag.1.Key=env&Tag.1.Value=dev")))
          .status,
      200);
  RawResponse tags = Query(Form("ListQueueTags", q));
  EXPECT_TRUE(absl::StrContains(tags.body,
                                "<Tag><Key>env</Key><Value>dev</Value></Tag>"))
      << tags.body;
  EXPECT_EQ(Query(Form("UntagQueue", absl::StrCat(q, "&TagKey.1=env"))).status,
            200);
  EXPECT_TRUE(absl::StrContains(Query(Form("ListQueueTags", q)).body,
                                "<ListQueueTagsResult/>"));

  RawResponse listed = Query(Form("ListQueues", "&QueueNamePrefix=b"));
  EXPECT_TRUE(absl::StrContains(
      listed.body, absl::StrCat("<ListQueuesResult><QueueUrl>", url,
                                "</QueueUrl></ListQueuesResult>")))
      << listed.body;
  RawResponse none = Query(Form("ListQueues", "&QueueNamePrefix=zzz"));
  EXPECT_TRUE(absl::StrContains(none.body, "<ListQueuesResult/>")) << none.body;

  EXPECT_EQ(Query(Form("AddPermission",
                       absl::StrCat(q,
                                    "&Label=l&AWSAccountId.1=111122223333&"
                                    "ActionName.1=SendMessage")))
                .status,
            200);
  EXPECT_EQ(Query(Form("RemovePermission", absl::StrCat(q, "&Label=l"))).status,
            200);
  EXPECT_EQ(Query(Form("PurgeQueue", q)).status, 200);
  RawResponse dlq = Query(Form("ListDeadLetterSourceQueues", q));
  EXPECT_TRUE(
      absl::StrContains(dlq.body, "<ListDeadLetterSourceQueuesResult/>"))
      << dlq.body;
}

TEST_F(QueryActionsTest, GetRequestsAndQueuePathsWork) {
  const std::string url = CreateQueue("pathq");
  absl::StatusOr<RawResponse> sent = client_->Request(
      "GET",
      "/000000000000/"
      "pathq?Action=SendMessage&Version=2012-11-05&MessageBody=via+path",
      {}, "");
  ASSERT_OK(sent.status());
  EXPECT_EQ(sent->status, 200) << sent->body;
  RawResponse received = Query(Form("ReceiveMessage"), "/000000000000/pathq");
  EXPECT_EQ(XmlText(received.body, "Body"), "via path");

  RawResponse wrong =
      Query(Form("CreateQueue", "&QueueName=x"), "/000000000000/pathq");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(XmlText(wrong.body, "Code"), "InvalidAction");

  absl::StatusOr<RawResponse> bare =
      client_->Request("GET", "/000000000000/pathq", {}, "");
  ASSERT_OK(bare.status());
  EXPECT_EQ(bare->status, 404);
  EXPECT_EQ(bare->body, "<UnknownOperationException/>");

  // A bare queue name is accepted as QueueUrl.
  RawResponse by_name = Query(
      Form("GetQueueAttributes", "&QueueUrl=pathq&AttributeName.1=QueueArn"));
  EXPECT_TRUE(absl::StrContains(by_name.body,
                                "arn:aws:sqs:us-east-1:000000000000:pathq"))
      << by_name.body;
}

// boto2 and kombu's asynchronous client send lists unnumbered
// ("AttributeName=All"); AWS accepts them, alone or mixed with numbered ones
// (issue 14, item 2).
TEST_F(QueryActionsTest, UnnumberedListParametersAreAccepted) {
  const std::string url = CreateQueue("unnumbered");
  const std::string q = absl::StrCat("&QueueUrl=", FormEncode(url));
  ASSERT_EQ(Query(Form("SetQueueAttributes",
                       absl::StrCat(q,
                                    "&Attribute.Name=VisibilityTimeout"
                                    "&Attribute.Value=45")))
                .status,
            200);
  RawResponse one = Query(
      Form("GetQueueAttributes",
           absl::StrCat(q, "&AttributeName=ApproximateNumberOfMessages")));
  EXPECT_TRUE(absl::StrContains(
      one.body,
      "<Attribute><Name>ApproximateNumberOfMessages</Name><Value>0</Value>"))
      << one.body;
  RawResponse all =
      Query(Form("GetQueueAttributes", absl::StrCat(q, "&AttributeName=All")));
  EXPECT_EQ(XmlCount(all.body, "Attribute"), 12) << all.body;
  EXPECT_TRUE(absl::StrContains(
      all.body, "<Name>VisibilityTimeout</Name><Value>45</Value>"))
      << all.body;
  RawResponse mixed = Query(Form(
      "GetQueueAttributes",
      absl::StrCat(q, "&AttributeName=QueueArn&AttributeName.1=DelaySeconds")));
  EXPECT_EQ(XmlCount(mixed.body, "Attribute"), 2) << mixed.body;

  ASSERT_EQ(Query(Form("SendMessage",
                       absl::StrCat(q,
                                    "&MessageBody=m"
                                    "&MessageAttribute.Name=colour"
                                    "&MessageAttribute.Value.DataType=String"
                                    "&MessageAttribute.Value.StringValue=red")))
                .status,
            200);
  RawResponse received =
      Query(Form("ReceiveMessage", absl::StrCat(q,
                                                "&AttributeName=All"
                                                "&MessageAttributeName=All")));
  EXPECT_TRUE(
      absl::StrContains(received.body, "<Name>ApproximateReceiveCount</Name>"))
      << received.body;
  EXPECT_TRUE(absl::StrContains(received.body, "<Name>colour</Name>"))
      << received.body;
}

TEST_F(QueryActionsTest, HealthzAnswersOk) {
  absl::StatusOr<RawResponse> health =
      client_->Request("GET", "/healthz", {}, "");
  ASSERT_OK(health.status());
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "ok\n");
}

}  // namespace
}  // namespace cortado::gateway::testing
