// A failed commit: the caller gets StoreFailed, the broker refuses every
// later write and read (nobody may see memory the store does not have), and a
// restart (or Broker::Recover in place) recovers exactly what was committed.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr ErrorKind kFailed = ErrorKind::kStoreFailed;

class BrokerStoreFailureTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    ASSERT_OK(Create("orders"));
  }
  std::vector<std::string> ReceiveBodies(const std::string& queue) {
    std::vector<std::string> bodies;
    absl::StatusOr<ReceiveMessageResult> got = Receive(queue, 10);
    EXPECT_OK(got);
    if (got.ok()) {
      for (const ReceivedMessage& m : got->messages) bodies.push_back(m.body);
    }
    return bodies;
  }
};

TEST_F(BrokerStoreFailureTest, SendWhoseCommitFailsIsStoreFailed) {
  ASSERT_OK(Send("orders", "committed"));
  store_.FailNextCommits(1);
  absl::StatusOr<SendMessageResult> sent = Send("orders", "lost");
  EXPECT_EQ(GetErrorKind(sent.status()), kFailed) << sent.status();
  EXPECT_TRUE(broker_->Stats().failed);
  EXPECT_FALSE(broker_->Stats().failure.empty());
}

TEST_F(BrokerStoreFailureTest, EveryLaterWriteIsRefused) {
  ASSERT_OK(Send("orders", "committed"));
  store_.FailNextCommits(1);
  ASSERT_EQ(GetErrorKind(Send("orders", "lost").status()), kFailed);
  // The store works again, but the broker stays failed until a restart.
  EXPECT_EQ(GetErrorKind(Send("orders", "later").status()), kFailed);
  EXPECT_EQ(GetErrorKind(Receive("orders").status()), kFailed);
  EXPECT_EQ(GetErrorKind(Create("new").status()), kFailed);
  EXPECT_EQ(GetErrorKind(DeleteQueue("orders")), kFailed);
  EXPECT_EQ(GetErrorKind(Purge("orders")), kFailed);
  EXPECT_EQ(GetErrorKind(SetAttributes("orders", {{"DelaySeconds", "1"}})),
            kFailed);
  EXPECT_EQ(GetErrorKind(Tag("orders", {{"k", "v"}})), kFailed);
  EXPECT_EQ(GetErrorKind(SendBatch("orders", {Entry("x", "a")}).status()),
            kFailed);
  EXPECT_EQ(GetErrorKind(Delete("orders", "garbage")), kFailed);
  EXPECT_EQ(GetErrorKind(ChangeVisibility("orders", "garbage", 0)), kFailed);
}

TEST_F(BrokerStoreFailureTest, ReadsAreRefusedToo) {
  store_.FailNextCommits(1);
  ASSERT_EQ(GetErrorKind(Send("orders", "lost").status()), kFailed);
  EXPECT_EQ(GetErrorKind(broker_->GetQueue("orders")), kFailed);
  EXPECT_EQ(GetErrorKind(broker_->ListQueues({}).status()), kFailed);
  EXPECT_EQ(
      GetErrorKind(broker_->GetQueueAttributes("orders", {"All"}).status()),
      kFailed);
  EXPECT_EQ(GetErrorKind(broker_->ListQueueTags("orders").status()), kFailed);
}

TEST_F(BrokerStoreFailureTest, RestartRecoversOnlyWhatWasCommitted) {
  ASSERT_OK(Send("orders", "first"));
  ASSERT_OK(Send("orders", "second"));
  store_.FailNextCommits(1);
  ASSERT_EQ(GetErrorKind(Send("orders", "lost").status()), kFailed);
  Restart();
  EXPECT_THAT(ReceiveBodies("orders"), ElementsAre("first", "second"));
  ASSERT_OK(Send("orders", "after restart"));
  Advance(absl::Seconds(30));
  EXPECT_THAT(ReceiveBodies("orders"),
              ElementsAre("first", "second", "after restart"));
}

TEST_F(BrokerStoreFailureTest, RecoverReloadsInPlaceOnlyWhatWasCommitted) {
  ASSERT_OK(Send("orders", "first"));
  ASSERT_OK(Send("orders", "held"));
  ASSERT_OK(Create("other"));
  // "held" in flight for 30 s: still hidden after the reload.
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders", 1);
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  ASSERT_OK(ChangeVisibility("orders", got->messages[0].receipt_handle, 30));
  const std::string held = got->messages[0].body;
  store_.FailNextCommits(1);
  ASSERT_EQ(GetErrorKind(Send("orders", "lost").status()), kFailed);
  ASSERT_TRUE(broker_->Stats().failed);

  ASSERT_OK(broker_->Recover());
  EXPECT_FALSE(broker_->Stats().failed);
  EXPECT_OK(broker_->GetQueue("other"));
  const std::string visible = held == "first" ? "held" : "first";
  EXPECT_THAT(ReceiveBodies("orders"), ElementsAre(visible));
  ASSERT_OK(Send("orders", "after recovery"));
  Advance(absl::Seconds(31));
  EXPECT_THAT(ReceiveBodies("orders"),
              UnorderedElementsAre(held, visible, "after recovery"));
}

