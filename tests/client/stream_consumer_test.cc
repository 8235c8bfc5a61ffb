// libcortado's StreamConsumer over the Queues/Consume stream, against an
// in-process server on 127.0.0.1:0: push delivery without polling, the
// window, acks that delete, nacks that redeliver, release on disconnect,
// FIFO order, and bad starts failing with the broker's error.
#include "cortado/stream_consumer.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cortado/errors.h"
#include "gtest/gtest.h"
#include "tests/client/broker_fixture.h"
#include "tests/testing/poll.h"

namespace cortado::client {
namespace {

using ::cortado::testing::PollUntil;

class StreamConsumerTest : public BrokerTest {
 protected:
  std::unique_ptr<StreamConsumer> Consume(const std::string& queue,
                                          int window) {
    StreamConsumerOptions options;
    options.queue = queue;
    options.window = window;
    absl::StatusOr<std::unique_ptr<StreamConsumer>> consumer =
        StreamConsumer::Open(client_.get(), options);
    EXPECT_OK(consumer);
    return consumer.ok() ? *std::move(consumer) : nullptr;
  }

  // Exactly `count` messages, failing the test if they do not come in 10 s.
  std::vector<Message> Take(StreamConsumer& consumer, size_t count) {
    std::vector<Message> out;
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (out.size() < count && absl::Now() < deadline) {
      absl::StatusOr<std::vector<Message>> got =
          consumer.Next(count - out.size(), absl::Seconds(1));
      EXPECT_OK(got);
      if (!got.ok()) break;
      for (Message& message : *got) out.push_back(std::move(message));
    }
    EXPECT_EQ(out.size(), count);
    return out;
  }

  uint64_t ParkedReceives() {
    return server_->broker().Stats().parked_receives;
  }
};

// Each send reaches the consumer through the receive parked in the broker:
// one parked receive while idle (nobody polls), delivery within ms.
TEST_F(StreamConsumerTest, PushesEachSendWithoutPolling) {
  CreateQueue("pushed");
  std::unique_ptr<StreamConsumer> consumer = Consume("pushed", 10);
  ASSERT_NE(consumer, nullptr);
  ASSERT_TRUE(PollUntil([&] { return ParkedReceives() == 1; }))
      << ParkedReceives();
  constexpr int kMessages = 30;
  std::vector<absl::Duration> latencies;
  for (int i = 0; i < kMessages; ++i) {
    const absl::Time start = absl::Now();
    ASSERT_OK(client_->SendMessage("pushed", absl::StrCat("m", i)));
    std::vector<Message> got = Take(*consumer, 1);
    ASSERT_EQ(got.size(), 1u);
    latencies.push_back(absl::Now() - start);
    EXPECT_EQ(got[0].body, absl::StrCat("m", i));
    EXPECT_EQ(got[0].receive_count(), 1);
    ASSERT_OK(consumer->Ack(got[0]));
  }
  std::sort(latencies.begin(), latencies.end());
  std::cout << "send->push latency: median " << latencies[kMessages / 2]
            << ", max " << latencies.back() << "\n";
  EXPECT_LT(latencies[kMessages / 2], absl::Milliseconds(250));
  ASSERT_TRUE(PollUntil([&] { return Counts("pushed") == "0/0"; }))
      << Counts("pushed");
  EXPECT_EQ(ParkedReceives(), 1u);
}

TEST_F(StreamConsumerTest, WindowBoundsUnackedMessagesAndAcksDelete) {
  CreateQueue("windowed");
  for (int i = 0; i < 8; ++i) {
    ASSERT_OK(client_->SendMessage("windowed", absl::StrCat("w", i)));
  }
  std::unique_ptr<StreamConsumer> consumer = Consume("windowed", 3);
  ASSERT_NE(consumer, nullptr);
  std::vector<Message> first = Take(*consumer, 3);
  ASSERT_EQ(first.size(), 3u);
  ASSERT_TRUE(PollUntil([&] { return Counts("windowed") == "5/3"; }))
      << Counts("windowed");
  absl::StatusOr<std::vector<Message>> extra =
      consumer->Next(10, absl::Milliseconds(200));
  ASSERT_OK(extra);
  EXPECT_TRUE(extra->empty());
  // Two acks (one request) delete two messages and let two more through.
  ASSERT_OK(consumer->Ack(std::vector<std::string>{first[0].receipt_handle,
                                                   first[1].receipt_handle}));
  std::vector<Message> next = Take(*consumer, 2);
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0].body, "w3");
  EXPECT_EQ(next[1].body, "w4");
  ASSERT_TRUE(PollUntil([&] { return Counts("windowed") == "3/3"; }))
      << Counts("windowed");
  // A credit widens the window.
  ASSERT_OK(consumer->Grant(2));
  std::vector<Message> more = Take(*consumer, 2);
  ASSERT_EQ(more.size(), 2u);
  EXPECT_EQ(more[0].body, "w5");
  ASSERT_TRUE(PollUntil([&] { return Counts("windowed") == "1/5"; }))
      << Counts("windowed");
}

