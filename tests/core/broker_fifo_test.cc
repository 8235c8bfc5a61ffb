// FIFO queues: sends (group and deduplication ids, the 5-minute window,
// sequence numbers), strict order within a group, group blocking, the FIFO
// stale-handle rule, and what survives a restart. Receive attempts and
// dead-letter moves of FIFO queues are in broker_fifo_receive_test.cc.
#include <map>
#include <set>

#include "gmock/gmock.h"
#include "server/core/errors.h"
#include "server/core/fifo.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class BrokerFifoTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    ASSERT_OK(Create("jobs.fifo",
                     {{"FifoQueue", "true"}, {"VisibilityTimeout", "30"}}));
  }
  absl::StatusOr<SendMessageResult> SendTo(const std::string& queue,
                                           const std::string& body,
                                           const std::string& group,
                                           const std::string& dedup) {
    SendMessageEntry entry = Entry(body);
    entry.message_group_id = group;
    entry.message_deduplication_id = dedup;
    return Send(queue, std::move(entry));
  }
  absl::StatusOr<SendMessageResult> SendFifo(const std::string& body,
                                             const std::string& group) {
    return SendTo("jobs.fifo", body, group, body);
  }
  std::vector<std::string> Bodies(const ReceiveMessageResult& result) {
    std::vector<std::string> bodies;
    for (const ReceivedMessage& m : result.messages) bodies.push_back(m.body);
    return bodies;
  }
  std::vector<std::string> ReceiveBodies(int max) {
    absl::StatusOr<ReceiveMessageResult> got = Receive("jobs.fifo", max);
    if (!got.ok()) return {"<" + got.status().ToString() + ">"};
    return Bodies(*got);
  }
};

TEST_F(BrokerFifoTest, QueueReportsItsFifoAttributes) {
  AttributeMap all = AllAttributes("jobs.fifo");
  EXPECT_EQ(all["FifoQueue"], "true");
  EXPECT_EQ(all["ContentBasedDeduplication"], "false");
  EXPECT_EQ(all["DeduplicationScope"], "queue");
  EXPECT_EQ(all["FifoThroughputLimit"], "perQueue");
}

TEST_F(BrokerFifoTest, SendNeedsAGroupId) {
  absl::StatusOr<SendMessageResult> sent = SendTo("jobs.fifo", "a", "", "d");
  EXPECT_EQ(GetErrorKind(sent.status()), ErrorKind::kMissingParameter);
  EXPECT_THAT(sent.status().message(),
              HasSubstr("must contain the parameter MessageGroupId"));
}

TEST_F(BrokerFifoTest, SendNeedsADedupIdUnlessContentBased) {
  absl::StatusOr<SendMessageResult> sent = SendTo("jobs.fifo", "a", "g", "");
  EXPECT_EQ(GetErrorKind(sent.status()), ErrorKind::kInvalidParameterValue);
  EXPECT_THAT(sent.status().message(),
              HasSubstr("either have ContentBasedDeduplication enabled"));
}

TEST_F(BrokerFifoTest, RejectsBadIdsAndPerMessageDelay) {
  EXPECT_EQ(GetErrorKind(SendTo("jobs.fifo", "a", "group 1", "d").status()),
            ErrorKind::kInvalidParameterValue);
  EXPECT_EQ(GetErrorKind(
                SendTo("jobs.fifo", "a", "g", std::string(129, 'd')).status()),
            ErrorKind::kInvalidParameterValue);
  SendMessageEntry delayed = Entry("a");
  delayed.message_group_id = "g";
  delayed.message_deduplication_id = "d";
  delayed.delay_seconds = 2;
  absl::StatusOr<SendMessageResult> sent = Send("jobs.fifo", delayed);
  EXPECT_EQ(GetErrorKind(sent.status()), ErrorKind::kInvalidParameterValue);
  EXPECT_THAT(sent.status().message(), HasSubstr("not valid for this queue"));
  delayed.delay_seconds = 0;  // an explicit zero is fine
  EXPECT_OK(Send("jobs.fifo", delayed));
}