TEST_F(BrokerStoreFailureTest, RecoverOfAHealthyBrokerChangesNothing) {
  ASSERT_OK(Send("orders", "kept"));
  ASSERT_OK(broker_->Recover());
  EXPECT_THAT(ReceiveBodies("orders"), ElementsAre("kept"));
}

TEST_F(BrokerStoreFailureTest, FailedCreateLeavesNoQueueAfterRestart) {
  store_.FailNextCommits(1);
  ASSERT_EQ(GetErrorKind(Create("lost").status()), kFailed);
  Restart();
  EXPECT_EQ(GetErrorKind(broker_->GetQueue("lost")),
            ErrorKind::kQueueDoesNotExist);
  EXPECT_OK(broker_->GetQueue("orders"));
}

TEST_F(BrokerStoreFailureTest, FailedDeleteLeavesTheMessageAfterRestart) {
  ASSERT_OK(Send("orders", "kept"));
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  store_.FailNextCommits(1);
  EXPECT_EQ(GetErrorKind(Delete("orders", got->messages[0].receipt_handle)),
            kFailed);
  Restart();
  Advance(absl::Seconds(30));
  EXPECT_THAT(ReceiveBodies("orders"), ElementsAre("kept"));
}

TEST_F(BrokerStoreFailureTest, FailedReceiveDoesNotCountAfterRestart) {
  ASSERT_OK(Send("orders", "m"));
  store_.FailNextCommits(1);
  EXPECT_EQ(GetErrorKind(Receive("orders").status()), kFailed);
  Restart();
  // The receive that failed never happened: visible now, first receive.
  absl::StatusOr<ReceiveMessageResult> got = Receive("orders");
  ASSERT_OK(got);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].attributes.at("ApproximateReceiveCount"), "1");
}

TEST_F(BrokerStoreFailureTest, FailedDeleteQueueKeepsTheQueueAfterRestart) {
  ASSERT_OK(Send("orders", "kept"));
  store_.FailNextCommits(1);
  EXPECT_EQ(GetErrorKind(DeleteQueue("orders")), kFailed);
  Restart();
  EXPECT_THAT(ReceiveBodies("orders"), ElementsAre("kept"));
}

TEST_F(BrokerStoreFailureTest, StoreFailureIsReported) {
  int reported = 0;
  absl::Status failure;
  options_.on_store_failure = [&](const absl::Status& status) {
    ++reported;
    failure = status;
  };
  Restart();
  store_.FailNextCommits(1);
  ASSERT_EQ(GetErrorKind(Send("orders", "lost").status()), kFailed);
  ASSERT_EQ(GetErrorKind(Send("orders", "later").status()), kFailed);
  EXPECT_EQ(reported, 1);
  EXPECT_EQ(GetErrorKind(failure), kFailed);
}

TEST_F(BrokerStoreFailureTest, TimersStopAfterAFailure) {
  ASSERT_OK(Send("orders", "m"));
  ASSERT_OK(Receive("orders"));
  store_.FailNextCommits(1);
  ASSERT_EQ(GetErrorKind(Send("orders", "lost").status()), kFailed);
  Advance(absl::Seconds(30));  // must not crash or apply anything
  Restart();
  EXPECT_THAT(ReceiveBodies("orders"), ElementsAre("m"));
}

// A long poll parked before the failure must still be answered: the
// Callback contract is "called exactly once".
TEST_F(BrokerStoreFailureTest, ParkedReceiveIsAnsweredAfterTheStoreFails) {
  ASSERT_OK(Create("other"));
  Pending<ReceiveMessageResult> poll = StartLongPoll("orders", 5);
  ASSERT_FALSE(poll.ready());
  store_.FailNextCommits(1);
  ASSERT_EQ(GetErrorKind(Send("other", "lost").status()), kFailed);
  Advance(absl::Seconds(5));
  broker_.reset();  // shutdown answers whatever is still parked
  ASSERT_TRUE(poll.ready()) << "the parked receive was never answered";
  absl::StatusOr<ReceiveMessageResult> got = poll.Get();
  if (got.ok()) {
    EXPECT_THAT(got->messages, IsEmpty());
  } else {
    EXPECT_EQ(GetErrorKind(got.status()), kFailed) << got.status();
  }
}

}  // namespace
}  // namespace cortado::testing
