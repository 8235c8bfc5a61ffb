// Group commit under concurrency: calls from many threads are all answered,
// each exactly once, with nothing lost or duplicated, in memory and in the
// store. (How many commits the writer makes depends on thread timing, so
// only correctness is asserted.)
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "tests/core/broker_fixture.h"

namespace cortado::testing {
namespace {

constexpr int kThreads = 8;
constexpr int kSendsPerThread = 100;
constexpr int kMessages = kThreads * kSendsPerThread;

class BrokerGroupCommitTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    ASSERT_OK(Create("orders"));
  }
  // Sends kSendsPerThread messages from each of kThreads threads, each
  // waiting for its answer before the next send. Returns the failures.
  int SendFromManyThreads() {
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([this, t, &failures] {
        for (int i = 0; i < kSendsPerThread; ++i) {
          Pending<SendMessageResult> p;
          broker_->SendMessage("orders", Entry(absl::StrCat(t, "-", i)),
                               p.callback());
          if (!p.Get().ok()) failures.fetch_add(1);
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    return failures.load();
  }
  // Receives everything visible (visibility 0 would return duplicates, so
  // the default timeout keeps received messages out of later receives).
  std::multiset<std::string> ReceiveEverything() {
    std::multiset<std::string> bodies;
    for (;;) {
      absl::StatusOr<ReceiveMessageResult> got = Receive("orders", 10);
      EXPECT_OK(got);
      if (!got.ok() || got->messages.empty()) break;
      for (const ReceivedMessage& m : got->messages) bodies.insert(m.body);
    }
    return bodies;
  }
  static std::multiset<std::string> Expected() {
    std::multiset<std::string> bodies;
    for (int t = 0; t < kThreads; ++t) {
      for (int i = 0; i < kSendsPerThread; ++i) {
        bodies.insert(absl::StrCat(t, "-", i));
      }
    }
    return bodies;
  }
};

TEST_F(BrokerGroupCommitTest, ConcurrentSendsAllSucceedAndArriveOnce) {
  ASSERT_EQ(SendFromManyThreads(), 0);
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"),
            absl::StrCat(kMessages));
  EXPECT_EQ(ReceiveEverything(), Expected());
}

TEST_F(BrokerGroupCommitTest, ConcurrentSendsAreAllInTheStore) {
  ASSERT_EQ(SendFromManyThreads(), 0);
  Restart();
  EXPECT_EQ(ReceiveEverything(), Expected());
}

TEST_F(BrokerGroupCommitTest, EachThreadsSendsKeepTheirOrder) {
  ASSERT_EQ(SendFromManyThreads(), 0);
  std::vector<int> next(kThreads, 0);
  for (;;) {
    absl::StatusOr<ReceiveMessageResult> got = Receive("orders", 10);
    ASSERT_OK(got);
    if (got->messages.empty()) break;
    for (const ReceivedMessage& m : got->messages) {
      const size_t dash = m.body.find('-');
      const int t = std::stoi(m.body.substr(0, dash));
      const int i = std::stoi(m.body.substr(dash + 1));
      EXPECT_EQ(i, next[t]) << "thread " << t;
      next[t] = i + 1;
    }
  }
  EXPECT_EQ(next, std::vector<int>(kThreads, kSendsPerThread));
}

TEST_F(BrokerGroupCommitTest, UnwaitedCallsAreEachAnsweredOnce) {
  std::atomic<int> answered{0};
  std::atomic<int> failures{0};
  absl::BlockingCounter done(kMessages);
  for (int i = 0; i < kMessages; ++i) {
    broker_->SendMessage("orders", Entry(absl::StrCat("m", i)),
                         [&](absl::StatusOr<SendMessageResult> result) {
                           if (!result.ok()) failures.fetch_add(1);
                           answered.fetch_add(1);
                           done.DecrementCount();
                         });
  }
  done.Wait();
  EXPECT_EQ(answered.load(), kMessages);
  EXPECT_EQ(failures.load(), 0);
  const BrokerStats stats = broker_->Stats();
  EXPECT_GE(stats.committed_operations, static_cast<uint64_t>(kMessages));
  EXPECT_LE(stats.commits, stats.committed_operations);
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"),
            absl::StrCat(kMessages));
}

TEST_F(BrokerGroupCommitTest, ConcurrentReceivesNeverShareAMessage) {
  for (int i = 0; i < kMessages; ++i) {
    ASSERT_OK(Send("orders", absl::StrCat("m", i)));
  }
  std::vector<std::vector<std::string>> received(kThreads);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &received, &failures] {
      for (;;) {
        ReceiveMessageRequest request;
        request.queue_name = "orders";
        request.max_number_of_messages = 10;
        request.wait_time_seconds = 0;
        Pending<ReceiveMessageResult> p;
        broker_->ReceiveMessage(std::move(request), p.callback());
        absl::StatusOr<ReceiveMessageResult> got = p.Get();
        if (!got.ok()) {
          failures.fetch_add(1);
          return;
        }
        if (got->messages.empty()) return;
        for (const ReceivedMessage& m : got->messages) {
          received[t].push_back(m.body);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  std::multiset<std::string> all;
  for (const auto& bodies : received) all.insert(bodies.begin(), bodies.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kMessages));
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(),
            static_cast<size_t>(kMessages));
}

TEST_F(BrokerGroupCommitTest, ParkedReceivesServeConcurrentSendsExactlyOnce) {
  constexpr int kReceivers = 4;
  std::atomic<int> received_count{0};
  absl::Notification all_received;
  std::vector<std::vector<std::string>> received(kReceivers);
  std::vector<std::thread> receivers;
  for (int r = 0; r < kReceivers; ++r) {
    receivers.emplace_back([&, r] {
      for (;;) {
        ReceiveMessageRequest request;
        request.queue_name = "orders";
        request.max_number_of_messages = 10;
        request.wait_time_seconds = 20;  // the clock never moves: only a
                                         // message or the shutdown answers
        Pending<ReceiveMessageResult> p;
        broker_->ReceiveMessage(std::move(request), p.callback());
        absl::StatusOr<ReceiveMessageResult> got = p.Get();
        if (!got.ok() || got->messages.empty()) return;  // shut down
        for (const ReceivedMessage& m : got->messages) {
          received[r].push_back(m.body);
        }
        if (received_count.fetch_add(static_cast<int>(got->messages.size())) +
                static_cast<int>(got->messages.size()) ==
            kMessages) {
          all_received.Notify();
        }
      }
    });
  }
  ASSERT_EQ(SendFromManyThreads(), 0);
  EXPECT_TRUE(all_received.WaitForNotificationWithTimeout(absl::Seconds(10)));
  broker_->Shutdown();  // answers the receives still parked, empty
  for (std::thread& thread : receivers) thread.join();
  std::multiset<std::string> all;
  for (const auto& bodies : received) all.insert(bodies.begin(), bodies.end());
  EXPECT_EQ(all, Expected());
}

}  // namespace
}  // namespace cortado::testing
