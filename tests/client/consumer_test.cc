// Consumer against an in-process broker. Tests wait on the consumer's own
// stats (Consumer::WaitFor) or on latches they control; none sleeps.
#include "cortado/consumer.h"

#include <future>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "cortado/errors.h"
#include "gtest/gtest.h"
#include "tests/client/broker_fixture.h"
#include "tests/testing/status_matchers.h"

namespace cortado::client {
namespace {

// Generous: these only bound how long a broken build hangs.
constexpr absl::Duration kTimeout = absl::Seconds(20);

class ConsumerTest : public BrokerTest {
 protected:
  // Short long polls keep Stop() quick even if cancellation broke.
  ConsumerOptions Options(const std::string& queue) {
    ConsumerOptions options;
    options.queue = queue;
    options.wait_time = absl::Seconds(1);
    return options;
  }
};

TEST_F(ConsumerTest, SuccessfulHandlerDeletesTheMessage) {
  CreateQueue("q");
  ASSERT_OK(client_->SendMessage("q", "hello"));
  absl::Mutex mu;
  std::vector<std::string> bodies;
  Consumer consumer(client_.get(), Options("q"), [&](const Message& message) {
    absl::MutexLock lock(&mu);
    bodies.push_back(message.body);
    return absl::OkStatus();
  });
  ASSERT_OK(consumer.Start());
  ASSERT_TRUE(consumer.WaitFor(
      [](const ConsumerStats& stats) { return stats.processed == 1; },
      kTimeout));
  consumer.Stop();

  EXPECT_EQ(Counts("q"), "0/0");
  absl::MutexLock lock(&mu);
  EXPECT_EQ(bodies, std::vector<std::string>{"hello"});
  ConsumerStats stats = consumer.stats();
  EXPECT_EQ(stats.received, 1);
  EXPECT_EQ(stats.failed, 0);
  EXPECT_EQ(stats.ack_errors, 0);
  EXPECT_EQ(stats.in_flight, 0);
}

TEST_F(ConsumerTest, FailureWithMakeVisibleRedeliversAtOnce) {
  // A long visibility timeout: only kMakeVisible can bring it back quickly.
  CreateQueue("q", {{"VisibilityTimeout", "300"}});
  ASSERT_OK(client_->SendMessage("q", "flaky"));
  absl::Mutex mu;
  std::vector<int64_t> receive_counts;
  ConsumerOptions options = Options("q");
  options.on_failure = FailurePolicy::kMakeVisible;
  Consumer consumer(client_.get(), options, [&](const Message& message) {
    absl::MutexLock lock(&mu);
    receive_counts.push_back(message.receive_count());
    return receive_counts.size() == 1 ? absl::UnavailableError("db down")
                                      : absl::OkStatus();
  });
  ASSERT_OK(consumer.Start());
  ASSERT_TRUE(consumer.WaitFor(
      [](const ConsumerStats& stats) {
        return stats.failed == 1 && stats.processed == 1;
      },
      kTimeout));
  consumer.Stop();

  absl::MutexLock lock(&mu);
  EXPECT_EQ(receive_counts, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(Counts("q"), "0/0");
  EXPECT_EQ(consumer.stats().last_error.message(), "db down");
}

TEST_F(ConsumerTest, FailureWithMakeVisibleLeavesMessageReceivable) {
  CreateQueue("q", {{"VisibilityTimeout", "300"}});
  ASSERT_OK(client_->SendMessage("q", "bad"));
  ConsumerOptions options = Options("q");
  options.on_failure = FailurePolicy::kMakeVisible;
  absl::Notification handled;
  Consumer consumer(client_.get(), options, [&](const Message&) {
    // Only the first delivery counts; Stop() follows right away.
    if (!handled.HasBeenNotified()) handled.Notify();
    return absl::InternalError("cannot parse");
  });
  ASSERT_OK(consumer.Start());
  ASSERT_TRUE(consumer.WaitFor(
      [](const ConsumerStats& stats) { return stats.failed >= 1; }, kTimeout));
  consumer.Stop();

  // A long poll: a receive Stop() cancelled as the broker answered it is
  // handed back by the server a moment after Stop() returns.
  ReceiveOptions receive;
  receive.wait = absl::Seconds(10);
  absl::StatusOr<std::vector<Message>> again =
      client_->ReceiveMessage("q", receive);
  ASSERT_OK(again);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_GE(again->front().receive_count(), 2);
}

TEST_F(ConsumerTest, FailureWithLeaveKeepsMessageInvisible) {
  CreateQueue("q", {{"VisibilityTimeout", "300"}});
  ASSERT_OK(client_->SendMessage("q", "bad"));
  ConsumerOptions options = Options("q");
  options.on_failure = FailurePolicy::kLeave;
  Consumer consumer(client_.get(), options, [](const Message&) {
    return absl::InternalError("cannot parse");
  });
  ASSERT_OK(consumer.Start());
  ASSERT_TRUE(consumer.WaitFor(
      [](const ConsumerStats& stats) { return stats.failed == 1; }, kTimeout));
  consumer.Stop();
  EXPECT_EQ(Counts("q"), "0/1");
}

TEST_F(ConsumerTest, HeartbeatsKeepASlowMessageInvisible) {
  CreateQueue("q");
  ASSERT_OK(client_->SendMessage("q", "slow"));
  ConsumerOptions options = Options("q");
  options.visibility_timeout = absl::Seconds(2);  // heartbeat every 1 s
  absl::Notification started;
  absl::Notification release;
  absl::Time handler_started;
  Consumer consumer(client_.get(), options, [&](const Message&) {
    handler_started = absl::Now();
    started.Notify();
    release.WaitForNotificationWithTimeout(kTimeout);
    return absl::OkStatus();
  });
  ASSERT_OK(consumer.Start());
  ASSERT_TRUE(started.WaitForNotificationWithTimeout(kTimeout));

  // Three beats, one a second from the receive: by then the 2 s timeout
  // would have expired twice over without them.
  ASSERT_TRUE(consumer.WaitFor(
      [](const ConsumerStats& stats) { return stats.heartbeats >= 3; },
      kTimeout));
  EXPECT_GT(absl::Now() - handler_started, absl::Seconds(2));
  EXPECT_EQ(Counts("q"), "0/1");
  absl::StatusOr<std::vector<Message>> stolen = client_->ReceiveMessage("q");
  ASSERT_OK(stolen);
  EXPECT_TRUE(stolen->empty());

  release.Notify();
  ASSERT_TRUE(consumer.WaitFor(
      [](const ConsumerStats& stats) { return stats.processed == 1; },
      kTimeout));
  consumer.Stop();
  EXPECT_EQ(Counts("q"), "0/0");
  EXPECT_EQ(consumer.stats().ack_errors, 0);
}

TEST_F(ConsumerTest, InjectedHeartbeatIntervalIsUsed) {
  CreateQueue("q");
  ASSERT_OK(client_->SendMessage("q", "slow"));
  ConsumerOptions options = Options("q");
  options.visibility_timeout = absl::Seconds(30);
  options.heartbeat_interval = absl::Milliseconds(50);
  absl::Notification release;
  Consumer consumer(client_.get(), options, [&](const Message&) {
    release.WaitForNotificationWithTimeout(kTimeout);
    return absl::OkStatus();
  });
  ASSERT_OK(consumer.Start());
  // At the default interval (15 s) this would take 75 s.
  ASSERT_TRUE(consumer.WaitFor(
      [](const ConsumerStats& stats) { return stats.heartbeats >= 5; },
      kTimeout));
  release.Notify();
  consumer.Stop();
  EXPECT_EQ(consumer.stats().processed, 1);
  EXPECT_EQ(Counts("q"), "0/0");
}

TEST_F(ConsumerTest, StopWaitsForTheRunningHandler) {
  CreateQueue("q");
  ASSERT_OK(client_->SendMessage("q", "work"));
  ConsumerOptions options = Options("q");
  options.wait_time = absl::Seconds(20);  // Stop() must cut this short
  absl::Notification started;
  absl::Notification release;
  std::atomic<bool> finished{false};
  Consumer consumer(client_.get(), options, [&](const Message&) {
    started.Notify();
    release.WaitForNotificationWithTimeout(kTimeout);
    finished = true;
    return absl::OkStatus();
  });
  ASSERT_OK(consumer.Start());
  ASSERT_TRUE(started.WaitForNotificationWithTimeout(kTimeout));

  auto stopped = std::async(std::launch::async, [&] { consumer.Stop(); });
  // Stop() cannot return while the handler is blocked.
  EXPECT_EQ(stopped.wait_for(std::chrono::milliseconds(200)),
            std::future_status::timeout);
  EXPECT_FALSE(finished);
  release.Notify();
  ASSERT_EQ(stopped.wait_for(std::chrono::seconds(10)),
            std::future_status::ready);
  EXPECT_TRUE(finished);
  // The message was settled before Stop() returned.
  EXPECT_EQ(consumer.stats().processed, 1);
  EXPECT_EQ(Counts("q"), "0/0");
}

TEST_F(ConsumerTest, StopEndsAnIdleLongPollAtOnce) {
  CreateQueue("q");
  ConsumerOptions options = Options("q");
  options.wait_time = absl::Seconds(20);
  Consumer consumer(client_.get(), options,
                    [](const Message&) { return absl::OkStatus(); });
  ASSERT_OK(consumer.Start());
  absl::Time begin = absl::Now();
  consumer.Stop();
  EXPECT_LT(absl::Now() - begin, absl::Seconds(5));
  EXPECT_EQ(consumer.stats().receive_errors, 0);
}

TEST_F(ConsumerTest, RunsHandlersConcurrently) {
  constexpr int kConcurrency = 3;
  CreateQueue("q");
  for (int i = 0; i < kConcurrency; ++i) {
    ASSERT_OK(client_->SendMessage("q", absl::StrCat("m", i)));
  }
  ConsumerOptions options = Options("q");
  options.concurrency = kConcurrency;
  absl::Mutex mu;
  int running = 0;
  int most_running = 0;
  Consumer consumer(client_.get(), options, [&](const Message&) {
    absl::MutexLock lock(&mu);
    ++running;
    most_running = std::max(most_running, running);
    // Each handler waits until all of them run at once (or gives up).
    auto all_running = [&] { return most_running == kConcurrency; };
    mu.AwaitWithTimeout(absl::Condition(&all_running), kTimeout);
    --running;
    return absl::OkStatus();
  });
  ASSERT_OK(consumer.Start());
  ASSERT_TRUE(consumer.WaitFor(
      [](const ConsumerStats& stats) {
        return stats.processed == kConcurrency;
      },
      kTimeout));
  consumer.Stop();
  absl::MutexLock lock(&mu);
  EXPECT_EQ(most_running, kConcurrency);
  EXPECT_EQ(Counts("q"), "0/0");
}

TEST_F(ConsumerTest, NeverHoldsMoreMessagesThanHandlers) {
  CreateQueue("q", {{"VisibilityTimeout", "300"}});
  for (int i = 0; i < 5; ++i) ASSERT_OK(client_->SendMessage("q", "m"));
  ConsumerOptions options = Options("q");
  options.concurrency = 2;
  absl::Notification release;
  Consumer consumer(client_.get(), options, [&](const Message&) {
    release.WaitForNotificationWithTimeout(kTimeout);
    return absl::OkStatus();
  });
  ASSERT_OK(consumer.Start());
  ASSERT_TRUE(consumer.WaitFor(
      [](const ConsumerStats& stats) { return stats.in_flight == 2; },
      kTimeout));
  EXPECT_EQ(Counts("q"), "3/2");
  release.Notify();
  ASSERT_TRUE(consumer.WaitFor(
      [](const ConsumerStats& stats) { return stats.processed == 5; },
      kTimeout));
  consumer.Stop();
  EXPECT_EQ(Counts("q"), "0/0");
}

TEST_F(ConsumerTest, StartFailsForAnUnknownQueue) {
  Consumer consumer(client_.get(), Options("missing"),
                    [](const Message&) { return absl::OkStatus(); });
  absl::Status status = consumer.Start();
  EXPECT_EQ(ErrorName(status), "QueueDoesNotExist") << status;
}

TEST_F(ConsumerTest, StartRejectsBadOptions) {
  ConsumerOptions options = Options("q");
  options.max_messages = 11;
  Consumer consumer(client_.get(), options,
                    [](const Message&) { return absl::OkStatus(); });
  EXPECT_TRUE(absl::IsInvalidArgument(consumer.Start()));
}

TEST_F(ConsumerTest, ReceiveErrorsBackOffAndStopInterruptsTheBackoff) {
  CreateQueue("q");
  ConsumerOptions options = Options("q");
  options.min_backoff = absl::Milliseconds(1);
  options.max_backoff = absl::Seconds(60);
  Consumer consumer(client_.get(), options,
                    [](const Message&) { return absl::OkStatus(); });
  ASSERT_OK(consumer.Start());
  ASSERT_OK(client_->DeleteQueue("q"));
  // Backoff doubles from 1 ms: the fifth error comes within ~30 ms, and the
  // consumer then waits long enough that only Stop() can end the wait soon.
  ASSERT_TRUE(consumer.WaitFor(
      [](const ConsumerStats& stats) { return stats.receive_errors >= 5; },
      kTimeout));
  EXPECT_EQ(ErrorName(consumer.stats().last_error), "QueueDoesNotExist");
  absl::Time begin = absl::Now();
  consumer.Stop();
  EXPECT_LT(absl::Now() - begin, absl::Seconds(5));
}

TEST_F(ConsumerTest, ThrowingHandlerCountsAsFailure) {
  CreateQueue("q", {{"VisibilityTimeout", "300"}});
  ASSERT_OK(client_->SendMessage("q", "boom"));
  ConsumerOptions options = Options("q");
  options.on_failure = FailurePolicy::kLeave;
  Consumer consumer(client_.get(), options, [](const Message&) -> absl::Status {
    throw std::runtime_error("boom");
  });
  ASSERT_OK(consumer.Start());
  ASSERT_TRUE(consumer.WaitFor(
      [](const ConsumerStats& stats) { return stats.failed == 1; }, kTimeout));
  consumer.Stop();
  EXPECT_NE(consumer.stats().last_error.message().find("boom"),
            std::string::npos);
}

}  // namespace
}  // namespace cortado::client
