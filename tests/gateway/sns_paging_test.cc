// SNS over HTTP: ListTopics pages (100 per page, NextToken element) and
// MessageStructure=json. (FIFO topic delivery needs FIFO queues, which this
// branch's SQS core refuses as UnsupportedOperation; the envelope's FIFO
// shape is covered in tests/core/sns_envelope_test.cc.)
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/gateway/sns_fixture.h"

namespace cortado::gateway::testing {
namespace {

using SnsPagingTest = SnsGatewayTest;

TEST_F(SnsPagingTest, ListTopicsPagesOf100) {
  for (int i = 0; i < 101; ++i) CreateTopic(absl::StrCat("page-", i));
  RawResponse first = Sns("ListTopics");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(XmlCount(first.body, "TopicArn"), 100);
  std::optional<std::string> token = XmlText(first.body, "NextToken");
  ASSERT_TRUE(token.has_value()) << first.body;
  RawResponse second = Sns("ListTopics", "&NextToken=" + FormEncode(*token));
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(XmlCount(second.body, "TopicArn"), 1);
  EXPECT_FALSE(XmlText(second.body, "NextToken").has_value()) << second.body;
}

TEST_F(SnsPagingTest, MessageStructureJsonPicksTheSqsEntry) {
  const std::string topic = CreateTopic("structured");
  SubscribeQueue(topic, "structured-q", {{"RawMessageDelivery", "true"}});
  RawResponse published =
      Publish(topic, R"({"default":"for everyone","sqs":"for queues"})",
              "&MessageStructure=json");
  ASSERT_EQ(published.status, 200) << published.body;
  std::vector<const JsonValue*> messages = Receive("structured-q");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0]->Find("Body")->text, "for queues");

  RawResponse no_default =
      Publish(topic, R"({"sqs":"x"})", "&MessageStructure=json");
  EXPECT_EQ(no_default.status, 400);
  EXPECT_EQ(XmlText(no_default.body, "Code"), "InvalidParameter");
}

}  // namespace
}  // namespace cortado::gateway::testing