TEST_F(BrokerFifoTest, SequenceNumbersAreTwentyDigitsAndIncrease) {
  std::string last;
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<SendMessageResult> sent =
        SendFifo(absl::StrCat("m", i), absl::StrCat("g", i % 2));
    ASSERT_OK(sent);
    EXPECT_EQ(sent->sequence_number.size(), 20u) << sent->sequence_number;
    EXPECT_GT(sent->sequence_number, last);
    last = sent->sequence_number;
  }
  absl::StatusOr<ReceiveMessageResult> got = Receive("jobs.fifo", 1);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].attributes.at("MessageGroupId"), "g0");
  EXPECT_EQ(got->messages[0].attributes.at("MessageDeduplicationId"), "m0");
  EXPECT_EQ(got->messages[0].attributes.at("SequenceNumber").size(), 20u);
}

TEST_F(BrokerFifoTest, SequenceNumberFormat) {
  EXPECT_EQ(FifoSequenceNumber(0), "10000000000000000000");
  EXPECT_EQ(FifoSequenceNumber(42), "10000000000000000042");
  EXPECT_EQ(FifoSequenceNumber(UINT64_MAX), "28446744073709551615");
}

TEST_F(BrokerFifoTest, DuplicateWithinFiveMinutesGetsTheOriginalId) {
  absl::StatusOr<SendMessageResult> first = SendTo("jobs.fifo", "a", "g", "d");
  ASSERT_OK(first);
  Advance(absl::Minutes(5) - absl::Milliseconds(1));
  absl::StatusOr<SendMessageResult> again =
      SendTo("jobs.fifo", "other body", "g", "d");
  ASSERT_OK(again);
  EXPECT_EQ(again->message_id, first->message_id);
  EXPECT_EQ(again->sequence_number, first->sequence_number);
  EXPECT_EQ(again->md5_of_message_body, Md5Hex("other body"));
  EXPECT_EQ(Attribute("jobs.fifo", "ApproximateNumberOfMessages"), "1");
}

TEST_F(BrokerFifoTest, WindowEndsAtExactlyFiveMinutes) {
  absl::StatusOr<SendMessageResult> first = SendTo("jobs.fifo", "a", "g", "d");
  ASSERT_OK(first);
  Advance(absl::Minutes(5));
  absl::StatusOr<SendMessageResult> later = SendTo("jobs.fifo", "a", "g", "d");
  ASSERT_OK(later);
  EXPECT_NE(later->message_id, first->message_id);
  EXPECT_EQ(Attribute("jobs.fifo", "ApproximateNumberOfMessages"), "2");
}

TEST_F(BrokerFifoTest, DeduplicationContinuesAfterDelete) {
  absl::StatusOr<SendMessageResult> first = SendTo("jobs.fifo", "a", "g", "d");
  ASSERT_OK(first);
  absl::StatusOr<ReceiveMessageResult> got = Receive("jobs.fifo", 1);
  ASSERT_OK(got);
  ASSERT_OK(Delete("jobs.fifo", got->messages[0].receipt_handle));
  absl::StatusOr<SendMessageResult> again = SendTo("jobs.fifo", "a", "g", "d");
  ASSERT_OK(again);
  EXPECT_EQ(again->message_id, first->message_id);
  EXPECT_EQ(Attribute("jobs.fifo", "ApproximateNumberOfMessages"), "0");
}

TEST_F(BrokerFifoTest, ContentBasedDeduplicationHashesTheBody) {
  ASSERT_OK(Create("cbd.fifo", {{"FifoQueue", "true"},
                                {"ContentBasedDeduplication", "true"}}));
  absl::StatusOr<SendMessageResult> a = SendTo("cbd.fifo", "same", "g1", "");
  absl::StatusOr<SendMessageResult> b = SendTo("cbd.fifo", "same", "g2", "");
  absl::StatusOr<SendMessageResult> c = SendTo("cbd.fifo", "same", "g1", "x");
  ASSERT_OK(a);
  ASSERT_OK(b);
  ASSERT_OK(c);
  EXPECT_EQ(a->message_id, b->message_id);  // scope is the queue
  EXPECT_NE(a->message_id, c->message_id);  // an explicit id overrides
  absl::StatusOr<ReceiveMessageResult> got = Receive("cbd.fifo", 10);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 2u);
  EXPECT_EQ(got->messages[0].attributes.at("MessageDeduplicationId"),
            Sha256Hex("same"));
}

