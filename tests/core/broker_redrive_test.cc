// Dead-letter queues: RedrivePolicy validation, moving a message whose
// receives ran out, and what the moved message keeps.
#include "gmock/gmock.h"
#include "server/core/errors.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::ElementsAre;

class BrokerRedriveTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    ASSERT_OK(Create("cafeteria-dlq"));
    ASSERT_OK(Create("cafeteria-queue",
                     {{"RedrivePolicy", Policy("cafeteria-dlq", 3)},
                      {"VisibilityTimeout", "10"}}));
  }
  std::string Policy(const std::string& dlq, int max) {
    return absl::StrCat("{\"deadLetterTargetArn\":\"", broker_->QueueArn(dlq),
                        "\",\"maxReceiveCount\":", max, "}");
  }
  // Receives once and lets the visibility timeout run out.
  absl::StatusOr<ReceiveMessageResult> ReceiveAndFail() {
    absl::StatusOr<ReceiveMessageResult> got = Receive("cafeteria-queue");
    Advance(absl::Seconds(10));
    return got;
  }
};

TEST_F(BrokerRedriveTest, PoisonMessageIsDeliveredMaxTimesThenMovesToTheDlq) {
  SendMessageEntry entry;
  entry.body = "Latte|not-a-date";
  entry.attributes["origin"] = {"String", "till-3", "", false};
  absl::StatusOr<SendMessageResult> sent = Send("cafeteria-queue", entry);
  ASSERT_OK(sent);
  const absl::Time sent_at = clock_.Now();
  for (int i = 1; i <= 3; ++i) {
    absl::StatusOr<ReceiveMessageResult> got = ReceiveAndFail();
    ASSERT_OK(got);
    ASSERT_EQ(got->messages.size(), 1u) << "delivery " << i;
    EXPECT_EQ(got->messages[0].attributes.at("ApproximateReceiveCount"),
              absl::StrCat(i));
  }
  // The fourth receive would exceed maxReceiveCount: the message moves.
  absl::StatusOr<ReceiveMessageResult> fourth = Receive("cafeteria-queue");
  ASSERT_OK(fourth);
  EXPECT_TRUE(fourth->messages.empty());
  EXPECT_EQ(Attribute("cafeteria-queue", "ApproximateNumberOfMessages"), "0");
  EXPECT_EQ(Attribute("cafeteria-dlq", "ApproximateNumberOfMessages"), "1");

  absl::StatusOr<ReceiveMessageResult> dead = Receive("cafeteria-dlq");
  ASSERT_OK(dead);
  ASSERT_EQ(dead->messages.size(), 1u);
  const ReceivedMessage& m = dead->messages[0];
  EXPECT_EQ(m.message_id, sent->message_id);
  EXPECT_EQ(m.body, "Latte|not-a-date");
  EXPECT_EQ(m.message_attributes.at("origin").string_value, "till-3");
  EXPECT_EQ(m.md5_of_message_attributes, sent->md5_of_message_attributes);
  EXPECT_EQ(m.attributes.at("DeadLetterQueueSourceArn"),
            broker_->QueueArn("cafeteria-queue"));
  EXPECT_EQ(m.attributes.at("SentTimestamp"),
            absl::StrCat(absl::ToUnixMillis(sent_at)));
  EXPECT_EQ(m.attributes.at("ApproximateReceiveCount"), "4");
}

TEST_F(BrokerRedriveTest, HealthyMessagesAroundAPoisonOneAreStillDelivered) {
  ASSERT_OK(Send("cafeteria-queue", "poison"));
  for (int i = 0; i < 3; ++i) ASSERT_OK(ReceiveAndFail());
  ASSERT_OK(Send("cafeteria-queue", "good"));
  absl::StatusOr<ReceiveMessageResult> got = Receive("cafeteria-queue", 10);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "good");
}

