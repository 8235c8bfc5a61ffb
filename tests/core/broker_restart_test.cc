// Restart: a new Broker on the same store recovers queues and messages as
// they were committed, with their timers continuing from the original times.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kStartMillis = int64_t{1767225600} * 1000;

class BrokerRestartTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    ASSERT_OK(Create("orders"));
  }
  std::vector<std::string> ReceiveBodies(const std::string& queue = "orders",
                                         int max = 10) {
    std::vector<std::string> bodies;
    absl::StatusOr<ReceiveMessageResult> got = Receive(queue, max);
    EXPECT_OK(got);
    if (got.ok()) {
      for (const ReceivedMessage& m : got->messages) bodies.push_back(m.body);
    }
    return bodies;
  }
  // Receives one message and returns it.
  ReceivedMessage ReceiveOne(const std::string& queue = "orders") {
    absl::StatusOr<ReceiveMessageResult> got = Receive(queue);
    EXPECT_OK(got);
    if (!got.ok() || got->messages.size() != 1) {
      ADD_FAILURE() << "expected to receive one message";
      return {};
    }
    return got->messages[0];
  }
};

TEST_F(BrokerRestartTest, QueuesAndTheirAttributesAndTagsSurvive) {
  CreateQueueRequest request;
  request.queue_name = "tagged";
  request.attributes = {{"VisibilityTimeout", "45"}, {"DelaySeconds", "3"}};
  request.tags = {{"team", "billing"}};
  ASSERT_OK(Create(std::move(request)));
  Advance(absl::Seconds(10));
  ASSERT_OK(SetAttributes("tagged", {{"MaximumMessageSize", "2048"}}));
  const AttributeMap before = AllAttributes("tagged");
  Restart();
  EXPECT_EQ(AllAttributes("tagged"), before);
  absl::StatusOr<TagMap> tags = broker_->ListQueueTags("tagged");
  ASSERT_OK(tags);
  EXPECT_EQ(*tags, (TagMap{{"team", "billing"}}));
  absl::StatusOr<ListQueuesResult> listed = broker_->ListQueues({});
  ASSERT_OK(listed);
  EXPECT_THAT(listed->queue_names, ElementsAre("orders", "tagged"));
}

TEST_F(BrokerRestartTest, DeletedQueuesStayDeleted) {
  ASSERT_OK(Create("gone"));
  ASSERT_OK(Send("gone", "m"));
  ASSERT_OK(DeleteQueue("gone"));
  Restart();
  EXPECT_EQ(GetErrorKind(broker_->GetQueue("gone")),
            ErrorKind::kQueueDoesNotExist);
}

TEST_F(BrokerRestartTest, VisibleMessagesSurviveInOrderWithTheirContents) {
  for (int i = 0; i < 5; ++i) {
    SendMessageEntry entry = Entry(absl::StrCat("m", i));
    entry.attributes["index"] = StringAttribute(absl::StrCat(i), "Number");
    entry.sender_id = "AKID";
    ASSERT_OK(Send("orders", entry));
    Advance(absl::Milliseconds(10));
  }
  Restart();
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders", 10);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    const ReceivedMessage& m = got->messages[i];
    EXPECT_EQ(m.body, absl::StrCat("m", i));
    EXPECT_EQ(m.message_attributes.at("index").string_value, absl::StrCat(i));
    EXPECT_EQ(m.attributes.at("SentTimestamp"),
              absl::StrCat(kStartMillis + 10 * i));
    EXPECT_EQ(m.attributes.at("SenderId"), "AKID");
  }
}

TEST_F(BrokerRestartTest, MessageIdsAndTraceHeadersSurvive) {
  SendMessageEntry entry = Entry("traced");
  entry.system_attributes["AWSTraceHeader"] = StringAttribute("Root=1-abc");
  absl::StatusOr<SendMessageResult> sent = Send("orders", entry);
  ASSERT_OK(sent);
  Restart();
  ReceivedMessage m = ReceiveOne();
  EXPECT_EQ(m.message_id, sent->message_id);
  EXPECT_EQ(m.attributes["AWSTraceHeader"], "Root=1-abc");
}