TEST_F(BrokerFifoTest, MessageGroupScopeDeduplicatesPerGroup) {
  ASSERT_OK(Create("hi.fifo", {{"FifoQueue", "true"},
                               {"DeduplicationScope", "messageGroup"},
                               {"FifoThroughputLimit", "perMessageGroupId"}}));
  absl::StatusOr<SendMessageResult> a = SendTo("hi.fifo", "a", "g1", "d");
  absl::StatusOr<SendMessageResult> b = SendTo("hi.fifo", "b", "g2", "d");
  absl::StatusOr<SendMessageResult> c = SendTo("hi.fifo", "c", "g1", "d");
  ASSERT_OK(a);
  ASSERT_OK(b);
  ASSERT_OK(c);
  EXPECT_NE(a->message_id, b->message_id);
  EXPECT_EQ(a->message_id, c->message_id);
}

TEST_F(BrokerFifoTest, OneReceiveTakesAGroupInOrder) {
  for (const char* body : {"a1", "a2", "a3"}) ASSERT_OK(SendFifo(body, "a"));
  EXPECT_THAT(ReceiveBodies(10), ElementsAre("a1", "a2", "a3"));
}

TEST_F(BrokerFifoTest, AGroupIsBlockedWhileAMessageIsInFlight) {
  ASSERT_OK(SendFifo("a1", "a"));
  ASSERT_OK(SendFifo("a2", "a"));
  ASSERT_OK(SendFifo("b1", "b"));
  absl::StatusOr<ReceiveMessageResult> first = Receive("jobs.fifo", 1);
  ASSERT_OK(first);
  EXPECT_THAT(Bodies(*first), ElementsAre("a1"));
  // a2 waits for a1; group b is independent.
  EXPECT_THAT(ReceiveBodies(10), ElementsAre("b1"));
  EXPECT_THAT(ReceiveBodies(10), ElementsAre());
  ASSERT_OK(Delete("jobs.fifo", first->messages[0].receipt_handle));
  EXPECT_THAT(ReceiveBodies(10), ElementsAre("a2"));
}

TEST_F(BrokerFifoTest, ExpiredMessageIsRedeliveredBeforeLaterOnes) {
  ASSERT_OK(SendFifo("a1", "a"));
  ASSERT_OK(SendFifo("a2", "a"));
  EXPECT_THAT(ReceiveBodies(1), ElementsAre("a1"));
  Advance(absl::Seconds(30));
  EXPECT_THAT(ReceiveBodies(10), ElementsAre("a1", "a2"));
}

TEST_F(BrokerFifoTest, VisibilityZeroUnblocksTheGroupAtOnce) {
  ASSERT_OK(SendFifo("a1", "a"));
  ASSERT_OK(SendFifo("a2", "a"));
  absl::StatusOr<ReceiveMessageResult> got = Receive("jobs.fifo", 1);
  ASSERT_OK(got);
  ASSERT_OK(ChangeVisibility("jobs.fifo", got->messages[0].receipt_handle, 0));
  EXPECT_THAT(ReceiveBodies(10), ElementsAre("a1", "a2"));
}

