// Queue on its own: retention order when messages are not added in send
// order (the two retention indexes), and holding a received message.
#include "server/core/queue.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cortado {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const absl::Time kStart = absl::FromUnixSeconds(1767225600);

class QueueTest : public ::testing::Test {
 protected:
  QueueTest() : queue_(MakeRecord()) {}
  static QueueRecord MakeRecord() {
    QueueRecord record;
    record.queue_id = 1;
    record.name = "q";
    record.attributes.message_retention_period = 60;
    return record;
  }
  Message& Add(uint64_t sequence, absl::Time sent) {
    MessageRecord record;
    record.queue_id = 1;
    record.sequence = sequence;
    record.message_id = "id";
    record.body = "b";
    record.sent = sent;
    record.visible_at = kStart;  // visible: only retention sets deadlines
    return queue_.Add(Message::Make(record, senders_), kStart);
  }
  SenderIds senders_;
  Queue queue_;
};

TEST_F(QueueTest, MessagesAddedInSendOrderExpireInSendOrder) {
  Add(1, kStart);
  Add(2, kStart + absl::Seconds(1));
  Add(3, kStart + absl::Seconds(2));
  EXPECT_EQ(queue_.NextDeadline(), kStart + absl::Seconds(60));
  EXPECT_THAT(queue_.RemoveExpired(kStart + absl::Seconds(61)),
              ElementsAre(1, 2));
  EXPECT_EQ(queue_.size(), 1);
  EXPECT_EQ(queue_.NextDeadline(), kStart + absl::Seconds(62));
}

TEST_F(QueueTest, MessagesMovedInWithOlderSendTimesExpireFirst) {
  // A dead-letter queue: a message sent to it directly, then messages moved
  // in with their original (older, unordered) send times.
  Add(10, kStart + absl::Seconds(30));
  Add(11, kStart + absl::Seconds(5));
  Add(12, kStart + absl::Seconds(40));
  Add(13, kStart);
  Add(14, kStart + absl::Seconds(5));
  EXPECT_EQ(queue_.NextDeadline(), kStart + absl::Seconds(60));
  EXPECT_THAT(queue_.RemoveExpired(kStart + absl::Seconds(65)),
              ElementsAre(13, 11, 14));
  EXPECT_EQ(queue_.NextDeadline(), kStart + absl::Seconds(90));
  EXPECT_THAT(queue_.RemoveExpired(kStart + absl::Seconds(100)),
              ElementsAre(10, 12));
  EXPECT_EQ(queue_.NextDeadline(), absl::InfiniteFuture());
}

TEST_F(QueueTest, LoadedOutOfSequenceOrderStillExpiresBySendTime) {
  Add(5, kStart + absl::Seconds(5));
  Add(3, kStart + absl::Seconds(3));
  Add(4, kStart + absl::Seconds(4));
  Add(6, kStart + absl::Seconds(1));
  EXPECT_THAT(queue_.RemoveExpired(kStart + absl::Seconds(100)),
              ElementsAre(6, 3, 4, 5));
}

TEST_F(QueueTest, RemovedMessagesLeaveTheRetentionIndexes) {
  Add(1, kStart + absl::Seconds(10));
  Add(2, kStart);  // out of send order
  Add(3, kStart + absl::Seconds(20));
  queue_.Remove(2);
  queue_.Remove(1);
  EXPECT_EQ(queue_.NextDeadline(), kStart + absl::Seconds(80));
  queue_.Clear();
  EXPECT_EQ(queue_.NextDeadline(), absl::InfiniteFuture());
  // After a purge the queue indexes new messages as before.
  Add(4, kStart);
  EXPECT_THAT(queue_.RemoveExpired(kStart + absl::Seconds(60)), ElementsAre(4));
}

TEST_F(QueueTest, RemovingTheOldestInOrderMessageFindsTheNextOne) {
  Add(1, kStart + absl::Seconds(50));
  Add(2, kStart + absl::Seconds(10));  // out of send order
  Add(3, kStart + absl::Seconds(20));  // out of send order
  Add(4, kStart + absl::Seconds(60));
  queue_.Remove(1);  // the next in-order one is 4, past 2 and 3
  EXPECT_EQ(queue_.NextDeadline(), kStart + absl::Seconds(70));
  EXPECT_THAT(queue_.RemoveExpired(kStart + absl::Seconds(85)),
              ElementsAre(2, 3));
  EXPECT_EQ(queue_.NextDeadline(), kStart + absl::Seconds(120));
  queue_.Remove(4);
  EXPECT_EQ(queue_.NextDeadline(), absl::InfiniteFuture());
  // In order again after the last in-order message left.
  Add(5, kStart + absl::Seconds(70));
  EXPECT_EQ(queue_.NextDeadline(), kStart + absl::Seconds(130));
}

TEST_F(QueueTest, HoldingUntilNowLeavesTheMessageVisible) {
  Message& message = Add(1, kStart);
  const absl::Time now = kStart + absl::Seconds(3);
  message.CountReceive(now);
  queue_.Hold(message, now, now);
  EXPECT_EQ(message.state(), MessageState::kVisible);
  EXPECT_EQ(message.visible_at(), now);
  EXPECT_THAT(queue_.visible(), ElementsAre(1));
  queue_.Hold(message, now, now + absl::Seconds(30));
  EXPECT_EQ(message.state(), MessageState::kInFlight);
  EXPECT_THAT(queue_.visible(), IsEmpty());
  EXPECT_EQ(queue_.ReleaseDue(now + absl::Seconds(30)), 1);
  EXPECT_THAT(queue_.visible(), ElementsAre(1));
}

}  // namespace
}  // namespace cortado