TEST_F(BrokerRestartTest, RowsWithAnyIdAndSenderLoadExactly) {
  // Rows the broker did not write itself (older versions, tools): an id
  // that is not a lower-case UUID, an empty sender id. Both come back as
  // stored, next to a message the broker sent itself.
  absl::StatusOr<QueueRecord> queue = Create("legacy");
  ASSERT_OK(queue);
  absl::StatusOr<SendMessageResult> sent = Send("legacy", "new");
  ASSERT_OK(sent);
  MessageRecord row;
  row.queue_id = queue->queue_id;
  row.sequence = 1000000;
  row.message_id = "6F9619FF-8B86-D011-B42D-00C04FC964FF";
  row.body = "old";
  row.sent = clock_.Now();
  row.visible_at = clock_.Now();
  WriteBatch batch;
  batch.mutations.push_back(InsertMessage{row});
  ASSERT_OK(store_.Commit(batch));
  Restart();
  ReceiveMessageRequest request;
  request.queue_name = "legacy";
  request.max_number_of_messages = 10;
  request.system_attribute_names = {"All"};
  absl::StatusOr<ReceiveMessageResult> got = Receive(std::move(request));
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 2u);
  EXPECT_EQ(got->messages[0].message_id, sent->message_id);
  EXPECT_EQ(got->messages[0].attributes["SenderId"], "000000000000");
  EXPECT_EQ(got->messages[1].message_id,
            "6F9619FF-8B86-D011-B42D-00C04FC964FF");
  EXPECT_EQ(got->messages[1].body, "old");
  EXPECT_EQ(got->messages[1].attributes["SenderId"], "");
  // The next message gets a sequence after every loaded one.
  ASSERT_OK(Send("legacy", "after"));
  absl::StatusOr<StoreSnapshot> snapshot = store_.Load();
  ASSERT_OK(snapshot);
  uint64_t highest = 0;
  for (const MessageRecord& m : snapshot->messages) {
    highest = std::max(highest, m.sequence);
  }
  EXPECT_GT(highest, 1000000u);
}

TEST_F(BrokerRestartTest, InFlightMessageStaysInvisibleUntilItsDeadline) {
  ASSERT_OK(Send("orders", "m"));
  ASSERT_OK(ReceiveWithVisibility("orders", 100));
  Advance(absl::Seconds(40));
  Restart();
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "1");
  EXPECT_THAT(ReceiveBodies(), IsEmpty());
  Advance(absl::Seconds(60) - absl::Milliseconds(1));
  EXPECT_THAT(ReceiveBodies(), IsEmpty());
  Advance(absl::Milliseconds(1));
  EXPECT_THAT(ReceiveBodies(), ElementsAre("m"));
}

TEST_F(BrokerRestartTest, InFlightDeadlinePassedWhileDownIsVisibleAtOnce) {
  ASSERT_OK(Send("orders", "m"));
  ASSERT_OK(Receive("orders"));
  broker_.reset();
  clock_.Advance(absl::Seconds(31));
  Restart();
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "1");
  EXPECT_THAT(ReceiveBodies(), ElementsAre("m"));
}

TEST_F(BrokerRestartTest, MessageThatExpiredWhileDownIsGone) {
  ASSERT_OK(Create("short", {{"MessageRetentionPeriod", "60"}}));
  ASSERT_OK(Send("short", "m"));
  broker_.reset();
  clock_.Advance(absl::Seconds(61));
  Restart();
  EXPECT_THAT(ReceiveBodies("short"), IsEmpty());
  EXPECT_EQ(Attribute("short", "ApproximateNumberOfMessages"), "0");
}

TEST_F(BrokerRestartTest, ReceiveCountAndFirstReceiveTimestampSurvive) {
  ASSERT_OK(Send("orders", "m"));
  Advance(absl::Seconds(1));
  ASSERT_OK(Receive("orders"));
  Advance(absl::Seconds(30));
  ASSERT_OK(Receive("orders"));
  Advance(absl::Seconds(30));
  Restart();
  ReceivedMessage m = ReceiveOne();
  EXPECT_EQ(m.attributes["ApproximateReceiveCount"], "3");
  EXPECT_EQ(m.attributes["ApproximateFirstReceiveTimestamp"],
            absl::StrCat(kStartMillis + 1000));
}

TEST_F(BrokerRestartTest, DelayContinuesFromTheOriginalSendTime) {
  SendMessageEntry entry = Entry("delayed");
  entry.delay_seconds = 100;
  ASSERT_OK(Send("orders", entry));
  Advance(absl::Seconds(40));
  Restart();
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesDelayed"), "1");
  Advance(absl::Seconds(60) - absl::Milliseconds(1));
  EXPECT_THAT(ReceiveBodies(), IsEmpty());
  Advance(absl::Milliseconds(1));
  EXPECT_THAT(ReceiveBodies(), ElementsAre("delayed"));
}

TEST_F(BrokerRestartTest, QueueDelayContinuesFromTheOriginalSendTime) {
  ASSERT_OK(Create("slow", {{"DelaySeconds", "30"}}));
  ASSERT_OK(Send("slow", "delayed"));
  Advance(absl::Seconds(20));
  Restart();
  Advance(absl::Seconds(10));
  EXPECT_THAT(ReceiveBodies("slow"), ElementsAre("delayed"));
}

TEST_F(BrokerRestartTest, OrderIsKeptAcrossStatesAfterRestart) {
  for (int i = 0; i < 4; ++i) ASSERT_OK(Send("orders", absl::StrCat("m", i)));
  // m0 and m1 go in flight for 10 s; m2 and m3 stay visible.
  ASSERT_OK(ReceiveWithVisibility("orders", 10, 2));
  Restart();
  EXPECT_THAT(ReceiveBodies("orders", 1), ElementsAre("m2"));
  Advance(absl::Seconds(10));
  EXPECT_THAT(ReceiveBodies(), ElementsAre("m0", "m1", "m3"));
}