TEST_F(BrokerFifoTest, HundredInterleavedGroupsKeepTheirOrder) {
  constexpr int kGroups = 100;
  constexpr int kPerGroup = 10;
  for (int i = 0; i < kPerGroup; ++i) {
    for (int g = 0; g < kGroups; ++g) {
      ASSERT_OK(SendFifo(absl::StrCat(g, ":", i), absl::StrCat("g", g)));
    }
  }
  // group -> index of its oldest message not yet deleted.
  std::map<std::string, int> next;
  int deleted = 0;
  for (int round = 1; deleted < kGroups * kPerGroup; ++round) {
    ASSERT_LT(round, 1000) << "receives stopped making progress";
    absl::StatusOr<ReceiveMessageResult> got = Receive("jobs.fifo", 10);
    ASSERT_OK(got);
    ASSERT_FALSE(got->messages.empty());
    std::map<std::string, int> run;  // group -> messages of it in this batch
    for (const ReceivedMessage& m : got->messages) {
      const std::string group = m.attributes.at("MessageGroupId");
      const int index = std::stoi(m.body.substr(m.body.find(':') + 1));
      EXPECT_EQ(index, next[group] + run[group]) << group << " out of order";
      ++run[group];
    }
    if (round % 2 == 1) {
      for (const ReceivedMessage& m : got->messages) {
        ASSERT_OK(Delete("jobs.fifo", m.receipt_handle));
        ++next[m.attributes.at("MessageGroupId")];
        ++deleted;
      }
      continue;
    }
    // Leave this batch in flight: its groups are blocked until it expires,
    // then redelivered from the same message.
    absl::StatusOr<ReceiveMessageResult> others = Receive("jobs.fifo", 10);
    ASSERT_OK(others);
    for (const ReceivedMessage& m : others->messages) {
      EXPECT_FALSE(run.contains(m.attributes.at("MessageGroupId")))
          << "a blocked group was delivered";
      ASSERT_OK(ChangeVisibility("jobs.fifo", m.receipt_handle, 0));
    }
    Advance(absl::Seconds(30));
  }
  EXPECT_EQ(Attribute("jobs.fifo", "ApproximateNumberOfMessages"), "0");
  EXPECT_EQ(Attribute("jobs.fifo", "ApproximateNumberOfMessagesNotVisible"),
            "0");
  for (int g = 0; g < kGroups; ++g) {
    EXPECT_EQ(next[absl::StrCat("g", g)], kPerGroup);
  }
}

TEST_F(BrokerFifoTest, StaleHandleHasExpired) {
  ASSERT_OK(SendFifo("a1", "a"));
  absl::StatusOr<ReceiveMessageResult> got = Receive("jobs.fifo", 1);
  ASSERT_OK(got);
  const std::string old = got->messages[0].receipt_handle;
  Advance(absl::Seconds(30));
  absl::Status deleted = Delete("jobs.fifo", old);
  EXPECT_EQ(GetErrorKind(deleted), ErrorKind::kInvalidParameterValue);
  EXPECT_THAT(deleted.message(), HasSubstr("The receipt handle has expired."));
  EXPECT_EQ(GetErrorKind(ChangeVisibility("jobs.fifo", old, 10)),
            ErrorKind::kInvalidParameterValue);
  // After a new receive the old handle is still expired; the new one works.
  absl::StatusOr<ReceiveMessageResult> again = Receive("jobs.fifo", 1);
  ASSERT_OK(again);
  EXPECT_EQ(GetErrorKind(Delete("jobs.fifo", old)),
            ErrorKind::kInvalidParameterValue);
  EXPECT_OK(Delete("jobs.fifo", again->messages[0].receipt_handle));
  EXPECT_OK(Delete("jobs.fifo", again->messages[0].receipt_handle));
}

TEST_F(BrokerFifoTest, DeletingUnblocksAParkedLongPoll) {
  ASSERT_OK(SendFifo("a1", "a"));
  ASSERT_OK(SendFifo("a2", "a"));
  absl::StatusOr<ReceiveMessageResult> got = Receive("jobs.fifo", 1);
  ASSERT_OK(got);
  Pending<ReceiveMessageResult> parked = StartLongPoll("jobs.fifo", 20);
  EXPECT_FALSE(parked.ready());
  ASSERT_OK(Delete("jobs.fifo", got->messages[0].receipt_handle));
  absl::StatusOr<ReceiveMessageResult> woken = parked.Get();
  ASSERT_OK(woken);
  EXPECT_THAT(Bodies(*woken), ElementsAre("a2"));
}

