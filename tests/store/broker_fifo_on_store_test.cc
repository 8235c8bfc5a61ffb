// FIFO exactness on every durable store (SQLite, PostgreSQL), with times that
// are not whole microseconds (the store keeps microseconds): a receive attempt
// replays after a restart, a FIFO dead-letter queue's restarted retention and a
// retroactive DelaySeconds come back as they were.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "server/core/broker.h"
#include "tests/core/broker_fixture.h"
#include "tests/store/broker_on_store_fixture.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace cortado::store {
namespace {

using cortado::testing::Pending;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class BrokerFifoOnStoreTest : public BrokerOnStoreTest {
 protected:
  // Sub-microsecond clock readings, as a real clock gives.
  BrokerFifoOnStoreTest()
      : BrokerOnStoreTest(
            absl::FromUnixNanos(int64_t{1767225600} * 1000000000 + 1234)) {}
  void Advance(absl::Duration d) {
    clock_.Advance(d);
    broker_->ProcessTimers();
  }
  absl::Status Create(const std::string& name, AttributeMap attributes) {
    Pending<QueueRecord> p;
    broker_->CreateQueue({name, std::move(attributes), {}}, p.callback());
    return p.Get().status();
  }
  absl::Status SetAttributes(const std::string& name, AttributeMap attributes) {
    Pending<Empty> p;
    broker_->SetQueueAttributes(name, std::move(attributes), p.callback());
    return p.Get().status();
  }
  absl::Status SendFifo(const std::string& queue, const std::string& body) {
    Pending<SendMessageResult> p;
    SendMessageEntry entry;
    entry.body = body;
    entry.message_group_id = "g";
    entry.message_deduplication_id = body;
    broker_->SendMessage(queue, std::move(entry), p.callback());
    return p.Get().status();
  }
  absl::StatusOr<ReceiveMessageResult> Receive(const std::string& queue,
                                               const std::string& attempt) {
    Pending<ReceiveMessageResult> p;
    ReceiveMessageRequest request;
    request.queue_name = queue;
    request.max_number_of_messages = 10;
    request.wait_time_seconds = 0;
    request.receive_request_attempt_id = attempt;
    broker_->ReceiveMessage(std::move(request), p.callback());
    return p.Get();
  }
  std::vector<std::string> Bodies(const std::string& queue) {
    std::vector<std::string> bodies;
    absl::StatusOr<ReceiveMessageResult> got = Receive(queue, "");
    EXPECT_OK(got);
    if (got.ok()) {
      for (const ReceivedMessage& m : got->messages) bodies.push_back(m.body);
    }
    return bodies;
  }
  std::string Count(const std::string& queue, const std::string& name) {
    absl::StatusOr<AttributeMap> attributes =
        broker_->GetQueueAttributes(queue, {name});
    return attributes.ok() ? (*attributes)[name] : "<error>";
  }
};

TEST_P(BrokerFifoOnStoreTest, AReceiveAttemptReplaysAfterARestart) {
  ASSERT_OK(Create("jobs.fifo",
                   {{"FifoQueue", "true"}, {"VisibilityTimeout", "30"}}));
  ASSERT_OK(SendFifo("jobs.fifo", "a1"));
  ASSERT_OK(SendFifo("jobs.fifo", "a2"));
  Advance(absl::Nanoseconds(777));
  absl::StatusOr<ReceiveMessageResult> first = Receive("jobs.fifo", "try-1");
  ASSERT_OK(first);
  ASSERT_EQ(first->messages.size(), 2u);
  Advance(absl::Seconds(3) + absl::Nanoseconds(5));
  Open();
  absl::StatusOr<ReceiveMessageResult> retry = Receive("jobs.fifo", "try-1");
  ASSERT_OK(retry);
  ASSERT_EQ(retry->messages.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(retry->messages[i].receipt_handle,
              first->messages[i].receipt_handle);
    EXPECT_EQ(retry->messages[i].body, first->messages[i].body);
  }
  // A second restart finds the deadlines the replay committed.
  Open();
  absl::StatusOr<ReceiveMessageResult> again = Receive("jobs.fifo", "try-1");
  ASSERT_OK(again);
  ASSERT_EQ(again->messages.size(), 2u);
  EXPECT_EQ(again->messages[0].receipt_handle,
            first->messages[0].receipt_handle);
}

TEST_P(BrokerFifoOnStoreTest, FifoDeadLetterRetentionRestartsAcrossARestart) {
  ASSERT_OK(Create("dlq.fifo",
                   {{"FifoQueue", "true"}, {"MessageRetentionPeriod", "60"}}));
  absl::StatusOr<AttributeMap> dlq =
      broker_->GetQueueAttributes("dlq.fifo", {"QueueArn"});
  ASSERT_OK(dlq);
  ASSERT_OK(Create("jobs.fifo", {{"FifoQueue", "true"},
                                 {"VisibilityTimeout", "30"},
                                 {"RedrivePolicy",
                                  absl::StrCat("{\"deadLetterTargetArn\":\"",
                                               (*dlq)["QueueArn"],
                                               "\",\"maxReceiveCount\":1}")}}));
  ASSERT_OK(SendFifo("jobs.fifo", "poison"));
  Advance(absl::Seconds(100));
  ASSERT_THAT(Bodies("jobs.fifo"), ElementsAre("poison"));
  Advance(absl::Seconds(30));
  ASSERT_THAT(Bodies("jobs.fifo"), IsEmpty());  // moved at send + 130 s
  ASSERT_EQ(Count("dlq.fifo", "ApproximateNumberOfMessages"), "1");
  Open();
  // Sent 189 s ago, moved 59 s ago: still kept; gone at 60 s after the move.
  Advance(absl::Seconds(59));
  EXPECT_EQ(Count("dlq.fifo", "ApproximateNumberOfMessages"), "1");
  Advance(absl::Seconds(1));
  EXPECT_EQ(Count("dlq.fifo", "ApproximateNumberOfMessages"), "0");
}

TEST_P(BrokerFifoOnStoreTest, ARetroactiveDelayComesBackAfterARestart) {
  ASSERT_OK(Create("jobs.fifo", {{"FifoQueue", "true"}}));
  ASSERT_OK(SendFifo("jobs.fifo", "a1"));
  Advance(absl::Seconds(10));
  ASSERT_OK(SetAttributes("jobs.fifo", {{"DelaySeconds", "60"}}));
  Open();
  EXPECT_EQ(Count("jobs.fifo", "ApproximateNumberOfMessagesDelayed"), "1");
  Advance(absl::Seconds(49));
  EXPECT_THAT(Bodies("jobs.fifo"), IsEmpty());
  Advance(absl::Seconds(1));
  EXPECT_THAT(Bodies("jobs.fifo"), ElementsAre("a1"));
}

INSTANTIATE_TEST_SUITE_P(DurableStores, BrokerFifoOnStoreTest,
                         ::testing::ValuesIn(DurableStoreFactories()),
                         StoreName);

}  // namespace
}  // namespace cortado::store
