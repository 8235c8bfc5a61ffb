// libcortado's Publisher over the Queues/Publish stream, against an
// in-process server on 127.0.0.1:0: acks only after the commit, exactly one
// ack per send in any interleaving, per-send errors with the unary path's
// SQS names, batches, FIFO order, and a broken stream failing pending sends
// with UNAVAILABLE instead of hanging.
#include "cortado/publisher.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "cortado/errors.h"
#include "gtest/gtest.h"
#include "tests/client/broker_fixture.h"
#include "tests/client/gated_server.h"

namespace cortado::client {
namespace {

class PublisherTest : public BrokerTest {
 protected:
  std::unique_ptr<Publisher> OpenPublisher(PublisherOptions options = {}) {
    absl::StatusOr<std::unique_ptr<Publisher>> publisher =
        Publisher::Open(client_.get(), options);
    EXPECT_OK(publisher);
    return publisher.ok() ? *std::move(publisher) : nullptr;
  }
};

TEST_F(PublisherTest, SendIsAckedWithTheSameResultAsSendMessage) {
  CreateQueue("orders");
  std::unique_ptr<Publisher> publisher = OpenPublisher();
  SendOptions options;
  options.attributes["kind"] = MessageAttributeValue::String("espresso");
  absl::StatusOr<SendResult> sent = publisher->Send("orders", "hello", options);
  ASSERT_OK(sent);
  absl::StatusOr<SendResult> unary =
      client_->SendMessage("orders", "hello", options);
  ASSERT_OK(unary);
  EXPECT_FALSE(sent->message_id.empty());
  EXPECT_NE(sent->message_id, unary->message_id);
  EXPECT_EQ(sent->md5_of_message_body, unary->md5_of_message_body);
  EXPECT_EQ(sent->md5_of_message_attributes, unary->md5_of_message_attributes);
  EXPECT_EQ(Counts("orders"), "2/0");
}

// Every send gets exactly one ack, whatever the interleaving: 4 threads keep
// up to 1000 sends in flight on one stream.
TEST_F(PublisherTest, EverySendGetsExactlyOneAck) {
  CreateQueue("many");
  std::unique_ptr<Publisher> publisher = OpenPublisher();
  constexpr int kThreads = 4;
  constexpr int kPerThread = 250;
  absl::BlockingCounter acked(kThreads * kPerThread);
  absl::Mutex mu;
  absl::flat_hash_set<std::string> ids;
  int failures = 0;
  std::atomic<int> calls{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        publisher->SendAsync("many", absl::StrCat("t", t, "-", i), {},
                             [&](absl::StatusOr<SendResult> sent) {
                               calls.fetch_add(1);
                               {
                                 absl::MutexLock lock(&mu);
                                 if (sent.ok()) {
                                   ids.insert(sent->message_id);
                                 } else {
                                   ++failures;
                                 }
                               }
                               acked.DecrementCount();
                             });
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  acked.Wait();
  publisher->Close();
  EXPECT_EQ(calls.load(), kThreads * kPerThread);
  absl::MutexLock lock(&mu);
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(ids.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(Counts("many"), absl::StrCat(kThreads * kPerThread, "/0"));
}

// A bad send fails alone, with the error (code and SQS name) the unary
// SendMessage gives, and the stream goes on.
TEST_F(PublisherTest, ErrorsArePerSendWithTheUnaryPathsSqsNames) {
  CreateQueue("small", {{"MaximumMessageSize", "1024"}});
  CreateQueue("ordered.fifo",
              {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}});
  std::unique_ptr<Publisher> publisher = OpenPublisher();
  struct Case {
    std::string queue;
    std::string body;
    std::string expected_name;
  };
  const std::vector<Case> cases = {
      {"nope", "x", "QueueDoesNotExist"},
      {"small", std::string(2000, 'b'), "InvalidParameterValue"},
      {"ordered.fifo", "no group", "MissingParameter"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<SendResult> streamed = publisher->Send(c.queue, c.body);
    absl::StatusOr<SendResult> unary = client_->SendMessage(c.queue, c.body);
    ASSERT_FALSE(streamed.ok()) << c.queue;
    EXPECT_EQ(ErrorName(streamed.status()), c.expected_name) << c.queue;
    EXPECT_EQ(ErrorName(streamed.status()), ErrorName(unary.status()));
    EXPECT_EQ(streamed.status().code(), unary.status().code()) << c.queue;
    EXPECT_EQ(streamed.status().message(), unary.status().message());
  }
  EXPECT_OK(publisher->Send("small", "still fine"));
  EXPECT_EQ(Counts("small"), "1/0");
}

TEST_F(PublisherTest, BatchesReportEntriesOneByOne) {
  CreateQueue("batched");
  std::unique_ptr<Publisher> publisher = OpenPublisher();
  absl::StatusOr<SendBatchResult> result = publisher->SendBatch(
      "batched", {{"a", "one", {}}, {"b", "", {}}, {"c", "three", {}}});
  ASSERT_OK(result);
  ASSERT_EQ(result->successful.size(), 2u);
  EXPECT_EQ(result->successful[0].id, "a");
  EXPECT_EQ(result->successful[1].id, "c");
  ASSERT_EQ(result->failed.size(), 1u);
  EXPECT_EQ(result->failed[0].id, "b");
  EXPECT_EQ(result->failed[0].code, "MissingParameter");
  absl::StatusOr<SendBatchResult> too_many =
      publisher->SendBatch("batched", std::vector<SendBatchEntry>(11));
  EXPECT_EQ(ErrorName(too_many.status()), "TooManyEntriesInBatchRequest");
  EXPECT_EQ(Counts("batched"), "2/0");
}

TEST_F(PublisherTest, AsyncSendsToAFifoGroupKeepTheirOrder) {
  CreateQueue("fifo.fifo",
              {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}});
  std::unique_ptr<Publisher> publisher = OpenPublisher();
  constexpr int kMessages = 50;
  absl::BlockingCounter acked(kMessages);
  for (int i = 0; i < kMessages; ++i) {
    SendOptions options;
    options.group_id = "g";
    publisher->SendAsync("fifo.fifo", absl::StrCat("m", i), options,
                         [&](absl::StatusOr<SendResult> sent) {
                           EXPECT_OK(sent);
                           acked.DecrementCount();
                         });
  }
  acked.Wait();
  ReceiveOptions receive;
  receive.max_messages = 10;
  receive.wait = absl::ZeroDuration();
  int next = 0;
  while (next < kMessages) {
    absl::StatusOr<std::vector<Message>> got =
        client_->ReceiveMessage("fifo.fifo", receive);
    ASSERT_OK(got);
    ASSERT_FALSE(got->empty());
    for (const Message& message : *got) {
      EXPECT_EQ(message.body, absl::StrCat("m", next++));
      ASSERT_OK(client_->DeleteMessage("fifo.fifo", message.receipt_handle));
    }
  }
}

TEST_F(PublisherTest, SendAfterCloseFailsAtOnce) {
  CreateQueue("closed");
  std::unique_ptr<Publisher> publisher = OpenPublisher();
  ASSERT_OK(publisher->Send("closed", "before"));
  publisher->Close();
  absl::StatusOr<SendResult> after = publisher->Send("closed", "after");
  EXPECT_TRUE(absl::IsFailedPrecondition(after.status())) << after.status();
}

TEST_F(PublisherTest, ServerShutdownFailsSendsInsteadOfHanging) {
  CreateQueue("down");
  std::unique_ptr<Publisher> publisher = OpenPublisher();
  ASSERT_OK(publisher->Send("down", "up"));
  server_->Shutdown();
  absl::StatusOr<SendResult> sent = publisher->Send("down", "down");
  EXPECT_TRUE(absl::IsUnavailable(sent.status())) << sent.status();
}

// The ack waits for the commit: with the store's commit held, the send stays
// unanswered; once the commit goes through, it is acked.
TEST(PublisherGatedTest, AckComesOnlyAfterTheCommit) {
  GatedServer server;
  ASSERT_OK(server.Start());
  absl::StatusOr<std::unique_ptr<Client>> client =
      Client::Connect(server.address());
  ASSERT_OK(client);
  ASSERT_OK((*client)->CreateQueue("gated"));
  absl::StatusOr<std::unique_ptr<Publisher>> publisher =
      Publisher::Open(client->get());
  ASSERT_OK(publisher);
  ASSERT_OK((*publisher)->Send("gated", "warm-up"));  // stream open

  server.store().SetOpen(false);
  absl::Notification acked;
  absl::StatusOr<SendResult> result;
  (*publisher)
      ->SendAsync("gated", "held", {}, [&](absl::StatusOr<SendResult> sent) {
        result = std::move(sent);
        acked.Notify();
      });
  ASSERT_TRUE(server.store().WaitForBlockedCommit(absl::Seconds(10)));
  // The broker planned the send and is committing it: no ack may arrive
  // before the commit returns.
  EXPECT_FALSE(acked.WaitForNotificationWithTimeout(absl::Milliseconds(200)));
  server.store().SetOpen(true);
  ASSERT_TRUE(acked.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_OK(result);
}

// A stream that breaks while sends wait for their acks fails each of them
// with UNAVAILABLE (the commit's outcome is unknown to the client).
TEST(PublisherGatedTest, BrokenStreamFailsPendingSendsWithUnavailable) {
  GatedServer server;
  ASSERT_OK(server.Start());
  absl::StatusOr<std::unique_ptr<Client>> client =
      Client::Connect(server.address());
  ASSERT_OK(client);
  ASSERT_OK((*client)->CreateQueue("broken"));
  absl::StatusOr<std::unique_ptr<Publisher>> publisher =
      Publisher::Open(client->get());
  ASSERT_OK(publisher);
  ASSERT_OK((*publisher)->Send("broken", "warm-up"));

  server.store().SetOpen(false);
  constexpr int kPending = 5;
  absl::BlockingCounter failed(kPending);
  absl::Mutex mu;
  std::vector<absl::Status> statuses;
  for (int i = 0; i < kPending; ++i) {
    (*publisher)
        ->SendAsync("broken", absl::StrCat("p", i), {},
                    [&](absl::StatusOr<SendResult> sent) {
                      {
                        absl::MutexLock lock(&mu);
                        statuses.push_back(sent.status());
                      }
                      failed.DecrementCount();
                    });
  }
  ASSERT_TRUE(server.store().WaitForBlockedCommit(absl::Seconds(10)));
  server.StopGrpc();
  failed.Wait();
  absl::MutexLock lock(&mu);
  for (const absl::Status& status : statuses) {
    EXPECT_TRUE(absl::IsUnavailable(status)) << status;
  }
}

}  // namespace
}  // namespace cortado::client