TEST_F(BrokerFifoTest, BatchWithoutGroupIdFailsAsAWhole) {
  SendMessageEntry good = Entry("a", "e1");
  good.message_group_id = "g";
  good.message_deduplication_id = "d1";
  SendMessageEntry bad = Entry("b", "e2");
  bad.message_deduplication_id = "d2";
  absl::StatusOr<SendMessageBatchResult> result =
      SendBatch("jobs.fifo", {good, bad});
  EXPECT_EQ(GetErrorKind(result.status()), ErrorKind::kInvalidParameterValue);
  EXPECT_EQ(Attribute("jobs.fifo", "ApproximateNumberOfMessages"), "0");
}

TEST_F(BrokerFifoTest, BatchDeduplicatesWithinItselfAndKeepsOrder) {
  std::vector<SendMessageEntry> entries;
  for (const char* id : {"e1", "e2", "e3"}) {
    SendMessageEntry entry = Entry(absl::StrCat("body-", id), id);
    entry.message_group_id = "g";
    entry.message_deduplication_id = std::string(id) == "e3" ? "e1" : id;
    entries.push_back(entry);
  }
  absl::StatusOr<SendMessageBatchResult> result =
      SendBatch("jobs.fifo", entries);
  ASSERT_OK(result);
  ASSERT_EQ(result->successful.size(), 3u);
  EXPECT_EQ(result->successful[2].message_id, result->successful[0].message_id);
  EXPECT_LT(result->successful[0].sequence_number,
            result->successful[1].sequence_number);
  EXPECT_THAT(ReceiveBodies(10), ElementsAre("body-e1", "body-e2"));
}

TEST_F(BrokerFifoTest, StandardQueuesAcceptGroupIdsAsFairQueues) {
  ASSERT_OK(Create("plain"));
  absl::StatusOr<SendMessageResult> sent = SendTo("plain", "a", "tenant-1", "");
  ASSERT_OK(sent);
  EXPECT_TRUE(sent->sequence_number.empty());
  absl::StatusOr<ReceiveMessageResult> got = Receive("plain", 1);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].attributes.at("MessageGroupId"), "tenant-1");
  EXPECT_FALSE(got->messages[0].attributes.contains("SequenceNumber"));
  EXPECT_EQ(GetErrorKind(SendTo("plain", "a", "g", "d").status()),
            ErrorKind::kInvalidParameterValue);
}

TEST_F(BrokerFifoTest, DeduplicationWindowSurvivesARestart) {
  absl::StatusOr<SendMessageResult> first = SendTo("jobs.fifo", "a", "g", "d");
  ASSERT_OK(first);
  Restart();
  Advance(absl::Minutes(4));
  absl::StatusOr<SendMessageResult> again = SendTo("jobs.fifo", "a", "g", "d");
  ASSERT_OK(again);
  EXPECT_EQ(again->message_id, first->message_id);
  EXPECT_EQ(again->sequence_number, first->sequence_number);
  Advance(absl::Minutes(1));  // the window ends; the expiry is persisted
  Restart();
  absl::StatusOr<SendMessageResult> later = SendTo("jobs.fifo", "a", "g", "d");
  ASSERT_OK(later);
  EXPECT_NE(later->message_id, first->message_id);
  EXPECT_GT(later->sequence_number, first->sequence_number);
}

TEST_F(BrokerFifoTest, GroupBlockingSurvivesARestart) {
  ASSERT_OK(SendFifo("a1", "a"));
  ASSERT_OK(SendFifo("a2", "a"));
  EXPECT_THAT(ReceiveBodies(1), ElementsAre("a1"));
  Restart();
  EXPECT_THAT(ReceiveBodies(10), ElementsAre());
  Advance(absl::Seconds(30));
  EXPECT_THAT(ReceiveBodies(10), ElementsAre("a1", "a2"));
}

TEST_F(BrokerFifoTest, DeletingTheQueueForgetsItsWindow) {
  ASSERT_OK(SendTo("jobs.fifo", "a", "g", "d"));
  ASSERT_OK(DeleteQueue("jobs.fifo"));
  ASSERT_OK(Create("jobs.fifo", {{"FifoQueue", "true"}}));
  ASSERT_OK(SendTo("jobs.fifo", "a", "g", "d"));
  EXPECT_EQ(Attribute("jobs.fifo", "ApproximateNumberOfMessages"), "1");
}

}  // namespace
}  // namespace cortado::testing