TEST_F(BrokerRedriveTest, AParkedReceiveIsNotAnsweredEmptyByAMove) {
  ASSERT_OK(Send("cafeteria-queue", "poison"));
  for (int i = 0; i < 2; ++i) ASSERT_OK(ReceiveAndFail());
  ASSERT_OK(Receive("cafeteria-queue"));  // third delivery, in flight 10 s
  Pending<ReceiveMessageResult> source = StartLongPoll("cafeteria-queue", 20);
  Pending<ReceiveMessageResult> dlq = StartLongPoll("cafeteria-dlq", 20);
  Advance(absl::Seconds(10));  // visible again -> moved, not delivered
  EXPECT_FALSE(source.ready());
  ASSERT_TRUE(dlq.ready());
  absl::StatusOr<ReceiveMessageResult> got = dlq.Get();
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "poison");
  ASSERT_OK(Send("cafeteria-queue", "next"));
  ASSERT_TRUE(source.ready());
  EXPECT_EQ(source.Get()->messages.at(0).body, "next");
}

TEST_F(BrokerRedriveTest, MovedMessageSurvivesARestart) {
  ASSERT_OK(Send("cafeteria-queue", "poison"));
  for (int i = 0; i < 3; ++i) ASSERT_OK(ReceiveAndFail());
  ASSERT_OK(Receive("cafeteria-queue"));  // moves it
  Restart();
  absl::StatusOr<ReceiveMessageResult> dead = Receive("cafeteria-dlq");
  ASSERT_OK(dead);
  ASSERT_EQ(dead->messages.size(), 1u);
  EXPECT_EQ(dead->messages[0].attributes.at("DeadLetterQueueSourceArn"),
            broker_->QueueArn("cafeteria-queue"));
}

TEST_F(BrokerRedriveTest, RedrivePolicyMustNameAnExistingQueue) {
  absl::StatusOr<QueueRecord> created =
      Create("orphan", {{"RedrivePolicy", Policy("no-such-queue", 3)}});
  EXPECT_EQ(GetErrorKind(created.status()), ErrorKind::kInvalidParameterValue);
  EXPECT_THAT(std::string(created.status().message()),
              ::testing::HasSubstr("Dead letter target does not exist"));
  EXPECT_EQ(
      GetErrorKind(SetAttributes(
          "cafeteria-dlq", {{"RedrivePolicy", Policy("no-such-queue", 3)}})),
      ErrorKind::kInvalidParameterValue);
}

TEST_F(BrokerRedriveTest, RedriveAllowPolicyGatesSources) {
  ASSERT_OK(Create("closed-dlq", {{"RedriveAllowPolicy",
                                   "{\"redrivePermission\":\"denyAll\"}"}}));
  EXPECT_EQ(
      GetErrorKind(
          Create("src", {{"RedrivePolicy", Policy("closed-dlq", 2)}}).status()),
      ErrorKind::kInvalidParameterValue);
  ASSERT_OK(
      Create("picky-dlq",
             {{"RedriveAllowPolicy",
               absl::StrCat(
                   "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[\"",
                   broker_->QueueArn("allowed"), "\"]}")}}));
  EXPECT_OK(Create("allowed", {{"RedrivePolicy", Policy("picky-dlq", 2)}}));
  EXPECT_FALSE(
      Create("refused", {{"RedrivePolicy", Policy("picky-dlq", 2)}}).ok());
}

TEST_F(BrokerRedriveTest, ListDeadLetterSourceQueuesNamesTheSources) {
  ASSERT_OK(
      Create("also-source", {{"RedrivePolicy", Policy("cafeteria-dlq", 5)}}));
  ASSERT_OK(Create("unrelated"));
  absl::StatusOr<ListQueuesResult> sources =
      broker_->ListDeadLetterSourceQueues("cafeteria-dlq", 0, "");
  ASSERT_OK(sources);
  EXPECT_THAT(sources->queue_names,
              ElementsAre("also-source", "cafeteria-queue"));
  absl::StatusOr<ListQueuesResult> page =
      broker_->ListDeadLetterSourceQueues("cafeteria-dlq", 1, "");
  ASSERT_OK(page);
  EXPECT_THAT(page->queue_names, ElementsAre("also-source"));
  ASSERT_FALSE(page->next_token.empty());
  absl::StatusOr<ListQueuesResult> next =
      broker_->ListDeadLetterSourceQueues("cafeteria-dlq", 1, page->next_token);
  ASSERT_OK(next);
  EXPECT_THAT(next->queue_names, ElementsAre("cafeteria-queue"));
  EXPECT_TRUE(next->next_token.empty());
  EXPECT_EQ(GetErrorKind(
                broker_->ListDeadLetterSourceQueues("missing", 0, "").status()),
            ErrorKind::kQueueDoesNotExist);
}

}  // namespace
}  // namespace cortado::testing