TEST_F(StreamConsumerTest, NackRedeliversAtOnceOrAfterItsTimeout) {
  CreateQueue("nacked");
  ASSERT_OK(client_->SendMessage("nacked", "again"));
  std::unique_ptr<StreamConsumer> consumer = Consume("nacked", 1);
  ASSERT_NE(consumer, nullptr);
  std::vector<Message> first = Take(*consumer, 1);
  ASSERT_EQ(first.size(), 1u);
  ASSERT_OK(consumer->Nack({first[0].receipt_handle}, absl::ZeroDuration()));
  std::vector<Message> second = Take(*consumer, 1);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].message_id, first[0].message_id);
  EXPECT_EQ(second[0].receive_count(), 2);
  // A nack with a timeout keeps it invisible meanwhile, and frees the slot.
  ASSERT_OK(consumer->Nack({second[0].receipt_handle}, absl::Seconds(3)));
  ASSERT_OK(client_->SendMessage("nacked", "other"));
  std::vector<Message> third = Take(*consumer, 1);
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].body, "other");
  ASSERT_OK(consumer->Ack(third[0]));
  std::vector<Message> fourth = Take(*consumer, 1);
  ASSERT_EQ(fourth.size(), 1u);
  EXPECT_EQ(fourth[0].body, "again");
  EXPECT_EQ(fourth[0].receive_count(), 3);
}

// Closing the stream makes the unacked messages visible again at once, not
// after their (here one hour) visibility timeout.
TEST_F(StreamConsumerTest, ClosedStreamReleasesUnackedMessagesAtOnce) {
  CreateQueue("released", {{"VisibilityTimeout", "3600"}});
  for (const char* body : {"acked", "not acked"}) {
    ASSERT_OK(client_->SendMessage("released", body));
  }
  {
    std::unique_ptr<StreamConsumer> consumer = Consume("released", 10);
    ASSERT_NE(consumer, nullptr);
    std::vector<Message> got = Take(*consumer, 2);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].body, "acked");
    ASSERT_OK(consumer->Ack(got[0]));
    ASSERT_TRUE(PollUntil([&] { return Counts("released") == "0/1"; }))
        << Counts("released");
    consumer->Close();
    absl::StatusOr<std::vector<Message>> after =
        consumer->Next(1, absl::Seconds(10));
    EXPECT_TRUE(absl::IsCancelled(after.status())) << after.status();
  }
  ASSERT_TRUE(PollUntil([&] { return Counts("released") == "1/0"; }))
      << Counts("released");
  std::unique_ptr<StreamConsumer> again = Consume("released", 10);
  ASSERT_NE(again, nullptr);
  std::vector<Message> redelivered = Take(*again, 1);
  ASSERT_EQ(redelivered.size(), 1u);
  EXPECT_EQ(redelivered[0].body, "not acked");
  EXPECT_EQ(redelivered[0].receive_count(), 2);
}

TEST_F(StreamConsumerTest, FifoQueueDeliversEachGroupInOrder) {
  CreateQueue("orders.fifo",
              {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}});
  for (int i = 0; i < 20; ++i) {
    SendOptions options;
    options.group_id = absl::StrCat("g", i % 2);
    ASSERT_OK(
        client_->SendMessage("orders.fifo", absl::StrCat("m", i), options));
  }
  std::unique_ptr<StreamConsumer> consumer = Consume("orders.fifo", 4);
  ASSERT_NE(consumer, nullptr);
  std::vector<std::string> bodies;
  while (bodies.size() < 20) {
    std::vector<Message> got = Take(*consumer, 1);
    ASSERT_EQ(got.size(), 1u);
    bodies.push_back(got[0].body);
    ASSERT_OK(consumer->Ack(got[0]));
  }
  for (int group = 0; group < 2; ++group) {
    int last = -1;
    for (const std::string& body : bodies) {
      const int n = std::stoi(body.substr(1));
      if (n % 2 != group) continue;
      EXPECT_GT(n, last) << body;
      last = n;
    }
  }
}

TEST_F(StreamConsumerTest, BadStartsFailWithTheBrokersError) {
  StreamConsumerOptions options;
  options.queue = "missing";
  absl::StatusOr<std::unique_ptr<StreamConsumer>> consumer =
      StreamConsumer::Open(client_.get(), options);
  EXPECT_EQ(ErrorName(consumer.status()), "QueueDoesNotExist");
  CreateQueue("present");
  options.queue = "present";
  options.window = 0;
  consumer = StreamConsumer::Open(client_.get(), options);
  EXPECT_EQ(ErrorName(consumer.status()), "InvalidParameterValue");
  EXPECT_TRUE(absl::IsInvalidArgument(consumer.status())) << consumer.status();
}

TEST_F(StreamConsumerTest, ServerShutdownEndsTheStreamInsteadOfHanging) {
  CreateQueue("shutdown");
  std::unique_ptr<StreamConsumer> consumer = Consume("shutdown", 10);
  ASSERT_NE(consumer, nullptr);
  server_->Shutdown();
  absl::StatusOr<std::vector<Message>> next =
      consumer->Next(1, absl::Seconds(10));
  EXPECT_FALSE(next.ok());
}

}  // namespace
}  // namespace cortado::client