TEST_F(BrokerRestartTest, HandlesIssuedBeforeRestartStillWork) {
  ASSERT_OK(Send("orders", "a"));
  ASSERT_OK(Send("orders", "b"));
  ReceivedMessage a = ReceiveOne();
  ReceivedMessage b = ReceiveOne();
  Restart();
  ASSERT_OK(ChangeVisibility("orders", b.receipt_handle, 0));
  ASSERT_OK(Delete("orders", a.receipt_handle));
  EXPECT_THAT(ReceiveBodies(), ElementsAre("b"));
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "1");
}

TEST_F(BrokerRestartTest, DeletedAndPurgedMessagesStayGone) {
  ASSERT_OK(Send("orders", "deleted"));
  ReceivedMessage m = ReceiveOne();
  ASSERT_OK(Delete("orders", m.receipt_handle));
  ASSERT_OK(Create("purged"));
  ASSERT_OK(Send("purged", "x"));
  ASSERT_OK(Purge("purged"));
  Restart();
  Advance(absl::Seconds(30));
  EXPECT_THAT(ReceiveBodies("orders"), IsEmpty());
  EXPECT_THAT(ReceiveBodies("purged"), IsEmpty());
}

TEST_F(BrokerRestartTest, RestartedBrokerKeepsWorking) {
  ASSERT_OK(Send("orders", "before"));
  Restart();
  ASSERT_OK(Create("fresh"));
  ASSERT_OK(Send("fresh", "after"));
  ASSERT_OK(Send("orders", "after"));
  EXPECT_THAT(ReceiveBodies("fresh"), ElementsAre("after"));
  EXPECT_THAT(ReceiveBodies("orders"), ElementsAre("before", "after"));
}

// Regression guard for ids reused after a restart: store.h promises queue ids
// are never reused, and every receive must mint a handle never seen before.
TEST_F(BrokerRestartTest, HandleOfAQueueDeletedBeforeRestartIsForeignAfter) {
  ASSERT_OK(Send("orders", "old"));
  ReceivedMessage old = ReceiveOne();
  ASSERT_OK(DeleteQueue("orders"));
  Restart();
  ASSERT_OK(Create("orders"));
  ASSERT_OK(Send("orders", "new"));
  ReceivedMessage fresh = ReceiveOne();
  EXPECT_NE(fresh.receipt_handle, old.receipt_handle);
  EXPECT_EQ(GetErrorKind(Delete("orders", old.receipt_handle)),
            ErrorKind::kReceiptHandleIsInvalid);
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "1");
}

TEST_F(BrokerRestartTest, HandleOfAMessageDeletedBeforeRestartDeletesNothing) {
  ASSERT_OK(Send("orders", "old"));
  ReceivedMessage old = ReceiveOne();
  ASSERT_OK(Delete("orders", old.receipt_handle));
  Restart();
  ASSERT_OK(Send("orders", "new"));
  ReceivedMessage fresh = ReceiveOne();
  EXPECT_NE(fresh.receipt_handle, old.receipt_handle);
  // Deleting the deleted message again is a no-op...
  EXPECT_OK(Delete("orders", old.receipt_handle));
  // ...that must not touch the new message.
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessagesNotVisible"), "1");
  EXPECT_EQ(GetErrorKind(ChangeVisibility("orders", old.receipt_handle, 0)),
            ErrorKind::kInvalidParameterValue);
}

TEST_F(BrokerRestartTest, IdsAndHandlesAreNeverRepeatedAcrossRestarts) {
  std::set<std::string> handles;
  std::set<std::string> message_ids;
  for (int round = 0; round < 4; ++round) {
    // Everything of the round is deleted again, queue included.
    ASSERT_OK(Create("churn"));
    for (int i = 0; i < 3; ++i) {
      absl::StatusOr<SendMessageResult> sent = Send("churn", "m");
      ASSERT_OK(sent);
      EXPECT_TRUE(message_ids.insert(sent->message_id).second);
      ReceivedMessage m = ReceiveOne("churn");
      EXPECT_TRUE(handles.insert(m.receipt_handle).second)
          << "round " << round << " repeated a receipt handle";
      ASSERT_OK(Delete("churn", m.receipt_handle));
    }
    ASSERT_OK(DeleteQueue("churn"));
    Restart();
  }
}

TEST_F(BrokerRestartTest, ParkedReceivesEndEmptyOnRestart) {
  Pending<ReceiveMessageResult> poll = StartLongPoll("orders", 20);
  Restart();
  ASSERT_TRUE(poll.ready());
  absl::StatusOr<ReceiveMessageResult> got = poll.Get();
  ASSERT_OK(got);
  EXPECT_THAT(got->messages, IsEmpty());
}

}  // namespace
}  // namespace cortado::testing
