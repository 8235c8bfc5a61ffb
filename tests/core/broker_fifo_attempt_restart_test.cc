// ReceiveRequestAttemptId across restarts: an attempt is committed with its
// receive, so a retry after the broker restarted gets the same messages and
// receipt handles; attempts leave the store when they expire or their queue
// is deleted.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class BrokerFifoAttemptRestartTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    ASSERT_OK(Create("jobs.fifo", {{"FifoQueue", "true"},
                                   {"ContentBasedDeduplication", "true"},
                                   {"VisibilityTimeout", "30"}}));
  }
  void SendFifo(const std::string& body, const std::string& group) {
    SendMessageEntry entry = Entry(body);
    entry.message_group_id = group;
    ASSERT_OK(Send("jobs.fifo", std::move(entry)));
  }
  absl::StatusOr<ReceiveMessageResult> ReceiveAttempt(const std::string& id) {
    ReceiveMessageRequest request;
    request.queue_name = "jobs.fifo";
    request.max_number_of_messages = 10;
    request.receive_request_attempt_id = id;
    request.system_attribute_names = {"All"};
    return Receive(std::move(request));
  }
  static std::vector<std::string> Handles(const ReceiveMessageResult& r) {
    std::vector<std::string> handles;
    for (const ReceivedMessage& m : r.messages) {
      handles.push_back(m.receipt_handle);
    }
    return handles;
  }
  static std::vector<std::string> Bodies(const ReceiveMessageResult& r) {
    std::vector<std::string> bodies;
    for (const ReceivedMessage& m : r.messages) bodies.push_back(m.body);
    return bodies;
  }
  size_t StoredAttempts() {
    absl::StatusOr<StoreSnapshot> snapshot = store_.Load();
    EXPECT_OK(snapshot);
    return snapshot.ok() ? snapshot->receive_attempts.size() : 0;
  }
};

TEST_F(BrokerFifoAttemptRestartTest, ARetryAfterARestartGetsTheSameAnswer) {
  SendFifo("a1", "a");
  SendFifo("a2", "a");
  absl::StatusOr<ReceiveMessageResult> first = ReceiveAttempt("try-1");
  ASSERT_OK(first);
  ASSERT_THAT(Bodies(*first), ElementsAre("a1", "a2"));
  Advance(absl::Seconds(10));
  Restart();
  absl::StatusOr<ReceiveMessageResult> retry = ReceiveAttempt("try-1");
  ASSERT_OK(retry);
  EXPECT_THAT(Bodies(*retry), ElementsAre("a1", "a2"));
  EXPECT_EQ(Handles(*retry), Handles(*first));
  EXPECT_EQ(retry->messages[0].attributes.at("ApproximateReceiveCount"), "1");
  EXPECT_EQ(retry->messages[0].md5_of_body, first->messages[0].md5_of_body);
  // The replayed handles are live: they delete the messages.
  for (const std::string& handle : Handles(*retry)) {
    EXPECT_OK(Delete("jobs.fifo", handle));
  }
  EXPECT_EQ(Attribute("jobs.fifo", "ApproximateNumberOfMessagesNotVisible"),
            "0");
}

TEST_F(BrokerFifoAttemptRestartTest, AReplayedDeadlineIsWhatTheNextRetryFinds) {
  SendFifo("a1", "a");
  absl::StatusOr<ReceiveMessageResult> first = ReceiveAttempt("try-1");
  ASSERT_OK(first);
  Advance(absl::Seconds(10));
  // The replay moves the deadline; it must be committed with the attempt,
  // or the retry after the next restart would see a "changed" message.
  ASSERT_OK(ReceiveAttempt("try-1"));
  Advance(absl::Seconds(10));
  Restart();
  absl::StatusOr<ReceiveMessageResult> again = ReceiveAttempt("try-1");
  ASSERT_OK(again);
  EXPECT_EQ(Handles(*again), Handles(*first));
  // And the replay's visibility holds: 30 s from the last retry.
  Advance(absl::Seconds(29));
  EXPECT_EQ(Attribute("jobs.fifo", "ApproximateNumberOfMessages"), "0");
  Advance(absl::Seconds(1));
  EXPECT_EQ(Attribute("jobs.fifo", "ApproximateNumberOfMessages"), "1");
}

TEST_F(BrokerFifoAttemptRestartTest, AnAttemptOverTakenMessagesIsANewReceive) {
  SendFifo("a1", "a");
  SendFifo("b1", "b");
  absl::StatusOr<ReceiveMessageResult> first = ReceiveAttempt("try-1");
  ASSERT_OK(first);
  ASSERT_THAT(Bodies(*first), ElementsAre("a1", "b1"));
  ASSERT_OK(Delete("jobs.fifo", first->messages[0].receipt_handle));
  Restart();
  // a1 was deleted: the retry is a fresh receive, which finds nothing
  // visible (b1 is still in flight).
  absl::StatusOr<ReceiveMessageResult> retry = ReceiveAttempt("try-1");
  ASSERT_OK(retry);
  EXPECT_THAT(Bodies(*retry), IsEmpty());
}

TEST_F(BrokerFifoAttemptRestartTest, AttemptsLeaveTheStoreWhenTheyExpire) {
  SendFifo("a1", "a");
  ASSERT_OK(ReceiveAttempt("try-1"));
  EXPECT_EQ(StoredAttempts(), 1u);
  Advance(absl::Minutes(5) - absl::Seconds(1));
  EXPECT_EQ(StoredAttempts(), 1u);
  Advance(absl::Seconds(1));
  EXPECT_EQ(StoredAttempts(), 0u);
}

TEST_F(BrokerFifoAttemptRestartTest, AnAttemptThatExpiredWhileDownIsDropped) {
  SendFifo("a1", "a");
  absl::StatusOr<ReceiveMessageResult> first = ReceiveAttempt("try-1");
  ASSERT_OK(first);
  broker_.reset();
  clock_.Advance(absl::Minutes(5));
  Restart();
  broker_->ProcessTimers();
  EXPECT_EQ(StoredAttempts(), 0u);
  absl::StatusOr<ReceiveMessageResult> later = ReceiveAttempt("try-1");
  ASSERT_OK(later);
  ASSERT_THAT(Bodies(*later), ElementsAre("a1"));
  EXPECT_NE(Handles(*later), Handles(*first));
}

TEST_F(BrokerFifoAttemptRestartTest, DeletingTheQueueDropsItsAttempts) {
  SendFifo("a1", "a");
  ASSERT_OK(ReceiveAttempt("try-1"));
  ASSERT_OK(DeleteQueue("jobs.fifo"));
  EXPECT_EQ(StoredAttempts(), 0u);
}

}  // namespace
}  // namespace cortado::testing
