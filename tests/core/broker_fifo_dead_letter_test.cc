// Retention in dead-letter queues: a FIFO dead-letter queue enqueues a moved
// message anew (its retention restarts at the move), a standard one keeps
// counting from the original send (SQS). SentTimestamp stays the send time
// in both.
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

class BrokerDeadLetterRetentionTest : public BrokerTest {
 protected:
  // A source queue whose messages dead-letter on their second receive, into
  // a dead-letter queue that keeps messages 120 s.
  void CreateQueues(bool fifo) {
    const std::string suffix = fifo ? ".fifo" : "";
    source_ = "jobs" + suffix;
    dead_letter_ = "jobs-dlq" + suffix;
    AttributeMap dlq = {{"MessageRetentionPeriod", "120"}};
    AttributeMap jobs = {{"VisibilityTimeout", "30"}};
    if (fifo) {
      dlq["FifoQueue"] = "true";
      jobs["FifoQueue"] = "true";
      jobs["ContentBasedDeduplication"] = "true";
    }
    ASSERT_OK(Create(dead_letter_, dlq));
    jobs["RedrivePolicy"] = absl::StrCat("{\"deadLetterTargetArn\":\"",
                                         broker_->QueueArn(dead_letter_),
                                         "\",\"maxReceiveCount\":1}");
    ASSERT_OK(Create(source_, jobs));
  }
  // Sends one message at the current time, then moves it to the dead-letter
  // queue 80 s later: received once at +50 s, its visibility runs out at
  // +80 s, and the next receive moves it instead of delivering it.
  void SendAndDeadLetter() {
    SendMessageEntry entry = Entry("poison");
    if (source_.ends_with(".fifo")) entry.message_group_id = "a";
    ASSERT_OK(Send(source_, std::move(entry)));
    Advance(absl::Seconds(50));
    absl::StatusOr<ReceiveMessageResult> first = Receive(source_);
    ASSERT_OK(first);
    ASSERT_EQ(first->messages.size(), 1u);
    Advance(absl::Seconds(30));
    absl::StatusOr<ReceiveMessageResult> moved = Receive(source_);
    ASSERT_OK(moved);
    ASSERT_TRUE(moved->messages.empty());
    ASSERT_EQ(Stored(dead_letter_), 1);
  }
  int64_t Stored(const std::string& queue) {
    AttributeMap all = AllAttributes(queue);
    return std::stoll(all["ApproximateNumberOfMessages"]) +
           std::stoll(all["ApproximateNumberOfMessagesNotVisible"]) +
           std::stoll(all["ApproximateNumberOfMessagesDelayed"]);
  }

  std::string source_;
  std::string dead_letter_;
};

TEST_F(BrokerDeadLetterRetentionTest, FifoDeadLetterQueueRestartsRetention) {
  CreateQueues(/*fifo=*/true);
  const absl::Time sent = clock_.Now();
  SendAndDeadLetter();  // moved at sent + 80 s
  // Sent 200 s ago but moved 120 s ago: expires now, not at sent + 120 s.
  Advance(absl::Seconds(119));
  EXPECT_EQ(Stored(dead_letter_), 1);
  absl::StatusOr<ReceiveMessageResult> got = Receive(dead_letter_);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].attributes.at("SentTimestamp"),
            absl::StrCat(absl::ToUnixMillis(sent)));
  Advance(absl::Seconds(1));
  EXPECT_EQ(Stored(dead_letter_), 0);
}

TEST_F(BrokerDeadLetterRetentionTest, StandardDeadLetterQueueKeepsTheSendTime) {
  CreateQueues(/*fifo=*/false);
  const absl::Time sent = clock_.Now();
  SendAndDeadLetter();  // moved at sent + 80 s
  Advance(absl::Seconds(39));
  EXPECT_EQ(Stored(dead_letter_), 1);
  absl::StatusOr<ReceiveMessageResult> got = Receive(dead_letter_);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].attributes.at("SentTimestamp"),
            absl::StrCat(absl::ToUnixMillis(sent)));
  Advance(absl::Seconds(1));  // sent + 120 s
  EXPECT_EQ(Stored(dead_letter_), 0);
}

TEST_F(BrokerDeadLetterRetentionTest, TheRestartedRetentionSurvivesARestart) {
  CreateQueues(/*fifo=*/true);
  const absl::Time sent = clock_.Now();
  SendAndDeadLetter();
  const absl::Time moved = clock_.Now();
  absl::StatusOr<StoreSnapshot> stored = store_.Load();
  ASSERT_OK(stored);
  ASSERT_EQ(stored->messages.size(), 1u);
  EXPECT_EQ(stored->messages[0].sent, sent);
  EXPECT_EQ(stored->messages[0].enqueued, moved);
  Restart();
  Advance(absl::Seconds(119));
  EXPECT_EQ(Stored(dead_letter_), 1);
  Advance(absl::Seconds(1));
  EXPECT_EQ(Stored(dead_letter_), 0);
}

TEST_F(BrokerDeadLetterRetentionTest, AStandardMoveStoresNoEnqueueTime) {
  CreateQueues(/*fifo=*/false);
  SendAndDeadLetter();
  absl::StatusOr<StoreSnapshot> stored = store_.Load();
  ASSERT_OK(stored);
  ASSERT_EQ(stored->messages.size(), 1u);
  EXPECT_EQ(stored->messages[0].enqueued, absl::UnixEpoch());
  Restart();
  Advance(absl::Seconds(39));
  EXPECT_EQ(Stored(dead_letter_), 1);
  Advance(absl::Seconds(1));
  EXPECT_EQ(Stored(dead_letter_), 0);
}

}  // namespace
}  // namespace cortado::testing
